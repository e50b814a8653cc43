"""The site's sections beyond item pages and listings: one module each, registered here.

A section module may define `pages(lib, today)` yielding Page objects and
`files(lib, today)` returning (output path, bytes) for non-HTML files (feeds, CSV…).
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from . import catalog, disclosure, events, feeds, model, officers, places, search_index, services, stats
from .page import Page

SECTIONS: list = [disclosure, catalog, officers, events, places, services, search_index, stats, feeds]


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    for section in SECTIONS:
        if hasattr(section, "pages"):
            yield from section.pages(lib, today)


def files(lib: model.Library, today: dt.date) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for section in SECTIONS:
        if hasattr(section, "files"):
            out.extend(section.files(lib, today))
    return out
