"""Links of the built site: every internal link and attachment must resolve (an error: the build
does not publish), a link to a missing anchor is a reminder, and links to other sites are listed
for the office (never fetched: the build runs offline and leaks nothing).

The check reads the output as written (the build's temporary folder, before it replaces the
published site): what is checked is exactly what would be served.
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
from gxsite.core import parallel, urls
from gxsite.core.problems import Problems

_LINK = re.compile(rb"""\s(?:href|src|action|poster)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_LINK_SP = re.compile(rb' (?:href|src|action|poster)="([^"]*)"')           # what templates write
_LINK_NL = re.compile(rb'\n\s*(?:href|src|action|poster)\s*=\s*"([^"]*)"')  # attributes on their own line
_BODIED = re.compile(rb"<(?:script|style)\b[^>]*>(?!</)", re.I)
_ID = re.compile(rb"""\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_LOC = re.compile(rb"<loc>\s*([^<\s]+)\s*</loc>")
_XML_LINK = re.compile(rb'<link\b[^>]*\shref="([^"]*)"')   # feeds: their own links, not the escaped bodies
_HIDDEN = re.compile(rb"(<script\b[^>]*>).*?(</script\s*>)|(<style\b[^>]*>).*?(</style\s*>)|<!--.*?-->", re.S | re.I)
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


def check_output(root: Path, files, base_url: str) -> Report:
    """Check every HTML and XML file under `root`; `files` are all output paths written there."""
    files = set(files)
    pages = sorted(p for p in files if p.endswith(PAGE_SUFFIXES))
    base_path = urls.base_path(base_url)

    def run(chunk):
        scanner = _Scanner(root, files, base_url, base_path)
        for page in chunk:
            scanner.scan(page)
        return scanner.found

    report = Report(pages=len(pages))
    cross: list[Link] = []
    for part in parallel.map_chunks(run, pages):
        report.links += part.links
        report.broken.extend(part.broken)
        report.anchors.extend(part.anchors)
        cross.extend(part.cross)
        for url, where in part.external.items():
            report.external.setdefault(url, []).extend(where)
    ids: dict[str, set[str]] = {}
    for link in cross:   # fragments in other pages: load each target page's ids once
        if link.target not in ids:
            ids[link.target] = _ids((root / link.target).read_bytes())
        if link.fragment not in ids[link.target]:
            report.anchors.append(link)
    # The standard page first, so that a finding names it rather than its large-font twin.
    report.broken.sort(key=lambda l: (l.page.startswith("care/"), l.target, l.page, l.href))
    report.anchors.sort(key=lambda l: (l.page.startswith("care/"), l.page, l.href))
    report.external = {u: sorted(set(p), key=lambda page: (page.startswith("care/"), page))
                       for u, p in sorted(report.external.items())}
    return report


@dataclass
class _Found:
    links: int = 0
    broken: list[Link] = field(default_factory=list)
    anchors: list[Link] = field(default_factory=list)
    cross: list[Link] = field(default_factory=list)
    external: dict[str, list[str]] = field(default_factory=dict)


def _ids(data: bytes) -> set[str]:
    return {html.unescape((m.group(1) or m.group(2) or b"").decode("utf-8", "replace")) for m in _ID.finditer(data)}


def _visible(data: bytes) -> bytes:
    """The page without script and style bodies and comments (their text is not markup)."""
    if b"<!--" not in data and not _BODIED.search(data):
        return data
    return _HIDDEN.sub(lambda m: (m.group(1) or m.group(3) or b"") + (m.group(2) or m.group(4) or b""), data)


class _Scanner:
    """Scans pages of one output; most links are the same few site paths, so each distinct
    (page folder, link) is resolved once, and a link written relative to the site root once."""

    def __init__(self, root: Path, files: set[str], base_url: str, base_path: str):
        self.root, self.files, self.base_url, self.base_path = root, files, base_url, base_path
        self.found = _Found()
        self.cache: dict[tuple[str, str], tuple[str, str, str]] = {}

    def scan(self, page: str, data: bytes | None = None) -> None:
        data = (self.root / page).read_bytes() if data is None else data
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
        cache, found = self.cache, self.found
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
                if resolved[2] and resolved[1].endswith(".html"):
                    self._fragment(page, data, value, resolved)
            elif kind == "external":
                found.links += 1
                found.external.setdefault(resolved[1], []).append(page)
            elif kind == "broken":
                found.links += 1
                found.broken.append(Link(page, self._text(value), resolved[1], resolved[2]))

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

    def _fragment(self, page: str, data: bytes, value: bytes, resolved: tuple[str, str, str]) -> None:
        _, target, fragment = resolved
        link = Link(page, self._text(value), target, fragment)
        if target != page:
            self.found.cross.append(link)
        elif not self._has_id(data, fragment):
            self.found.anchors.append(link)

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


def check_pages(pages: dict[str, bytes], root: Path, files, lib: model.Library, content: Path | None,
                problems: Problems) -> Report:
    """The links of some pages not written yet (a running preview's re-rendered pages), against
    the output in `root` whose paths are `files`; fragments in other pages are not looked up."""
    scanner = _Scanner(root, set(files), lib.site.base_url, urls.base_path(lib.site.base_url))
    for page, data in sorted(pages.items()):
        if page.endswith(".html"):
            scanner.scan(page, data)
    found = scanner.found
    report = Report(pages=len(pages), links=found.links, broken=found.broken, anchors=found.anchors,
                    external=found.external)
    report_problems(report, lib, content, problems)
    return report


def check(root: Path, files, lib: model.Library, content: Path | None, problems: Problems) -> Report:
    """The link check of a build: scan the written output, report into `problems`."""
    report = check_output(root, files, lib.site.base_url)
    report_problems(report, lib, content, problems)
    return report
