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
from markupsafe import Markup

from gxsite.site.sections import decisions
from gxsite.content import model, schema
from gxsite.site import meta, sections, theme
from gxsite.site.sections import about
from gxsite.cache.memo import Memo, digest
from gxsite.core import urls
from gxsite.core.page import Page, paginate
from gxsite.site.routing import AUTO_LISTINGS, column_trail, subtree_items

VARIANTS = ("std", "care")
WARNING_ORDER = {"红色": 0, "橙色": 1, "黄色": 2, "蓝色": 3}
PAGER_AROUND = 2   # page numbers the pager shows either side of the current one
AUTO_TITLES = meta.AUTO_TITLES


@dataclass
class Links:
    """URL helpers for one page in one variant, handed to templates as `link`."""

    page_url: str | None   # None in the chrome's parts, which are shared by many pages
    variant: str
    root: str        # relative path (or base path) to the site root

    def __post_init__(self):
        # computed once: templates call to() hundreds of times per page
        self.prefix = self.root + ("care/" if self.variant == "care" else "")

    def to(self, url: str) -> str:
        """A page of the site, in this page's variant."""
        return self.prefix + url.lstrip("/")

    def file(self, url: str) -> str:
        """A file shared by both variants (attachments, assets)."""
        return self.root + url.lstrip("/")

    def twin(self) -> str:
        """The same page in the other variant."""
        if self.page_url is None:
            raise TypeError("link.twin() depends on the page: not available in chrome.html")
        other = "" if self.variant == "care" else "care/"
        return self.root + other + self.page_url.lstrip("/")

    def body(self, item: model.Item) -> str:
        return urls.fill_marks(item.html, self.prefix, self.root)


class _Compiled(jinja2.BytecodeCache):
    """Templates compiled by an earlier build, kept in the memo under their name and source
    (Jinja's checksum): compiling them again took 0.2 s of every one-edit build."""

    def __init__(self, memo: Memo):
        self.memo = memo

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.memo.get("template", digest(bucket.key, bucket.checksum))
        if data is not None:
            bucket.bytecode_from_string(data)   # Jinja drops it if made by another Python

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.memo.put("template", digest(bucket.key, bucket.checksum), bucket.bytecode_to_string())


def make_env(templates: theme.Templates, memo: Memo | None = None) -> jinja2.Environment:
    """The build's Jinja environment. With a memo, every page template is loaded here, from what
    an earlier build compiled when it can: render workers fork with all of them loaded (they
    compile none, and the memo sees each template used)."""
    env = jinja2.Environment(
        bytecode_cache=_Compiled(memo) if memo is not None else None,
        # one environment serves one build, during which no template changes: no stat() per page
        auto_reload=False,
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
    env.globals["pager"] = pager
    if memo is not None:
        for name in env.list_templates(extensions=["html"]):
            if not name.startswith("assets/"):
                env.get_template(name)
    return env


def active_warnings(lib: model.Library, today: dt.date) -> list[model.Item]:
    """Warnings valid on `today`, most severe first, shown as a banner on every page."""
    valid = [i for i in lib.published if i.type == "warning" and i.valid_until and i.valid_until >= today]
    return sorted(valid, key=lambda i: (WARNING_ORDER.get(i.level, 9), i.sort_key))


def pager(number: int, count: int, around: int = PAGER_AROUND) -> list[int | None]:
    """The page numbers a listing's pager shows on page `number` of `count`: the first, the last
    and `around` either side of the current one, None where numbers are left out. A gap of one
    number shows the number instead (a "…" would take as much room)."""
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    numbers: list[int | None] = []
    for n in shown:
        if numbers and n - numbers[-1] == 2:
            numbers.append(n - 1)
        elif numbers and n - numbers[-1] > 2:
            numbers.append(None)
        numbers.append(n)
    return numbers


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
    chips: dict[tuple[str, ...], tuple] = {}   # thousands of items share a few sets of columns
    for item in lib.published:
        yield item_page(lib, item, chips)
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


def item_page(lib: model.Library, item: model.Item, by_columns: dict | None = None) -> Page:
    """An item's page. `by_columns`, shared across one plan, keeps the crumbs and chips of each set
    of columns: they depend on the columns alone, and working them out per item was 0.4 s at 10k."""
    key = tuple(c.id for c in item.in_columns)
    made = by_columns.get(key) if by_columns is not None else None
    if made is None:
        crumbs = [(c.title, c.url) for c in column_trail(item.in_columns[0], lib)] if item.in_columns else None
        made = (crumbs, column_chips(lib, item.in_columns))
        if by_columns is not None:
            by_columns[key] = made
    crumbs, chips = made
    if crumbs is None:
        crumbs = [(item.org_ref.name if item.org_ref else item.org, urls.listing("orgs", item.org))]
    return Page(item.url, "item.html", item.title, {"item": item, "chips": chips},
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
    warnings = active_warnings(lib, today)
    identity = meta.identity(lib)
    common = {"site": lib.site, "lib": lib, "today": today, "warnings": warnings,
              "window": lambda item: decisions.window(item, today), "identity": identity}
    chrome = Chrome(env, {"site": lib.site, "warnings": warnings, "identity": identity})
    base = urls.base_path(lib.site.base_url)
    written = 0
    for page in pages:
        template = env.get_template(page.template)
        for variant, path in zip(VARIANTS, output_paths(page)):
            full = urls.care(page.url) if variant == "care" else page.url
            root = base if page.anywhere else urls.root_prefix(full)
            tags = meta.page_meta(lib, page, urls.absolute(lib.site.base_url, full))
            put(path, template.render(common, page=page, variant=variant, meta=tags,
                                      link=Links(page.url, variant, root),
                                      chrome=chrome.parts(page, variant, root), **page.data))
            written += 1
    return written


HERE = Markup(' aria-current="page"')


class Chrome:
    """The parts of chrome.html (head links, site name, reading aids, navigation, warnings, footer)
    for the pages of one render_pages call. They are the same on thousands of pages, so they are
    made once per variant and root and reused.

    The parts may depend on the page through `here(url)` (aria-current on the page at `url`) and
    `parent()` (the breadcrumb above the page). What they asked of them when first made for a
    variant and root is what their reuse is keyed on: the answers to those questions and nothing
    else. Parts that ask other questions on another page (a site's own chrome.html may) are made
    anew for every page of that variant and root from then on, never reused wrongly."""

    GIVEN = ("link", "variant", "here", "parent")   # besides `fixed`

    def __init__(self, env: jinja2.Environment, fixed: dict):
        module = env.get_template("chrome.html").module
        self.macros = {n: m for n in dir(module) if isinstance(m := getattr(module, n), jinja2.runtime.Macro)}
        for name, macro in self.macros.items():
            unknown = set(macro.arguments) - {*fixed, *self.GIVEN}
            if unknown:
                raise TypeError(f"chrome.html: {name}() asks for {', '.join(sorted(unknown))}; "
                                f"a part is given only {', '.join(sorted({*fixed, *self.GIVEN}))}")
        self.fixed = fixed          # the same for every page: site, warnings, identity
        self.asked: dict[tuple, tuple | None] = {}   # (variant, root) -> (urls, parent?) asked; None: not reusable
        self.made: dict[tuple, dict[str, Markup]] = {}

    def parts(self, page: Page, variant: str, root: str) -> dict[str, Markup]:
        up = tuple(page.crumbs[-2]) if len(page.crumbs) > 1 else None
        asked = self.asked.get((variant, root))
        if asked:
            urls_asked, parent_asked = asked
            made = self.made.get((variant, root, page.url if page.url in urls_asked else None,
                                  up if parent_asked else None))
            if made is not None:
                return made
        seen: set[str] = set()
        parent_seen = []

        def here(url: str) -> str:
            seen.add(url)
            return HERE if url == page.url else ""

        def parent():
            parent_seen.append(True)
            return up

        given = {**self.fixed, "link": Links(None, variant, root), "variant": variant, "here": here, "parent": parent}
        made = {name: macro(**{arg: given[arg] for arg in macro.arguments}) for name, macro in self.macros.items()}
        questions = (frozenset(seen), bool(parent_seen))
        if (variant, root) not in self.asked:
            self.asked[variant, root] = questions
        elif self.asked[variant, root] != questions:
            self.asked[variant, root] = None
        if self.asked[variant, root]:
            self.made[variant, root, page.url if page.url in seen else None, up if parent_seen else None] = made
        return made
