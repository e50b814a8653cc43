"""Every class of content error gives one located Chinese line, all reported together, no site written."""
from __future__ import annotations

import pytest

from conftest import item, messages


def only(result, fragment: str) -> str:
    """The one error message containing fragment (asserting it exists)."""
    found = [m for m in messages(result) if fragment in m]
    assert found, f"no error containing {fragment!r} in {messages(result)}"
    return found[0]


def test_valid_tree_builds_without_problems(built):
    result, out = built()
    assert result.ok, messages(result)
    assert (out / "index.html").is_file()


def test_duplicate_yaml_key_names_both_lines(built):
    text = "---\ntitle: 甲\ntype: notice\ntitle: 乙\norg: xzfb\ndate: 2026-11-01\nindex_no: 11511525008745231K/2026-00099\n---\n正文\n"
    result, out = built({"items/xzfb/2026/dup.md": text})
    msg = only(result, "重复")
    assert msg.startswith("items/xzfb/2026/dup.md:4: ")
    assert "第 2 行" in msg
    assert not out.exists()


def test_tab_indentation(built):
    result, _ = built({"orgs.yaml": "- id: xzfb\n\tname: 某\n"})
    assert only(result, "Tab").startswith("orgs.yaml:2: ")


@pytest.mark.parametrize("value, fragment", [
    ("2026-02-30", "不存在"),
    ("'2026-11-01'", "不加引号"),
    ("2026-11-01 10:00:00", "不带时间"),
    ("2026-1-5", "YYYY-MM-DD"),
])
def test_bad_dates(built, value, fragment):
    text = f"---\ntitle: 日期\ntype: notice\norg: xzfb\ndate: {value}\nindex_no: 11511525008745231K/2026-00098\n---\n正文\n"
    result, _ = built({"items/xzfb/2026/baddate.md": text})
    assert only(result, fragment).startswith("items/xzfb/2026/baddate.md:5: ")


def test_wrong_org_folder(built):
    result, _ = built({"items/sfj/2026/wrong.md": item("放错文件夹", org="xzfb")})
    assert only(result, "items/xzfb/").startswith("items/sfj/2026/wrong.md:4: ")


def test_wrong_year_folder(built):
    result, _ = built({"items/xzfb/2025/wrongyear.md": item("年份不符", date="2026-01-05")})
    assert only(result, "2026 年").startswith("items/xzfb/2025/wrongyear.md:5: ")


@pytest.mark.parametrize("field, value, fragment", [
    ("domains", "[nosuch]", "重点领域“nosuch”"),
    ("towns", "[sfj]", "“sfj”不是"),
    ("columns", "[nosuch]", "栏目“nosuch”"),
    ("related", "[xzfb/2026/nosuch]", "相关信息"),
])
def test_unknown_ids(built, field, value, fragment):
    result, _ = built({"items/xzfb/2026/refs.md": item("引用", **{field: value})})
    assert only(result, fragment).startswith("items/xzfb/2026/refs.md:7: ")


def test_unknown_org(built):
    result, _ = built({"items/nobody/2026/x.md": item("无此机构", org="nobody", index_no="11511525008745231K/2026-00777")})
    assert "nobody" in only(result, "不在 orgs.yaml")


def test_interprets_must_be_a_policy(built):
    result, _ = built({"items/xzfb/2026/jd.md": item(
        "解读", type="interpretation", interprets="xzfb/2026/tongzhi-a", interpreter="{name: 王某}")})
    assert "应为 policy" in only(result, "interprets")


def test_missing_index_no_names_the_command(built):
    result, _ = built({"items/xzfb/2026/noindex.md": item("无索引号", index_no=False)})
    assert "gxsite number" in only(result, "缺少索引号")


def test_duplicate_index_no(built):
    result, _ = built({"items/xzfb/2026/twin.md": item("重号", index_no="11511525008745231K/2026-00001")})
    msg = only(result, "重复")
    assert "gxsite number" in msg and "tongzhi-a.md" in msg


def test_non_utf8_file(built):
    result, _ = built({"items/xzfb/2026/gbk.md": item("编码").encode("gbk")})
    assert only(result, "UTF-8").startswith("items/xzfb/2026/gbk.md:2: ")


def test_empty_and_binary_files(built):
    result, _ = built({"items/xzfb/2026/empty.md": "", "items/xzfb/2026/bin.md": b"\x89PNG\x00\x00\x01"})
    assert only(result, "空的").startswith("items/xzfb/2026/empty.md")
    assert only(result, "二进制").startswith("items/xzfb/2026/bin.md")


def test_bom_and_crlf_are_accepted(built):
    text = "\ufeff" + item("带 BOM 的通知", index_no="11511525008745231K/2026-00050").replace("\n", "\r\n")
    result, out = built({"items/xzfb/2026/bom.md": text})
    assert result.ok, messages(result)
    assert (out / "items/xzfb/2026/bom/index.html").is_file()


def test_image_without_alt(built):
    body = "第一段。\n\n第二段\n\n![](tu.png)\n"
    result, _ = built({"items/xzfb/2026/img.md": item("图片", body=body), "items/xzfb/2026/img/tu.png": b"PNG"})
    assert only(result, "替代文字").startswith("items/xzfb/2026/img.md:13: ")


def test_broken_link_in_body(built):
    body = "见[不存在的文件](../2020/nosuch.md)。"
    result, _ = built({"items/xzfb/2026/link.md": item("断链", body=body)})
    assert only(result, "不存在").startswith("items/xzfb/2026/link.md:9: ")


def test_missing_required_fields_of_type(built):
    result, _ = built({"items/xzfb/2026/pol.md": item("缺文号", type="policy")})
    assert any("doc_no" in m for m in messages(result))
    assert any("issued" in m for m in messages(result))


def test_bad_choice_value(built):
    result, _ = built({"items/xzfb/2026/w.md": item("预警", type="warning", level="紫色", valid_until="2026-12-01")})
    assert "紫色" in only(result, "可选值")


def test_attachment_may_not_escape_its_folder(built):
    extra = {
        "items/xzfb/2026/att.md": item("附件越界", attachments="[{file: ../tongzhi-a.md, title: 越界}]"),
        "items/xzfb/2026/att2.md": item("附件缺失", attachments="[{file: 名单.csv}]"),
    }
    result, _ = built(extra)
    assert "文件夹" in only(result, "att.md")
    assert "不存在" in only(result, "att2.md")


def test_yaml_syntax_error_is_located_and_chinese(built):
    result, _ = built({"columns.yaml": "- id: a\n  title: 甲: 乙\n"})
    msg = only(result, "YAML")
    assert msg.startswith("columns.yaml:2: ")


def test_all_problems_reported_together(built):
    extra = {
        "items/xzfb/2026/a1.md": item("甲", index_no=False),
        "items/xzfb/2026/a2.md": item("乙", domains="[nosuch]"),
        "orgs.yaml": "- id: xzfb\n  name: 测试县人民政府办公室\n  credit_code: 11511525008745231K\n- id: sfj\n  name: 司法局\n  kind: nokind\n",
    }
    result, _ = built(extra)
    files = {m.split(":")[0] for m in messages(result)}
    assert {"items/xzfb/2026/a1.md", "items/xzfb/2026/a2.md", "orgs.yaml"} <= files


def test_failed_build_keeps_previous_output(tree, tmp_path):
    from conftest import TODAY
    from gxsite import pipeline
    content = tree()
    out = tmp_path / "output"
    assert pipeline.build(content, out, TODAY, progress=False).ok
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (content / "items/xzfb/2026/bad.md").write_text(item("坏", date="2026-13-01"), encoding="utf-8")
    assert not pipeline.build(content, out, TODAY, progress=False).ok
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert before == after
    assert not list(tmp_path.glob("output.tmp-*"))
