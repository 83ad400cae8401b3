"""The map's outlines: computed once from the project's own files, up to date, small, and
simplified without gaps or overlaps between neighbours."""

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from territories import outlines

SOURCE_DEPARTMENTS = outlines.DATA_DIR / "idf" / "departements.geojson"


@pytest.fixture(scope="module")
def built():
    return outlines.outlines()


def area(ring):
    return (
        abs(
            sum(
                x1 * y2 - x2 * y1
                for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
            )
        )
        / 2
    )


def path_area(path):
    """The area a path covers: its biggest ring, plus the rings outside it (islands), minus the
    rings inside it (holes)."""
    rings = outlines.rings_of(path)
    outer = max(rings, key=area)
    return sum(
        -area(ring) if ring is not outer and outlines._inside(ring[0], outer) else area(ring)
        for ring in rings
    )


def geo_shares(features, project=lambda lon, lat: (lon * 0.66, lat)):
    """Each feature's share of the total area, from the raw GeoJSON (areas in a plane stretched
    as the map is: the shares do not depend on the scale)."""
    areas = {}
    for feature in features:
        total = 0.0
        for ring in outlines._rings(feature["geometry"]):
            projected = [project(*p) for p in ring]
            total += area(projected)
        code = feature["properties"]["code"]
        areas[code] = areas.get(code, 0) + total
    whole = sum(areas.values())
    return {code: value / whole for code, value in areas.items()}


def test_the_committed_file_is_what_the_sources_give_today(built):
    assert outlines.OUTPUT.read_text(encoding="utf-8") == outlines.dumps(
        outlines.build_from_source()
    ), "run `manage.py build_outlines`"
    call_command("build_outlines", "--check")


def test_an_outdated_file_is_refused(tmp_path, monkeypatch):
    stale = tmp_path / "outlines.json"
    stale.write_text(json.dumps({"source": "an older source"}), encoding="utf-8")
    monkeypatch.setattr(outlines, "OUTPUT", stale)
    outlines.outlines.cache_clear()
    try:
        with pytest.raises(outlines.OutlinesOutdated):
            outlines.outlines()
        with pytest.raises(CommandError, match="pas à jour"):
            call_command("build_outlines", "--check")
    finally:
        outlines.outlines.cache_clear()


def test_every_current_commune_has_one_outline_paris_as_one(built):
    with open(outlines.COMMUNES_CSV, newline="", encoding="utf-8") as handle:
        current = {row["code_insee"] for row in csv.DictReader(handle)}
    assert set(built["communes"]) == {outlines.outline_code(code) for code in current}
    assert set(built["departments"]) == {"75", "77", "78", "91", "92", "93", "94", "95"}


def test_the_outlines_are_simplified_for_the_web(built):
    source = json.loads(outlines.SOURCE.read_text(encoding="utf-8"))["features"]
    source_points = sum(len(ring) for f in source for ring in outlines._rings(f["geometry"]))
    drawn_points = sum(
        len(ring) for path in built["communes"].values() for ring in outlines.rings_of(path)
    )
    assert drawn_points < source_points * 0.6
    assert outlines.OUTPUT.stat().st_size < 250_000  # the source: 1.1 MB
    for path in built["communes"].values():
        assert all(len(ring) >= 3 for ring in outlines.rings_of(path))  # none flattened


def test_neighbours_share_their_borders_exactly(built):
    """Each border between two communes is drawn once for both (the one's edges are the other's,
    reversed): no gap and no overlap. Only the region's outer border is left."""
    edges = {}
    for code, path in built["communes"].items():
        for ring in outlines.rings_of(path):
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                edges[(a, b)] = code
    unmatched = {edge for edge in edges if (edge[1], edge[0]) not in edges}
    region_border = {
        edge
        for shape in built["departments"].values()
        for ring in outlines.rings_of(shape["path"])
        for edge in zip(ring, ring[1:] + ring[:1], strict=True)
    }
    assert unmatched <= region_border
    assert len(unmatched) < len(edges) / 10


def test_departments_cover_what_their_official_outlines_cover(built):
    official = geo_shares(json.loads(SOURCE_DEPARTMENTS.read_text(encoding="utf-8"))["features"])
    drawn = {code: path_area(shape["path"]) for code, shape in built["departments"].items()}
    whole = sum(drawn.values())
    for code, share in official.items():
        assert drawn[code] / whole == pytest.approx(share, rel=0.02), code


def test_a_merged_commune_is_drawn_with_the_commune_it_joined(built):
    source = json.loads(outlines.SOURCE.read_text(encoding="utf-8"))["features"]
    official = geo_shares(source)
    drawn = {code: path_area(path) for code, path in built["communes"].items()}
    whole = sum(drawn.values())
    saint_denis = official["93066"] + official["93059"]  # Pierrefitte-sur-Seine joined in 2025
    assert drawn["93066"] / whole == pytest.approx(saint_denis, rel=0.03)
    assert len(outlines.rings_of(built["communes"]["93066"])) == 1  # one outline, no seam
    assert "93059" not in built["communes"]
    assert built["merged"] == outlines.MERGERS
