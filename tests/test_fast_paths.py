"""The shortcuts of body rendering and search counting give what the plain ways give.

Markdown skips text no inline pattern can match and gives heading ids without building a table
of contents; search counts tokens as numbers in bulk and joins compact blocks. Each is compared
here with the straightforward computation it replaces.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from hypothesis import given, settings, strategies as st
import lxml.html
from markdown.extensions.toc import TocExtension, slugify_unicode
from markdown.treeprocessors import InlineProcessor

from gxsite.content import markup
from gxsite.search import search_index, tokenize

# Chinese, compatibility ideographs, full-width forms, latin, digits, punctuation and spaces.
TEXT = st.text(alphabet=st.sampled_from(list("政务公开县府办函号〔〕（）：，。、﨑崎ＡＢ２０abcXYZ019 -/\n\t·")), max_size=60)


@given(TEXT)
@settings(max_examples=400, deadline=None)
def test_token_counts_are_the_counts_of_tokens(text):
    counts = tokenize.token_counts(text)
    assert {tokenize.term_text(k): n for k, n in counts.items()} == Counter(tokenize.tokens(text))
    assert sum(counts.values()) == len(tokenize.tokens(text))


@dataclass
class _Item:
    id: str


@dataclass
class _Doc:
    item: _Item
    heading: str
    body: str


def _reference_postings(docs) -> dict[str, tuple]:
    """Each term's postings encoded one document at a time over the whole list, as the index
    format says: (first doc, count, df_title, df_body, bytes after the first doc number)."""
    out: dict[str, list] = {}
    for n, doc in enumerate(docs):
        title, body = Counter(tokenize.tokens(doc.heading)), Counter(tokenize.tokens(doc.body))
        for term in sorted(title.keys() | body.keys()):
            tf_title, tf_body = title[term], body[term]
            p = out.setdefault(term, [n, n, 0, 0, 0, bytearray()])
            if p[2]:
                search_index._varint(n - p[1], p[5])
            search_index._varint(tf_body * 4 + min(tf_title, 3), p[5])
            if tf_title >= 3:
                search_index._varint(tf_title, p[5])
            p[1] = n
            p[2] += 1
            p[3] += tf_title > 0
            p[4] += tf_body > 0
    return {t: (p[0], p[2], p[3], p[4], bytes(p[5])) for t, p in out.items()}


def _docs(count: int, edited: int | None = None):
    words = "乡村振兴实施方案政务公开工作要点民生实事"
    docs = []
    for n in range(count):
        body = "，".join(words[(n * k) % 17:(n * k) % 17 + 3] for k in range(1, 2 + n % 9))
        body += f" 高府办函〔2023〕{n}号 " + "县" * (n % 50)      # tf ≥ 32 needs two bytes
        if n == edited:
            body += "新增一句。"
        heading = "关于" + words[n % 15:n % 15 + 4] + ("的通知" if n % 2 else "的通知的通知的通知")   # tf_title ≥ 3
        docs.append(_Doc(_Item(f"org/2026/doc-{n:04d}"), heading, body))
    return docs


def _as_reference(postings, lengths, docs):
    got = {t: (p.first, p.count, p.df_title, p.df_body, b"".join(p.rest)) for t, p in postings.items()}
    assert lengths == [(len(tokenize.tokens(d.heading)), len(tokenize.tokens(d.body))) for d in docs]
    return got


def test_blocks_joined_give_the_postings_counted_in_one_pass():
    docs = _docs(700)
    assert len(search_index.blocks(docs)) > 5                 # several blocks, joined across gaps
    postings, lengths = search_index.count_terms(docs)
    assert _as_reference(postings, lengths, docs) == _reference_postings(docs)


def test_a_running_preview_rejoins_an_edited_block_as_a_full_count_would():
    kept = search_index.Kept()
    search_index.count_terms(_docs(700), kept=kept)
    edited = _docs(700, edited=350)
    postings, lengths = search_index.count_terms(edited, kept=kept)
    assert kept.changed                                      # the quick path ran
    assert _as_reference(postings, lengths, edited) == _reference_postings(edited)


BODIES = [
    "# 一、总体要求\n\n## 一、总体要求\n\n## 一、总体要求_1\n\n### <b>粗</b> &amp; 细\n\n#  多个   空格  \n",
    "## a > b\n\n## a &gt; b\n\n##\n\n## 见[方案](x.md)\n\n<p id=\"x\">已有 id</p>\n\n# x\n",
    "段落  \n换行\n\n* 一\n* 二\n\n1. 甲\n2. 乙\n\n中文*强调*和**加粗**、_下划_线、`代码` \\* 转义\n",
    "<div>原始 HTML</div>\n\n文字 <sup>1</sup> &copy; <https://example.gov.cn/> <a@b.cn>\n\n| 序号 | 领域 |\n|---|---|\n| 1 | 重大*建设*项目 |\n",
    "纯中文段落，没有任何标记。\n\n另一段：也没有。\n",
]


def _plain_renderer() -> markup.Renderer:
    """A renderer without the shortcuts: every inline pattern tried on all text, heading ids
    from Markdown's own toc extension (which gxsite used before)."""
    plain = markup.Renderer()
    md = plain.md
    md.treeprocessors.register(InlineProcessor(md), "inline", 20)
    links = md.treeprocessors["gx-links"]
    md.treeprocessors.deregister("gx-ids")
    md.treeprocessors.deregister("gx-links")
    TocExtension(slugify=slugify_unicode, permalink=False).extendMarkdown(md)
    md.treeprocessors.register(links, "gx-links", 5)
    return plain


def test_markdown_shortcuts_render_as_the_plain_converter_does():
    fast, plain = markup.Renderer(), _plain_renderer()
    assert "toc" in plain.md.treeprocessors and "toc" not in fast.md.treeprocessors
    resolve = lambda target: ("page", "/" + target) if target.endswith("x.md") else None   # noqa: E731
    for body in BODIES:
        got, want = fast.render(body, "items/a/2026", resolve), plain.render(body, "items/a/2026", resolve)
        assert (got.html, got.text, got.summary) == (want.html, want.text, want.summary), body
        assert [p.message for p in got.problems] == [p.message for p in want.problems]
    ids = lxml.html.fromstring(fast.render(BODIES[0], "items/a/2026", resolve).html).xpath("//*[@id]/@id")
    assert ids == ["一总体要求", "一总体要求_1", "一总体要求_2", "粗-细", "多个-空格"]
