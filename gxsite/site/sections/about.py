"""网站地图 and 联系我们: the pages the 47号文 footer links to (issue 14)."""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from gxsite.content import model
from gxsite.core.page import Page


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    return iter(())
