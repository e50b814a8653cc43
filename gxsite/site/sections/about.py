"""网站地图 and 联系我们: the pages the 47号文 footer links to (issue 14).

The site map is made from the plan of pages (render.plan_pages hands it every page planned
before it), so that a page any section plans is listed without a list kept by hand. It keeps
titles and URLs only: the page's data holds no columns or items.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterator

from gxsite.content import model
from gxsite.core.page import Page

SITEMAP_URL = "/sitemap/"
CONTACT_URL = "/contact/"
INTERACTION_URL = "/hudong/"
HOME_GROUP = ("/", "/search/")
DISCLOSURE_PREFIXES = ("/xxgk/", "/zcwjk/")   # the 政府信息公开 hub, its 目录 and the 政策文件库
AUTO_INDEXES = ("/orgs/", "/domains/", "/types/", "/towns/", "/years/")
PAGED = re.compile(r"/page/\d+/$")


@dataclass
class Entry:
    title: str
    url: str
    children: list[Entry] = field(default_factory=list)


@dataclass
class Group:
    title: str
    entries: list[Entry]


@dataclass
class OrgContact:
    name: str
    phone: str
    address: str


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    site = lib.site
    sponsor = site.sponsor or site.title
    lead = lib.orgs.get(site.lead_org) if site.lead_org else None
    orgs = [OrgContact(o.name, o.phone, o.address) for o in lib.orgs.values() if o.phone or o.address]
    yield Page(CONTACT_URL, "contact.html", "联系我们", {
        "sponsor": sponsor,
        "lead": lead.name if lead is not None and lead.name != sponsor else "",   # as in the footer: named once
        "channels": site.channels,
        "org_contacts": orgs,
        "interaction_url": INTERACTION_URL,
    }, [("联系我们", CONTACT_URL)])


def site_map(lib: model.Library, planned: list[Page]) -> Page:
    """网站地图 from the pages planned before it, grouped. Left out: item pages, a listing's further
    pages, the 404, the automatic listings of single orgs, domains… (their indexes are listed)
    and the pages of single services and places (their lists are listed)."""
    records = {s.url for s in lib.services.values()} | {p.url for p in lib.places.values()}
    home: list[Entry] = []
    disclosure: list[Page] = []
    columns: list[tuple[model.Column, Entry]] = []
    autos: list[Entry] = []
    others: list[Page] = []
    for page in planned:
        url = page.url
        if page.anywhere or page.template == "item.html" or PAGED.search(url) or url in records:
            continue
        if page.template == "listing.html":
            listing = page.data["listing"]
            if listing.column is not None:
                columns.append((listing.column, Entry(page.title, url)))
            continue
        if url in HOME_GROUP:
            home.append(Entry("首页" if url == "/" else page.title, url))
        elif url in AUTO_INDEXES:
            autos.append(Entry(page.title, url))
        elif url.startswith(DISCLOSURE_PREFIXES):
            disclosure.append(page)
        elif page.template == "columns.html":
            columns.insert(0, (None, Entry(page.title, url)))
        else:
            others.append(page)
    groups = [
        Group("首页", home),
        Group("政府信息公开", _nest(disclosure)),
        Group("栏目", _column_tree(columns)),
        Group("分类浏览", autos),
        Group("办事服务和其他", _nest(others)),
    ]
    return Page(SITEMAP_URL, "sitemap.html", "网站地图", {"groups": [g for g in groups if g.entries]},
                [("网站地图", SITEMAP_URL)])


def _column_tree(columns: list[tuple[model.Column | None, Entry]]) -> list[Entry]:
    """Columns nested as in columns.yaml, in its order; the 栏目导航 page (no column) first."""
    by_id = {c.id: e for c, e in columns if c is not None}
    roots = []
    for column, entry in columns:
        parent = by_id.get(column.parent) if column is not None and column.parent != column.id else None
        (parent.children if parent is not None else roots).append(entry)
    return roots


def _nest(pages: list[Page]) -> list[Entry]:
    """Pages nested under the nearest page whose URL holds theirs (/stats/annual/2025/ under /stats/)."""
    entries = {p.url: Entry(p.title, p.url) for p in pages}
    roots = []
    for url, entry in entries.items():
        parent = None
        head = url.rstrip("/")
        while parent is None and "/" in head:
            head = head[:head.rfind("/")]
            parent = entries.get(head + "/") if head else None
        (parent.children if parent is not None else roots).append(entry)
    return roots
