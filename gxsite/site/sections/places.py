"""政务地图 (seed task 7): /map/ shows every service place on a map drawn at build time and as a
list by town; /map/<id>/ is one place with a small locator map.

The map is inline SVG computed here from lat/lon, so it works offline and loads nothing from
another host: the county's outline (and its towns', where the site has them) from data/map/,
projected and simplified to a few kB, the places on top, their labels placed so that none
overlap (map_drawing.py). Coordinates are formatted with fixed decimals: the same content gives
the same bytes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterator

from gxsite.content import model
from gxsite.core.page import Page
from gxsite.site.sections.map_drawing import (HALO, Box, Label, Projection, Pt, circle_box, fit, label_box, path_data,
                                              place_labels, ring_area, simplify)

WIDTH = 640          # viewBox units; CSS scales the SVG to its container
MAX_HEIGHT = 720     # a county standing upright still gets room for its labels beside it
PAD = 48             # room around the outline and the outermost points for markers and labels
MIN_SPAN = 0.01      # degrees: one place (or several at one spot) still gets a sensible frame
TOLERANCE = 0.6      # units: outline detail finer than this is not drawn (Douglas–Peucker)
MIN_RING = 4.0       # units²: islets and slivers smaller than this are left out
RADIUS = 6           # a place's point on the map
HERE, OTHER = 12, 6  # the locator map: this place, the others
# Label font sizes (SVG units) per variant, written into the SVG: the layout is computed for them.
LABEL_SIZE = {"std": 15, "care": 20}
LOCATOR_SIZE = {"std": 28, "care": 32}
NOTE_SIZE = {"std": 13, "care": 18}           # the 示意图 tag and the scale bar
LOCATOR_NOTE_SIZE = {"std": 24, "care": 28}   # the locator is drawn at about half the size
SCALE_KM = (1, 2, 5, 10, 20, 50, 100, 200, 500)
COUNTY = "县级"       # the group of places that belong to no town


@dataclass
class Point:
    place: model.Place
    x: str
    y: str
    at: Pt
    labels: dict[str, Label] = field(default_factory=dict)     # by variant, on the map
    locator: dict[str, Label] = field(default_factory=dict)    # by variant, on the place's own page


@dataclass
class Marks:
    """The 示意图 tag and the scale bar of one variant: where they go and what they block."""
    size: int
    tag: tuple[str, str]                  # text start and middle
    bar: str                              # path data of the scale bar
    bar_text: tuple[str, str]
    km: int
    boxes: list[Box]


@dataclass
class Frame:
    width: int
    height: int
    points: list[Point]
    outline: str = ""                     # path data of the county
    towns: str = ""                       # path data of the town boundaries
    note: str = "示意图：按各场所经纬度绘制。"   # the 示意图 note: where the outline comes from, if drawn
    marks: dict[str, Marks] = field(default_factory=dict)            # by variant
    locator_marks: dict[str, Marks] = field(default_factory=dict)
    legend: dict[str, list[tuple[int, model.Place]]] = field(default_factory=dict)
    label_size: dict[str, int] = field(default_factory=lambda: dict(LABEL_SIZE))
    locator_size: dict[str, int] = field(default_factory=lambda: dict(LOCATOR_SIZE))
    radius: int = RADIUS                  # the sizes the labels were laid out around
    here: int = HERE
    other: int = OTHER


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    groups = by_town(lib)
    ordered = [p for _, places in groups for p in places]   # list order is also the map's tab order
    frame = project(ordered, lib.boundaries)
    yield Page("/map/", "map.html", "政务地图", {
        "groups": groups, "frame": frame, "unlocated": [p for p in ordered if not located(p)],
    }, [("政务地图", "/map/")])
    points = {pt.place.id: pt for pt in frame.points} if frame else {}
    for place in ordered:
        yield Page(place.url, "place.html", place.name,
                   {"place": place, "frame": frame, "point": points.get(place.id)},
                   [("政务地图", "/map/"), (place.name, place.url)])


def by_town(lib: model.Library) -> list[tuple[str, list[model.Place]]]:
    """County-level places first, then each town in orgs.yaml order; places keep file order."""
    groups: dict[str, list[model.Place]] = {"": [], **{town: [] for town in lib.towns}}
    for place in lib.places.values():
        groups[place.town].append(place)   # resolve made sure place.town is a town
    return [(lib.orgs[key].label if key else COUNTY, places) for key, places in groups.items() if places]


def located(place: model.Place) -> bool:
    return place.lat is not None and place.lon is not None


def project(places: list[model.Place], boundaries: list[model.Boundary] = ()) -> Frame | None:
    """The map of the located places over the county's outline, fitted and centred in the frame,
    with labels laid out for each variant; None when no place has coordinates."""
    located_places = [p for p in places if located(p)]
    if not located_places:
        return None
    county = next((b for b in boundaries if b.kind == "county"), None)
    towns = [b for b in boundaries if b.kind == "town"]
    extent = [(p.lon, p.lat) for p in located_places]
    if county is not None:
        extent += [pt for rings in county.polygons for pt in rings[0]]
    proj, height = fit(extent, WIDTH, MAX_HEIGHT, PAD, MIN_SPAN)
    points = []
    for p in located_places:
        x, y = proj(p.lon, p.lat)
        points.append(Point(p, f"{x:.1f}", f"{y:.1f}", (x, y)))
    frame = Frame(WIDTH, height, points)
    if county is not None:
        frame.outline = _path(county, proj)
        frame.towns = "".join(_path(t, proj) for t in towns)
        frame.note = f"示意图，边界数据来源：{county.source}，坐标系 {county.datum}。"
    at = [pt.at for pt in points]
    for variant, size in LABEL_SIZE.items():
        marks = frame.marks[variant] = _marks(proj, height, NOTE_SIZE[variant])
        layout = place_labels(at, [pt.place.name for pt in points], size, WIDTH, height, RADIUS, marks.boxes)
        for pt, label in zip(points, layout.labels):
            pt.labels[variant] = label
        frame.legend[variant] = [(points[i].labels[variant].number, points[i].place) for i in layout.legend]
        small = frame.locator_marks[variant] = _marks(proj, height, LOCATOR_NOTE_SIZE[variant])
        for i, pt in enumerate(points):
            others = [circle_box(q, OTHER) for j, q in enumerate(at) if j != i]
            alone = place_labels([pt.at], [pt.place.name], LOCATOR_SIZE[variant], WIDTH, height, HERE,
                                 others + small.boxes)
            pt.locator[variant] = alone.labels[0]
    return frame


def _path(boundary: model.Boundary, proj: Projection) -> str:
    rings = []
    for polygon in boundary.polygons:
        for ring in polygon:
            drawn = simplify([proj(lon, lat) for lon, lat in ring], TOLERANCE)
            if len(drawn) >= 4 and ring_area(drawn) >= MIN_RING:
                rings.append(drawn)
    return path_data(rings)


def _marks(proj: Projection, height: int, size: int) -> Marks:
    """The 示意图 tag at the top left and a scale bar at the bottom left (a round number of
    kilometres, at most a quarter of the width)."""
    tag_w, h = label_box("示意图", size)
    tag = (8.0, 8.0, 8.0 + tag_w, 8.0 + h)
    per_km = proj.km_to_units(1)
    km = max([k for k in SCALE_KM if k * per_km <= WIDTH / 4] or [SCALE_KM[0]])
    length = km * per_km
    middle = height - 8.0 - h / 2          # of the bar's text; the bar sits on the text's baseline
    x0, y0 = 12.0, middle + size * 0.3
    bar = f"M{x0:.1f} {y0 - 6:.1f}V{y0:.1f}H{x0 + length:.1f}V{y0 - 6:.1f}"
    text = f"{km} 公里"
    text_w, _ = label_box(text, size)
    tx = x0 + length + 6
    boxes = [tag, (x0 - 2, y0 - 8, x0 + length + 2, y0 + 2), (tx, middle - h / 2, tx + text_w, middle + h / 2)]
    return Marks(size, (f"{tag[0] + HALO:.1f}", f"{(tag[1] + tag[3]) / 2:.1f}"), bar,
                 (f"{tx + HALO:.1f}", f"{middle:.1f}"), km, boxes)
