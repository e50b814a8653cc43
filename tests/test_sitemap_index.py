"""sitemap.xml past the sitemaps.org limits (50,000 URLs, 50 MB a file): an index of part files,
checked against the published schemas (tests/fixtures/sitemaps/, version 0.9)."""
from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree

from conftest import REPO, TODAY
from gxsite import pipeline
from gxsite.checks import linkcheck
from gxsite.site.sections import feeds
from gxsite.site.sections.feeds import SitemapUrl

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SCHEMAS = Path(__file__).parent / "fixtures" / "sitemaps"
BASE = "https://www.example.gov.cn/"
SPLIT_AT = 100   # the example has a few hundred pages: several parts, the last one short


@pytest.fixture(scope="module")
def schema():
    return {name: etree.XMLSchema(etree.parse(str(SCHEMAS / f"{name}.xsd"))) for name in ("sitemap", "siteindex")}


def valid(schema, data: bytes) -> etree._Element:
    doc = etree.fromstring(data)
    assert schema.validate(doc), schema.error_log
    return doc


def locs(doc) -> list[str]:
    return [e.text for e in doc.iter(NS + "loc")]


def build_example(out: Path, max_urls: int | None = None):
    with pytest.MonkeyPatch.context() as mp:
        if max_urls is not None:
            mp.setattr(feeds, "SITEMAP_MAX_URLS", max_urls)
        result = pipeline.build(REPO / "content", out, TODAY, progress=False)
    assert result.ok, [str(p) for p in result.problems.errors]
    return result


@pytest.fixture(scope="module")
def unsplit(tmp_path_factory):
    out = tmp_path_factory.mktemp("whole") / "output"
    build_example(out)
    return out


@pytest.fixture(scope="module")
def split(tmp_path_factory):
    out = tmp_path_factory.mktemp("split") / "output"
    return build_example(out, SPLIT_AT), out


def sitemap_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("sitemap*.xml"))}


def test_the_example_sitemap_is_one_valid_urlset(unsplit, schema):
    doc = valid(schema["sitemap"], (unsplit / "sitemap.xml").read_bytes())
    assert doc.tag == NS + "urlset"
    assert SPLIT_AT * 2 < len(doc) <= feeds.SITEMAP_MAX_URLS   # so that the split below makes 3+ parts
    assert list(sitemap_files(unsplit)) == ["sitemap.xml"]


def test_past_the_limit_sitemap_xml_is_an_index_of_valid_parts(split, unsplit, schema):
    result, out = split
    files = sitemap_files(out)
    index = valid(schema["siteindex"], files.pop("sitemap.xml"))
    assert index.tag == NS + "sitemapindex"
    names = [f"sitemap-{n}.xml" for n in range(1, len(files) + 1)]
    assert sorted(files) == sorted(names) and len(names) >= 3
    # every part is linked from the index, in order, by its absolute URL
    assert locs(index) == [result.lib.site.base_url + n for n in names]
    parts = []
    for name in names:
        doc = valid(schema["sitemap"], files[name])
        assert doc.tag == NS + "urlset" and 0 < len(doc) <= SPLIT_AT
        parts.append(doc)
    # greedy: every part but the last is full
    assert [len(d) for d in parts[:-1]] == [SPLIT_AT] * (len(parts) - 1)
    urls = [u for d in parts for u in locs(d)]
    whole = locs(etree.fromstring((unsplit / "sitemap.xml").read_bytes()))
    assert urls == whole and len(set(urls)) == len(urls)
    # each part's lastmod in the index is the newest in that part
    for entry, doc in zip(index, parts):
        dates = [e.text for e in doc.iter(NS + "lastmod")]
        assert entry.findtext(NS + "lastmod") == max(dates)
    # the part files are the same pages' entries, lastmod included, as the single file has them
    assert b"".join(f.split(b'0.9">\n', 1)[1].rsplit(b"</urlset>", 1)[0] for f in
                    (files[n] for n in names)) == \
        (unsplit / "sitemap.xml").read_bytes().split(b'0.9">\n', 1)[1].rsplit(b"</urlset>", 1)[0]


def test_robots_still_names_the_index(split):
    result, out = split
    assert f"Sitemap: {result.lib.site.base_url}sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")


def test_the_link_check_follows_the_index_to_the_parts(split):
    """The build's link check reads <loc> in .xml files as the site's own links: the index's
    entries resolve to the part files the build wrote (and the build above passed it)."""
    result, out = split
    base = result.lib.site.base_url
    index = etree.fromstring((out / "sitemap.xml").read_bytes())
    for url in locs(index):
        kind, target, _ = linkcheck.resolve("sitemap.xml", url, base, "/", absolute_own=True)
        assert kind == "internal" and target.startswith("sitemap-") and (out / target).is_file()


def test_split_parts_are_byte_identical_across_builds(split, tmp_path):
    _, out = split
    build_example(tmp_path / "again", SPLIT_AT)
    first, second = sitemap_files(out), sitemap_files(tmp_path / "again")
    assert len(first) > 2 and first == second


def synthetic(n: int, lastmod: bool = True) -> list[SitemapUrl]:
    start = dt.date(2020, 1, 1)
    return [SitemapUrl(f"{BASE}items/org{i % 37:02d}/{2020 + i % 7}/item-{i:06d}/",
                       start + dt.timedelta(days=(i * 7919) % 2500) if lastmod else None) for i in range(n)]


def test_the_real_limit_splits_120000_urls_into_50000_50000_20000(schema):
    entries = synthetic(120_000)
    out = dict(feeds.sitemap_files(BASE, entries, feeds.SITEMAP_MAX_URLS, feeds.SITEMAP_MAX_BYTES))
    assert list(out) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    index = valid(schema["siteindex"], out["sitemap.xml"])
    assert locs(index) == [BASE + f"sitemap-{n}.xml" for n in (1, 2, 3)]
    seen = []
    for n, (name, count) in enumerate([("sitemap-1.xml", 50_000), ("sitemap-2.xml", 50_000),
                                       ("sitemap-3.xml", 20_000)]):
        assert len(out[name]) <= 52_428_800
        doc = valid(schema["sitemap"], out[name])
        assert len(doc) == count
        seen += locs(doc)
        part = entries[len(seen) - count: len(seen)]
        assert index[n].findtext(NS + "lastmod") == max(u.lastmod for u in part).isoformat()
    assert seen == [u.loc for u in entries]


def test_exactly_at_the_limit_is_still_one_file():
    assert [n for n, _ in feeds.sitemap_files(BASE, synthetic(10), 10, feeds.SITEMAP_MAX_BYTES)] == ["sitemap.xml"]
    assert [n for n, _ in feeds.sitemap_files(BASE, synthetic(11), 10, feeds.SITEMAP_MAX_BYTES)] == \
        ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]
    whole = feeds.urlset(synthetic(10))
    assert len(feeds.sitemap_files(BASE, synthetic(10), 10, len(whole))) == 1
    assert len(feeds.sitemap_files(BASE, synthetic(10), 10, len(whole) - 1)) == 3


def test_the_byte_limit_cuts_files_before_they_exceed_it(schema):
    entries = synthetic(25, lastmod=False)
    # every synthetic entry has the same size: a fixed-width loc, no lastmod
    entry = len(f"  <url>\n    <loc>{entries[0].loc}</loc>\n  </url>\n".encode())
    empty = len(feeds.urlset(entries[:1])) - entry
    limit = empty + 4 * entry + entry // 2   # room for four and a half entries
    parts = feeds.split_sitemap(entries, 1000, limit)
    assert [len(p) for p in parts] == [4] * 6 + [1]
    assert [u for p in parts for u in p] == entries
    for p in parts:
        data = feeds.urlset(p)
        assert len(data) <= limit
        valid(schema["sitemap"], data)
    # a file may fill the limit exactly
    assert [len(p) for p in feeds.split_sitemap(entries, 1000, empty + 5 * entry)] == [5] * 5
    out = dict(feeds.sitemap_files(BASE, entries, 1000, limit))
    assert len(out) == 8 and all(len(data) <= limit for name, data in out.items() if name != "sitemap.xml")
    # no lastmod in the urls, none in the index
    assert b"lastmod" not in out["sitemap.xml"]
    with pytest.raises(ValueError):
        feeds.split_sitemap(entries, 1000, empty + entry - 1)


def test_both_limits_together_cut_at_whichever_comes_first():
    entries = synthetic(30, lastmod=False)
    entry = len(feeds.urlset(entries[:2])) - len(feeds.urlset(entries[:1]))
    empty = len(feeds.urlset(entries[:1])) - entry
    assert [len(p) for p in feeds.split_sitemap(entries, 4, empty + 6 * entry)] == [4] * 7 + [2]
    assert [len(p) for p in feeds.split_sitemap(entries, 8, empty + 6 * entry)] == [6] * 5


def element_tree_urlset(entries: list[SitemapUrl]) -> bytes:
    """The sitemap as it was written with ElementTree before the split."""
    root = ET.Element("urlset", {"xmlns": feeds.SITEMAP_NS})
    for u in entries:
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = u.loc
        if u.lastmod:
            ET.SubElement(url, "lastmod").text = u.lastmod.isoformat()
    ET.indent(root)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode()


def test_the_urlset_bytes_are_what_element_tree_wrote():
    entries = [SitemapUrl(BASE, None), SitemapUrl(BASE + "search/?q=a&b=<c>", dt.date(2026, 11, 1)),
               SitemapUrl(BASE + "items/%E5%85%AC%E5%91%8A/", dt.date(2025, 1, 2)), SitemapUrl(BASE + "x/", None)]
    for part in (entries, entries[:1], entries[1:2], []):
        assert feeds.urlset(part) == element_tree_urlset(part)
