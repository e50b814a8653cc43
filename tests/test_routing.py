"""Columns are saved queries: select rules plus items' own `columns:`; automatic listings; pages."""
from __future__ import annotations

from conftest import item, messages, parse


def listed_hrefs(page) -> list[str]:
    return [a.get("href") for a in page.xpath("//main//ul[@class='entries']/li/a")]


def listed_ids(out, url: str) -> list[str]:
    page = parse(out / url.lstrip("/") / "index.html")
    ids = []
    for href in listed_hrefs(page):
        parts = [p for p in href.split("/") if p not in ("", "..")]
        ids.append("/".join(parts[parts.index("items") + 1:]))
    return ids


def test_select_single_value_list_value_and_all_keys(built):
    result, out = built()
    assert result.ok, messages(result)
    assert set(listed_ids(out, "/columns/zcwj/")) == {"sfj/2026/gfxwj", "xzfb/2025/fangan"}
    assert listed_ids(out, "/columns/gfxwj/") == ["sfj/2026/gfxwj"]              # both keys must match
    assert set(listed_ids(out, "/columns/tzgg/")) == {"xzfb/2026/tongzhi-a", "qfz/2026/dongtai"}  # any-of
    assert set(listed_ids(out, "/columns/xczx/")) == {"xzfb/2025/fangan", "qfz/2026/dongtai"}
    assert listed_ids(out, "/columns/zhen/") == ["qfz/2026/dongtai"]             # org_kind + type


def test_item_naming_a_column_is_listed_there_and_once_published(built):
    result, out = built({"items/sfj/2026/zhuanqu.md": item("政务公开专区介绍", org="sfj", columns="[zwgkzq]",
                                                           index_no="11511525MB1234567X/2026-00002")})
    assert result.ok, messages(result)
    assert listed_ids(out, "/columns/zwgkzq/") == ["sfj/2026/zhuanqu"]
    assert "sfj/2026/zhuanqu" in listed_ids(out, "/columns/tzgg/")
    pages = [p for p in out.rglob("index.html") if "zhuanqu" in str(p)]
    assert sorted(str(p.relative_to(out)) for p in pages) == [
        "care/items/sfj/2026/zhuanqu/index.html", "items/sfj/2026/zhuanqu/index.html"]


def test_item_page_lists_its_columns(built):
    _, out = built()
    page = parse(out / "items/qfz/2026/dongtai/index.html")
    titles = page.xpath("//section[@class='in-columns']//a/text()")
    assert set(titles) == {"通知公告", "推进乡村振兴", "各镇动态"}


def test_listings_newest_first_paginated_and_dated(built):
    extra = {f"items/xzfb/2026/n{i}.md": item(f"通知{i}", date=f"2026-0{i}-01",
                                              index_no=f"11511525008745231K/2026-0010{i}") for i in range(1, 6)}
    result, out = built(extra)
    assert result.ok, messages(result)
    first = parse(out / "columns/tzgg/index.html")
    dates = first.xpath("//main//ul[@class='entries']/li//time/@datetime")
    assert len(dates) == 3                                    # per_page: 3
    assert dates == sorted(dates, reverse=True)
    for li in first.xpath("//main//ul[@class='entries']/li"):
        assert li.xpath(".//time/@datetime"), "every entry shows its date"
    second = parse(out / "columns/tzgg/page/2/index.html")
    third = parse(out / "columns/tzgg/page/3/index.html")
    later = second.xpath("//main//ul[@class='entries']/li//time/@datetime") + \
        third.xpath("//main//ul[@class='entries']/li//time/@datetime")
    assert max(later) <= min(dates)
    assert len(dates) + len(later) == 7
    assert not (out / "columns/tzgg/page/4").exists()
    assert first.xpath("//nav[@aria-label='分页']//a[@rel='next']")


def test_automatic_listings(built):
    _, out = built()
    assert set(listed_ids(out, "/orgs/xzfb/")) == {"xzfb/2026/tongzhi-a", "xzfb/2025/fangan"}
    assert listed_ids(out, "/domains/ggflfw/") == ["qfz/2026/dongtai"]
    assert listed_ids(out, "/towns/qfz/") == ["qfz/2026/dongtai"]
    assert listed_ids(out, "/years/2025/") == ["xzfb/2025/fangan"]
    assert set(listed_ids(out, "/types/policy/")) == {"sfj/2026/gfxwj", "xzfb/2025/fangan"}
    index = parse(out / "orgs/index.html")
    assert "测试县司法局" in index.xpath("//main//a/text()")


def test_parent_column_lists_children(built):
    _, out = built()
    page = parse(out / "columns/zfxxgk/index.html")
    assert page.xpath("//nav[@aria-label='下级栏目']//a/text()") == ["政策文件", "通知公告"]


def test_unknown_select_key_missing_parent_and_cycle(built):
    columns = """\
- {id: a, title: 甲, select: {colour: red}}
- {id: b, title: 乙, parent: nosuch}
- {id: c, title: 丙, parent: d}
- {id: d, title: 丁, parent: c}
- {id: e, title: 戊, select: {type: nosuchtype}}
"""
    result, out = built({"columns.yaml": columns})
    text = "\n".join(messages(result))
    assert "columns.yaml:1: " in text and "colour" in text
    assert "columns.yaml:2: " in text and "nosuch" in text
    assert "循环" in text
    assert "nosuchtype" in text
    assert not out.exists()


def test_page_items_stay_out_of_dated_automatic_listings(built):
    extra = {"items/xzfb/2026/zhinan.md": item("政府信息公开指南", type="page", columns="[zwgkzq]",
                                              index_no="11511525008745231K/2026-00200")}
    result, out = built(extra)
    assert result.ok, messages(result)
    assert "xzfb/2026/zhinan" not in listed_ids(out, "/orgs/xzfb/")
    assert not (out / "types/page").exists()
    assert listed_ids(out, "/columns/zwgkzq/") == ["xzfb/2026/zhinan"]
