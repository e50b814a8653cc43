"""互动交流: the 咨询建言 channels of site.yaml and the published 留言/答复 (issue 14).

/hudong/ lists the channels where the public writes (领导信箱, 12345…), a summary of the
published messages of this year and the last, the newest messages with their reply state, and
the columns that carry them. The figures (`year_figures`) are also the 留言办理 table of
/stats/: one computation, two pages.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

from gxsite.checks import inspection
from gxsite.content import model
from gxsite.core import urls
from gxsite.core.page import Page

URL = "/hudong/"
NEWEST = 10


def messages(lib: model.Library) -> list[model.Item]:
    """Published, listed messages, newest first (the site's order)."""
    return [i for i in lib.published if i.type == "message" and i.listed]


def overdue(item: model.Item, today: dt.date) -> bool:
    """Unanswered past its due day: the veto item the checks remind of (checks/inspection.py)."""
    return not inspection.answered(item, today) and item.asked is not None and today > inspection.answer_due(item)


@dataclass
class Figures:
    """One year's messages, by the date they were received (留言日期), as of today."""
    year: int
    received: int
    replied: int
    unanswered: int
    average: float | None      # days from 留言 to 答复, one decimal; None without a reply
    longest: int | None
    overdue: int

    @property
    def average_text(self) -> str:
        return "—" if self.average is None else f"{self.average:.1f}"

    @property
    def longest_text(self) -> str:
        return "—" if self.longest is None else str(self.longest)


def year_figures(lib: model.Library, year: int, today: dt.date) -> Figures:
    received = [i for i in messages(lib) if i.asked is not None and i.asked.year == year]
    days = [i.reply_days for i in received if inspection.answered(i, today) and i.reply_days is not None]
    replied = sum(1 for i in received if inspection.answered(i, today))
    return Figures(year, len(received), replied, len(received) - replied,
                   round(sum(days) / len(days), 1) if days else None, max(days) if days else None,
                   sum(1 for i in received if overdue(i, today)))


@dataclass
class Entry:
    item: model.Item
    answered: bool


@dataclass
class ChannelLink:
    channel: model.Channel
    tel: str                  # the phone as a tel: link ("" without a phone)


@dataclass
class ColumnLink:
    """A column carrying messages, as plain values: a column in the page's data would make the
    preview count all its items as shown here."""
    title: str
    url: str
    count: int


def message_columns(lib: model.Library) -> list[ColumnLink]:
    """Columns whose `select` takes messages (routing has made every select value a tuple)."""
    return [ColumnLink(c.title, c.url, len(c.items)) for c in lib.columns.values()
            if "message" in c.select.get("type", ())]


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    published = messages(lib)
    yield Page(URL, "interaction.html", "互动交流", {
        "channels": [ChannelLink(c, urls.tel(c.phone)) for c in lib.site.channels],
        "figures": [year_figures(lib, y, today) for y in (today.year, today.year - 1)],
        "total": len(published),
        "newest": [Entry(i, inspection.answered(i, today)) for i in published[:NEWEST]],
        "message_columns": message_columns(lib),
    }, [("互动交流", URL)])
