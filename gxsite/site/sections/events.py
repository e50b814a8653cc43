"""政府开放日 and 局长进大厅: counts per org per year and half year, and problems found."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterator

from gxsite.content import model
from gxsite.core.page import Page

URL = "/events/"


def half_of(day: dt.date) -> str:
    return f"{day.year}年{'上' if day.month <= 6 else '下'}半年"


@dataclass
class OrgEvents:
    org: model.Org
    open_days: dict[int, int] = field(default_factory=dict)     # year -> count
    visits: dict[str, int] = field(default_factory=dict)        # half year -> count
    resolved: int = 0
    pending: int = 0


def overview(lib: model.Library) -> list[OrgEvents]:
    by_org: dict[str, OrgEvents] = {}
    for item in sorted(lib.published, key=lambda i: (i.event_date or i.date, i.id)):
        if item.type not in ("open_day", "hall_visit") or item.org_ref is None:
            continue
        entry = by_org.setdefault(item.org, OrgEvents(item.org_ref))
        day = item.event_date or item.date
        if item.type == "open_day":
            entry.open_days[day.year] = entry.open_days.get(day.year, 0) + 1
        else:
            entry.visits[half_of(day)] = entry.visits.get(half_of(day), 0) + 1
            for p in item.problems:
                if p.status == "已解决":
                    entry.resolved += 1
                else:
                    entry.pending += 1
    return sorted(by_org.values(), key=lambda e: e.org.id)


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    rows = overview(lib)
    visits = [i for i in lib.published if i.type == "hall_visit"]
    yield Page(URL, "events.html", "政府开放日和局长进大厅情况统计", {"rows": rows, "visits": visits},
               [("政府开放日和局长进大厅情况统计", URL)])
