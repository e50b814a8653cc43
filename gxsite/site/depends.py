"""What each page is made from, as one digest per page, so that a build renders again only the
pages whose inputs changed (the dependency map that the next build compares with).

A page's inputs are
- the site's version: everything any page may read beside its own data — the templates,
  gxsite's code, `--today`, site.yaml, the orgs, domains, services, places, catalog and
  officers, the column tree as the navigation shows it (not its rules: those decide
  membership, which the pages' own data carries), and the warnings in the banner;
- the page itself: template, URL, title, breadcrumbs and its data, walked like the pages'
  templates walk it. An item counts by its version (every field it has, references by id),
  together with the versions of the items it names (interpretations, progress reports…,
  which its page shows). A listing counts by what its page says of it (its title, count and
  column), never by all its items: a listing page shows only the entries handed to it. A
  column reached directly (the home page, 栏目导航) counts with every item in it.

The digest is a hash of a pickle: plain values pickle the same in every process, and the
objects that point at each other (items, columns) are cut into ids first.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import pickle
from pathlib import Path

from gxsite.content import model
from gxsite.core.page import Page
from gxsite.core.source import walk

_PROTOCOL = 5
_REFS = (model.Item, model.Column, model.Listing, model.Org, model.Domain, model.Library)
_SHARED_REFS = (model.Item, model.Column, model.Listing, model.Library)   # the site's version holds orgs whole


def _hash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class _Cut(pickle.Pickler):
    """Pickles a value with library objects replaced by a name: items, columns and listings by
    their id (what they are is counted apart), orgs and domains by id (the site's version
    holds them whole)."""

    refs = _REFS

    def persistent_id(self, obj):
        if isinstance(obj, self.refs):
            return (type(obj).__name__, getattr(obj, "id", None) or getattr(obj, "key", ""))
        return None


def _pickle(value, refs=_REFS) -> bytes:
    buf = io.BytesIO()
    pickler = _Cut(buf, _PROTOCOL)
    pickler.refs = refs
    pickler.dump(value)
    return buf.getvalue()


def item_version(item: model.Item) -> bytes:
    """Every field of the item, its rendered body included; other items and columns by id."""
    return _hash(_pickle(tuple(getattr(item, f.name) for f in dataclasses.fields(item))))


def _nav_face(column: model.Column) -> tuple:
    """A column as every page may name it (navigation, breadcrumbs, chips): neither its rules nor
    its items, which decide membership, and membership is in the pages' own data."""
    return (column.id, column.title, column.parent, column.url, column.description, column.kind,
            column.update_every_days, tuple(c.id for c in column.children))


def _column_face(column: model.Column) -> tuple:
    """A column as its listing shows it: its rules (which types it lists) and the number of
    items of each child."""
    return (_nav_face(column), tuple(sorted(column.select.items())),
            tuple((c.id, len(c.items)) for c in column.children))


def templates_version(folders) -> bytes:
    """Every file of every templates folder (a site's own over gxsite's)."""
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        folder = Path(folder)
        h.update(str(folder).encode() + b"\0")
        for f in walk(folder):
            if "__pycache__" not in f.rel.split("/"):
                h.update(f.rel.encode() + b"\0" + _hash((folder / f.rel).read_bytes()))
    return h.digest()


def site_version(lib: model.Library, today: dt.date, warnings: list[model.Item], versions: dict[str, bytes],
                 design: bytes) -> bytes:
    """What every page may read besides its own data. `design`: the templates' and code's version."""
    shared = (design, today, lib.site, lib.orgs, lib.domains, lib.officers, lib.places, lib.services,
              lib.catalog, lib.boundaries, [_nav_face(c) for c in lib.columns.values()],
              [versions[w.id] for w in warnings])
    return _hash(_pickle(shared, _SHARED_REFS))


class Inputs:
    """Computes the digest of each page's inputs; items' versions are worked out once."""

    def __init__(self, lib: model.Library, today: dt.date, warnings: list[model.Item], design: bytes):
        self.versions = {item.id: item_version(item) for item in lib.items.values()}
        self.site = site_version(lib, today, warnings, self.versions, design)

    def page(self, page: Page) -> bytes:
        h = hashlib.blake2b(self.site, digest_size=16)
        h.update(_pickle((page.url, page.template, page.title, page.crumbs, page.anywhere)))
        todo = [page.data]
        seen: set[int] = set()
        while todo:
            value = todo.pop()
            if value is None or isinstance(value, (str, bytes, int, float, bool, dt.date)):
                h.update(repr(value).encode() + b"\1")
            elif isinstance(value, model.Item):
                h.update(b"I" + self.versions[value.id])
                for other in (*value.related_items, *value.interpretations, *value.progress_reports,
                              value.interprets_item, value.of_item, value.replaced_by_item):
                    if other is not None:
                        h.update(b"i" + self.versions[other.id])
            elif isinstance(value, model.Listing):
                h.update(_pickle(("L", value.kind, value.key, value.title, value.url, len(value.items),
                                  _column_face(value.column) if value.column else None, value.domain)))
            elif isinstance(value, Page):   # another page, shown as a link (the site map)
                h.update(_pickle(("P", value.url, value.title, value.template)))
            elif isinstance(value, model.Library):
                raise TypeError("a page's data must not hold the library: templates get it as `lib`")
            elif id(value) in seen:
                h.update(b"\2")
            else:
                seen.add(id(value))
                if isinstance(value, model.Column):
                    h.update(_pickle(("C", _column_face(value))))
                    todo.extend(reversed(value.items))
                    todo.extend(reversed(value.children))
                elif isinstance(value, dict):
                    h.update(b"{%d" % len(value))
                    for key, item in reversed(list(value.items())):
                        todo.append(item)
                        todo.append(key)
                elif isinstance(value, (list, tuple)):
                    h.update(b"[%d" % len(value))
                    todo.extend(reversed(value))
                elif isinstance(value, (set, frozenset)):
                    h.update(b"(%d" % len(value))
                    todo.extend(sorted(value, key=repr))
                elif dataclasses.is_dataclass(value):
                    h.update(type(value).__name__.encode() + b"(")
                    todo.extend(reversed([getattr(value, f.name) for f in dataclasses.fields(value)]))
                else:
                    h.update(_pickle(value))
        return h.digest()
