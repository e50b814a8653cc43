"""The site's sections beyond item pages and listings: one module each, registered here.

A section module may define `pages(lib, today)` yielding Page objects and
`files(lib, today, edited=None)` returning (output path, bytes) for non-HTML files (feeds, CSV…).
`edited` is given by a running preview: the ids of items whose text alone (title, summary, body)
changed since the files were made; a section may then leave out files that do not show them.
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


def files(lib: model.Library, today: dt.date, edited: set[str] | None = None) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    for section in SECTIONS:
        if hasattr(section, "files"):
            out.extend(section.files(lib, today, edited))
    return out
