"""Feeds for the media app (Atom, JSON Feed) and the crawler files (sitemap.xml, robots.txt)."""
from __future__ import annotations

import datetime as dt
import json
from urllib.parse import quote

import feedparser
from lxml import etree

from conftest import BASE_ITEMS, TODAY, item
from gxsite import pipeline

BASE = "https://www.example.gov.cn/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

EXTRA = {
    # Special characters in a title must survive XML and JSON escaping.
    "items/xzfb/2026/fujian.md": item("关于“A&B”<名单>的公示", date="2026-11-15", index_no="11511525008745231K/2026-00010",
                                      body="见[名单](fujian/名单.csv)和[方案](../2025/fangan.md)。"),
    "items/xzfb/2026/fujian/名单.csv": "姓名,金额\n",
    # An old item updated lately: the feeds' own `updated` follows it.
    "items/sfj/2025/gengxin.md": item("法律援助指南（修订）", org="sfj", date="2025-06-01", updated="2026-11-25",
                                      index_no="11511525MB1234567X/2025-00001"),
    "items/xzfb/2026/weilai.md": item("尚未发布的通知", date="2026-12-31", index_no="11511525008745231K/2026-00011"),
    "items/sfj/2026/chehui.md": item("行政处罚决定（已撤回）", type="enforcement", org="sfj", date="2026-11-10",
                                     index_no="11511525MB1234567X/2026-00002", stage="事后",
                                     decision_date="2026-11-05", action="行政处罚", columns="[tzgg]",
                                     withdrawn="{date: 2026-11-12, reason: 经复议撤销}"),
}
HIDDEN = {"尚未发布的通知", "行政处罚决定（已撤回）"}


def build_ok(built, extra=EXTRA):
    result, out = built(extra)
    assert result.ok, [str(p) for p in result.problems.errors]
    return result, out


def atom_feeds(out):
    return {p.relative_to(out).as_posix(): feedparser.parse(p.read_bytes()) for p in sorted(out.rglob("feed.xml"))}


def json_feeds(out):
    return {p.relative_to(out).as_posix(): json.loads(p.read_bytes()) for p in sorted(out.rglob("feed.json"))}


def test_every_column_and_the_site_have_both_feeds(built):
    result, out = build_ok(built)
    folders = [""] + [f"columns/{c}/" for c in result.lib.columns]
    assert sorted(atom_feeds(out)) == sorted(f + "feed.xml" for f in folders)
    assert sorted(json_feeds(out)) == sorted(f + "feed.json" for f in folders)
    assert not list((out / "care").rglob("feed.*"))


def test_atom_feeds_are_valid_newest_first_with_full_absolute_content(built):
    result, out = build_ok(built)
    for path, feed in atom_feeds(out).items():
        assert feed.bozo == 0, (path, feed.get("bozo_exception"))
        assert feed.feed.id == BASE + path
        assert feed.feed.language == "zh-CN"
        assert {link.rel: link.href for link in feed.feed.links}["self"] == BASE + path
        dates = [e.published_parsed for e in feed.entries]
        assert dates == sorted(dates, reverse=True)
        for e in feed.entries:
            assert e.title not in HIDDEN
            assert e.link.startswith(BASE + "items/") and e.id == e.link
            assert e.author and e.tags[0].term and e.tags[0].label
            assert e.published.endswith("+08:00") and e.updated.endswith("+08:00")
            assert e.content[0].type == "text/html" and e.content[0].value
            assert "gx-page:" not in e.content[0].value and "gx-file:" not in e.content[0].value

    site = atom_feeds(out)["feed.xml"]
    titles = [e.title for e in site.entries]
    assert titles[0] == "庆符镇开展法律进乡村活动"
    assert "关于“A&B”<名单>的公示" in titles
    expected = len(BASE_ITEMS) + len(EXTRA) - 1 - len(HIDDEN)   # the csv is no item
    assert len(site.entries) == expected
    assert site.feed.updated.startswith("2026-11-25")              # the lately updated item

    notice = next(e for e in site.entries if e.title.startswith("关于“A&B”"))
    body = notice.content[0].value
    assert f'href="{BASE}items/xzfb/2026/fujian/{quote("名单.csv")}"' in body
    assert f'href="{BASE}items/xzfb/2025/fangan/"' in body
    assert notice.author == "测试县人民政府办公室"
    assert (notice.tags[0].term, notice.tags[0].label) == ("notice", "通知公告")

    column = atom_feeds(out)["columns/tzgg/feed.xml"]
    assert [e.link for e in column.entries] == [BASE + i.url.lstrip("/") for i in result.lib.columns["tzgg"].items]
    empty = atom_feeds(out)["columns/zwgkzq/feed.xml"]
    assert empty.entries == [] and empty.feed.updated.startswith(TODAY.isoformat())


def test_feeds_hold_the_newest_50(built):
    start = dt.date(2026, 1, 1)
    many = {f"items/xzfb/2026/n{n:02d}.md": item(f"第{n}号通知", date=(start + dt.timedelta(days=n)).isoformat(),
                                                 index_no=f"11511525008745231K/2026-{n + 100:05d}")
            for n in range(55)}
    result, out = build_ok(built, many)
    feed = atom_feeds(out)["feed.xml"]
    assert feed.bozo == 0 and len(feed.entries) == 50
    assert feed.entries[0].link == BASE + "items/qfz/2026/dongtai/"
    # the 50 newest of 59 listed items: three base items, then 第54号 down to 第8号
    titles = [e.title for e in feed.entries]
    assert titles[3:] == [f"第{n}号通知" for n in range(54, 7, -1)]
    assert len(json_feeds(out)["columns/tzgg/feed.json"]["items"]) == 50
    assert len(result.lib.columns["tzgg"].items) > 50


def test_json_feeds_follow_json_feed_1_1_and_match_atom(built):
    _, out = build_ok(built)
    atoms = atom_feeds(out)
    for path, feed in json_feeds(out).items():
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        assert feed["title"] and feed["language"] == "zh-CN"
        assert feed["feed_url"] == BASE + path
        assert feed["home_page_url"].startswith(BASE)
        assert isinstance(feed["items"], list)
        for entry in feed["items"]:
            assert entry["id"] and entry["url"].startswith(BASE + "items/")
            assert entry["content_html"] and "gx-page:" not in entry["content_html"]
            assert entry["title"] not in HIDDEN
            dt.datetime.fromisoformat(entry["date_published"])
            dt.datetime.fromisoformat(entry["date_modified"])
            assert entry["authors"][0]["name"] and entry["tags"]
        atom = atoms[path.replace(".json", ".xml")]
        assert [e["url"] for e in feed["items"]] == [e.link for e in atom.entries]
        assert [e["content_html"] for e in feed["items"]] == [e.content[0].value for e in atom.entries]


def canonical_urls(out):
    """The URLs of the standard pages the build wrote (not the 关怀版 twins, not the 404 page)."""
    found = set()
    for p in out.rglob("*.html"):
        rel = p.relative_to(out).as_posix()
        if rel.startswith("care/") or rel == "404.html":
            continue
        found.add(BASE + quote(rel[: -len("index.html")] if rel.endswith("index.html") else rel))
    return found


def test_sitemap_lists_exactly_the_canonical_pages(built):
    result, out = build_ok(built)
    root = etree.fromstring((out / "sitemap.xml").read_bytes())
    assert root.tag == SITEMAP + "urlset"
    entries = {u.findtext(SITEMAP + "loc"): u.findtext(SITEMAP + "lastmod") for u in root}
    assert len(entries) == len(root)
    assert set(entries) == canonical_urls(out)
    for i in result.lib.published:
        assert entries[BASE + i.url.lstrip("/")] == (i.updated or i.date).isoformat()
    # a withdrawn decision keeps its page, so crawlers keep finding it; the future one is not out yet
    assert BASE + "items/sfj/2026/chehui/" in entries
    assert BASE + "items/xzfb/2026/weilai/" not in entries
    assert entries[BASE + "columns/tzgg/"] == "2026-11-20"
    assert entries[BASE] is None


def test_robots_points_to_the_sitemap(built):
    _, out = build_ok(built)
    lines = (out / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines == ["User-agent: *", "Allow: /", f"Sitemap: {BASE}sitemap.xml"]


def test_feeds_and_sitemap_are_byte_identical_across_builds(tree, tmp_path):
    content = tree(EXTRA)
    names = ["feed.xml", "feed.json", "columns/tzgg/feed.xml", "columns/tzgg/feed.json", "sitemap.xml", "robots.txt"]
    outputs = []
    for folder in ("a", "b"):
        assert pipeline.build(content, tmp_path / folder, TODAY, progress=False).ok
        outputs.append([(tmp_path / folder / n).read_bytes() for n in names])
    assert outputs[0] == outputs[1]
    assert outputs[0][0].startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
