"""Rendered pages: metadata table, escaping and sanitizing, future items, the large-font twin."""
from __future__ import annotations

import datetime as dt

from conftest import item, messages, parse


def all_html(out):
    return sorted(out.rglob("*.html"))


def test_every_page_is_chinese_and_has_a_twin_linked_both_ways(built):
    result, out = built()
    assert result.ok, messages(result)
    pages = all_html(out)
    std = [p for p in pages if not str(p.relative_to(out)).startswith("care/")]
    care = [p for p in pages if str(p.relative_to(out)).startswith("care/")]
    assert len(std) == len(care) > 20
    for page in std:
        rel = page.relative_to(out)
        twin = out / "care" / rel
        assert twin.is_file(), rel
        doc, twin_doc = parse(page), parse(twin)
        assert doc.get("lang") == twin_doc.get("lang") == "zh-CN"
        assert "care" in twin_doc.xpath("//body/@class")[0]
        if rel.name == "404.html":
            continue
        there = doc.xpath("//p[@class='version-switch']/a/@href")[0]
        back = twin_doc.xpath("//p[@class='version-switch']/a/@href")[0]
        assert (page.parent / there).resolve() == twin.parent.resolve()
        assert (twin.parent / back).resolve() == page.parent.resolve()


def test_care_version_uses_its_stylesheet_and_stays_in_care(built):
    _, out = built()
    doc = parse(out / "care/items/xzfb/2026/tongzhi-a/index.html")
    sheets = doc.xpath("//link[@rel='stylesheet']/@href")
    assert any(s.endswith("assets/care.css") for s in sheets)
    for href in doc.xpath("//main//a/@href"):
        target = (out / "care/items/xzfb/2026/tongzhi-a" / href).resolve()
        assert str(target).startswith(str((out / "care").resolve())), href


def test_metadata_table_on_item_page(built):
    _, out = built()
    doc = parse(out / "items/sfj/2026/gfxwj/index.html")
    cells = doc.xpath("//table[@class='meta-table']//th")
    table = {th.text_content(): th.getnext().text_content() for th in cells}
    assert table["索引号"] == "11511525MB1234567X/2026-00001"
    assert table["发布机构"] == "测试县司法局"
    assert table["成文日期"] == "2026年10月16日"
    assert table["发布日期"] == "2026年10月20日"
    assert table["文号"] == "测司规〔2026〕1号"
    assert table["有效性"] == "现行有效"
    assert "主题分类" in table and "标题" in table


def test_relative_md_link_becomes_the_canonical_url(built):
    _, out = built()
    page = out / "items/xzfb/2026/tongzhi-a/index.html"
    href = parse(page).xpath("//div[@class='body']//a/@href")[0]
    assert (page.parent / href).resolve() == (out / "items/xzfb/2025/fangan").resolve()


def test_titles_and_fields_are_escaped(built):
    title = "'<img src=x onerror=alert(1)>通知'"
    result, out = built({"items/xzfb/2026/xss.md": item(title, topic="'<b>主题</b>'",
                                                        index_no="11511525008745231K/2026-00300")})
    assert result.ok, messages(result)
    doc = parse(out / "items/xzfb/2026/xss/index.html")
    assert doc.xpath("//h1")[0].text_content() == "<img src=x onerror=alert(1)>通知"
    assert not doc.xpath("//img")
    assert not doc.xpath("//table//b")


def test_raw_html_is_sanitized(built):
    body = """\
正文<sup>1</sup>。

<script>alert(1)</script>
<iframe src="https://evil.example/"></iframe>
<form action="/x"><input name="q"></form>
<a href="javascript:alert(1)" onclick="alert(2)">点我</a>
<table><tr><th>项目</th><td onmouseover="x()">金额</td></tr></table>
<p style="position:fixed">样式</p>
"""
    result, out = built({"items/xzfb/2026/raw.md": item("原始 HTML", body=body,
                                                        index_no="11511525008745231K/2026-00301")})
    assert result.ok, messages(result)
    doc = parse(out / "items/xzfb/2026/raw/index.html")
    body_el = doc.xpath("//div[@class='body']")[0]
    assert not body_el.xpath(".//script | .//iframe | .//form | .//input")
    for el in body_el.iter():
        assert not [a for a in el.attrib if a.startswith("on") or a == "style"], el.attrib
    assert not [h for h in body_el.xpath(".//a/@href") if h.strip().lower().startswith("javascript")]
    assert body_el.xpath(".//sup") and body_el.xpath(".//table//th")


def test_no_resource_from_another_host(built):
    _, out = built()
    for page in all_html(out):
        doc = parse(page)
        for url in doc.xpath("//script/@src | //link/@href | //img/@src | //iframe/@src | //source/@src"):
            assert "//" not in url, (page, url)


def test_future_item_is_not_published_nor_linked(built):
    extra = {
        "items/xzfb/2026/future.md": item("下月发布的通知", date="2026-12-10", index_no="11511525008745231K/2026-00400"),
        "items/xzfb/2026/now.md": item("提到未来通知", related="[xzfb/2026/future]",
                                       index_no="11511525008745231K/2026-00401",
                                       body="参见[未来通知](future.md)。"),
    }
    result, out = built(extra)
    assert result.ok, messages(result)
    assert not (out / "items/xzfb/2026/future").exists()
    for page in all_html(out):
        text = page.read_text(encoding="utf-8")
        assert "future" not in text and "下月发布的通知" not in text, page
    doc = parse(out / "items/xzfb/2026/now/index.html")
    assert "未来通知" in doc.xpath("//div[@class='body']")[0].text_content()
    # On the day it is due, it appears.
    result, out = built(extra, today=dt.date(2026, 12, 10))
    assert (out / "items/xzfb/2026/future/index.html").is_file()


def test_heading_ids_and_tables_from_markdown(built):
    body = "# 一、总体要求\n\n内容。\n\n## （一）目标\n\n| 序号 | 领域 |\n|---|---|\n| 1 | 重大建设项目 |\n"
    result, out = built({"items/xzfb/2026/md.md": item("Markdown", body=body, index_no="11511525008745231K/2026-00402")})
    assert result.ok, messages(result)
    doc = parse(out / "items/xzfb/2026/md/index.html")
    assert len(doc.xpath("//h1")) == 1                      # the title only: body headings move down
    h2 = doc.xpath("//div[@class='body']/h2")[0]
    assert h2.get("id") and h2.text_content() == "一、总体要求"
    assert doc.xpath("//div[@class='body']/h3[@id]")
    assert doc.xpath("//div[@class='body']//table//td")[1].text_content() == "重大建设项目"


def test_attachments_are_copied_and_linked(built):
    extra = {
        "items/xzfb/2026/fj.md": item("带附件的通知", attachments="[{file: 名单 1.csv, title: 工作组名单}]",
                                      index_no="11511525008745231K/2026-00403",
                                      body="另见[附表](fj/附表.txt)。"),
        "items/xzfb/2026/fj/名单 1.csv": "序号,单位\n1,县政府办\n",
        "items/xzfb/2026/fj/附表.txt": "附表内容\n",
    }
    result, out = built(extra)
    assert result.ok, messages(result)
    assert (out / "items/xzfb/2026/fj/名单 1.csv").read_text(encoding="utf-8").startswith("序号")
    assert (out / "items/xzfb/2026/fj/附表.txt").is_file()
    for variant in ("", "care/"):
        page = out / variant / "items/xzfb/2026/fj/index.html"
        doc = parse(page)
        from urllib.parse import unquote
        for href in doc.xpath("//section[@class='attachments']//a/@href | //div[@class='body']//a/@href"):
            assert " " not in href
            assert (page.parent / unquote(href)).is_file(), (variant, href)


def test_link_written_from_the_items_own_folder_also_resolves(built):
    # content-format.md's own example counts one more "../" (from items/<org>/<yyyy>/<slug>/).
    body = "见[实施方案](../../../xzfb/2025/fangan.md)。"
    result, out = built({"items/sfj/2026/spec-style.md": item("契约示例写法", org="sfj", body=body,
                                                              index_no="11511525MB1234567X/2026-00009")})
    assert result.ok, messages(result)
    page = out / "items/sfj/2026/spec-style/index.html"
    href = parse(page).xpath("//div[@class='body']//a/@href")[0]
    assert (page.parent / href).resolve() == (out / "items/xzfb/2025/fangan").resolve()
