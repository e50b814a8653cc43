"""政务地图, 服务事项 and 办事一本通 (seed tasks 7 and 8), checked on the built pages."""
from __future__ import annotations

import posixpath
from pathlib import Path

import pytest

from conftest import ORGS, messages, parse

ORGS_WITH_XZSPJ = ORGS + "- {id: xzspj, name: 测试县行政审批局, short: 县行政审批局, kind: department, credit_code: 11511525MB2222222C}\n"

PLACES = """\
- id: zwfwzx
  name: 测试县政务服务中心
  kind: 政务服务大厅
  address: 测试县某某路2号
  lat: 28.436
  lon: 104.517
  hours: 周一至周五 9:00-12:00, 13:30-17:00
  phone: 0831-6500001
  disclosure_zone: true
  services: [xzspj/qysl, sfj/flyz]
- id: qfz-bmfw
  name: 庆符镇便民服务中心
  kind: 便民服务中心
  town: qfz
  address: 庆符镇某某街
  lat: 28.39
  lon: 104.46
  services: [sfj/flyz]
- id: wjz-bmfw
  name: 文江镇便民服务中心
  kind: 便民服务中心
  town: wjz
- id: dag
  name: 测试县档案馆
  kind: 档案馆
  lat: 28.45
  lon: 104.55
  disclosure_zone: true
"""

QYSL = """\
name: 企业设立登记
kind: 行政许可
basis: [《中华人民共和国市场主体登记管理条例》, 《市场主体登记管理条例实施细则》]
conditions: 申请人具有完全民事行为能力
materials:
  - {name: 设立登记申请书, copies: 1, note: 原件}
  - {name: 公司章程, copies: 2}
steps: [申请, 受理, 审核, 办结]
legal_days: 15
promised_days: 3
fee: 不收费
online: https://www.example.gov.cn/qysl
phone: 0831-6500002
life_event: 开办企业
"""

FILES = {
    "orgs.yaml": ORGS_WITH_XZSPJ,
    "data/places.yaml": PLACES,
    "data/services/xzspj/qysl.yaml": QYSL,
    "data/services/xzspj/gtgsh.yaml": "name: 个体工商户登记\nkind: 行政确认\nlife_event: 开办企业\n",
    "data/services/sfj/flyz.yaml": "name: 法律援助申请\nkind: 公共服务\nmaterials: [{name: 申请表, copies: 1}]\n",
}


@pytest.fixture
def site(built):
    result, out = built(FILES)
    assert result.ok, messages(result)
    return out


def page(out: Path, url: str):
    return parse(out / url.lstrip("/") / "index.html")


def target(out: Path, url: str, href: str) -> Path:
    """The file a relative href on the page at `url` points to."""
    rel = href.split("#")[0]
    path = posixpath.normpath(posixpath.join(url, rel)).lstrip("/")
    return out / path / "index.html" if rel.endswith("/") else out / path


def texts(nodes) -> list[str]:
    return [" ".join(n.text_content().split()) for n in nodes]


def fields(node) -> dict[str, str]:
    """The dt → dd text of every <dl> under a node."""
    return {dt.text_content().strip(): " ".join(dt.getnext().text_content().split())
            for dt in node.iter("dt")}


def test_map_draws_one_link_per_located_place_inside_the_viewbox(site):
    doc = page(site, "/map/")
    svg, = doc.iter("svg")
    assert svg.get("role") != "img"            # it holds links
    heading = doc.get_element_by_id(svg.get("aria-labelledby"))
    assert heading.text_content() == "场所分布示意图"
    _, _, width, height = map(float, svg.get("viewbox").split())
    links = svg.findall(".//a")
    names = [a.get("aria-label") for a in links]
    assert sorted(names) == ["庆符镇便民服务中心", "测试县政务服务中心", "测试县档案馆"]   # 文江镇: no lat/lon
    assert {target(site, "/map/", a.get("href")) for a in links} == {
        site / f"map/{p}/index.html" for p in ("zwfwzx", "qfz-bmfw", "dag")}
    for a in links:
        assert a.find("title").text == a.get("aria-label")
        assert target(site, "/map/", a.get("href")).is_file()
        circle = a.find("circle")
        x, y = float(circle.get("cx")), float(circle.get("cy"))
        assert 0 < x < width and 0 < y < height
    # North is up, east is right: the archive (north-east) is above and right of the town centre.
    at = {a.get("aria-label"): (float(a.find("circle").get("cx")), float(a.find("circle").get("cy"))) for a in links}
    assert at["测试县档案馆"][0] > at["庆符镇便民服务中心"][0]
    assert at["测试县档案馆"][1] < at["庆符镇便民服务中心"][1]
    # The place without coordinates is named under the map.
    assert "文江镇便民服务中心" in doc.get_element_by_id("map-h").getparent().text_content()


def test_map_list_groups_by_town_with_county_level_first(site):
    doc = page(site, "/map/")
    section = doc.get_element_by_id("list-h").getparent()
    assert texts(section.iter("h3")) == ["县级", "庆符镇", "文江镇"]
    county = section.find(".//ul[@class='places']")
    assert texts(county.findall("li/p")) == ["测试县政务服务中心", "测试县档案馆"]
    first = fields(county.find("li"))
    assert first["政务公开专区"] == "有"
    assert first["地址"] == "测试县某某路2号"
    assert first["办公时间"] == "周一至周五 9:00-12:00, 13:30-17:00"
    services = county.find("li").findall(".//dd//a")
    assert texts(services) == ["企业设立登记", "法律援助申请"]
    for a in services:
        assert target(site, "/map/", a.get("href")).is_file()
    town_place = fields(section.findall(".//ul[@class='places']")[1])
    assert town_place["政务公开专区"] == "无"


def test_place_page_has_its_fields_locator_and_services(site):
    doc = page(site, "/map/zwfwzx/")
    assert texts(doc.iter("h1")) == ["测试县政务服务中心"]
    got = fields(doc.find(".//main"))
    assert got["所在镇"] == "县级"
    assert got["类别"] == "政务服务大厅"
    assert got["电话"] == "0831-6500001"
    assert got["经纬度"] == "北纬 28.4360°，东经 104.5170°"
    links = {a.text_content(): a.get("href") for a in doc.find(".//main").iter("a")}
    assert target(site, "/map/zwfwzx/", links["企业设立登记"]) == site / "services/xzspj/qysl/index.html"
    locator, = doc.iter("svg")
    assert locator.get("role") == "img" and locator.find("title") is not None
    assert len(locator.findall("circle")) == 3
    assert texts(doc.find(".//nav[@class='crumbs wrap']").iter("li")) == ["首页", "政务地图", "测试县政务服务中心"]
    # Without coordinates: said in words, no SVG.
    doc = page(site, "/map/wjz-bmfw/")
    assert not list(doc.iter("svg"))
    assert "暂无经纬度" in doc.find(".//main").text_content()


def test_service_page_shows_the_whole_guide(site):
    doc = page(site, "/services/xzspj/qysl/")
    main = doc.find(".//main")
    assert texts(main.iter("h1")) == ["企业设立登记"]
    got = fields(main)
    assert got["事项类型"] == "行政许可"
    assert got["实施机构"] == "测试县行政审批局"
    basis = next(dt.getnext() for dt in main.iter("dt") if dt.text == "设定依据")
    assert texts(basis.iter("li")) == ["《中华人民共和国市场主体登记管理条例》", "《市场主体登记管理条例实施细则》"]
    assert got["办理条件"] == "申请人具有完全民事行为能力"
    assert got["法定办结时限"] == "15 个工作日"
    assert got["承诺办结时限"] == "3 个工作日"
    assert got["收费"] == "不收费"
    assert got["咨询电话"] == "0831-6500002"
    assert texts(main.findall(".//ol[@class='steps']/li")) == ["申请", "受理", "审核", "办结"]
    table, = main.iter("table")
    assert table.find("caption").text_content() == "企业设立登记：申请材料"
    assert [(th.text, th.get("scope")) for th in table.findall("thead/tr/th")] == [
        ("材料名称", "col"), ("份数", "col"), ("备注", "col")]
    assert [texts(tr) for tr in table.findall("tbody/tr")] == [["设立登记申请书", "1", "原件"], ["公司章程", "2", "—"]]
    place = next(a for a in main.iter("a") if a.text == "测试县政务服务中心")
    assert target(site, "/services/xzspj/qysl/", place.get("href")) == site / "map/zwfwzx/index.html"
    online = next(a for a in main.iter("a") if a.text == "企业设立登记网上办理入口")
    assert online.get("href") == "https://www.example.gov.cn/qysl" and online.get("rel") == "noopener"
    assert texts(doc.find(".//nav[@class='crumbs wrap']").iter("li")) == ["首页", "服务事项", "企业设立登记"]


def test_online_address_must_be_a_web_address(built):
    bad = dict(FILES)
    bad["data/services/xzspj/gtgsh.yaml"] = "name: 个体工商户登记\nkind: 行政确认\nonline: javascript:alert(1)\n"
    result, out = built(bad)
    assert messages(result) == ["data/services/xzspj/gtgsh.yaml:3: 网上办理（online）应以 https:// 或 http:// 开头"]
    assert not out.exists()


def test_services_index_groups_by_org_and_links_every_guide(site):
    main = page(site, "/services/").find(".//main")
    assert texts(main.iter("h2")) == ["测试县司法局", "测试县行政审批局"]   # orgs.yaml order
    hrefs = [a.get("href") for a in main.findall(".//ul[@class='service-list']//a")]
    assert len(hrefs) == 3
    assert all(target(site, "/services/", h).is_file() for h in hrefs)


def test_handbook_groups_by_life_event_with_a_working_contents(site):
    doc = page(site, "/handbook/")
    main = doc.find(".//main")
    assert texts(main.iter("h1")) == ["办事一本通"]
    groups = main.findall(".//section[@class='life-event']")
    assert [texts(g.findall("h2"))[0] for g in groups] == ["开办企业", "其他事项"]
    assert [texts(g.findall("section/h3")) for g in groups] == [["个体工商户登记", "企业设立登记"], ["法律援助申请"]]
    ids = [e.get("id") for e in doc.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    toc = main.find(".//nav[@class='toc']")
    anchors = [a.get("href") for a in toc.iter("a")]
    assert anchors == ["#life-1", "#svc-xzspj_gtgsh", "#svc-xzspj_qysl", "#life-2", "#svc-sfj_flyz"]
    for href in anchors:
        assert href[1:] in ids and href[1:].isascii()
    # Each guide is inline, as on its own page.
    guide = doc.get_element_by_id("svc-xzspj_qysl")
    assert fields(guide)["法定办结时限"] == "15 个工作日"
    assert guide.find(".//table/caption") is not None
    assert texts(doc.find(".//nav[@class='crumbs wrap']").iter("li")) == ["首页", "办事一本通"]
    # The service page links to its place in the handbook.
    back = page(site, "/services/xzspj/qysl/").find(".//main//a[.='在办事一本通中查看本事项']")
    assert back.get("href").endswith("handbook/#svc-xzspj_qysl")


def test_handbook_prints_each_life_event_on_a_new_page_without_site_chrome(site):
    css = (site / "assets/site.css").read_text(encoding="utf-8")
    printed = css[css.index("@media print", css.index("办事一本通 on paper")):]
    assert ".life-event { break-before: page; page-break-before: always; }" in printed
    _, hidden, rule = printed.split("{", 2)      # the first rule inside @media print
    assert rule.startswith(" display: none; }")
    for chrome in (".masthead", ".mainnav", ".crumbs", ".footer", ".version-switch", ".skip", ".warnings"):
        assert chrome in hidden


@pytest.mark.parametrize("url", ["/map/", "/map/zwfwzx/", "/map/wjz-bmfw/", "/services/",
                                 "/services/xzspj/qysl/", "/handbook/"])
def test_every_page_has_a_care_twin_with_one_h1(site, url):
    for path in (url, "/care" + url):
        doc = page(site, path)
        assert len(list(doc.iter("h1"))) == 1
    care = page(site, "/care" + url)
    assert "care" in care.find("body").get("class")


def test_pages_exist_without_places_or_services(built):
    result, out = built()
    assert result.ok, messages(result)
    for url in ("/map/", "/services/", "/handbook/"):
        main = page(out, url).find(".//main")
        assert "暂无" in main.text_content()
        assert not list(main.iter("svg"))


def test_a_single_place_is_drawn_in_the_middle(built):
    result, out = built({"data/places.yaml": "- {id: a, name: 甲, lat: 28.4, lon: 104.5}\n"})
    assert result.ok, messages(result)
    svg, = page(out, "/map/").iter("svg")
    _, _, width, height = map(float, svg.get("viewbox").split())
    circle = svg.find(".//circle")
    assert (float(circle.get("cx")), float(circle.get("cy"))) == (width / 2, height / 2)
