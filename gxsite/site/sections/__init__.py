"""The site's sections beyond item pages and listings: one module each, registered here.

A section may give `pages(lib, today)`, yielding Page objects, and `files(lib, today, plan)`,
returning (output path, bytes) for non-HTML files (feeds, CSV…). `plan` is every page the
build renders (the sitemap lists them). Every build makes every file; only those whose bytes
changed are written (pipeline.py). A section that makes one file per item may take `keep` as
well (`Section(keeps=True)`): `keep(kind, source, make)` gives the bytes `make()` gives, reused
from an earlier build when the source (an item, a planned page whose data the file mirrors, or
any value walked as page data are, such as a feed with its items) and the site are as they were
then (site/depends.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from gxsite.content import model
from gxsite.core.page import Page
from gxsite.search import search_index
from gxsite.site.sections import (about, api, catalog, disclosure, events, feeds, interaction, officers, places, policies,
                                  services, stats, website_report)

Files = list[tuple[str, bytes]]
Keep = Callable[[str, object, Callable[[], bytes]], bytes]


def fresh(kind: str, source, make: Callable[[], bytes]) -> bytes:
    """A `keep` that reuses nothing: what `files` does when given none."""
    return make()


@dataclass(frozen=True)
class Section:
    pages: Callable[[model.Library, dt.date], Iterable[Page]] | None = None
    files: Callable[..., Files] | None = None
    keeps: bool = False   # files takes `keep` too


# In the order their pages are planned; named explicitly, so that a misspelt hook fails at import.
SECTIONS: list[Section] = [
    Section(pages=disclosure.pages),
    Section(pages=policies.pages),
    Section(pages=catalog.pages, files=catalog.files),
    Section(pages=officers.pages),
    Section(pages=events.pages),
    Section(pages=places.pages),
    Section(pages=services.pages),
    Section(pages=search_index.pages),
    Section(pages=stats.pages, files=stats.files),
    Section(pages=website_report.pages, files=website_report.files),
    Section(pages=interaction.pages),
    Section(pages=about.pages),
    Section(files=feeds.files, keeps=True),
    Section(files=api.files, keeps=True),
]


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    for section in SECTIONS:
        if section.pages is not None:
            yield from section.pages(lib, today)


def files(lib: model.Library, today: dt.date, plan: list[Page], keep: Keep = fresh) -> Files:
    out: Files = []
    for section in SECTIONS:
        if section.files is not None:
            out.extend(section.files(lib, today, plan, keep) if section.keeps else section.files(lib, today, plan))
    return out
