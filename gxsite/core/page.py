"""A page to render: which template, at which URL, with which model objects. No HTML here."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Page:
    url: str                     # site path of the standard version
    template: str
    title: str
    data: dict = field(default_factory=dict)
    crumbs: list[tuple[str, str]] = field(default_factory=list)   # (title, url), home excluded
    anywhere: bool = False       # served at any path (404): links must not be relative


def paginate(items: list, per_page: int) -> list[list]:
    """A listing's pages: `per_page` entries each, and one empty page for an empty listing (its
    page still exists). The HTML pages and the content API cut listings the same way."""
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
