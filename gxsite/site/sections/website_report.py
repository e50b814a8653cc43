"""政府网站工作年度报表 (国办函〔2018〕12号 format), one page per year (issue 14)."""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from gxsite.content import model
from gxsite.core.page import Page


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    return iter(())
