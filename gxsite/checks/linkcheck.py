"""Links of the built site: every internal link and attachment must resolve (an error: the build
does not publish), a link to a missing anchor is a reminder, and links to other sites are listed
for the office (never fetched: the build runs offline and leaks nothing).

Each page is scanned as it is made, in the worker that renders it, before it is written: what is
checked is exactly what will be served. A page's findings are kept (`PageLinks`) so that the next
build scans only the pages it makes again, and the kept pages that link to a file that went.
"""
from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from gxsite.content import model
from gxsite.core import urls
from gxsite.core.problems import Problems

_LINK = re.compile(rb"""\s(?:href|src|action|poster)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_LINK_SP = re.compile(rb' (?:href|src|action|poster)="([^"]*)"')           # what templates write
_LINK_NL = re.compile(rb'\n\s*(?:href|src|action|poster)\s*=\s*"([^"]*)"')  # attributes on their own line
_ID = re.compile(rb"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_LOC = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>")
_XML_LINK = re.compile(rb'<link\b[^>]*\shref="([^"]*)"')   # feeds: their own links, not the escaped bodies
# Openers of what the scan does not read (see _visible). Spelt case by case, not with re.I: a
# pattern that begins with a plain "<" is searched for with a fast scan, 20 times faster here.
# The closers may be case-blind: each is looked for from its opener, and found a few bytes on.
_OPEN = re.compile(rb"<(?:([sS][cC][rR][iI][pP][tT]\b[^>]*>)|([sS][tT][yY][lL][eE]\b[^>]*>)|!--)")
_END_SCRIPT = re.compile(rb"</script\s*>", re.I)
_END_STYLE = re.compile(rb"</style\s*>", re.I)
_END_COMMENT = re.compile(rb"-->")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
PAGE_SUFFIXES = (".html", ".xml")
MANY = 3   # a missing target linked from more pages than this is reported once, with the count


@dataclass(frozen=True)
class Link:
    page: str        # output path of the page holding the link ("items/x/2026/y/index.html")
    href: str        # as written
    target: str      # output path it resolves to ("" when it leaves the site)
    fragment: str = ""


@dataclass
class Report:
    pages: int = 0
    links: int = 0
    broken: list[Link] = field(default_factory=list)        # target file missing
    anchors: list[Link] = field(default_factory=list)       # file exists, #fragment does not
    external: dict[str, list[str]] = field(default_factory=dict)   # url -> pages linking to it

    @property
    def external_count(self) -> int:
        return len(self.external)


@dataclass(slots=True)   # one per page, held to the end of the build: 260,000 at 100,000 items
class PageLinks:
    """What one page's links came to, kept between builds so that an unchanged page is not read
    again: its findings, and the output paths it links to (checked again when one of them goes).
    Lists while the page is scanned, tuples once it is (mostly empty: the one empty tuple)."""
    links: int = 0
    broken: list[Link] | tuple = ()
    anchors: list[Link] | tuple = ()        # a #fragment missing in the page itself
    cross: list[Link] | tuple = ()          # #fragments in other pages: looked up at the end
    external: list[str] | tuple = ()
    targets: tuple = ()                     # output paths linked to, each once


def scanner(files, base_url: str) -> "_Scanner":
    """A scanner of pages against the output paths `files` (a set)."""
    return _Scanner(files, base_url, urls.base_path(base_url))


def is_page(path: str) -> bool:
    return path.endswith(PAGE_SUFFIXES)


def gone_targets(gone: set[str]) -> frozenset[str]:
    """The targets a link to a gone output path may be recorded as: the path, or the folder of a
    gone index.html (a link written without its trailing slash). For `stale`."""
    return frozenset(gone | {p[: -len("/index.html")] for p in gone if p.endswith("/index.html")})


def stale(record: PageLinks, gone: frozenset[str]) -> bool:
    """A kept record that no longer holds: a target it links to is gone (`gone_targets`). One set
    operation per record: a new search shard's name makes the old one gone on every edit, and
    looking up each target of 258,000 records took 3 s at 100,000 items."""
    return not gone.isdisjoint(record.targets)


def share_strings(records: dict[str, PageLinks], canon: dict[str, str]) -> None:
    """One string object per distinct target across the records workers sent back (each worker's
    are its own copies): a tuple of shared strings is a sixth of a frozenset of copies, and the
    records of 260,000 pages are held to the end of the build."""
    for record in records.values():
        record.targets = tuple([canon.setdefault(t, t) for t in record.targets])


def assemble(records: dict[str, PageLinks], read) -> Report:
    """The report over every page's record; `read(path)` gives a page's bytes, for the fragments
    links point at in other pages (each target page read once)."""
    report = Report(pages=len(records))
    ids: dict[str, set[str]] = {}
    for page in sorted(records):
        record = records[page]
        report.links += record.links
        report.broken.extend(record.broken)
        report.anchors.extend(record.anchors)
        for url in record.external:
            report.external.setdefault(url, []).append(page)
        for link in record.cross:
            if link.target not in ids:
                ids[link.target] = _ids(read(link.target))
            if link.fragment not in ids[link.target]:
                report.anchors.append(link)
    # The standard page first, so that a finding names it rather than its large-font twin.
    report.broken.sort(key=lambda l: (l.page.startswith("care/"), l.target, l.page, l.href))
    report.anchors.sort(key=lambda l: (l.page.startswith("care/"), l.page, l.href))
    report.external = {u: sorted(set(p), key=lambda page: (page.startswith("care/"), page))
                       for u, p in sorted(report.external.items())}
    return report


def _ids(data: bytes) -> set[str]:
    return {html.unescape((m.group(1) or m.group(2) or b"").decode("utf-8", "replace")) for m in _ID.finditer(data)}


def _visible(data: bytes) -> bytes:
    """The page without script and style bodies and comments (their text is not markup): the
    openers kept, what follows each up to its first closer dropped (an opener never closed stays,
    and what follows it is scanned). Found opener by opener: one case-blind substitution over the
    page took 0.25 ms a page, two thirds of the link check, for the two or three openers a page has."""
    parts, pos, start = [], 0, 0
    while (m := _OPEN.search(data, start)) is not None:
        script, style = m.group(1), m.group(2)
        end = (_END_SCRIPT if script else _END_STYLE if style else _END_COMMENT).search(data, m.end())
        if end is None:
            start = m.start() + 1
            continue
        if script or style:
            parts += [data[pos:m.end()], end.group()]
        else:
            parts.append(data[pos:m.start()])
        pos = start = end.end()
    if not parts:
        return data
    parts.append(data[pos:])
    return b"".join(parts)


class _Scanner:
    """Scans pages of one output; most links are the same few site paths, so each distinct
    (page folder, link) is resolved once, and a link written relative to the site root once."""

    def __init__(self, files: set[str], base_url: str, base_path: str):
        self.files, self.base_url, self.base_path = files, base_url, base_path
        self.cache: dict[tuple[str, str], tuple[str, str, str]] = {}

    def scan(self, page: str, data: bytes) -> PageLinks:
        xml = page.endswith(".xml")
        if xml:   # sitemap and feeds; item bodies inside feeds are checked on the item pages
            raw = _LOC.findall(data) + _XML_LINK.findall(data)
        else:
            visible = _visible(data)
            raw = _LINK_SP.findall(visible)
            if b"\n" in visible:
                raw += _LINK_NL.findall(visible)
            if b"='" in visible:
                raw += [m.group(2) for m in _LINK.finditer(visible) if m.group(2) is not None]
        folder = posixpath.dirname(page)
        up = ("../" * (folder.count("/") + 1) if folder else "./").encode()
        skip = len(up)
        cache, found = self.cache, PageLinks(0, [], [], [], [])
        targets: dict[str, None] = {}   # in the order first linked
        for value in raw:
            if value.startswith(b"#"):
                found.links += 1
                fragment = unquote(html.unescape(value[1:].decode("utf-8", "replace")))
                if fragment and not self._has_id(data, fragment):
                    found.anchors.append(Link(page, value.decode("utf-8", "replace"), page, fragment))
                continue
            # A link relative to the site root resolves the same from every page: resolved once.
            key = value[skip:] if value.startswith(up) and b"../" not in value[skip:] else (folder, value)
            resolved = cache.get(key)
            if resolved is None:
                resolved = self._resolve(page, value, xml)
                cache[key] = resolved
            kind = resolved[0]
            if kind == "ok":
                found.links += 1
                targets[resolved[1]] = None
                if resolved[2] and resolved[1].endswith(".html"):
                    self._fragment(found, page, data, value, resolved)
            elif kind == "external":
                found.links += 1
                found.external.append(resolved[1])
            elif kind == "broken":
                found.links += 1
                targets[resolved[1]] = None
                found.broken.append(Link(page, self._text(value), resolved[1], resolved[2]))
        found.targets = tuple(targets)
        found.broken, found.anchors = tuple(found.broken), tuple(found.anchors)
        found.cross, found.external = tuple(found.cross), tuple(found.external)
        return found

    @staticmethod
    def _text(value: bytes) -> str:
        href = value.decode("utf-8", "replace")
        return html.unescape(href) if "&" in href else href

    def _resolve(self, page: str, value: bytes, xml: bool) -> tuple[str, str, str]:
        kind, target, fragment = resolve(page, self._text(value).strip(), self.base_url, self.base_path, xml)
        if kind == "internal":
            # A link to a folder without its trailing slash is served too (static hosts redirect).
            ok = target and (target in self.files or target + "/index.html" in self.files)
            kind = "ok" if ok else "broken"
        return kind, target, fragment

    def _fragment(self, found: PageLinks, page: str, data: bytes, value: bytes,
                  resolved: tuple[str, str, str]) -> None:
        _, target, fragment = resolved
        link = Link(page, self._text(value), target, fragment)
        if target != page:
            found.cross.append(link)
        elif not self._has_id(data, fragment):
            found.anchors.append(link)

    @staticmethod
    def _has_id(data: bytes, fragment: str) -> bool:
        quoted = html.escape(fragment, quote=True).encode("utf-8")
        return (b' id="' + quoted + b'"') in data or (b' name="' + quoted + b'"') in data or fragment in _ids(data)


def resolve(page: str, href: str, base_url: str, base_path: str = "/",
            absolute_own: bool = False) -> tuple[str, str, str]:
    """("internal", output path, fragment) | ("external", url, "") | ("skip", "", "") for a link
    written in the output file `page`. An internal target of "" leaves the site (always broken).

    Absolute links to base_url are the site's own only in the files the build writes that way
    (sitemap, feeds: `absolute_own`); in pages they are editors' links, often to another system
    on the same host (an online service hall), and are listed as external."""
    if not href or href.startswith(("mailto:", "tel:", "javascript:", "data:", "sms:")):
        return ("skip", "", "")
    if absolute_own and href.startswith(base_url):
        href = base_path + href[len(base_url):]
    elif href.startswith("//") or _SCHEME.match(href):
        return ("external", href, "") if href.startswith(("http:", "https:", "//")) else ("skip", "", "")
    parts = urlsplit(href)
    path = unquote(parts.path)
    fragment = unquote(parts.fragment)
    if not path:
        return ("internal", page, fragment)
    if path.startswith("/"):
        if not path.startswith(base_path):
            return ("internal", "", fragment)
        joined = path[len(base_path):]
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    folder = path.endswith("/")
    rel = posixpath.normpath(joined) if joined else "."
    if rel == ".." or rel.startswith("../") or rel.startswith("/"):
        return ("internal", "", fragment)
    if rel == ".":
        return ("internal", "index.html", fragment)
    return ("internal", rel + "/index.html" if folder else rel, fragment)


def site_url(output_path: str) -> str:
    """The site path of an output file ("columns/a/index.html" → "/columns/a/")."""
    return "/" + (output_path[: -len("index.html")] if output_path.endswith("index.html") else output_path)


def _uncare(path: str) -> str:
    return path[len("care/"):] if path.startswith("care/") else path


def _source(page: str, lib: model.Library | None) -> str:
    """The content file behind an item page (both versions), else the page's site path."""
    path = _uncare(page)
    if lib is not None and path.startswith("items/") and path.endswith("/index.html"):
        item = lib.items.get(path[len("items/"): -len("/index.html")])
        if item is not None:
            return item.path
    return site_url(path)


def _line_of(content: Path | None, source: str, href: str) -> int:
    if content is None or not source.endswith(".md"):
        return 0
    try:
        lines = (content / source).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    needles = [href, unquote(href), posixpath.basename(unquote(href).rstrip("/").split("#")[0])]
    for needle in needles:
        if needle:
            for number, text in enumerate(lines, 1):
                if needle in text:
                    return number
    return 0


def report_problems(report: Report, lib: model.Library | None, content: Path | None, problems: Problems) -> None:
    """Broken links as errors (one per source and target), missing anchors as reminders."""
    by_target: dict[str, dict[str, Link]] = defaultdict(dict)
    for link in report.broken:
        by_target[_uncare(link.target)].setdefault(_source(link.page, lib), link)
    for target, sources in by_target.items():
        where = site_url(target) if target else "网站以外"
        if len(sources) > MANY:
            first, link = next(iter(sources.items()))
            problems.error(first, _line_of(content, first, link.href), f"链接“{link.href}”指向的 {where} 不存在"
                           f"（共 {len(sources)} 个页面有此链接，多半是模板或栏目设置的问题）", rule="link-broken")
            continue
        for source, link in sources.items():
            problems.error(source, _line_of(content, source, link.href),
                           f"链接“{link.href}”指向的 {where} 不存在：请改正链接或补上文件", rule="link-broken")
    seen = set()
    for link in report.anchors:   # the large-font twin repeats every link: report it once
        source = _source(link.page, lib)
        key = (source, _uncare(link.target), link.fragment)
        if key in seen:
            continue
        seen.add(key)
        problems.warn(source, _line_of(content, source, link.href),
                      f"链接“{link.href}”指向的页面 {site_url(link.target)} 中没有“#{link.fragment}”这个位置",
                      rule="link-anchor")
