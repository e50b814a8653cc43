"""Drawing the 政务地图 in plain Python: projection, line simplification, label placement.

Everything is computed in SVG user units and written with one decimal, so the same content
gives the same bytes. No geometry library: a county outline is a few hundred points, and the
three algorithms here (equirectangular projection, Douglas–Peucker, greedy label placement)
are a page each.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

Pt = tuple[float, float]
Box = tuple[float, float, float, float]      # left, top, right, bottom


# ---- projection -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Equirectangular, longitude scaled by cos(mid latitude): at county scale east–west and
    north–south distances then match to a fraction of a percent. North is up."""
    lon0: float
    lat0: float          # the northern edge
    kx: float
    scale: float         # SVG units per degree of latitude
    left: float
    top: float

    def __call__(self, lon: float, lat: float) -> Pt:
        return (self.left + (lon - self.lon0) * self.kx * self.scale, self.top + (self.lat0 - lat) * self.scale)

    def km_to_units(self, km: float) -> float:
        return km / 111.195 * self.scale     # one degree of latitude on a 6371 km sphere


def fit(lonlats: list[Pt], width: int, max_height: int, pad: int, min_span: float) -> tuple[Projection, int]:
    """The projection that fits every (lon, lat) into `width` × at most `max_height`, `pad`
    units free on every side, centred; and the frame's height."""
    lon_min, lon_max = min(p[0] for p in lonlats), max(p[0] for p in lonlats)
    lat_min, lat_max = min(p[1] for p in lonlats), max(p[1] for p in lonlats)
    kx = math.cos(math.radians((lat_min + lat_max) / 2))
    span_x, span_y = (lon_max - lon_min) * kx, lat_max - lat_min
    scale = min((width - 2 * pad) / max(span_x, min_span), (max_height - 2 * pad) / max(span_y, min_span))
    height = round(max(span_y, min_span) * scale + 2 * pad)
    left, top = (width - span_x * scale) / 2, (height - span_y * scale) / 2
    return Projection(lon_min, lat_max, kx, scale, left, top), height


# ---- lines ----------------------------------------------------------------------------------


def simplify(points: list[Pt], tolerance: float) -> list[Pt]:
    """Douglas–Peucker: the fewest points of the line within `tolerance` of it, ends kept. A
    closed ring (first point = last) works as it is: its farthest point from the start is kept
    first. Iterative, so a long ring does not meet the recursion limit."""
    n = len(points)
    if n < 3:
        return list(points)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        far, at = -1.0, i
        for k in range(i + 1, j):
            d = _segment_distance(points[k], points[i], points[j])
            if d > far:
                far, at = d, k
        if far > tolerance:
            keep[at] = True
            stack.append((i, at))
            stack.append((at, j))
    return [p for p, k in zip(points, keep) if k]


def ring_area(ring: list[Pt]) -> float:
    """Unsigned area (shoelace)."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))) / 2


def path_data(rings: list[list[Pt]]) -> str:
    """SVG path data of closed rings: "M x y L x y x y … Z" with one decimal (repeated
    coordinates after L need no letter)."""
    parts = []
    for ring in rings:
        pts = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
        head, *rest = [f"{x:.1f} {y:.1f}" for x, y in pts]
        parts.append(f"M{head}L{' '.join(rest)}Z")
    return "".join(parts)


def _segment_distance(p: Pt, a: Pt, b: Pt) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


# ---- labels ---------------------------------------------------------------------------------

LINE_HEIGHT = 1.3      # a label's box height in em: Chinese fonts' ascent + descent, with the halo
HALO = 2.0             # the white stroke around label text, in units, on every side
GAP = 2.0              # the least space between two labels, or a label and a point
ROUNDS = 8             # greedy passes at most, each starting with the points the last one left out
LEADER_COST = 40.0     # what a leader line costs over a place beside the point (plus its length)
NEAR = 14.0            # a label this close to another point reads as that point's…
AMBIGUOUS = 60.0       # …and one nearer another point than its own, more so
WIDE = 0x2E80          # from here on (CJK radicals onwards) a character is one em wide


@dataclass
class Label:
    """Where one point's label goes: the text starts at (x, y) (text-anchor start, y the
    middle of the line), optionally joined to its point by a leader line; `number` when the
    label is the point's number in the legend instead of its name."""
    x: str
    y: str
    box: Box
    leader: tuple[str, str, str, str] | None = None
    number: int | None = None


@dataclass
class Layout:
    labels: list[Label]
    legend: list[int] = field(default_factory=list)    # indexes of points shown by number


def text_width(text: str, size: float) -> float:
    """An estimate of the advance of `text` at font size `size`: one em for a Chinese character
    (every CJK font), 0.6 em for Latin letters and digits (wider than most)."""
    return sum(size if ord(c) >= WIDE else 0.6 * size for c in text)


def label_box(text: str, size: float) -> tuple[float, float]:
    return text_width(text, size) + 2 * HALO, size * LINE_HEIGHT


def place_labels(points: list[Pt], texts: list[str], size: float, width: float, height: float,
                 radius: float, obstacles: list[Box] = ()) -> Layout:
    """Labels for points so that no two overlap, none covers a point or an obstacle, all stay
    inside the frame: greedy, the most crowded point first, each taking the first free place of
    its candidates (beside the point, then further out with a leader line); points left out go
    first in another pass. A point whose name still finds no place is shown by its number,
    listed in the legend."""
    circles = [circle_box(p, radius) for p in points]
    blocked = list(obstacles) + circles
    order = sorted(range(len(points)), key=lambda i: (-_crowding(points, i, size), i))
    best: tuple[dict[int, Label], list[int], list[Box], list] | None = None
    for _ in range(ROUNDS):   # a point left out goes first next round; the round leaving out fewest wins
        taken: list[Box] = []
        leaders: list[tuple[Pt, Pt]] = []
        placed: dict[int, Label] = {}
        unplaced = []
        for i in order:
            label = _place(i, points, label_box(texts[i], size), radius, width, height, taken, leaders, blocked)
            if label is None:
                unplaced.append(i)
            else:
                placed[i] = label
        if best is None or len(unplaced) < len(best[1]):
            best = placed, unplaced, taken, leaders
        if not unplaced:
            break
        order = unplaced + [i for i in order if i not in unplaced]
    placed, unplaced, taken, leaders = best
    legend = sorted(unplaced)
    for n, i in enumerate(legend, 1):
        wh = label_box(str(n), size)
        label = (_place(i, points, wh, radius, width, height, taken, leaders, blocked)
                 # a point hemmed in by others: its leader may cross their markers
                 or _place(i, points, wh, radius, width, height, taken, leaders, blocked, relaxed=True))
        if label is None:   # nowhere at all: beside the point, overlapping (the table still lists it)
            x, y = points[i]
            w, h = label_box(str(n), size)
            label = _label((x + radius + GAP, y - h / 2, x + radius + GAP + w, y + h / 2), None)
        label.number = n
        placed[i] = label
    return Layout([placed[i] for i in range(len(points))], legend)


def circle_box(at: Pt, radius: float) -> Box:
    return (at[0] - radius, at[1] - radius, at[0] + radius, at[1] + radius)


def _crowding(points: list[Pt], i: int, size: float) -> int:
    x, y = points[i]
    reach = 6 * size
    return sum(1 for j, (u, v) in enumerate(points) if j != i and abs(u - x) < reach and abs(v - y) < reach)


def _place(i: int, points: list[Pt], wh: tuple[float, float], radius: float, width: float, height: float,
           taken: list[Box], leaders: list[tuple[Pt, Pt]], blocked: list[Box], relaxed: bool = False) -> Label | None:
    """The cheapest free candidate: beside the point before further out, short leaders before
    long ones, and away from other points, so that a reader takes the label for its own point.
    `relaxed`: the leader may pass over other points' markers."""
    x, y = points[i]
    w, h = wh
    own = len(blocked) - len(points) + i
    best: tuple[float, Box, tuple[Pt, Pt] | None] | None = None
    for rank, (box, needs_leader) in enumerate(_candidates(x, y, w, h, radius, width)):
        if best is not None and needs_leader and best[0] < LEADER_COST:
            break    # a free place beside the point beats every leader
        if not (0 <= box[0] and box[2] <= width and 0 <= box[1] and box[3] <= height):
            continue
        if any(_overlap(box, b) for b in taken) or any(_overlap(box, b) for b in blocked):
            continue
        if any(_segment_hits_box(a, b, box) for a, b in leaders):
            continue
        leader = None
        cost = rank * 0.1
        if needs_leader:
            end = _nearest_on_box((x, y), box)
            d = math.hypot(end[0] - x, end[1] - y)
            start = (x + (end[0] - x) * radius / d, y + (end[1] - y) * radius / d)
            if (any(_segment_hits_box(start, end, b) for b in taken)
                    or any(_segment_hits_box(start, end, c) for j, c in enumerate(blocked)
                           if j != own and not (relaxed and j >= len(blocked) - len(points)))
                    or any(_segments_cross(start, end, a, b) for a, b in leaders)):
                continue
            leader = (start, end)
            cost += LEADER_COST + d
        mine = _box_distance((x, y), box)
        for j, q in enumerate(points):
            if j != i:
                near = _box_distance(q, box)
                cost += max(0.0, NEAR - near) * 4 + (AMBIGUOUS if near < mine + radius else 0)
        if best is None or cost < best[0]:
            best = (cost, box, leader)
    if best is None:
        return None
    _, box, leader = best
    if leader is not None:
        leaders.append(leader)
    taken.append(box)
    return _label(box, leader)


def _box_distance(p: Pt, box: Box) -> float:
    q = _nearest_on_box(p, box)
    return math.hypot(q[0] - p[0], q[1] - p[1])


def _label(box: Box, leader: tuple[Pt, Pt] | None) -> Label:
    left, top, _, bottom = box
    line = None if leader is None else tuple(f"{v:.1f}" for v in (*leader[0], *leader[1]))
    return Label(f"{left + HALO:.1f}", f"{(top + bottom) / 2:.1f}", box, line)


def _candidates(x: float, y: float, w: float, h: float, radius: float, width: float):
    """(box, needs a leader) in order of preference: beside the point on the side with more
    room first, then above and below, then ever further out along 24 directions."""
    g = d = radius + GAP + 1     # just clear of the point's own circle (and of GAP around it)
    east = [(x + g, y - h / 2), (x + d, y - d - h), (x + d, y + d)]
    west = [(x - g - w, y - h / 2), (x - d - w, y - d - h), (x - d - w, y + d)]
    sides = west + east if x > width / 2 else east + west
    for left, top in sides + [(x - w / 2, y - g - h), (x - w / 2, y + g)]:
        yield (left, top, left + w, top + h), False
    angles = sorted(range(0, 360, 15), key=lambda a: (min(a % 180, 180 - a % 180), a))   # flattest first
    for reach in (24, 40, 58, 80, 105, 135, 170, 210, 250):
        for a in angles:
            ux, uy = math.cos(math.radians(a)), -math.sin(math.radians(a))
            ax, ay = x + (g + reach) * ux, y + (g + reach) * uy
            top = ay - h if uy < -0.3 else ay if uy > 0.3 else ay - h / 2
            if abs(uy) <= 0.3:        # beside: the box starts (or ends) at the leader's end
                lefts = [ax if ux > 0 else ax - w]
            else:                     # above or below: the box centred on it, or to one side
                lefts = [ax - w / 2, ax - w * 0.1, ax - w * 0.9] if abs(ux) <= 0.3 else [ax if ux > 0 else ax - w]
            for left in lefts:
                yield (left, top, left + w, top + h), True


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] + GAP and b[0] < a[2] + GAP and a[1] < b[3] + GAP and b[1] < a[3] + GAP


def _nearest_on_box(p: Pt, box: Box) -> Pt:
    return (min(max(p[0], box[0]), box[2]), min(max(p[1], box[1]), box[3]))


def _segment_hits_box(a: Pt, b: Pt, box: Box) -> bool:
    """Whether segment a–b passes through the box (Liang–Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box[0]), (dx, box[2] - a[0]), (-dy, a[1] - box[1]), (dy, box[3] - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return t1 - t0 > 1e-6


def _segments_cross(a: Pt, b: Pt, c: Pt, d: Pt) -> bool:
    def side(p: Pt, q: Pt, r: Pt) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0
