"""行政执法人员公示: the officers table, grouped by org (事前公开 of 国办发〔2018〕118号)."""
from __future__ import annotations

import datetime as dt
from itertools import groupby
from typing import Iterator

from gxsite.content import model
from gxsite.core.page import Page

URL = "/officers/"


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    known = sorted((o for o in lib.officers if o.org_ref is not None), key=lambda o: (o.org, o.line))
    groups = [(lib.orgs[org], list(people)) for org, people in groupby(known, key=lambda o: o.org)]
    yield Page(URL, "officers.html", "行政执法人员公示", {"groups": groups, "total": len(known)},
               [("行政执法人员公示", URL)])
