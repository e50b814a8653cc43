"""A county starting out builds: trees of 0, 1, 5 and 40 items over all the example's orgs.

No page of gxsite's own links to a page gxsite does not make. What the county declares in its
yaml (every org, town and key domain) has its listing even when empty; types and years, which
come from items alone, have a listing, and are linked, only once an item has them.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
import yaml

from conftest import REPO, parse

TODAY = "2026-12-01"
EXAMPLE = REPO / "content"
SIZES = (0, 1, 5, 40)
# Front-matter keys naming other items: an item taken alone must not carry them.
REFERENCES = ("related", "interprets", "of", "replaced_by")


def front_matter(path: Path) -> tuple[dict, str]:
    _, head, body = path.read_text(encoding="utf-8").split("---", 2)
    return yaml.safe_load(head), body


def standalone_items() -> list[Path]:
    """The example's items that name no other item (in front matter or body links), by path."""
    chosen = []
    for path in sorted((EXAMPLE / "items").rglob("*.md")):
        head, body = front_matter(path)
        if not any(k in head for k in REFERENCES) and not re.search(r"\]\([^)]*\.md", body):
            chosen.append(path)
    return chosen


def make_tree(root: Path, n: int, data: bool = True) -> Path:
    """site.yaml, orgs, domains, columns (and data/) of the example, with its first n standalone items."""
    content = root / "content"
    content.mkdir(parents=True)
    for name in ("site.yaml", "orgs.yaml", "domains.yaml", "columns.yaml"):
        shutil.copy(EXAMPLE / name, content / name)
    shutil.copytree(EXAMPLE / "images", content / "images")   # the footer's 党政机关网站标识
    if data:
        shutil.copytree(EXAMPLE / "data", content / "data")
    (content / "items").mkdir()
    items = standalone_items()[:n]
    assert len(items) == n
    for path in items:
        rel = path.relative_to(EXAMPLE)
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, content / rel)
        attachments = path.with_suffix("")
        if attachments.is_dir():
            shutil.copytree(attachments, content / rel.with_suffix(""))
    return content


def build(content: Path) -> tuple[subprocess.CompletedProcess, Path]:
    out = content.parent / "output"
    run = subprocess.run([sys.executable, "-m", "gxsite", "build", "--content", str(content), "--out", str(out),
                          "--today", TODAY], capture_output=True, text=True, cwd=content.parent)
    return run, out


def org_ids() -> list[str]:
    return [o["id"] for o in yaml.safe_load((EXAMPLE / "orgs.yaml").read_text(encoding="utf-8"))]


def town_ids() -> list[str]:
    return [o["id"] for o in yaml.safe_load((EXAMPLE / "orgs.yaml").read_text(encoding="utf-8"))
            if o["kind"] == "town"]


def index_links(out: Path, kind: str) -> set[str]:
    """The listings an automatic index page links to, as keys."""
    hrefs = parse(out / kind / "index.html").xpath("//main//a/@href")
    return {h.split("/")[-2] for h in hrefs if h.startswith(f"../{kind}/")}


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    run, out = build(make_tree(tmp_path_factory.mktemp("empty"), 0))
    assert run.returncode == 0, run.stdout + run.stderr
    return out


@pytest.mark.parametrize("n", SIZES)
def test_sparse_tree_builds_and_passes_link_check(tmp_path, n):
    content = make_tree(tmp_path, n)
    run, out = build(content)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "链接检查通过" in run.stdout
    assert f"{n} 条信息" in run.stdout
    items = [front_matter(p)[0] for p in standalone_items()[:n]]
    shown = [i for i in items if i["type"] != "page" and str(i["date"]) <= TODAY]
    # Every org and town of orgs.yaml has its listing, linked from its index.
    assert index_links(out, "orgs") == set(org_ids())
    assert index_links(out, "towns") == set(town_ids())
    assert all((out / "orgs" / o / "index.html").is_file() for o in org_ids())
    # Types and years: exactly those that items have.
    assert index_links(out, "types") == {i["type"] for i in shown}
    assert index_links(out, "years") == {str(i["date"])[:4] for i in shown}
    assert {p.name for p in (out / "types").iterdir() if p.is_dir()} == {i["type"] for i in shown}


def test_empty_org_and_town_listings_say_so(empty):
    main = parse(empty / "orgs/yjglj/index.html").xpath("//main")[0]
    assert main.xpath("h1/text()") == ["高县应急管理局"]
    assert "本单位暂无公开信息" in main.text_content()
    assert not main.xpath(".//ul[@class='entries']")
    assert "暂无涉及本镇的公开信息" in parse(empty / "towns/qfz/index.html").xpath("//main")[0].text_content()
    # The domain page's 责任单位 link lands on that listing (the failure this guards against).
    domain = parse(empty / "domains/aqsc/index.html")
    assert domain.xpath("//main//p[@class='lead']/a/@href")[0] == "../../orgs/yjglj/"
    counts = parse(empty / "orgs/index.html").xpath("//main//span[@class='count']/text()")
    assert len(counts) == len(org_ids()) and set(counts) == {"（0条）"}


def test_empty_site_home_columns_and_indexes_render(empty):
    home = parse(empty / "index.html")
    latest = home.xpath("//section[@aria-labelledby='latest-h']")[0]
    assert "暂无信息" in latest.text_content() and not latest.xpath(".//li")
    assert home.xpath("//nav[@aria-label='便民入口']//a")
    columns = parse(empty / "columns/index.html")
    assert len(columns.xpath("//main//ul[@class='tree']//a")) == len(
        yaml.safe_load((EXAMPLE / "columns.yaml").read_text(encoding="utf-8")))
    for kind in ("types", "years"):
        page = parse(empty / kind / "index.html")
        assert "暂无信息" in page.xpath("//main")[0].text_content()
        assert not [p for p in (empty / kind).iterdir() if p.is_dir()]
    assert parse(empty / "care/orgs/index.html").xpath("//main//a")


def test_empty_search_page_and_index(empty):
    page = parse(empty / "search/index.html")
    assert "暂无信息" in page.xpath("//main")[0].text_content()
    manifest = page.xpath("//div[@id='search-app']/@data-manifest")[0]
    data = json.loads((empty / "search" / manifest.split("/")[-1]).read_text(encoding="utf-8"))
    assert data["count"] == 0
    if shutil.which("node") is None:
        pytest.skip("node not installed: the site's search script is not run")
    answer = subprocess.run(["node", str(REPO / "tests/js/run_search.js"), str(empty), "/search/" + manifest.split("/")[-1],
                             json.dumps(["政务公开", "2026"])], capture_output=True, text=True, check=True)
    assert [a["total"] for a in json.loads(answer.stdout)] == [0, 0]


def test_empty_feeds_and_sitemap_are_valid(empty):
    for path in ("feed.xml", "columns/tzgg/feed.xml"):
        feed = feedparser.parse((empty / path).read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.entries == [] and feed.feed.title
    for path in ("feed.json", "columns/tzgg/feed.json"):
        data = json.loads((empty / path).read_text(encoding="utf-8"))
        assert data["version"] == "https://jsonfeed.org/version/1.1" and data["items"] == []
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in ET.parse(empty / "sitemap.xml").getroot().findall("s:url/s:loc", ns)]
    assert any(loc.endswith("/orgs/yjglj/") for loc in locs)


def test_orgs_without_data_folder(tmp_path):
    run, out = build(make_tree(tmp_path, 5, data=False))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "链接检查通过" in run.stdout
    expected = {"services/index.html": "暂无服务事项", "handbook/index.html": "暂无服务事项",
                "officers/index.html": "暂无公示的执法人员", "map/index.html": "暂无服务场所信息",
                "catalog/index.html": "标准目录正在编制中"}
    for path, text in expected.items():
        assert text in parse(out / path).xpath("//main")[0].text_content(), path
    assert not parse(out / "map/index.html").xpath("//main//ul[@class='places']")
    assert index_links(out, "orgs") == set(org_ids())
