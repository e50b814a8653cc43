"""政务地图 (seed task 7): /map/ shows every service place on a map drawn at build time and as a
list by town; /map/<id>/ is one place with a small locator map.

The map is inline SVG computed here from lat/lon, so it works offline and loads nothing from
another host. Coordinates are formatted with fixed decimals: the same content gives the same bytes.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Iterator

from gxsite.content import model
from gxsite.core.page import Page

WIDTH = 640          # viewBox units; CSS scales the SVG to its container
MAX_HEIGHT = 480
PAD = 48             # room around the outermost points for markers and labels
MIN_SPAN = 0.01      # degrees: one place (or several at one spot) still gets a sensible frame
COUNTY = "县级"       # the group of places that belong to no town


@dataclass
class Point:
    place: model.Place
    x: str
    y: str
    anchor: str      # label side: "start" (right of the point) or "end" (left, on the right half)


@dataclass
class Frame:
    width: int
    height: int
    points: list[Point]


def pages(lib: model.Library, today: dt.date) -> Iterator[Page]:
    groups = by_town(lib)
    ordered = [p for _, places in groups for p in places]   # list order is also the map's tab order
    frame = project(ordered)
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


def project(places: list[model.Place]) -> Frame | None:
    """Equirectangular projection of the located places, fitted and centred in the frame.

    Longitude is scaled by cos(mid latitude) so distances east–west and north–south match.
    """
    points = [p for p in places if located(p)]
    if not points:
        return None
    lat_min, lat_max = min(p.lat for p in points), max(p.lat for p in points)
    lon_min, lon_max = min(p.lon for p in points), max(p.lon for p in points)
    kx = math.cos(math.radians((lat_min + lat_max) / 2))
    span_x, span_y = (lon_max - lon_min) * kx, lat_max - lat_min
    scale = min((WIDTH - 2 * PAD) / max(span_x, MIN_SPAN), (MAX_HEIGHT - 2 * PAD) / max(span_y, MIN_SPAN))
    height = round(max(span_y, MIN_SPAN) * scale + 2 * PAD)
    left, top = (WIDTH - span_x * scale) / 2, (height - span_y * scale) / 2
    out = []
    for p in points:
        x = left + (p.lon - lon_min) * kx * scale
        y = top + (lat_max - p.lat) * scale
        out.append(Point(p, f"{x:.1f}", f"{y:.1f}", "end" if x > WIDTH / 2 else "start"))
    return Frame(WIDTH, height, out)
