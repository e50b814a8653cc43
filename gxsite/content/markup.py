"""Markdown bodies to safe HTML: links between items resolved, images checked, HTML sanitized.

Links are emitted with the marks of `urls` (gx-page:/…, gx-file:/…) so one rendering serves
the standard page, its large-font twin and the feeds.
"""
from __future__ import annotations

import html as htmllib
import posixpath
import re
import threading
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import remove_fnrefs, render_inner_html, slugify_unicode, strip_tags, unique
from markdown.treeprocessors import InlineProcessor, Treeprocessor

from gxsite.core import urls

SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dfn", "div", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
SAFE_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    **{f"h{n}": {"id"} for n in range(2, 7)},
}
SAFE_SCHEMES = {"http", "https", "mailto", "tel", "gx-page", "gx-file"}
_EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


@dataclass
class LinkProblem:
    needle: str      # text to look for in the body to find the line
    message: str


@dataclass
class Rendered:
    html: str
    summary: str
    text: str = ""      # plain text of the html
    problems: list[LinkProblem] = field(default_factory=list)


# Given the content-relative path a body link points to, say what it is:
# ("page", site_url) | ("file", site_url) | ("hidden", "") for an unpublished item | None.
Resolver = Callable[[str], tuple[str, str] | None]


class _Links(Treeprocessor):
    def __init__(self, md, state):
        super().__init__(md)
        self.state = state

    def run(self, root):
        state = self.state
        headings = [el for el in root.iter() if el.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}]
        # The page title is the only h1; a body that starts at h1 moves down one level.
        if any(h.tag == "h1" for h in headings):
            for h in headings:
                h.tag = f"h{min(int(h.tag[1]) + 1, 6)}"
        for el in root.iter():
            if el.tag == "a":
                self._link(el, "href")
            elif el.tag == "img":
                if not (el.get("alt") or "").strip():
                    state.problems.append(LinkProblem(el.get("src", ""), f"图片“{el.get('src', '')}”缺少替代文字，请写成 ![图片说明](文件名)"))
                self._link(el, "src")

    def _link(self, el, attr):
        state = self.state
        href = el.get(attr) or ""
        if not href or href.startswith("#") or _EXTERNAL.match(href):
            return
        parts = urlsplit(href)
        if href.startswith("/"):
            return  # a site path: checked with the output's links
        path = unquote(parts.path)
        target = posixpath.normpath(posixpath.join(state.folder, path))
        found = state.resolve(target)
        if found is None and state.own_folder:
            # Also accept links written from the item's own folder (items/<org>/<yyyy>/<slug>/),
            # as the contract's own example does.
            found = state.resolve(posixpath.normpath(posixpath.join(state.own_folder, path)))
        if found is None:
            state.problems.append(LinkProblem(href, f"链接“{href}”指向的文件不存在（{target}）"))
            el.set(attr, "#")
            return
        kind, url = found
        if kind == "hidden":
            # An item not yet published: keep the words, drop the link.
            el.tag = "span"
            del el.attrib[attr]
            return
        mark = urls.PAGE_MARK if kind == "page" else urls.FILE_MARK
        el.set(attr, mark + url.lstrip("/") + (f"#{parts.fragment}" if parts.fragment else ""))


class _State:
    folder = ""
    own_folder = ""
    resolve: Resolver = staticmethod(lambda target: None)
    problems: list[LinkProblem]


class _HeadingIds(Treeprocessor):
    """Each heading's id, as the `toc` extension gives it (same text, slug and numbering of
    repeats), without the table of contents that extension builds, renders and throws away for
    every body."""

    def run(self, root):
        used = {el.attrib["id"] for el in root.iter() if "id" in el.attrib}
        counters: dict[str, int] = {}
        for el in root.iter():
            if isinstance(el.tag, str) and _HEADING.match(el.tag) and "id" not in el.attrib:
                text = el.text or ""
                if len(el) == 0 and _NOT_PLAIN.search(text) is None:
                    name = " ".join(text.split())   # what rendering, unescaping and stripping tags would give
                else:
                    name = strip_tags(render_inner_html(remove_fnrefs(el), self.md))
                el.attrib["id"] = unique(slugify_unicode(htmllib.unescape(name), "-"), used, counters)


_HEADING = re.compile("[Hh][123456]")
_NOT_PLAIN = re.compile("[&<>\x02\x03]")   # escaped, tags or Markdown's placeholders: render it to know
# What any inline pattern of Markdown needs to match (code, escapes, links and images, autolinks
# and HTML, entities, emphasis, hard breaks); most runs of Chinese prose hold none of it.
_INLINE_MARKUP = re.compile(r"[`\\\[<&*_]|  \n")


class _Inline(InlineProcessor):
    """Markdown's inline processor, which skips text no inline pattern can match instead of
    trying its fifteen patterns in turn on it (half of the time a body took)."""

    def _InlineProcessor__handleInline(self, data, patternIndex=0):
        if _INLINE_MARKUP.search(data) is None:
            return data
        return InlineProcessor._InlineProcessor__handleInline(self, data, patternIndex)


class _GxExtension(Extension):
    def __init__(self, state):
        super().__init__()
        self.state = state

    def extendMarkdown(self, md):
        md.treeprocessors.register(_Inline(md), "inline", 20)
        md.treeprocessors.register(_HeadingIds(md), "gx-ids", 5)     # before gx-links, as `toc` ran
        md.treeprocessors.register(_Links(md, self.state), "gx-links", 5)


class Renderer:
    """One Markdown converter reused for every body (building it is the slow part). The Markdown
    is what docs/content-format.md promises: headings (with ids), lists, tables, links, images
    and a little HTML; no extension beyond `tables` and `sane_lists` is part of it."""

    def __init__(self):
        self.state = _State()
        self.md = markdown.Markdown(
            extensions=["tables", "sane_lists", _GxExtension(self.state)],
            output_format="html",
        )

    def render(self, body: str, folder: str, resolve: Resolver, own_folder: str = "") -> Rendered:
        self.state.folder = folder
        self.state.own_folder = own_folder
        self.state.resolve = resolve
        self.state.problems = []
        self.md.reset()
        html = sanitize(self.md.convert(body))
        for tag in _RAW_IMG_NO_ALT.findall(html):
            self.state.problems.append(LinkProblem("<img", f"图片缺少替代文字（alt）：{tag[:60]}"))
        return Rendered(html=html, summary=first_paragraph(html), text=plain_text(html), problems=self.state.problems)


_local = threading.local()


def renderer() -> Renderer:
    """This thread's converter: made once, then reset for each body (forked workers inherit it
    or make their own; a converter is not safe to share between threads)."""
    found = getattr(_local, "renderer", None)
    if found is None:
        found = _local.renderer = Renderer()
    return found


def sanitize(html: str) -> str:
    return nh3.clean(
        html, tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES, url_schemes=SAFE_SCHEMES,
        link_rel=None, strip_comments=True,
    )


_RAW_IMG_NO_ALT = re.compile(r'<img(?![^>]*\balt="[^"]*\S)[^>]*>')
_P = re.compile(r"<p>(.*?)</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


def first_paragraph(html: str, limit: int = 120) -> str:
    """Plain text of the first paragraph, shortened for listings and feeds."""
    match = _P.search(html)
    if not match:
        return ""
    text = plain_text(match.group(1))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_text(html: str) -> str:
    return " ".join(htmllib.unescape(_TAG.sub("", html)).split())


def line_in_body(body: str, needle: str, first_line: int) -> int:
    """The file line of the first body line containing needle (the body's first line if none)."""
    if needle:
        for offset, line in enumerate(body.split("\n")):
            if needle in line:
                return first_line + offset
    return first_line
