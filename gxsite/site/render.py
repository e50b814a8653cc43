"""Stage 5, render: every page of the site, in both output formats (standard and large-font).

`plan_pages` decides which pages exist (one dataclass per page, no HTML); `render_pages`
runs each through its Jinja template twice, once per variant. The large-font twin is the
same template with another variant, never a copy.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterator

import jinja2

from gxsite.site.sections import decisions
from gxsite.content import model, schema
from gxsite.site import meta, sections, theme
from gxsite.site.sections import about
from gxsite.core import urls
from gxsite.core.page import Page
from gxsite.site.routing import AUTO_LISTINGS, column_trail, subtree_items

VARIANTS = ("std", "care")
WARNING_ORDER = {"红色": 0, "橙色": 1, "黄色": 2, "蓝色": 3}
AUTO_TITLES = meta.AUTO_TITLES


@dataclass
class Links:
    """URL helpers for one page in one variant, handed to templates as `link`."""

    page_url: str
    variant: str
    root: str        # relative path (or base path) to the site root

    @property
    def prefix(self) -> str:
        return self.root + ("care/" if self.variant == "care" else "")

    def to(self, url: str) -> str:
        """A page of the site, in this page's variant."""
        return self.prefix + url.lstrip("/")

    def file(self, url: str) -> str:
        """A file shared by both variants (attachments, assets)."""
        return self.root + url.lstrip("/")

    def twin(self) -> str:
        """The same page in the other variant."""
        other = "" if self.variant == "care" else "care/"
        return self.root + other + self.page_url.lstrip("/")

    def body(self, item: model.Item) -> str:
        return urls.fill_marks(item.html, self.prefix, self.root)


def make_env(templates: theme.Templates) -> jinja2.Environment:
    env = jinja2.Environment(
        # a template is looked up in the site's own folder first, then in gxsite's (theme.py)
        loader=jinja2.FileSystemLoader([str(f) for f in templates.folders]),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters["cn_date"] = lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日" if d else ""
    env.filters["iso"] = lambda d: d.isoformat() if d else ""
    env.filters["yuan"] = lambda n: f"{n:,.2f}" if n is not None else ""
    env.filters["printed"] = urls.printed   # addresses written out as text
    env.filters["tel"] = urls.tel           # a phone number as written -> its tel: link
    env.globals["TYPE_NAMES"] = schema.ITEM_TYPES
    return env


def active_warnings(lib: model.Library, today: dt.date) -> list[model.Item]:
    """Warnings valid on `today`, most severe first, shown as a banner on every page."""
    valid = [i for i in lib.published if i.type == "warning" and i.valid_until and i.valid_until >= today]
    return sorted(valid, key=lambda i: (WARNING_ORDER.get(i.level, 9), i.sort_key))


def paginate(items: list, per_page: int) -> list[list]:
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]


def plan_pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    """Every page, in a fixed order; the site map comes last, made from all pages before it, so
    that it lists whatever any section plans."""
    planned: list[Page] = []
    for page in _plan(lib, today):
        planned.append(page)
        yield page
    yield about.site_map(lib, planned)


def _plan(lib: model.Library, today: dt.date) -> Iterator[Page]:
    per_page = lib.site.per_page
    roots = [c for c in lib.columns.values() if not c.parent or c.parent not in lib.columns]
    blocks = [(c, subtree_items(c, 6)) for c in roots]
    consultations = [i for i in lib.published if i.type == "decision" and i.listed
                     and decisions.window(i, today).state == decisions.OPEN]
    yield Page("/", "home.html", lib.site.title, {
        "roots": roots, "blocks": [(c, items) for c, items in blocks if items],
        "consultations": decisions.open_first(consultations, today),
        "latest": [i for i in lib.published if i.listed and i.type != "page"][:10],
    })
    yield Page("/404.html", "404.html", "页面未找到", anywhere=True)
    yield Page("/columns/", "columns.html", "栏目导航", {"roots": roots}, [("栏目导航", "/columns/")])
    for item in lib.published:
        yield item_page(lib, item)
    by_kind: dict[str, list[model.Listing]] = {}
    for listing in lib.listings:
        by_kind.setdefault(listing.kind, []).append(listing)
        if listing.column is not None:
            crumbs = [(c.title, c.url) for c in column_trail(listing.column, lib)]
        else:
            crumbs = [(AUTO_TITLES[listing.kind], f"/{listing.kind}/"), (listing.title, listing.url)]
        pages = paginate(listing.items, per_page)
        for number, chunk in enumerate(pages, 1):
            url = urls.paged(listing.url, number)
            title = listing.title if number == 1 else f"{listing.title}（第{number}页）"
            yield Page(url, "listing.html", title, {
                "listing": listing, "entries": chunk, "number": number, "count": len(pages),
            }, crumbs if number == 1 else crumbs + [(f"第{number}页", url)])
    for kind in AUTO_LISTINGS:
        yield Page(f"/{kind}/", "listings.html", AUTO_TITLES[kind],
                   {"listings": by_kind.get(kind, []), "kind": kind}, [(AUTO_TITLES[kind], f"/{kind}/")])
    yield from sections.pages(lib, today)


def item_page(lib: model.Library, item: model.Item) -> Page:
    crumbs = [(c.title, c.url) for c in column_trail(item.in_columns[0], lib)] if item.in_columns else \
        [(item.org_ref.name if item.org_ref else item.org, urls.listing("orgs", item.org))]
    return Page(item.url, "item.html", item.title, {"item": item, "chips": column_chips(lib, item.in_columns)},
                crumbs + [(item.title, item.url)])


def column_chips(lib: model.Library, columns: list[model.Column]) -> list[tuple[str, str]]:
    """(label, url) of the columns an item is in. Columns that share a title (行政规范性文件 under
    政策文件 and under 重点领域信息公开) are named after their parents, as many as tell them apart.
    Plain strings: the page's data must not hold columns (their items are not what the page shows)."""
    trails = {c.id: [t.title for t in column_trail(c, lib)] for c in columns}
    depth = {c.id: 1 for c in columns}
    for title in {c.title for c in columns}:
        same = [c.id for c in columns if c.title == title]
        longest = max(len(trails[i]) for i in same)
        d = 1
        while len(same) > 1 and d < longest and len({tuple(trails[i][-d:]) for i in same}) < len(same):
            d += 1
        depth.update((i, d) for i in same)
    return [(" › ".join(trails[c.id][-depth[c.id]:]), c.url) for c in columns]


def output_paths(page: Page) -> list[str]:
    """The files a page becomes: one per variant."""
    return [urls.output_path(page.url if v == "std" else urls.care(page.url)) for v in VARIANTS]


def render_pages(lib: model.Library, today: dt.date, env: jinja2.Environment, pages, put) -> int:
    """Render pages in both variants through `put(output_path, html)`; returns files written."""
    common = {"site": lib.site, "lib": lib, "today": today, "warnings": active_warnings(lib, today),
              "window": lambda item: decisions.window(item, today), "identity": meta.identity(lib)}
    base = urls.base_path(lib.site.base_url)
    written = 0
    for page in pages:
        template = env.get_template(page.template)
        for variant, path in zip(VARIANTS, output_paths(page)):
            full = urls.care(page.url) if variant == "care" else page.url
            root = base if page.anywhere else urls.root_prefix(full)
            tags = meta.page_meta(lib, page, urls.absolute(lib.site.base_url, full))
            put(path, template.render(common, page=page, variant=variant, meta=tags,
                                      link=Links(page.url, variant, root), **page.data))
            written += 1
    return written
