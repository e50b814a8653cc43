"""Feeds for the county media app (Atom 1.0 and JSON Feed 1.1, site-wide and per column),
and the files crawlers read (sitemap.xml, robots.txt).

Everything here is derived from the library and `today` only, never from the clock, so the
same content gives byte-identical files.
"""
from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from gxsite.content import model, schema
from gxsite.core import urls
from gxsite.core.page import Page

FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
LANGUAGE = "zh-CN"
# sitemaps.org: at most this many URLs, and bytes uncompressed, in one sitemap file
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Feed:
    folder: str                # site path of the folder holding feed.xml and feed.json
    title: str
    home: str                  # site path of the page the feed mirrors
    items: list[model.Item]    # newest first, at most FEED_SIZE


def files(lib: model.Library, today: dt.date, plan: list[Page], keep) -> list[tuple[str, bytes]]:
    """Every feed, the sitemap and robots.txt. A feed is made from its title and its items only,
    so `keep` (sections.Keep) reuses it when none of them changed (0.2 s of a one-edit build)."""
    out = []
    for feed in site_feeds(lib):
        out.append((urls.output_path(feed.folder + "feed.xml"), keep("feed", (feed, "atom"),
                                                                     lambda feed=feed: atom(lib, feed, today))))
        out.append((urls.output_path(feed.folder + "feed.json"), keep("feed", (feed, "json"),
                                                                      lambda feed=feed: json_feed(lib, feed))))
    out.extend(sitemap(lib, plan))
    out.append(("robots.txt", robots(lib)))
    return out


def site_feeds(lib: model.Library) -> list[Feed]:
    """The whole site's feed, then one per column (column items are already listed-only)."""
    # Fixed pages (type page) are not news: like the automatic listings, the site feed skips them.
    news = [i for i in lib.published if i.listed and i.type != "page"]
    feeds = [Feed("/", lib.site.title, "/", news[:FEED_SIZE])]
    for column in lib.columns.values():
        feeds.append(Feed(column.url, f"{column.title} - {lib.site.title}", column.url, column.items[:FEED_SIZE]))
    return feeds


def rfc3339(day: dt.date) -> str:
    """Dates carry no time: midnight in Asia/Shanghai."""
    return f"{day.isoformat()}T00:00:00+08:00"


def modified(item: model.Item) -> dt.date:
    return item.updated or item.date


def feed_updated(feed: Feed, today: dt.date) -> dt.date:
    return max((modified(i) for i in feed.items), default=today)


def body(lib: model.Library, item: model.Item) -> str:
    """The full body with absolute links: a feed reader has no page to resolve paths against."""
    base = urls.absolute(lib.site.base_url, "/")
    return urls.fill_marks(item.html, base, base)


def author(item: model.Item) -> str:
    return item.org_ref.name if item.org_ref else item.org


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    el.text = text
    return el


def atom(lib: model.Library, feed: Feed, today: dt.date) -> bytes:
    base = lib.site.base_url
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: LANGUAGE})
    _sub(root, "id", urls.absolute(base, feed.folder + "feed.xml"))
    _sub(root, "title", feed.title)
    _sub(root, "updated", rfc3339(feed_updated(feed, today)))
    _sub(root, "link", rel="self", type="application/atom+xml", href=urls.absolute(base, feed.folder + "feed.xml"))
    _sub(root, "link", rel="alternate", type="text/html", href=urls.absolute(base, feed.home))
    # A feed without entries still needs an author (RFC 4287 4.1.1).
    _sub(_sub(root, "author"), "name", lib.site.title)
    for item in feed.items:
        entry = _sub(root, "entry")
        _sub(entry, "id", urls.absolute(base, item.url))
        _sub(entry, "title", item.title)
        _sub(entry, "link", rel="alternate", type="text/html", href=urls.absolute(base, item.url))
        _sub(entry, "published", rfc3339(item.date))
        _sub(entry, "updated", rfc3339(modified(item)))
        _sub(_sub(entry, "author"), "name", author(item))
        _sub(entry, "category", term=item.type, label=schema.ITEM_TYPES[item.type],
             scheme=urls.absolute(base, "/types/"))
        if item.summary:
            _sub(entry, "summary", item.summary)
        _sub(entry, "content", body(lib, item), type="html")
    return _xml(root)


def json_feed(lib: model.Library, feed: Feed) -> bytes:
    base = lib.site.base_url
    data = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": urls.absolute(base, feed.home),
        "feed_url": urls.absolute(base, feed.folder + "feed.json"),
        "language": LANGUAGE,
        "authors": [{"name": lib.site.title}],
        "items": [{
            "id": urls.absolute(base, item.url),
            "url": urls.absolute(base, item.url),
            "title": item.title,
            "content_html": body(lib, item),
            "summary": item.summary,
            "date_published": rfc3339(item.date),
            "date_modified": rfc3339(modified(item)),
            "authors": [{"name": author(item)}],
            "tags": [schema.ITEM_TYPES[item.type]],
        } for item in feed.items],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def lastmod(page: Page) -> dt.date | None:
    """An item page changes with its item; a listing page with the newest item it lists."""
    if page.template == "item.html":
        return modified(page.data["item"])
    if page.template == "listing.html":
        return max((modified(i) for i in page.data["entries"]), default=None)
    return None


@dataclass(frozen=True)
class SitemapUrl:
    loc: str                   # absolute URL
    lastmod: dt.date | None


def sitemap_urls(lib: model.Library, plan: list[Page]) -> list[SitemapUrl]:
    """Every canonical page: exactly the standard pages the build renders (`plan`), minus the 404 page."""
    # the 404 page is served at any path and is not a page to index
    return [SitemapUrl(urls.absolute(lib.site.base_url, page.url), lastmod(page)) for page in plan if not page.anywhere]


def sitemap(lib: model.Library, plan: list[Page]) -> list[tuple[str, bytes]]:
    """sitemap.xml, and past the sitemaps.org limits the part files it then indexes."""
    return sitemap_files(lib.site.base_url, sitemap_urls(lib, plan), SITEMAP_MAX_URLS, SITEMAP_MAX_BYTES)


# Written by hand rather than with ElementTree so that each entry's size is known before a file
# is cut; the bytes are exactly what ET.indent and ET.tostring gave (tests compare them).
_XML_HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _entry(tag: str, loc: str, changed: dt.date | None) -> bytes:
    last = f"    <lastmod>{changed.isoformat()}</lastmod>\n" if changed else ""
    return f"  <{tag}>\n    <loc>{_escape(loc)}</loc>\n{last}  </{tag}>\n".encode("utf-8")


def _document(root: str, entries: list[bytes]) -> bytes:
    if not entries:
        return _XML_HEAD + f'<{root} xmlns="{SITEMAP_NS}" />\n'.encode("utf-8")
    return b"".join([_XML_HEAD, f'<{root} xmlns="{SITEMAP_NS}">\n'.encode("utf-8"), *entries,
                     f"</{root}>\n".encode("utf-8")])


def _overhead(root: str) -> int:
    """The bytes of a document of this root besides its entries."""
    return len(_document(root, [b""]))


def urlset(entries: list[SitemapUrl]) -> bytes:
    return _document("urlset", [_entry("url", u.loc, u.lastmod) for u in entries])


def split_sitemap(entries: list[SitemapUrl], max_urls: int, max_bytes: int) -> list[list[SitemapUrl]]:
    """Consecutive runs of `entries` in their order, each making a urlset of at most `max_urls`
    URLs and `max_bytes` bytes; greedy, so every run but the last is full by one limit or the other."""
    base = _overhead("urlset")
    parts: list[list[SitemapUrl]] = []
    current: list[SitemapUrl] = []
    size = base
    for entry in entries:
        n = len(_entry("url", entry.loc, entry.lastmod))
        if base + n > max_bytes:
            raise ValueError(f"sitemap entry larger than {max_bytes} bytes: {entry.loc[:100]}")
        if current and (len(current) == max_urls or size + n > max_bytes):
            parts.append(current)
            current, size = [], base
        current.append(entry)
        size += n
    if current:
        parts.append(current)
    return parts


def sitemap_part_name(number: int) -> str:
    return f"sitemap-{number}.xml"


def sitemap_files(base_url: str, entries: list[SitemapUrl], max_urls: int, max_bytes: int) -> list[tuple[str, bytes]]:
    """One sitemap.xml while it fits the limits; else sitemap.xml is an index of sitemap-1.xml,
    sitemap-2.xml, … so that robots.txt and the address given to search engines stay the same."""
    if len(entries) <= max_urls:
        whole = urlset(entries)
        if len(whole) <= max_bytes:
            return [("sitemap.xml", whole)]
    parts = split_sitemap(entries, max_urls, max_bytes)
    out, index = [], []
    for number, part in enumerate(parts, 1):
        name = sitemap_part_name(number)
        out.append((name, urlset(part)))
        newest = max((u.lastmod for u in part if u.lastmod), default=None)
        index.append(_entry("sitemap", urls.absolute(base_url, "/" + name), newest))
    return [("sitemap.xml", _document("sitemapindex", index))] + out


def robots(lib: model.Library) -> bytes:
    sitemap_url = urls.absolute(lib.site.base_url, "/sitemap.xml")
    return f"User-agent: *\nAllow: /\nSitemap: {sitemap_url}\n".encode("utf-8")
