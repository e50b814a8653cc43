"""The veto items of the 2019 national inspection (国办秘函〔2019〕19号) that content can show (issue 14)."""
from __future__ import annotations

import datetime as dt

from gxsite.content import model
from gxsite.core.problems import Problems


def run(lib: model.Library, today: dt.date, problems: Problems) -> None:
    pass
