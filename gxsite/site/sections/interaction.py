"""互动交流: the 咨询建言 channels of site.yaml and the published 留言/答复 (issue 14)."""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from gxsite.content import model
from gxsite.core.page import Page


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    return iter(())
