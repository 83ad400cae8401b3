"""The outlines of the communes and départements of Île-de-France, simplified for the web.

The source (`data/idf/communes.geojson`, 1.1 MB, IGN Admin Express 2018) is projected to a
plane (equirectangular around the region's mean latitude: at this scale, the difference with a
conformal projection is under a pixel), then simplified *along shared borders*: every border
between two communes (an "arc", cut where three outlines meet) is simplified once by
Douglas-Peucker and used by both sides, so neighbours never gap nor overlap; a commune too
small for the tolerance keeps its shape. Coordinates are rounded to whole units of the drawing
and written as relative SVG path data.

The département outlines are the communes' outer borders put together (so they meet the
communes' exactly, where the separately simplified `departements.geojson` would not); a test
checks their areas against that file.

The result is computed once, by `manage.py build_outlines`, into `data/outlines.json`
(committed, ~150 kB): pages read it in a millisecond and it works offline. It records the
checksum of its source and of the parameters; `outlines()` refuses a file older than its source,
and a test rebuilds it and compares.

Outlines of 2018 communes that have since merged are drawn with the commune they joined
(`MERGERS`); Paris is one outline (75056) for its 20 arrondissements.
"""

import csv
import hashlib
import json
import math
import re
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE = DATA_DIR / "idf" / "communes.geojson"
OUTPUT = DATA_DIR / "outlines.json"
COMMUNES_CSV = DATA_DIR / "idf" / "communes.csv"

WIDTH = 3000  # units of the drawing, west to east
TOLERANCE = 2  # Douglas-Peucker, in units of the drawing: 0.7 px on a 1,000 px wide map
PARIS = "75056"
VERSION = 1  # raise when the algorithm changes: the file is then rebuilt

# Communes of the 2018 outlines merged since (INSEE, Code officiel géographique: "communes
# nouvelles" and "fusions"): drawn with the commune they joined.
MERGERS = {
    "77028": "77433",  # Beautheil → Beautheil-Saints, 2019
    "77149": "77109",  # Cucharmoy → Chenoise-Cucharmoy, 2019
    "77399": "77504",  # Saint-Ange-le-Viel → Villemaréchal, 2019
    "78251": "78551",  # Fourqueux → Saint-Germain-en-Laye, 2019
    "78503": "78320",  # Port-Villez → Notre-Dame-de-la-Mer, 2019
    "78524": "78158",  # Rocquencourt → Le Chesnay-Rocquencourt, 2019
    "91182": "91228",  # Courcouronnes → Évry-Courcouronnes, 2019
    "91222": "91390",  # Estouches → Le Mérévillois, 2019
    "93059": "93066",  # Pierrefitte-sur-Seine → Saint-Denis, 2025
    "95282": "95169",  # Gouzangrez → Commeny, 2024
}


def rings_of(path):
    """The rings of a path written by `_path`, as lists of absolute (x, y): for tests and
    checks."""
    rings = []
    for part in path.split("M")[1:]:
        numbers = [int(n) for n in re.findall(r"-?\d+", part)]
        x, y = numbers[0], numbers[1]
        ring = [(x, y)]
        for dx, dy in zip(numbers[2::2], numbers[3::2], strict=True):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def outline_code(code_insee):
    """The outline a commune is drawn with: Paris's arrondissements are drawn as Paris."""
    return PARIS if code_insee.startswith("751") else code_insee


class OutlinesOutdated(RuntimeError):
    pass


def source_checksum():
    digest = hashlib.sha256()
    for path in (SOURCE, COMMUNES_CSV):
        digest.update(path.read_bytes())
    digest.update(f"{VERSION}:{WIDTH}:{TOLERANCE}:{sorted(MERGERS.items())}".encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def outlines():
    """{"viewbox": [x, y, w, h], "communes": {outline code: path data}, "departments": {code:
    {"path": path data, "box": [x, y, w, h]}}, "boxes": {outline code: [x, y, w, h]}}."""
    data = json.loads(OUTPUT.read_text(encoding="utf-8"))
    if data.get("source") != source_checksum():
        raise OutlinesOutdated(
            f"{OUTPUT.name} is older than its source: run `manage.py build_outlines`."
        )
    return data


# --- Building ------------------------------------------------------------------------------------


def _rings(geometry):
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for polygon in polygons:
        for ring in polygon:
            points = [(round(lon * 10_000), round(lat * 10_000)) for lon, lat in ring]
            if points[0] == points[-1]:
                points.pop()
            if len(points) >= 3:
                yield points


def _area(points, project):
    total = 0.0
    for i, point in enumerate(points):
        x1, y1 = project(point)
        x2, y2 = project(points[(i + 1) % len(points)])
        total += x1 * y2 - x2 * y1
    return total / 2


def _distance_to_segment(p, a, b):
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    if length == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _douglas_peucker(points, tolerance, keep_one):
    """Indexes kept of `points` (projected). `keep_one`: keep at least the farthest point, so
    that a ring of two arcs never flattens to a line."""
    kept = {0, len(points) - 1}
    stack = [(0, len(points) - 1, keep_one)]
    while stack:
        first, last, force = stack.pop()
        if last - first < 2:
            continue
        # A closed arc (both ends on one point): measure from that point.
        farthest, distance = first, -1.0
        for i in range(first + 1, last):
            d = _distance_to_segment(points[i], points[first], points[last])
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance or force:
            kept.add(farthest)
            stack.append((first, farthest, False))
            stack.append((farthest, last, False))
    return sorted(kept)


def build(features, current_codes, *, width=WIDTH, tolerance=TOLERANCE):
    """The simplified outlines of `features` (GeoJSON features with a `code` property);
    `current_codes`: the communes of today (an outline whose code is not one of them is a
    commune merged since, drawn with its neighbour)."""
    rings = []  # (outline code, points in 1e-4 degrees)
    for feature in features:
        for points in _rings(feature["geometry"]):
            rings.append((feature["properties"]["code"], points))

    lons = [p[0] for _code, points in rings for p in points]
    lats = [p[1] for _code, points in rings for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    stretch = math.cos(math.radians((south + north) / 2 / 10_000))
    scale = width / ((east - west) * stretch)

    def project(point):
        return ((point[0] - west) * stretch * scale, (north - point[1]) * scale)

    height = math.ceil((north - south) * scale)

    # One orientation for all outer rings (the other for holes), so that a border shared by two
    # communes runs one way in one and the other way in the other.
    by_code = {}
    for code, points in rings:
        by_code.setdefault(code, []).append(points)
    normalised = []
    for code, code_rings in by_code.items():
        biggest = max(code_rings, key=lambda r: abs(_area(r, project)))
        for points in code_rings:
            # Outer rings are the biggest and those not inside another ring of the commune.
            is_hole = points is not biggest and _inside(points[0], biggest)
            area = _area(points, project)
            if (area > 0) == is_hole:
                points = points[::-1]
            normalised.append((code, points))

    # Junctions: points where the outlines around them change.
    neighbours = {}
    for _code, points in normalised:
        n = len(points)
        for i, point in enumerate(points):
            neighbours.setdefault(point, set()).update((points[i - 1], points[(i + 1) % n]))
    junctions = {point for point, around in neighbours.items() if len(around) > 2}

    # Cut every ring into arcs from junction to junction.
    ring_arcs = []  # (code, [arc key, reversed?])
    needs_point = set()
    for code, points in normalised:
        starts = [i for i, point in enumerate(points) if point in junctions]
        if not starts:
            starts = [points.index(min(points))]  # an enclave: its one arc starts anywhere fixed
        arcs = []
        for k, start in enumerate(starts):
            end = starts[(k + 1) % len(starts)]
            # From one junction to the next, around the end of the list if need be.
            arc = tuple(
                points[start:] + points[: end + 1] if end <= start else points[start : end + 1]
            )
            backwards = arc[::-1]
            key, reverse = (arc, False) if arc <= backwards else (backwards, True)
            arcs.append((key, reverse))
            if len(starts) < 3:
                needs_point.add(key)
        ring_arcs.append((code, arcs))

    simplified = {}
    for _code, arcs in ring_arcs:
        for key, _reverse in arcs:
            if key not in simplified:
                projected = [project(p) for p in key]
                kept = _douglas_peucker(projected, tolerance, key in needs_point)
                simplified[key] = tuple(key[i] for i in kept)

    # Merged communes: an outline whose code is gone is drawn with the commune it joined.
    gone = sorted(set(by_code) - set(current_codes))
    unknown = [code for code in gone if code not in MERGERS]
    if unknown:
        raise ValueError(f"Outlines of communes that no longer exist, merged where? {unknown}")
    merged_into = {code: MERGERS[code] for code in gone}

    def owner(code):
        return merged_into.get(code, code)

    def directed(key, reverse):
        points = simplified[key]
        return points[::-1] if reverse else points

    communes, departments, boxes = {}, {}, {}
    commune_arcs, department_arcs = {}, {}
    for code, arcs in ring_arcs:
        commune_arcs.setdefault(owner(code), []).extend(arcs)
        department_arcs.setdefault(code[:2], []).extend(arcs)
    for code, arcs in sorted(commune_arcs.items()):
        chained = _chain([directed(*arc) for arc in _dissolve(arcs)])
        communes[code] = _path(chained, project)
        boxes[code] = _box(chained, project)
    for code, arcs in sorted(department_arcs.items()):
        chained = _chain([directed(*arc) for arc in _dissolve(arcs)])
        departments[code] = {"path": _path(chained, project), "box": _box(chained, project)}
    return {
        "viewbox": [0, 0, width, height],
        "communes": communes,
        "boxes": boxes,
        "departments": departments,
        "merged": dict(sorted(merged_into.items())),
    }


def _inside(point, ring):
    x, y = point
    inside = False
    for i, (x1, y1) in enumerate(ring):
        x2, y2 = ring[i - 1]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _dissolve(arcs):
    """The arcs of a group of rings without those shared inside the group (a border between two
    communes of one département, or between a commune and the one it merged into)."""
    counts = {}
    for key, _reverse in arcs:
        counts[key] = counts.get(key, 0) + 1
    return [(key, reverse) for key, reverse in arcs if counts[key] == 1]


def _chain(arcs):
    """Closed rings made of directed arcs (each arc's end is another's start)."""
    starting = {}
    for arc in arcs:
        starting.setdefault(arc[0], []).append(arc)
    rings = []
    for first in arcs:
        if first not in starting.get(first[0], []):
            continue
        starting[first[0]].remove(first)
        ring = list(first)
        while ring[-1] != ring[0] and starting.get(ring[-1]):
            ring.extend(starting[ring[-1]].pop()[1:])
        if ring[-1] == ring[0]:
            ring.pop()
        rings.append(ring)
    return rings


def _rounded(rings, project):
    for ring in rings:
        points = []
        for point in ring:
            x, y = project(point)
            rounded = (round(x), round(y))
            if not points or rounded != points[-1]:
                points.append(rounded)
        while len(points) > 1 and points[-1] == points[0]:
            points.pop()
        if len(points) >= 3:
            yield points


def _path(rings, project):
    """SVG path data: an absolute move, then relative lines, closed."""
    parts = []
    for points in _rounded(rings, project):
        (x, y), rest = points[0], points[1:]
        steps = []
        for nx, ny in rest:
            steps.append(f"{nx - x} {ny - y}")
            x, y = nx, ny
        parts.append(f"M{points[0][0]} {points[0][1]}l" + " ".join(steps) + "z")
    return "".join(parts).replace(" -", "-")


def _box(rings, project):
    points = [project(p) for ring in rings for p in ring]
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return [
        math.floor(min(xs)),
        math.floor(min(ys)),
        math.ceil(max(xs)) - math.floor(min(xs)),
        math.ceil(max(ys)) - math.floor(min(ys)),
    ]


def build_from_source():
    features = json.loads(SOURCE.read_text(encoding="utf-8"))["features"]
    with open(COMMUNES_CSV, newline="", encoding="utf-8") as handle:
        current = {row["code_insee"] for row in csv.DictReader(handle)}
    return {"source": source_checksum(), **build(features, current)}


def dumps(data):
    return json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n"


def write(data, path=OUTPUT):
    path.write_text(dumps(data), encoding="utf-8")
