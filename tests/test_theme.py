"""A site's own templates over gxsite's, file by file, and site.yaml's logo, colors and footer."""
from __future__ import annotations

import os

import html5lib
import pytest
from conftest import REPO, SITE, TODAY, digest, messages, parse, write_tree

from gxsite import cli, pipeline
from gxsite.preview.serve import Preview
from gxsite.site import theme

# The smallest PNG: one transparent pixel.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082")


def touch_later(path) -> None:
    """Move a file's time on, so that a snapshot by size and time sees the edit of a fast test."""
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


@pytest.fixture
def site(tree, tmp_path):
    """A site folder: content/ and, beside it, templates/ with the given files."""
    def make(templates: dict, extra: dict | None = None):
        content = tree(extra)
        write_tree(tmp_path / "templates", templates)
        return content
    return make


def files(out) -> dict[str, str]:
    """The output's files and their hashes; precompressed twins (.gz, .br) follow their file."""
    return {p: h for p, h in digest(out).items() if not p.endswith((".gz", ".br"))}


def build(content, out, **kw):
    result = pipeline.build(content, out, TODAY, progress=False, **kw)
    assert result.ok, messages(result)
    return result


def test_an_override_replaces_the_packaged_file_of_the_same_path_and_nothing_else(site, tree, tmp_path):
    build(tree(), tmp_path / "plain")
    plain = files(tmp_path / "plain")
    content = site({
        "404.html": '{% extends "base.html" %}{% block main %}<h1>本县页面未找到</h1>{% endblock %}\n',
        "assets/toolbar.js": "/* 本县的阅读辅助脚本 */\n",
        "assets/emblem.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>\n',
    })
    out = tmp_path / "out"
    build(content, out)
    assert parse(out / "404.html").xpath("string(//h1)") == "本县页面未找到"
    assert parse(out / "care/404.html").xpath("string(//h1)") == "本县页面未找到"
    assert (out / "assets/toolbar.js").read_text(encoding="utf-8") == "/* 本县的阅读辅助脚本 */\n"
    assert (out / "assets/emblem.svg").is_file()
    themed = files(out)
    changed = {p for p in themed.keys() | plain.keys() if themed.get(p) != plain.get(p)}
    assert changed == {"404.html", "care/404.html", "assets/toolbar.js", "assets/emblem.svg"}


def test_a_css_part_is_merged_in_name_order_and_one_of_the_same_name_replaces_gxsites(site, tmp_path):
    content = site({
        "assets/site.css.d/20-county.css": ".county-note { color: #123456; }\n",
        "assets/site.css.d/90-print.css": "/* 本县的打印样式 */\n",
    })
    out = tmp_path / "out"
    build(content, out)
    css = (out / "assets/site.css").read_text(encoding="utf-8")
    packaged = REPO / "templates/assets/site.css.d"
    base, search = (packaged / "10-base.css").read_text(encoding="utf-8"), (packaged / "30-search.css").read_text(encoding="utf-8")
    assert css.index(base) < css.index(".county-note") < css.index(search)
    assert css.endswith("/* 本县的打印样式 */\n")
    assert (packaged / "90-print.css").read_text(encoding="utf-8") not in css
    # the 关怀版's bundle is gxsite's own
    assert (out / "assets/care.css").read_bytes() == b"\n".join(
        p.read_bytes() for p in sorted((REPO / "templates/assets/care.css.d").glob("*.css")))


def test_editing_an_override_is_not_an_unchanged_build(site, tmp_path):
    content = site({"404.html": '{% extends "base.html" %}{% block main %}<h1>第一版</h1>{% endblock %}\n'})
    out = tmp_path / "out"
    assert not build(content, out).skipped
    assert build(content, out).skipped
    page = tmp_path / "templates/404.html"
    page.write_text(page.read_text(encoding="utf-8").replace("第一版", "第二版"), encoding="utf-8")
    assert not build(content, out).skipped
    assert parse(out / "404.html").xpath("string(//h1)") == "第二版"


def test_the_preview_builds_again_when_an_override_changes(site, tmp_path):
    content = site({"assets/site.css.d/20-county.css": ".county-note { color: #123456; }\n"})
    preview = Preview(content, tmp_path / "out", TODAY)
    assert preview.build()
    part = tmp_path / "templates/assets/site.css.d/20-county.css"
    part.write_text(".county-note { color: #654321; }\n", encoding="utf-8")
    touch_later(part)
    assert preview.refresh()
    assert "#654321" in (tmp_path / "out/assets/site.css").read_text(encoding="utf-8")
    assert not preview.refresh()   # nothing changed since


def test_templates_named_on_the_command_line(tree, tmp_path, monkeypatch):
    content = tree()
    elsewhere = write_tree(tmp_path / "county-theme", {
        "404.html": '{% extends "base.html" %}{% block main %}<h1>命令行指定的模板</h1>{% endblock %}\n'})
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "--content", str(content), "--out", "out", "--templates", str(elsewhere),
                     "--today", TODAY.isoformat(), "--quiet"]) == 0
    assert parse(tmp_path / "out/404.html").xpath("string(//h1)") == "命令行指定的模板"


def test_gxsites_own_repository_has_nothing_to_layer():
    # Here content/../templates is gxsite's own templates folder.
    assert theme.find(REPO / "content").folders == (theme.PACKAGED.resolve(),)
    assert theme.find(REPO / "content", REPO / "templates").folders == (theme.PACKAGED.resolve(),)


THEMED = SITE + """\
logo: logo.png
colors:
  masthead: "#1F4E8C"
  masthead_text: "#ffffff"
  link: "#0a4a8f"
footer:
  - 蜀ICP备12345678号
  - 川公网安备51152502000001号
"""


def test_logo_colors_and_footer(built):
    result, out = built({"site.yaml": THEMED, "logo.png": PNG})
    assert result.ok, messages(result)
    assert not [p for p in result.problems.warnings if p.path == "site.yaml" and p.rule == "theme-contrast"]
    assert (out / "logo.png").read_bytes() == PNG
    for page, src in (("index.html", "./logo.png"), ("care/index.html", "../logo.png"),
                      ("items/xzfb/2026/tongzhi-a/index.html", "../../../../logo.png")):
        doc = parse(out / page)
        (img,) = doc.xpath("//header//p[@class='site-name']/a/img")
        assert img.get("alt") == "测试县人民政府" and img.get("src") == src
        assert doc.xpath("//footer//p[last()-1]")[0].text == "蜀ICP备12345678号"
        assert doc.xpath("//footer//p[last()]")[0].text == "川公网安备51152502000001号"
    css = (out / "assets/site.css").read_text(encoding="utf-8")
    assert ".std .masthead { background: #1f4e8c; color: #ffffff; }" in css
    assert ".std { --link: #0a4a8f; }" in css
    assert css.index(".std .masthead") > css.index("--focus") and css.index(".std .masthead") < css.index("@media print")
    assert "#1f4e8c" not in (out / "assets/care.css").read_text(encoding="utf-8")   # the 关怀版 keeps its 7:1 palette
    # the page stays valid HTML
    html5lib.HTMLParser(strict=True).parse((out / "index.html").read_bytes())


def test_without_theme_keys_the_styles_are_gxsites_own(built):
    _, out = built()
    assert (out / "assets/site.css").read_bytes() == b"\n".join(
        p.read_bytes() for p in sorted((REPO / "templates/assets/site.css.d").glob("*.css")))
    assert parse(out / "index.html").xpath("string(//p[@class='site-name'])") == "测试县人民政府"


AFTER = SITE.count("\n")   # keys added after conftest's site.yaml start on the line after its last


@pytest.mark.parametrize("colors, line, says", [
    ('colors:\n  masthead: "red"\n', AFTER + 2, "配色（colors）的 masthead“red”不是颜色"),
    ('colors:\n  link: "#12345"\n', AFTER + 2, "不是颜色"),
    ('colors:\n  masthead: #1f4e8c\n', AFTER + 2, "须加引号"),
    ('colors:\n  header: "#1f4e8c"\n', AFTER + 2, "没有“header”"),
    ('colors: "#1f4e8c"\n', AFTER + 1, "应为键值对"),
])
def test_a_bad_colour_is_one_line_naming_site_yaml_and_the_line(built, colors, line, says):
    result, _ = built({"site.yaml": SITE + colors})
    (error,) = result.problems.errors
    assert (error.path, error.line) == ("site.yaml", line)
    assert says in error.message and "\n" not in str(error)


def test_a_bad_colour_on_the_command_line(tree, tmp_path, capsys):
    content = tree({"site.yaml": SITE + 'colors:\n  masthead_text: "white"\n'})
    code = cli.main(["build", "--content", str(content), "--out", str(tmp_path / "out"), "--today", TODAY.isoformat()])
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert f"{content / 'site.yaml'}:{AFTER + 2}: 配色（colors）的 masthead_text“white”不是颜色" in err


def test_low_masthead_contrast_is_a_reminder_with_the_ratio(built):
    result, _ = built({"site.yaml": SITE + 'colors:\n  masthead: "#f0f0f0"\n  masthead_text: "#9a9a9a"\n  link: "#8fb3e0"\n'})
    assert result.ok
    found = {p.line: p.message for p in result.problems.warnings if p.rule == "theme-contrast"}
    ratio = theme.contrast("#9a9a9a", "#f0f0f0")
    assert 2.0 < ratio < 4.5 and f"{ratio:.2f}:1" in found[AFTER + 3] and "4.5:1" in found[AFTER + 3]
    assert AFTER + 4 in found and "链接颜色 #8fb3e0" in found[AFTER + 4]


def test_contrast_is_computed_as_wcag_says():
    assert theme.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert theme.contrast("#ffffff", "#b31b1b") == pytest.approx(6.80, abs=0.01)   # gxsite's own masthead
    assert theme.contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    # the menu under the masthead is never harder to read than the masthead itself
    for bg, fg in (("#1f4e8c", "#ffffff"), ("#e8f0f8", "#1f2328"), ("#777777", "#000000")):
        colors = theme.model.Colors(masthead=bg, masthead_text=fg)
        _, _, nav = theme.masthead(colors)
        assert theme.contrast(fg, nav) >= theme.contrast(fg, bg)


def test_the_logo_must_exist_and_be_a_picture(built):
    result, _ = built({"site.yaml": SITE + "logo: emblem.png\n"})
    (error,) = result.problems.errors
    assert (error.path, error.line) == ("site.yaml", AFTER + 1) and "content/emblem.png" in error.message
    result, _ = built({"site.yaml": SITE + "logo: logo.docx\n", "logo.docx": b"x"})
    assert any(p.path == "site.yaml" and p.line == AFTER + 1 and "图片" in p.message for p in result.problems.errors)
    result, _ = built({"site.yaml": SITE + "logo: content/logo.png\n", "logo.png": PNG})
    assert any(p.path == "site.yaml" and "请写成 logo.png" in p.message for p in result.problems.errors)
