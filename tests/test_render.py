"""Rendered pages: metadata table, escaping and sanitizing, future items, the large-font twin."""
from __future__ import annotations

import datetime as dt

from conftest import TODAY, item, messages, parse


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


def pager_items(n: int) -> dict[str, str]:
    return {f"items/xzfb/2026/p{i:02d}.md": item(f"分页通知{i}", date=f"2026-0{1 + i % 9}-{1 + i % 28:02d}",
                                                 index_no=f"11511525008745231K/2026-2{i:04d}") for i in range(n)}


def pager_cells(doc) -> list[str]:
    return [li.text_content().strip() for li in doc.xpath("//nav[@class='pager']/ul/li")]


def test_pager_shows_first_last_and_two_either_side(built):
    result, out = built(pager_items(36))
    assert result.ok, messages(result)
    folder = out / "columns/tzgg"
    count = max(int(p.name) for p in (folder / "page").iterdir())
    assert count >= 12                               # per_page 3: enough pages for two gaps
    first = parse(folder / "index.html")
    assert pager_cells(first) == ["1", "2", "3", "…", str(count), "下一页"]
    sixth = parse(folder / "page/6/index.html")
    assert pager_cells(sixth) == ["上一页", "1", "…", "4", "5", "6", "7", "8", "…", str(count), "下一页"]
    assert sixth.xpath("//nav[@class='pager']//span[@aria-current='page']/text()") == ["6"]
    assert not sixth.xpath("//nav[@class='pager']//li[@class='pager-gap']//a")
    for a in sixth.xpath("//nav[@class='pager']//a"):    # each link leads to the page it names
        target = (folder / "page/6" / a.get("href")).resolve()
        number = {"上一页": 5, "下一页": 7}.get(a.text_content(), None) or int(a.text_content())
        assert target == (folder if number == 1 else folder / f"page/{number}").resolve(), a.get("href")
    last = parse(folder / f"page/{count}/index.html")
    assert pager_cells(last) == ["上一页", "1", "…", *map(str, range(count - 2, count + 1))]
    # with care pages too, every page of the listing is linked from some pager: none is unreachable
    for variant in ("", "care/"):
        base = out / variant / "columns/tzgg"
        linked = set()
        for n in range(1, count + 1):
            page = base if n == 1 else base / f"page/{n}"
            linked |= {(page / a.get("href")).resolve() for a in parse(page / "index.html").xpath("//nav[@class='pager']//a")}
        assert linked == {base.resolve(), *((base / f"page/{n}").resolve() for n in range(2, count + 1))}


def test_pager_window_never_hides_a_single_number():
    from gxsite.site.render import pager
    assert pager(1, 1) == [1]
    assert pager(4, 7) == [1, 2, 3, 4, 5, 6, 7]        # 1 … 3 would hide only 2
    assert pager(1, 7) == [1, 2, 3, None, 7]
    assert pager(10, 20) == [1, None, 8, 9, 10, 11, 12, None, 20]


MARKED = {"首页", "站内搜索", "网站地图", "联系我们"}


def resolved(page, href):
    return (page.parent / href).resolve()


def test_shared_chrome_still_marks_each_page(built):
    """The chrome is made once per variant and depth and reused: what differs from page to page in
    it (the current page in the navigation and footer, the 关怀版's way back) must still be right
    on every page."""
    result, out = built(pager_items(5))
    assert result.ok, messages(result)
    pages = all_html(out)
    backs = set()
    for page in pages:
        doc = parse(page)
        rel = page.relative_to(out).as_posix()
        if rel.endswith("404.html"):
            continue
        for a in doc.xpath("//nav[@class='mainnav']//a | //footer//nav//a"):
            if a.get("href").startswith(("http", "mailto:", "tel:")):
                continue
            here = resolved(page, a.get("href")) in (page.resolve(), page.parent.resolve())
            if a.text_content() in MARKED:     # the links that say so on their own page
                assert (a.get("aria-current") == "page") == here, (rel, a.text_content())
            else:
                assert a.get("aria-current") is None, (rel, a.text_content())
        if rel.startswith("care/"):
            crumbs = doc.xpath("//nav[@aria-label='当前位置']/ol/li")
            back = [a for a in doc.xpath("//nav[@class='mainnav']//a") if a.text_content().startswith("返回：")]
            if len(crumbs) > 2:          # home, …, the parent, this page
                parent = crumbs[-2].xpath("a")[0]
                assert len(back) == 1 and back[0].text_content() == "返回：" + parent.text_content(), rel
                assert resolved(page, back[0].get("href")) == resolved(page, parent.get("href")), rel
                backs.add(back[0].text_content())
            else:
                assert not back, rel
    assert len(backs) > 3                # many different ways back: the reuse is keyed on them
    assert parse(out / "search/index.html").xpath("//nav[@class='mainnav']//a[@aria-current]/text()") == ["站内搜索"]


def test_pages_render_the_same_alone_and_together(built):
    """Reusing the chrome depends on nothing but the page: rendering a page alone, or after all
    the others in reverse order, gives the same bytes as the build."""
    from gxsite.site import render, theme
    result, out = built(pager_items(5))
    lib = result.lib
    pages = list(render.plan_pages(lib, TODAY))
    env = render.make_env(theme.find(out.parent / "content"))
    together: dict[str, str] = {}
    render.render_pages(lib, TODAY, env, pages[::-1], together.__setitem__)
    for page in pages:
        alone: dict[str, str] = {}
        render.render_pages(lib, TODAY, env, [page], alone.__setitem__)
        for path, html in alone.items():
            assert html == together[path], path
            assert html.encode() == (out / path).read_bytes(), path
