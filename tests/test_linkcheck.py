"""Links of the built output: internal links and attachments resolve, external ones are listed."""
from __future__ import annotations

import json
import random
import re
import shutil
import socket
import subprocess
import sys

import pytest
from lxml import html as lxml_html

from conftest import REPO, TODAY, item, messages
from gxsite.checks import linkcheck
from gxsite import pipeline


def gxsite(*args):
    return subprocess.run([sys.executable, "-m", "gxsite", *map(str, args)], capture_output=True, text=True, cwd=REPO)


@pytest.mark.parametrize("page, href, expected", [
    ("index.html", "./columns/", ("internal", "columns/index.html", "")),
    ("items/a/2026/x/index.html", "../../../../assets/site.css", ("internal", "assets/site.css", "")),
    ("items/a/2026/x/index.html", "../y/#h2", ("internal", "items/a/2026/y/index.html", "h2")),
    ("items/a/2026/x/index.html", "%E9%99%84%E4%BB%B6.csv", ("internal", "items/a/2026/x/附件.csv", "")),
    ("items/a/2026/x/index.html", "#main", ("internal", "items/a/2026/x/index.html", "main")),
    ("404.html", "/gaoxian/map/", ("internal", "map/index.html", "")),
    ("404.html", "/elsewhere/", ("internal", "", "")),
    ("columns/index.html", "../../../x/", ("internal", "", "")),
    ("index.html", "https://www.sc.gov.cn/", ("external", "https://www.sc.gov.cn/", "")),
    ("index.html", "https://www.example.gov.cn/gaoxian/qysl", ("external", "https://www.example.gov.cn/gaoxian/qysl", "")),
    ("index.html", "mailto:zwgk@example.gov.cn", ("skip", "", "")),
    ("index.html", "tel:0831-6502101", ("skip", "", "")),
])
def test_resolve(page, href, expected):
    assert linkcheck.resolve(page, href, "https://www.example.gov.cn/gaoxian/", "/gaoxian/") == expected


# What the scan hid before it found openers one by one: one substitution over the whole page.
_HIDDEN = re.compile(rb"(<script\b[^>]*>).*?(</script\s*>)|(<style\b[^>]*>).*?(</style\s*>)|<!--.*?-->", re.S | re.I)


def _hidden_by_one_regex(data: bytes) -> bytes:
    return _HIDDEN.sub(lambda m: (m.group(1) or m.group(3) or b"") + (m.group(2) or m.group(4) or b""), data)


def test_links_in_scripts_styles_and_comments_are_not_links():
    page = (b'<p><a href="a.html">a</a></p><script>var u = \' href="no1.html"\';</script>'
            b'<STYLE media="x"> x[href="no2.html"] {}</style ><!-- <a href="no3.html"> -->'
            b'<a href="b.html">b</a><script src="s.js"></script>')
    found = linkcheck.scanner({"a.html", "b.html", "s.js"}, "https://x.gov.cn/").scan("index.html", page)
    assert found.links == 3 and not found.broken and set(found.targets) == {"a.html", "b.html", "s.js"}
    # A script never closed hides nothing: what follows it is still the page's markup.
    found = linkcheck.scanner(set(), "https://x.gov.cn/").scan("index.html", b'<script> <a href="c.html">')
    assert [link.target for link in found.broken] == ["c.html"]


def test_what_the_scan_hides_is_what_one_regex_over_the_page_hid(built):
    pieces = [b"<script>", b"<script src=x>", b"</script>", b"</SCRIPT >", b"<style>", b"</style>", b"<!--",
              b"-->", b"<scripts>", b' href="a"', b"text", b"<", b">", b"\n"]
    rng = random.Random(17)
    for _ in range(3000):
        data = b"".join(rng.choice(pieces) for _ in range(rng.randrange(12)))
        assert linkcheck._visible(data) == _hidden_by_one_regex(data), data
    _, out = built()
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        data = path.read_bytes()
        assert linkcheck._visible(data) == _hidden_by_one_regex(data), path


def test_a_kept_record_is_stale_when_a_file_it_links_to_is_gone():
    paths = ["index.html", "a/index.html", "a", "b.html", "a/b/index.html", "a/b", "c/index.html", "x.bin"]
    rng = random.Random(5)
    for _ in range(2000):
        gone = set(rng.sample(paths, rng.randrange(4)))
        targets = tuple(rng.sample(paths, rng.randrange(4)))
        expected = any(t in gone or t + "/index.html" in gone for t in targets)   # the rule, spelt out
        assert linkcheck.stale(linkcheck.PageLinks(targets=targets), linkcheck.gone_targets(gone)) == expected


def test_own_absolute_links_are_internal_in_sitemaps_and_feeds():
    base = "https://www.example.gov.cn/"
    assert linkcheck.resolve("sitemap.xml", base + "items/a/", base, "/", absolute_own=True) == \
        ("internal", "items/a/index.html", "")


def test_a_valid_site_has_no_broken_links(built):
    result, _ = built({"items/xzfb/2026/ext.md": item("外链", body="见[省政府网站](https://www.sc.gov.cn/)。")})
    assert result.ok, messages(result)
    assert result.links.pages > 20 and result.links.links > 500 and not result.links.broken
    assert "https://www.sc.gov.cn/" in result.links.external
    assert result.links.external["https://www.sc.gov.cn/"][0] == "items/xzfb/2026/ext/index.html"


def test_external_links_are_never_fetched(built, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the link check must not touch the network")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    result, _ = built({"items/xzfb/2026/ext.md": item("外链", body="[国务院](https://www.gov.cn/)")})
    assert result.ok and "https://www.gov.cn/" in result.links.external


def test_broken_site_path_in_a_body_fails_the_build_and_keeps_the_old_site(tree, tmp_path):
    content = tree()
    out = tmp_path / "output"
    assert pipeline.build(content, out, TODAY, progress=False).ok
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (content / "items/xzfb/2026/bad.md").write_text(
        item("断链", index_no="11511525008745231K/2026-00300", body="第一段。\n\n请看[旧栏目](/lanmu/jiu/)。"),
        encoding="utf-8")
    result = pipeline.build(content, out, TODAY, progress=False)
    assert not result.ok
    errors = [p for p in result.problems.errors if p.rule == "link-broken"]
    assert len(errors) == 1                                   # once, not once per version of the page
    assert str(errors[0]).startswith("items/xzfb/2026/bad.md:11: 链接“/lanmu/jiu/”")
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert before == after
    assert not list(tmp_path.glob("output.tmp-*"))


def test_a_template_link_broken_on_every_page_is_reported_once(tree, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(pipeline.TEMPLATES, templates)
    base = templates / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "</main>", "<p><a href=\"{{ link.to('/nosuch/') }}\">无此页</a></p>\n</main>"), encoding="utf-8")
    result = pipeline.build(tree(), tmp_path / "out", TODAY, templates, progress=False)
    broken = [p for p in result.problems.errors if p.rule == "link-broken"]
    assert len(broken) == 1 and "/nosuch/" in broken[0].message and "个页面" in broken[0].message
    assert not (tmp_path / "out").exists()


def test_missing_anchor_is_a_reminder(built):
    result, _ = built({"items/xzfb/2026/anchor.md": item("锚点", body="见[第二部分](#di-er-bu-fen)。\n\n## 第一部分\n")})
    assert result.ok
    hits = [p for p in result.problems.warnings if p.rule == "link-anchor" and p.path == "items/xzfb/2026/anchor.md"]
    assert len(hits) == 1 and hits[0].line == 9 and "/items/xzfb/2026/anchor/ 中没有“#di-er-bu-fen”" in hits[0].message


def test_check_runs_the_link_check_without_writing_a_site(tree):
    content = tree({"items/xzfb/2026/bad.md": item("断链", body="[旧页面](/old/page.html)")})
    run = gxsite("check", "--content", content, "--today", "2026-11-26")
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "items/xzfb/2026/bad.md:9: 链接“/old/page.html”" in run.stderr
    assert gxsite("check", "--content", content, "--today", "2026-11-26", "--no-links").returncode == 0


# ---- reports -------------------------------------------------------------------------------


def test_check_json_lists_every_finding(tree, tmp_path):
    content = tree({"items/xzfb/2026/late.md": item("通知", date="2026-11-01", issued="2026-09-01",
                                                     doc_no="测府办函[2026]3号")})
    target = tmp_path / "out" / "findings.json"
    run = gxsite("check", "--content", content, "--today", "2026-11-26", "--json", target)
    assert run.returncode == 0, run.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["today"] == "2026-11-26" and data["summary"]["errors"] == 0
    assert data["summary"]["warnings"] == len(data["findings"]) > 0
    late = next(f for f in data["findings"] if f["rule"] == "proactive-late")
    assert late == {"rule": "proactive-late", "severity": "warning", "file": "items/xzfb/2026/late.md",
                    "line": 5, "message": late["message"], "due": "2026-09-29", "org": "xzfb"}
    assert {"doc-no", "interpretation-missing", "credit-code"} <= {f["rule"] for f in data["findings"]}
    assert data["inspection"]["empty_columns"] == {"count": 1, "veto": 5}
    assert data["links"]["broken"] == 0 and data["thresholds"]["interpretation_workdays"] == 3
    assert all(d["due"] >= "2026-11-26" for d in data["deadlines"])


def test_check_report_is_a_self_contained_accessible_page(tree, tmp_path):
    content = tree({"items/xzfb/2026/p.md": item("政策", type="policy", date="2026-11-25", doc_no="测府规〔2026〕2号",
                                                  issued="2026-11-24", category="规范性文件")})
    run = gxsite("check", "--content", content, "--today", "2026-11-26", "--report", tmp_path / "report")
    assert run.returncode == 0, run.stderr
    page = tmp_path / "report" / "index.html"
    text = page.read_text(encoding="utf-8")
    doc = lxml_html.fromstring(text.encode("utf-8"))
    assert doc.get("lang") == "zh-CN" and doc.xpath("//title") and len(doc.xpath("//h1")) == 1
    for el in doc.xpath("//*[@src] | //link[@href] | //script"):
        raise AssertionError(f"the report must load nothing: {lxml_html.tostring(el)[:80]}")
    assert not [a for a in doc.xpath("//a/@href") if not a.startswith("#")]
    tables = doc.xpath("//table")
    assert tables and all(t.xpath("caption") for t in tables)
    main = doc.xpath("//main")[0].text_content()
    for heading in ("即将到期", "各单位的问题", "栏目更新情况", "每月发布数量", "空白栏目"):
        assert heading in main
    assert "测试县司法局" in main                    # findings grouped by org name
    assert "2026-11-30" in main                      # the new policy's interpretation falls due
