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
import operator
import pickle
from pathlib import Path

from gxsite.content import model
from gxsite.core import parallel
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


_ITEM_FIELDS = [f.name for f in dataclasses.fields(model.Item)]
_ITEM_LINKS = {"related_items", "interpretations", "progress_reports"}           # lists of items
_ITEM_LINK = {"interprets_item", "of_item", "replaced_by_item"}                  # one item or None
# Records by id: columns and items are counted apart, orgs and domains are in the site's version.
_BY_IDS = [n for n, name in enumerate(_ITEM_FIELDS) if name in {"in_columns", "domain_refs", "town_refs"} | _ITEM_LINKS]
_BY_ID = [n for n, name in enumerate(_ITEM_FIELDS) if name in {"org_ref"} | _ITEM_LINK]
_ITEM_VALUES = operator.attrgetter(*_ITEM_FIELDS)


def item_version(item: model.Item) -> bytes:
    """Every field of the item, its rendered body included; the records it points to by id (what
    they are is counted apart). Taken in one C call and pickled in another: a persistent_id hook
    would cost a Python call per value, for 10,000 items."""
    # Strings as bytes: pickling a str keeps its UTF-8 form inside it for good (CPython's
    # cache), which for every body and title of the site was a tenth of a build's memory.
    values = [v.encode("utf-8", "surrogatepass") if type(v) is str else v for v in _ITEM_VALUES(item)]
    for n in _BY_IDS:
        values[n] = [v.id for v in values[n]]
    for n in _BY_ID:
        values[n] = values[n].id if values[n] is not None else None
    return _hash(pickle.dumps(values, _PROTOCOL))


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


def _item_versions(items: list[model.Item]) -> list[bytes]:
    return [item_version(item) for item in items]


def _on_all_cores(fn, values: list) -> list[bytes]:
    """fn(chunk) for contiguous chunks of `values` in forked workers, its digests in order: a
    digest is the same in every process (the module docstring says why)."""
    return [found for part in parallel.map_chunks(fn, values, contiguous=True) for found in part]


_PLAIN = (str, bytes, int, float, bool, dt.date, type(None))
_PLAIN_TYPES = frozenset(_PLAIN)   # exactly these (a str subclass such as Markup reprs otherwise)
_SHARED = (model.Service, model.Place, model.Org, model.Domain)   # records with an id, in site_version


class Inputs:
    """Computes the digest of each page's inputs. Items, columns and listings are worked out once
    per build, however many pages show them."""

    def __init__(self, lib: model.Library, today: dt.date, warnings: list[model.Item], design: bytes):
        items = list(lib.items.values())
        self.versions = dict(zip((item.id for item in items), _on_all_cores(_item_versions, items)))
        self.site = site_version(lib, today, warnings, self.versions, design)
        self._shown: dict[str, bytes] = {}
        self._columns: dict[str, bytes] = {}
        self._fields: dict[type, list[str]] = {}
        self._pages: dict[str, bytes] = {}
        for item in items:   # once, here, rather than again in each worker that digests pages
            self.shown(item)

    def made_from(self, source, kind: str) -> bytes:
        """The digest of a file of `kind` made from what one item's page shows of it, from what
        one page shows, or from any other value (walked as page data are: a feed and its items),
        on this site: the key under which the last build's file of the same inputs is kept (an
        item's API document, a listing page's, a feed)."""
        if isinstance(source, Page):
            base = self.page(source)
        elif isinstance(source, model.Item):
            base = self.shown(source)
        else:
            parts: list[bytes] = []
            self._walk(source, parts, set())
            base = _hash(b"\1".join(parts))
        return _hash(b"\1".join([self.site, kind.encode(), base]))

    def plan(self, pages: list[Page]) -> None:
        """Work out every page's digest at once, on all cores: what `page` then answers."""
        todo = [page for page in pages if page.url not in self._pages]
        for page, found in zip(todo, _on_all_cores(lambda chunk: [self.page(p) for p in chunk], todo)):
            self._pages[page.url] = found

    def page(self, page: Page) -> bytes:
        found = self._pages.get(page.url)   # URLs are unique in a plan (pipeline checks it)
        if found is None:
            parts: list[bytes] = [self.site, repr((page.url, page.template, page.title, page.crumbs,
                                                  page.anywhere)).encode()]
            self._walk(page.data, parts, set())
            found = self._pages[page.url] = _hash(b"\1".join(parts))
        return found

    def shown(self, item: model.Item) -> bytes:
        """An item as a page shows it: its version and those of the items it names."""
        shown = self._shown.get(item.id)
        if shown is None:
            named = [self.versions[o.id] for o in (*item.related_items, *item.interpretations, *item.progress_reports,
                                                   item.interprets_item, item.of_item, item.replaced_by_item)
                     if o is not None]
            shown = self._shown[item.id] = _hash(b"".join([self.versions[item.id], *named]))
        return shown

    def _column(self, column: model.Column) -> bytes:
        """A column reached directly: its face, every item in it and its children, whole."""
        found = self._columns.get(column.id)
        if found is None:
            parts = [repr(_column_face(column)).encode()]
            parts += [self.shown(i) for i in column.items]
            parts += [self._column(c) for c in column.children]
            found = self._columns[column.id] = _hash(b"\1".join(parts))
        return found

    def _walk(self, value, parts: list[bytes], seen: set[int]) -> None:
        kind = type(value)   # the common exact types first: 240,000 calls per build at 10,000 items
        if kind in _PLAIN_TYPES:
            parts.append(repr(value).encode())
        elif kind is model.Item:
            parts.append(self.shown(value))
        elif isinstance(value, _PLAIN):
            parts.append(repr(value).encode())
        elif isinstance(value, model.Item):
            parts.append(self.shown(value))
        elif isinstance(value, model.Listing):   # what its page says of it, not all its items
            parts.append(repr(("L", value.kind, value.key, value.title, value.url, len(value.items),
                               _column_face(value.column) if value.column else None)).encode())
            parts.append(pickle.dumps(value.domain, _PROTOCOL))
        elif isinstance(value, model.Column):
            parts.append(self._column(value))
        elif isinstance(value, _SHARED):   # the site's version holds these whole
            parts.append(repr((type(value).__name__, value.id)).encode())
        elif isinstance(value, Page):   # another page, shown as a link (the site map)
            parts.append(repr(("P", value.url, value.title, value.template)).encode())
        elif isinstance(value, model.Library):
            raise TypeError("a page's data must not hold the library: templates get it as `lib`")
        elif id(value) in seen:
            parts.append(b"\2")
        else:
            seen.add(id(value))
            if isinstance(value, dict):
                parts.append(b"{%d" % len(value))
                for key, item in value.items():
                    self._walk(key, parts, seen)
                    self._walk(item, parts, seen)
            elif isinstance(value, (list, tuple)):
                parts.append(b"[%d" % len(value))
                for item in value:   # a listing's entries: items, counted without a call each
                    if type(item) is model.Item:
                        parts.append(self.shown(item))
                    else:
                        self._walk(item, parts, seen)
            elif isinstance(value, (set, frozenset)):
                parts.append(b"(%d" % len(value))
                for item in sorted(value, key=repr):
                    self._walk(item, parts, seen)
            elif dataclasses.is_dataclass(value):
                names = self._fields.get(type(value))
                if names is None:
                    names = self._fields[type(value)] = [f.name for f in dataclasses.fields(value)]
                parts.append(type(value).__name__.encode())
                for name in names:
                    self._walk(getattr(value, name), parts, seen)
            else:
                parts.append(_pickle(value))
