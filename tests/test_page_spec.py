"""The 政府网站网页设计规范 (国办发〔2017〕47号) on the built pages: the <meta> tags of every page,
the footer's identity block, 网站地图 and 联系我们."""
from __future__ import annotations

import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SITE, TODAY, item, messages, parse
from gxsite import pipeline
from gxsite.checks import compliance
from gxsite.core.page import Page
from gxsite.core.problems import Problems
from gxsite.site import render, sections
from gxsite.site.sections import about

BASE = "https://www.gaoxian.gov.cn/"
PUBDATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")
ARTICLE = ("ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description", "Url")
COLUMN = ("ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType")


class Built(tuple):
    def __repr__(self) -> str:   # pytest prints arguments: not the whole library
        return f"<example built into {self[1]}>"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("spec") / "output"
    result = pipeline.build(REPO / "content", out, TODAY, progress=False)
    assert result.ok, messages(result)
    return Built((result.lib, out, result.plan))


def page_file(out: Path, url: str, care: bool = False) -> Path:
    rel = ("care" + url if care else url).lstrip("/")
    return out / (rel + "index.html" if rel.endswith("/") or not rel else rel)


def metas(doc) -> dict[str, str]:
    found = [(m.get("name"), m.get("content")) for m in doc.xpath("/html/head/meta[@name]")]
    names = [n for n, _ in found]
    assert len(names) == len(set(names)), f"a meta tag written twice: {names}"
    return dict(found)


def resolves(out: Path, path: Path, href: str) -> Path:
    """The output file a relative href of the page at `path` opens."""
    target = posixpath.normpath(posixpath.join(path.parent.relative_to(out).as_posix(), href))
    return out / (target + "/index.html" if href.endswith("/") else target)


# ---- meta tags ------------------------------------------------------------------------------

def test_every_page_of_the_example_names_the_site_and_describes_itself(example):
    lib, out, _ = example
    files = sorted(out.rglob("*.html"))
    assert len(files) > 500
    for path in files:
        meta = metas(parse(path))
        where = path.relative_to(out).as_posix()
        assert meta.get("SiteName") == "高县人民政府", where
        assert meta.get("SiteDomain") == "www.gaoxian.gov.cn", where
        assert meta.get("SiteIDCode") == "5115250001", where   # 网站标识码, not the division code 511525
        description = meta.get("description", "")
        assert description.strip() and len(description) <= 120 and "\n" not in description, where
        assert "SiteCode" not in meta


@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
def test_item_pages_carry_the_article_tags(example, care):
    lib, out, _ = example
    chosen = {}
    for type_ in ("policy", "message", "repost", "news", "notice", "enforcement"):
        chosen[type_] = next(i for i in lib.published if i.type == type_)
    for type_, it in chosen.items():
        meta = metas(parse(page_file(out, it.url, care)))
        assert all(name in meta for name in ARTICLE), (type_, sorted(meta))
        assert meta["ArticleTitle"] == it.title
        assert PUBDATE.match(meta["PubDate"]) and meta["PubDate"] == f"{it.date.isoformat()} 00:00"
        assert meta["Url"] == BASE + ("care" + it.url if care else it.url).lstrip("/")
        assert meta["Author"] == it.org_ref.name
        assert meta["ContentSource"] == (it.origin.name if type_ == "repost" else it.org_ref.name)
        assert meta["Description"] == meta["description"]
        if it.summary:
            assert meta["description"] == " ".join(it.summary.split())[:120]
        keywords = meta["Keywords"].split(",")
        assert all(k.strip() for k in keywords)
        assert all(c.title in keywords for c in it.in_columns)
        assert all(d.name in keywords for d in it.domain_refs)
        if it.topic:
            assert keywords[0] == it.topic
        if it.in_columns:
            assert meta["ColumnName"] == it.in_columns[0].title
        assert "ColumnDescription" not in meta
    repost = chosen["repost"]
    assert metas(parse(page_file(out, repost.url, care)))["ContentSource"] != repost.org_ref.name


def test_an_item_without_summary_is_described_by_the_start_of_its_text(built):
    long_body = "本办法所称法律援助，是指国家建立的为经济困难公民和符合法定条件的其他当事人无偿提供法律咨询、代理、刑事辩护等法律服务的制度。" * 3
    result, out = built({"items/sfj/2026/long.md": item("测试县法律援助办法", org="sfj", date="2026-11-02",
                                                       index_no="11511525MB1234567X/2026-00009", body=long_body)})
    assert result.ok, messages(result)
    meta = metas(parse(out / "items/sfj/2026/long/index.html"))
    assert meta["description"].startswith("本办法所称法律援助") and len(meta["description"]) <= 120
    assert "\n" not in meta["description"] and meta["Description"] == meta["description"]
    assert meta["PubDate"] == "2026-11-02 00:00"
    assert meta["Url"] == "https://www.example.gov.cn/items/sfj/2026/long/"
    assert "SiteIDCode" in meta and meta["SiteIDCode"] == "5115250001"


@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
def test_column_pages_carry_the_column_tags(example, care):
    lib, out, _ = example
    column = lib.columns["gfxwj"]   # 政府信息公开 › 政策文件 › 行政规范性文件, selects policies
    meta = metas(parse(page_file(out, column.url, care)))
    assert all(name in meta for name in COLUMN) and not any(name in meta for name in ARTICLE)
    assert meta["ColumnName"] == "行政规范性文件"
    keywords = meta["ColumnKeywords"].split(",")
    assert keywords[:3] == ["行政规范性文件", "政策文件", "政府信息公开"] and "政策文件" in keywords
    assert meta["ColumnType"] == compliance.column_kind(column) == "政策文件"
    assert meta["ColumnDescription"] == meta["description"]
    # a column's own description is used as written
    described = next(c for c in lib.columns.values() if c.description)
    assert metas(parse(page_file(out, described.url, care)))["ColumnDescription"] == " ".join(described.description.split())[:120]
    # further pages of a paged column name the same column
    paged = next(l for l in lib.listings if l.column is not None and len(l.items) > lib.site.per_page)
    second = metas(parse(page_file(out, paged.url + "page/2/", care)))
    assert second["ColumnName"] == paged.column.title and second["ColumnType"] == compliance.column_kind(paged.column)


@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
def test_automatic_listings_and_indexes_carry_the_column_tags(example, care):
    lib, out, _ = example
    meta = metas(parse(page_file(out, "/orgs/sfj/", care)))
    assert meta["ColumnName"] == lib.orgs["sfj"].name and meta["ColumnType"] == "按发布机构"
    assert lib.orgs["sfj"].name in meta["description"]
    meta = metas(parse(page_file(out, "/years/2025/", care)))
    assert meta["ColumnName"] == "2025年" and meta["ColumnType"] == "按年份"
    for kind, title in render.AUTO_TITLES.items():
        meta = metas(parse(page_file(out, f"/{kind}/", care)))
        assert meta["ColumnName"] == title == meta["ColumnType"] and meta["ColumnKeywords"].startswith(title)
    meta = metas(parse(page_file(out, "/columns/", care)))
    assert meta["ColumnName"] == "栏目导航" and all(name in meta for name in COLUMN)


@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
def test_home_and_section_pages_say_what_they_are_for(example, care):
    _, out, _ = example
    urls = ["/", "/search/", "/xxgk/", "/xxgk/mulu/", "/catalog/", "/officers/", "/services/", "/handbook/",
            "/map/", "/events/", "/stats/", "/sitemap/", "/contact/", "/404.html"]
    descriptions = {}
    for url in urls:
        meta = metas(parse(page_file(out, url, care)))
        assert not any(name in meta for name in ARTICLE + COLUMN), url
        descriptions[url] = meta["description"]
    assert len(set(descriptions.values())) == len(urls)   # each its own sentence
    assert "网站地图" in descriptions["/sitemap/"] and "咨询建言" in descriptions["/contact/"]
    assert "政府信息公开" in descriptions["/xxgk/"]


def test_without_site_code_there_is_no_site_id_code(built):
    result, out = built({"site.yaml": SITE.replace('site_code: "5115250001"\n', "")})
    assert result.ok, messages(result)
    for page in ("index.html", "care/index.html", "items/xzfb/2026/tongzhi-a/index.html"):
        doc = parse(out / page)
        assert "SiteIDCode" not in metas(doc)
        assert "网站标识码" not in doc.xpath("string(//footer)")
        assert "511525" not in doc.xpath("string(//footer)")   # the division code is no 网站标识码


# ---- the footer ---------------------------------------------------------------------------

def footer_rows(doc) -> dict[str, tuple[str, str | None]]:
    """label -> (text, href of its link)"""
    rows = {}
    for group in doc.xpath("//footer//dl[@class='footer-facts']/div"):
        (dd,) = group.xpath("dd")
        links = dd.xpath("a/@href")
        rows[group.findtext("dt")] = (dd.text_content(), links[0] if links else None)
    return rows


@pytest.mark.parametrize("page", ["/", "/columns/tzgg/", "/items/xzfb/2026/zz-gwy-zwgk-yaodian/", "/404.html",
                                  "/sitemap/", "/contact/"])
@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
def test_the_footer_identity_block(example, page, care):
    lib, out, _ = example
    path = page_file(out, page, care)
    doc = parse(path)
    rows = footer_rows(doc)
    assert rows["主办单位"] == ("高县人民政府", None)
    assert rows["承办单位"] == ("高县人民政府办公室", None)   # site.yaml's lead_org
    assert rows["网站标识码"] == ("5115250001", None)
    assert rows["ICP备案号"] == ("蜀ICP备00000000号-1", "https://beian.miit.gov.cn/")
    assert rows["公安机关备案号"] == ("川公网安备51152500000000号",
                                "https://beian.mps.gov.cn/#/query/webSearch?code=51152500000000")
    assert rows["联系电话"] == ("0831-6502101", "tel:08316502101")
    assert rows["电子邮箱"][1] == "mailto:gxzwgk@gaoxian.gov.cn"
    assert rows["地址"][0] == lib.site.contact.address
    (badge,) = doc.xpath("//footer//a[img]")
    assert badge.get("href") == lib.site.conac.url
    (img,) = badge.xpath("img")
    assert img.get("alt") == "党政机关网站标识"
    if page == "/404.html":   # served at any path: its links start from the site root
        assert img.get("src") == "/images/conac-example.svg"
    else:
        assert resolves(out, path, img.get("src")) == out / "images/conac-example.svg"
    assert (out / "images/conac-example.svg").read_bytes() == (REPO / "content/images/conac-example.svg").read_bytes()
    links = {a.text_content(): a.get("href") for a in doc.xpath("//footer//nav//a")}
    assert set(links) >= {"网站地图", "联系我们", "订阅（Atom）"}
    if page != "/404.html":
        prefix = "care/" if care else ""
        assert resolves(out, path, links["网站地图"]) == out / prefix / "sitemap/index.html"
        assert resolves(out, path, links["联系我们"]) == out / prefix / "contact/index.html"
        assert resolves(out, path, links["订阅（Atom）"]) == out / "feed.xml"


def test_footer_leaves_out_what_site_yaml_does_not_set(built):
    bare = "\n".join(l for l in SITE.splitlines() if not l.startswith(("contact:", "site_code:"))) + "\n"
    result, out = built({"site.yaml": bare})
    assert result.ok, messages(result)
    for page in ("index.html", "care/columns/tzgg/index.html"):
        doc = parse(out / page)
        rows = footer_rows(doc)
        # 主办单位 falls back to the title; 承办单位 is lead_org's org
        assert rows == {"主办单位": ("测试县人民政府", None), "承办单位": ("测试县人民政府办公室", None)}
        assert not doc.xpath("//footer//img")
        footer = doc.xpath("string(//footer)")
        for label in ("ICP", "公安", "网站标识码", "电话", "邮箱", "地址", "党政机关"):
            assert label not in footer
        assert not [dd for dd in doc.xpath("//footer//dd") if not dd.text_content().strip()]
    full = SITE + ("sponsor: 测试县人民政府\nicp: 蜀ICP备12345678号-2\npolice_record: 川公网安备 51152502000001号\n"
                   "conac:\n  image: img/badge.svg\n  url: https://bszs.conac.cn/sitename?method=show&id=ABC\n")
    data = (REPO / "content/images/conac-example.svg").read_bytes()
    result, out = built({"site.yaml": full, "img/badge.svg": data})
    assert result.ok, messages(result)
    doc = parse(out / "care/index.html")
    rows = footer_rows(doc)
    assert rows["承办单位"] == ("测试县人民政府办公室", None)
    assert rows["公安机关备案号"][1].endswith("code=51152502000001")
    (img,) = doc.xpath("//footer//a[@href='https://bszs.conac.cn/sitename?method=show&id=ABC']/img")
    assert img.get("src") == "../img/badge.svg" and (out / "img/badge.svg").read_bytes() == data


def test_a_malformed_site_code_is_one_line_naming_site_yaml(tree, tmp_path):
    content = tree({"site.yaml": SITE.replace('site_code: "5115250001"', "site_code: 51152-001")})
    line = SITE.splitlines().index('site_code: "5115250001"') + 1
    run = subprocess.run([sys.executable, "-m", "gxsite", "build", "--content", str(content), "--out",
                          str(tmp_path / "site"), "--today", TODAY.isoformat()], capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    (found,) = [l for l in run.stderr.splitlines() if l.startswith(f"{content / 'site.yaml'}:")]
    assert found.startswith(f"{content / 'site.yaml'}:{line}: ") and "网站标识码" in found
    assert not (tmp_path / "site").exists()


# ---- 网站地图 ------------------------------------------------------------------------------

def sitemap_targets(out: Path, care: bool = False) -> set[Path]:
    path = page_file(out, "/sitemap/", care)
    return {resolves(out, path, href) for href in parse(path).xpath("//main//a/@href")}


@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
def test_the_site_map_links_every_column_index_and_section_page(example, care):
    lib, out, plan = example
    targets = sitemap_targets(out, care)
    prefix = "/care" if care else ""
    for column in lib.columns.values():
        assert page_file(out, prefix + column.url) in targets, column.id
    for kind in render.AUTO_TITLES:
        assert page_file(out, f"{prefix}/{kind}/") in targets
    records = {s.url for s in lib.services.values()} | {p.url for p in lib.places.values()}
    section_pages = [p for p in sections.pages(lib, TODAY) if p.url not in records]
    assert {"/xxgk/", "/xxgk/mulu/", "/contact/", "/handbook/", "/officers/", "/catalog/", "/stats/"} <= {p.url for p in section_pages}
    for page in section_pages:
        assert page_file(out, prefix + page.url) in targets, page.url
    for url in ("/", "/search/", "/columns/", "/services/", "/map/"):
        assert page_file(out, prefix + url) in targets
    # items, further pages of listings, single orgs' listings, the 404 are not listed
    assert not [t for t in targets if "/items/" in t.as_posix() or "/page/" in t.as_posix()]
    assert page_file(out, prefix + "/orgs/sfj/") not in targets
    assert all(t.is_file() for t in targets)


def test_the_site_map_groups_and_nests_pages(example):
    _, out, _ = example
    doc = parse(out / "sitemap/index.html")
    groups = [h.text_content() for h in doc.xpath("//main//section/h2")]
    assert groups == ["首页", "政府信息公开", "栏目", "分类浏览", "办事服务和其他"]
    # sub-columns nested under their column, pages under the page whose address holds theirs
    (policies,) = doc.xpath("//main//li[a[@href='../columns/zcwj/']]")
    assert policies.xpath("ul/li/a/@href") [:2] == ["../columns/gfxwj/", "../columns/qtwj/"]
    (hub,) = doc.xpath("//main//li[a[@href='../xxgk/']]")
    assert "../xxgk/mulu/" in hub.xpath("ul/li/a/@href")
    (stats,) = doc.xpath("//main//li[a[@href='../stats/']]")
    assert any(h.startswith("../stats/annual/") for h in stats.xpath("ul/li/a/@href"))


def test_a_page_any_section_plans_is_in_the_site_map(tree, monkeypatch):
    content = tree()
    problems = Problems()
    lib = pipeline.read_content(content, TODAY, problems)
    assert lib is not None and not problems.errors
    extra = sections.Section(pages=lambda lib, today: [Page("/zhuanti/", "404.html", "专题页面", crumbs=[("专题页面", "/zhuanti/")])])
    monkeypatch.setattr(sections, "SECTIONS", [*sections.SECTIONS, extra])
    plan = list(render.plan_pages(lib, TODAY))
    assert plan[-1].url == "/sitemap/" and [p.url for p in plan].count("/sitemap/") == 1
    entries = [e for g in plan[-1].data["groups"] for e in walk(g.entries)]
    assert ("专题页面", "/zhuanti/") in [(e.title, e.url) for e in entries]
    # the data is titles and addresses only, and the same on every run
    for group in plan[-1].data["groups"]:
        assert isinstance(group, about.Group) and isinstance(group.title, str)
        for entry in walk(group.entries):
            assert type(entry) is about.Entry and isinstance(entry.title, str) and isinstance(entry.url, str)
    again = list(render.plan_pages(lib, TODAY))[-1].data
    assert again == plan[-1].data


def walk(entries):
    for entry in entries:
        yield entry
        yield from walk(entry.children)


# ---- 联系我们 ------------------------------------------------------------------------------

@pytest.mark.parametrize("care", [False, True], ids=["std", "care"])
def test_the_contact_page(example, care):
    lib, out, _ = example
    path = page_file(out, "/contact/", care)
    doc = parse(path)
    main = doc.xpath("//main")[0]
    text = main.text_content()
    assert doc.xpath("string(//h1)") == "联系我们"
    facts = dict(zip([d.text_content() for d in main.xpath(".//dl/dt")], [d.text_content() for d in main.xpath(".//dl/dd")]))
    assert facts["主办单位"] == "高县人民政府" and facts["承办单位"] == "高县人民政府办公室"
    assert facts["联系电话"] == "0831-6502101"
    assert facts["电子邮箱"] == "gxzwgk@gaoxian.gov.cn" and facts["地址"] == lib.site.contact.address
    for channel in lib.site.channels:
        assert channel.name in text
        if channel.url:
            assert main.xpath(f".//a[@href='{channel.url}']")
        if channel.phone:
            assert main.xpath(f".//a[@href='tel:{channel.phone}']")
        if channel.note:
            assert channel.note in text
    (hudong,) = [a for a in main.xpath(".//a") if a.text_content() == "互动交流"]
    assert resolves(out, path, hudong.get("href")) == page_file(out, "/hudong/", care)
    rows = main.xpath(".//table//tbody/tr")
    listed = [o for o in lib.orgs.values() if o.phone or o.address]
    assert len(rows) == len(listed) > 10
    for row, org in zip(rows, listed):
        assert row.findtext("th") == org.name
        assert [td.text_content() for td in row.xpath("td")] == [org.phone or "—", org.address or "—"]


def test_the_contact_page_of_a_small_site(built):
    orgs = "- {id: xzfb, name: 测试县人民政府办公室, phone: 0831-6500000}\n- {id: sfj, name: 测试县司法局}\n" \
           "- {id: qfz, name: 测试县庆符镇人民政府, kind: town, address: 庆符镇1号}\n- {id: wjz, name: 测试县文江镇人民政府, kind: town}\n"
    result, out = built({"orgs.yaml": orgs})
    assert result.ok, messages(result)
    doc = parse(out / "contact/index.html")
    assert [r.findtext("th") for r in doc.xpath("//main//table//tbody/tr")] == ["测试县人民政府办公室", "测试县庆符镇人民政府"]
    facts = [d.text_content() for d in doc.xpath("//main//dl/dt")]
    assert facts[:2] == ["主办单位", "承办单位"]
    names = [li.xpath("string(strong)").strip() for li in doc.xpath("//main//ul[@class='channels']/li")]
    assert names == ["县长信箱", "12345政务服务便民热线"]
