"""政策文件库 (/zcwjk/) and 现行有效规范性文件 (/zcwjk/xxyx/): what the built pages list, and the
filters in a real browser (Chromium): narrowing, combining, the count, the URL, the keyboard,
no layout shift, and the page without JavaScript."""
from __future__ import annotations

import datetime as dt
import urllib.parse

import pytest

from browser import chromium_browser, need_chromium, serve
from conftest import BASE_ITEMS, COLUMNS, DOMAINS, ORGS, REPO, SITE, TODAY, item, parse, write_tree
from gxsite import pipeline
from gxsite.content import model
from gxsite.site.sections import policies

SRC = "https://www.sc.gov.cn/zfwj/2026/example.html"

# Policies of four orgs, four years of 成文日期, three validities, both categories, several topics.
POLICIES = {
    "items/sfj/2024/feizhi.md": item("测试县司法局关于规范法律援助工作的通知", type="policy", org="sfj",
                                     date="2024-05-10", doc_no="测司规〔2024〕1号", issued="2024-05-08",
                                     category="规范性文件", status="已废止", repealed="2026-10-16",
                                     topic="司法行政"),
    "items/sfj/2025/tiaojie.md": item("测试县人民调解工作规定", type="policy", org="sfj", date="2025-09-03",
                                      doc_no="测司规〔2025〕2号", issued="2025-09-01", category="规范性文件",
                                      topic="司法行政"),
    "items/xzfb/2026/xiugai.md": item("测试县政府信息公开工作办法", type="policy", date="2026-02-05",
                                      doc_no="测府办规〔2026〕1号", issued="2026-02-03", category="规范性文件",
                                      status="已修改", topic="政务公开"),
    "items/xzfb/2026/yaodian.md": item("测试县2026年政务公开工作要点", type="policy", date="2026-07-02",
                                       doc_no="测府办函〔2026〕9号", issued="2026-07-01", topic="政务公开"),
    "items/qfz/2026/zhuanxiang.md": item("庆符镇乡村振兴项目管理办法", type="policy", org="qfz", date="2026-03-16",
                                         doc_no="庆府规〔2026〕1号", issued="2026-03-15", category="规范性文件",
                                         topic="乡村振兴"),
    # dated 2024 but 成文 in 2023: the year is that of 成文日期
    "items/wjz/2024/fangan.md": item("文江镇人居环境整治方案", type="policy", org="wjz", date="2024-01-05",
                                     doc_no="文府发〔2023〕12号", issued="2023-12-28", topic="乡村振兴"),
    # not yet published on TODAY
    "items/xzfb/2026/weilai.md": item("测试县尚未发布的规范性文件", type="policy", date="2026-12-20",
                                      doc_no="测府规〔2026〕9号", issued="2026-12-18", category="规范性文件"),
    # higher-level documents: one with a 文号 (listed apart), one without (not listed)
    "items/xzfb/2026/zz-sheng.md": item("四川省人民政府关于推进政务公开标准化的意见", type="repost",
                                        date="2026-05-06", doc_no="川府发〔2026〕3号", issued="2026-05-01",
                                        source=f"{{name: 四川省人民政府, url: \"{SRC}\", date: 2026-05-03}}"),
    "items/xzfb/2026/zz-xinwen.md": item("省政府召开常务会议", type="repost", date="2026-05-08",
                                         source="{name: 四川省人民政府, url: \"https://www.sc.gov.cn/x.html\"}"),
}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The conftest tree with POLICIES added, built once: (library, output folder)."""
    root = tmp_path_factory.mktemp("policies")
    files = {"site.yaml": SITE, "orgs.yaml": ORGS, "domains.yaml": DOMAINS, "columns.yaml": COLUMNS,
             **BASE_ITEMS, **POLICIES}
    content = write_tree(root / "content", files)
    result = pipeline.build(content, root / "output", TODAY, progress=False)
    assert result.ok, [str(p) for p in result.problems.errors]
    return result.lib, root / "output"


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("policies-example") / "output"
    result = pipeline.build(REPO / "content", out, TODAY, progress=False)
    assert result.ok, [str(p) for p in result.problems.errors]
    return result.lib, out


def expected(lib) -> dict[str, dict]:
    """What the library should show for each policy, from the model (item URL -> cells)."""
    return {i.url: {"title": i.title, "doc_no": i.doc_no, "org": i.org_ref.name, "org_id": i.org,
                    "issued": i.issued.isoformat(), "year": str(i.issued.year),
                    "validity": i.status or "现行有效", "topic": i.topic,
                    "category": i.category or "其他文件"}
            for i in lib.published if i.type == "policy" and i.withdrawn is None}


def page_path(url: str, href: str) -> str:
    """A link's target as a site path, resolved against the page it is on."""
    return urllib.parse.urlsplit(urllib.parse.urljoin("https://h" + url, href)).path


def table_rows(out, url: str = "/zcwjk/") -> dict[str, dict]:
    """The standard library page's rows: item URL -> cells and data attributes."""
    doc = parse(out / url.lstrip("/") / "index.html")
    rows = {}
    for tr in doc.xpath("//main//tr[@data-policy]"):
        cells = [td.text_content().strip() for td in tr.findall("td")]
        target = page_path(url, tr.find("td/a").get("href"))
        assert target not in rows, f"{target} listed twice"
        rows[target] = {"title": cells[0], "doc_no": cells[1], "org": cells[2], "issued": cells[3],
                        "validity": cells[4], "topic": "" if cells[5] == "—" else cells[5], "category": cells[6],
                        "data": {k[5:]: v for k, v in tr.attrib.items() if k.startswith("data-")}}
    return rows


# ---- the built pages --------------------------------------------------------------------

@pytest.mark.parametrize("which", ["small", "example"])
def test_every_published_policy_is_listed_once_with_its_cells(which, request):
    lib, out = request.getfixturevalue(which)
    want = expected(lib)
    rows = table_rows(out)
    assert set(rows) == set(want) and len(want) >= 8
    for url, cells in rows.items():
        w = want[url]
        assert (cells["title"], cells["doc_no"], cells["org"], cells["issued"], cells["validity"], cells["topic"],
                cells["category"]) == (w["title"], w["doc_no"], w["org"], w["issued"], w["validity"], w["topic"],
                                       w["category"]), url
        assert cells["data"] == {"policy": "", "org": w["org_id"], "year": w["year"], "validity": w["validity"],
                                 "topic": w["topic"], "category": w["category"]}, url
        assert (out / url.lstrip("/") / "index.html").exists()
    doc = parse(out / "zcwjk/index.html")
    assert doc.get_element_by_id("policy-count").text_content().strip() == f"共 {len(want)} 件"
    assert doc.get_element_by_id("policy-count").get("role") == "status"


def test_future_and_withdrawn_policies_are_left_out(small):
    lib, out = small
    rows = table_rows(out)
    assert "/items/xzfb/2026/weilai/" not in rows and "/items/sfj/2026/gfxwj/" in rows
    # No content type lets a policy be withdrawn today; the library still honours item.listed.
    kept = next(i for i in lib.published if i.url == "/items/sfj/2026/gfxwj/")
    kept.withdrawn = model.Withdrawal(dt.date(2026, 11, 1), "测试")
    try:
        built = policies.build(lib)
        assert kept not in [r.item for r in built.rows] and kept not in [r.item for r in built.in_force]
        assert len(built.rows) == len(rows) - 1
    finally:
        kept.withdrawn = None


def test_without_javascript_the_policies_are_grouped_by_category_then_year_newest_first(small):
    lib, out = small
    want = expected(lib)
    doc = parse(out / "zcwjk/index.html")
    groups = doc.xpath("//main/section[@data-category-group]")
    assert [g.findtext("h2").strip() for g in groups] == ["规范性文件", "其他文件"]
    seen = []
    for group in groups:
        category = group.findtext("h2").strip()
        count = sum(1 for w in want.values() if w["category"] == category)
        assert group.xpath("string(h2)").strip() == f"{category}（{count}件）"
        years = [y.findtext("h3") for y in group.xpath("section[@data-year-group]")]
        assert years == sorted(years, reverse=True) and len(set(years)) == len(years)
        assert years == [f"{y}年" for y in sorted({w["year"] for w in want.values() if w["category"] == category},
                                                  reverse=True)]
        for section in group.xpath("section[@data-year-group]"):
            year = section.findtext("h3")[:-1]
            links = [page_path("/zcwjk/", a.get("href")) for a in section.xpath(".//tr[@data-policy]/td[1]/a")]
            assert links and all(want[u]["category"] == category and want[u]["year"] == year for u in links)
            dates = [want[u]["issued"] for u in links]
            assert dates == sorted(dates, reverse=True)
            seen += links
    assert sorted(seen) == sorted(want)
    # the 2023 group holds the policy dated 2024 but 成文 in 2023
    other = groups[1].xpath("section[@data-year-group][h3='2023年']//tr/td[1]/a/@href")
    assert [page_path("/zcwjk/", h) for h in other] == ["/items/wjz/2024/fangan/"]
    levels = [int(h.tag[1]) for h in doc.xpath("//main//*[self::h1 or self::h2 or self::h3]")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    # the filter form is in the page but hidden until policies.js runs (site.css: .js-policies)
    assert doc.get_element_by_id("policy-filters") is not None
    css = (out / "assets/site.css").read_text(encoding="utf-8")
    assert ".policy-filters { display: none; }" in css and ".js-policies .policy-filters { display: block; }" in css


def test_filter_lists_come_from_the_data_sorted_with_counts(small):
    lib, out = small
    want = expected(lib)
    doc = parse(out / "zcwjk/index.html")

    def options(key):
        return [(o.get("value"), o.text_content().strip()) for o in doc.xpath(f"//select[@id='pf-{key}']/option")]

    def count(key, value):
        return sum(1 for w in want.values() if w[key] == value)

    assert options("org") == [("", "全部机关")] + [
        (o, f"{lib.orgs[o].name}（{count('org_id', o)}件）") for o in ("xzfb", "sfj", "qfz", "wjz")]
    assert options("year") == [("", "全部年份")] + [(y, f"{y}年（{count('year', y)}件）")
                                                    for y in ("2026", "2025", "2024", "2023")]
    assert options("validity") == [("", "全部"), ("现行有效", "现行有效（6件）"), ("已修改", "已修改（1件）"),
                                   ("已废止", "已废止（1件）")]
    assert options("category") == [("", "全部类别"), ("规范性文件", "规范性文件（5件）"), ("其他文件", "其他文件（3件）")]
    # topics by size, then name; a policy without a topic is counted under none
    assert options("topic") == [("", "全部主题"), ("乡村振兴", "乡村振兴（2件）"), ("司法行政", "司法行政（2件）"),
                                ("政务公开", "政务公开（2件）")]
    assert doc.xpath("//input[@id='pf-q'][@type='search']") and doc.xpath("//label[@for='pf-q']")


@pytest.mark.parametrize("which", ["small", "example"])
def test_the_in_force_list_is_exactly_the_normative_policies_in_force(which, request):
    lib, out = request.getfixturevalue(which)
    want = {u: w for u, w in expected(lib).items() if w["category"] == "规范性文件" and w["validity"] == "现行有效"}
    doc = parse(out / "zcwjk/xxyx/index.html")
    rows = doc.xpath("//main//table[contains(@class, 'in-force')]/tbody/tr")
    links = [page_path("/zcwjk/xxyx/", tr.find("td[2]/a").get("href")) for tr in rows]
    assert sorted(links) == sorted(want) and len(links) == len(set(links)) and want
    for n, tr in enumerate(rows, 1):
        cells = [td.text_content().strip() for td in tr.findall("td")]
        w = want[links[n - 1]]
        assert cells == [str(n), w["title"], w["doc_no"], w["org"], w["issued"]]
    dates = [want[u]["issued"] for u in links]
    assert dates == sorted(dates, reverse=True)
    total = doc.xpath("string(//p[contains(@class, 'in-force-total')])").strip()
    assert total == f"截至2026年11月26日，现行有效的行政规范性文件共 {len(want)} 件。"
    library = parse(out / "zcwjk/index.html")
    assert "../zcwjk/xxyx/" in library.xpath("//main//a/@href")
    if which == "small":
        assert len(want) == 3   # 已修改, 已废止 and 其他文件 are not in force as 规范性文件


def test_reposts_with_a_doc_no_are_listed_apart_and_not_counted(small):
    lib, out = small
    doc = parse(out / "zcwjk/index.html")
    section = doc.xpath("//section[h2='上级政策文件（转载）']")
    assert len(section) == 1
    rows = section[0].xpath(".//tbody/tr")
    assert [[td.text_content().strip() for td in tr.findall("td")] for tr in rows] == [
        ["四川省人民政府关于推进政务公开标准化的意见", "川府发〔2026〕3号", "四川省人民政府", "2026-05-01",
         "原文：四川省人民政府关于推进政务公开标准化的意见"]]
    assert page_path("/zcwjk/", rows[0].find("td[1]/a").get("href")) == "/items/xzfb/2026/zz-sheng/"
    assert rows[0].find("td[5]/a").get("href") == SRC
    # not among the county's policies, their counts or the in-force list
    assert "/items/xzfb/2026/zz-sheng/" not in table_rows(out)
    assert not doc.xpath("//*[@data-policy]//a[contains(@href, 'zz-')]")
    assert "政策文件 8 件" in doc.xpath("string(//main/p[@class='lead'])")
    assert "省政府召开常务会议" not in doc.text_content()
    assert "川府发" not in parse(out / "zcwjk/xxyx/index.html").text_content()


def test_the_example_lists_its_reposts(example):
    lib, out = example
    doc = parse(out / "zcwjk/index.html")
    reposts = {i.url: i for i in lib.published if i.type == "repost" and i.doc_no}
    links = doc.xpath("//section[h2='上级政策文件（转载）']//tbody/tr/td[1]/a/@href")
    assert sorted(page_path("/zcwjk/", h) for h in links) == sorted(reposts) and reposts
    issuers = doc.xpath("//section[h2='上级政策文件（转载）']//tbody/tr/td[3]/text()")
    assert sorted(issuers) == sorted(i.origin.name for i in reposts.values())


def test_care_version_lists_the_same_policies_without_a_table(small):
    lib, out = small
    want = expected(lib)
    doc = parse(out / "care/zcwjk/index.html")
    assert not doc.xpath("//main//table")
    items = doc.xpath("//main//ol[@class='policy-list']/li[@data-policy]")
    links = [page_path("/care/zcwjk/", li.find("a").get("href")) for li in items]
    assert sorted(links) == sorted("/care" + u for u in want)
    first = items[0]
    fields = {div.findtext("dt"): div.find("dd").text_content().strip() for div in first.xpath("dl/div")}
    w = want[links[0][len("/care"):]]
    assert fields["文号"] == w["doc_no"] and fields["发文机关"] == w["org"] and fields["有效性"] == w["validity"]
    assert first.get("data-year") == w["year"] and first.get("data-org") == w["org_id"]
    assert doc.get_element_by_id("policy-filters") is not None
    care_css = (out / "assets/care.css").read_text(encoding="utf-8")
    assert ".care .policy-filter-grid { display: block; }" in care_css
    in_force = parse(out / "care/zcwjk/xxyx/index.html")
    assert len(in_force.xpath("//main//ol[contains(@class, 'in-force')]/li")) == 3
    assert "共 3 件" in in_force.xpath("string(//p[contains(@class, 'in-force-total')])")


@pytest.mark.parametrize("which", ["small", "example"])
def test_home_and_hub_link_to_the_library_in_both_versions(which, request):
    _, out = request.getfixturevalue(which)
    for prefix in ("", "/care"):
        for url, where in (("/", "//nav[contains(@class, 'entry-points')]//a"), ("/xxgk/", "//ul[contains(@class, 'hub-links')]//a")):
            doc = parse(out / (prefix + url).lstrip("/") / "index.html")
            found = [a for a in doc.xpath(where) if a.text_content().strip() == "政策文件库"]
            assert len(found) == 1, (prefix, url)
            assert page_path(prefix + url, found[0].get("href")) == prefix + "/zcwjk/"
        assert (out / (prefix + "/zcwjk/").lstrip("/") / "index.html").exists()


def test_a_library_of_thousands_of_policies_counts_every_row_once():
    lib = model.Library(model.Site("某县人民政府", "https://x.gov.cn/"))
    for n in range(40):
        lib.orgs[f"o{n}"] = model.Org(f"o{n}", f"某县第{n}局")
    for n in range(6000):
        org = f"o{n % 40}"
        issued = dt.date(2010 + n % 17, 1 + n % 12, 1 + n % 28)
        lib.published.append(model.Item(f"{org}/{issued.year}/p{n}", "", f"文件{n}", "policy" if n % 3 else "repost",
                                        org, issued, doc_no=f"某规〔{issued.year}〕{n}号", issued=issued,
                                        category="规范性文件" if n % 2 else "", topic=f"主题{n % 9}",
                                        status="已废止" if n % 5 == 0 else "", org_ref=lib.orgs[org]))
    built = policies.build(lib)   # its speed is the benchmark's business (benches/), not a unit test's
    assert len(built.rows) == 4000 and len(built.reposts) == 2000
    assert sum(g.count for g in built.groups) == 4000
    assert sum(o.count for o in built.filters[0].options) == 4000


# ---- in the browser ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def web(small):
    need_chromium()
    with serve(small[1]) as base, chromium_browser() as browser:
        yield base, browser


def open_library(web, query: str = "", care: bool = False, script: bool = True, block_toolbar: bool = False,
                 init: str = ""):
    base, browser = web
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=script)
    if block_toolbar:   # toolbar.js shows the reading aids late; keep its shift out of the measure
        context.route("**/assets/toolbar.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
    if init:
        context.add_init_script(init)
    page = context.new_page()
    page.goto(base + ("/care" if care else "") + "/zcwjk/" + query)
    return context, page


def shown(page) -> list[str]:
    """The site paths of the visible policies (in the standard version)."""
    hrefs = page.eval_on_selector_all(
        "[data-policy] .p-title", "els => els.filter(e => e.getClientRects().length).map(e => e.href)")
    return sorted(urllib.parse.urlsplit(h).path.removeprefix("/care") for h in hrefs)


def count_text(page) -> str:
    return page.text_content("#policy-count").strip()


def visible_headings(page) -> list[str]:
    return page.eval_on_selector_all("main h2, main h3", "els => els.filter(e => e.getClientRects().length)"
                                                         ".map(e => e.textContent.trim())")


def test_each_filter_narrows_the_rows_to_the_matching_set(small, web):
    lib, _ = small
    want = expected(lib)
    context, page = open_library(web)
    assert shown(page) == sorted(want)
    for key, field in (("org", "org_id"), ("year", "year"), ("validity", "validity"), ("topic", "topic"),
                       ("category", "category")):
        values = page.eval_on_selector_all(f"#pf-{key} option", "os => os.map(o => o.value).filter(v => v)")
        assert values
        for value in values:
            page.select_option(f"#pf-{key}", value)
            match = sorted(u for u, w in want.items() if w[field] == value)
            assert shown(page) == match, (key, value)
            assert count_text(page) == f"共 {len(match)} 件"
        page.select_option(f"#pf-{key}", "")
        assert shown(page) == sorted(want)
    context.close()


def test_filters_combine_empty_groups_hide_and_the_count_says_so(small, web):
    lib, _ = small
    want = expected(lib)
    context, page = open_library(web)
    page.select_option("#pf-category", "规范性文件")
    page.select_option("#pf-year", "2026")
    match = sorted(u for u, w in want.items() if w["category"] == "规范性文件" and w["year"] == "2026")
    assert shown(page) == match and len(match) == 3
    assert count_text(page) == "共 3 件"
    assert visible_headings(page)[:2] == ["规范性文件（3件）", "2026年"]
    assert "其他文件（3件）" not in visible_headings(page) and "2025年" not in visible_headings(page)
    assert "上级政策文件（转载）" in visible_headings(page)   # not filtered: not the county's own
    page.select_option("#pf-validity", "现行有效")
    assert shown(page) == ["/items/qfz/2026/zhuanxiang/", "/items/sfj/2026/gfxwj/"]
    page.select_option("#pf-org", "wjz")
    assert shown(page) == []
    assert count_text(page) == "共 0 件，没有符合条件的政策文件，请调整筛选条件。"
    page.click("button[type=reset]")
    page.wait_for_function("document.getElementById('policy-count').textContent.trim() === '共 8 件'")
    assert shown(page) == sorted(want) and "?" not in page.url
    context.close()


def test_the_text_box_finds_titles_and_doc_numbers_whatever_the_brackets(small, web):
    context, page = open_library(web)
    page.fill("#pf-q", "测司规[2025]2号")
    page.wait_for_function("document.getElementById('policy-count').textContent.trim() === '共 1 件'")
    assert shown(page) == ["/items/sfj/2025/tiaojie/"]
    page.fill("#pf-q", "乡村振兴")
    page.wait_for_function("document.getElementById('policy-count').textContent.trim() === '共 1 件'")
    assert shown(page) == ["/items/qfz/2026/zhuanxiang/"]
    page.press("#pf-q", "Enter")   # no reload: the filter is already applied
    assert "q=" in page.url and shown(page) == ["/items/qfz/2026/zhuanxiang/"]
    context.close()


def test_the_choice_is_kept_in_the_url_and_restored_on_reload(small, web):
    lib, _ = small
    want = expected(lib)
    context, page = open_library(web)
    page.select_option("#pf-org", "sfj")
    page.select_option("#pf-validity", "已废止")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query == {"org": ["sfj"], "validity": ["已废止"]}
    page.reload()
    assert page.input_value("#pf-org") == "sfj" and page.input_value("#pf-validity") == "已废止"
    assert shown(page) == ["/items/sfj/2024/feizhi/"] and count_text(page) == "共 1 件"
    context.close()
    # a link made elsewhere, with a value the lists do not have (an old link): that one is ignored
    context, page = open_library(web, "?year=2023&topic=" + urllib.parse.quote("乡村振兴") + "&org=nosuch")
    assert page.input_value("#pf-year") == "2023" and page.input_value("#pf-org") == ""
    assert shown(page) == ["/items/wjz/2024/fangan/"]
    assert shown(page) == sorted(u for u, w in want.items() if w["year"] == "2023" and w["topic"] == "乡村振兴")
    context.close()


def test_the_filters_work_by_keyboard_alone(small, web):
    lib, _ = small
    want = expected(lib)
    context, page = open_library(web)
    page.focus("#pf-org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pf-year"
    page.keyboard.press("ArrowDown")   # a closed list steps to its next option and says so (change)
    assert page.input_value("#pf-year") == "2026"
    assert shown(page) == sorted(u for u, w in want.items() if w["year"] == "2026")
    assert count_text(page) == f"共 {len(shown(page))} 件" and "year=2026" in page.url
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pf-validity"
    page.keyboard.press("End")
    assert page.input_value("#pf-validity") == "已废止"
    assert shown(page) == []   # nothing 成文 in 2026 is repealed
    focus = page.evaluate("(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle; })()")
    assert focus != "none"
    context.close()


MEASURE = """
window.__shifts = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__shifts.push(e.value); })
  .observe({type: "layout-shift", buffered: true});
document.addEventListener("DOMContentLoaded", () => {   // registered before policies.js's own handler
  const box = s => { const el = document.querySelector(s); if (!el) return null;
                     const r = el.getBoundingClientRect(); return [r.top + scrollY, r.left, r.width, r.height]; };
  window.__before = {form: box("#policy-filters"), count: box("#policy-count"), table: box("main table")};
  window.__box = box;
});
"""


@pytest.mark.parametrize("query", ["", "?category=" + urllib.parse.quote("其他文件") + "&year=2024"])
def test_no_layout_shift_when_the_script_runs(web, query):
    context, page = open_library(web, query, block_toolbar=True, init=MEASURE)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    before = page.evaluate("window.__before")
    after = page.evaluate("({form: __box('#policy-filters'), count: __box('#policy-count'), table: __box('main table')})")
    assert before["form"] and before["form"][3] > 50   # the form is laid out before the script wires it
    assert before["form"] == after["form"] and before["count"][:3] == after["count"][:3]
    if not query:
        assert before["table"] == after["table"]
    assert page.evaluate("window.__shifts") == []
    context.close()


def test_without_javascript_the_form_is_hidden_and_everything_is_listed(small, web):
    lib, _ = small
    context, page = open_library(web, "?org=sfj", script=False)
    assert not page.locator("#policy-filters").is_visible()
    assert not page.get_by_role("button").count()
    assert shown(page) == sorted(expected(lib))
    assert count_text(page) == "共 8 件"
    context.close()


def test_care_version_filters_the_list_too(small, web):
    lib, _ = small
    want = expected(lib)
    context, page = open_library(web, "?validity=" + urllib.parse.quote("已修改"), care=True)
    assert page.locator("#policy-filters").is_visible()
    assert shown(page) == sorted(u for u, w in want.items() if w["validity"] == "已修改")
    assert count_text(page) == "共 1 件"
    page.select_option("#pf-validity", "")
    assert shown(page) == sorted(want)
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#pf-org')).fontSize)")
    assert size >= 24
    context.close()
