"""``mapapp fmt``: canonical, idempotent, lossless, atomic; refuses what does not parse."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import numpy as np
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from pandas.testing import assert_frame_equal

from mapapp.cli import main
from mapapp.dataset import check_directory, load_dataset
from mapapp.fmt import FormatError, format_csv, format_directory, format_places

FILES = ("factions.csv", "places.geojson", "events.csv", "views.csv")


def snapshot_bytes(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def test_fmt_rewrites_the_tiny_data_set_then_is_idempotent(tiny_dir):
    changed = format_directory(tiny_dir)
    assert changed == ["factions.csv", "places.geojson", "events.csv"]  # views.csv already is
    once = snapshot_bytes(tiny_dir)
    assert format_directory(tiny_dir) == []
    assert snapshot_bytes(tiny_dir) == once


def test_fmt_keeps_every_row_property_and_value(tiny_dir):
    before = load_dataset(tiny_dir)
    rows_before = {name: csv_rows(tiny_dir / name) for name in FILES if name.endswith(".csv")}
    format_directory(tiny_dir)
    after = load_dataset(tiny_dir)
    # 10.2 + 0.1 was written as 10.299999999999999; fmt writes 10.3 (6 decimals)
    assert_geodataframe_equal(after.places, before.places, check_less_precise=True)
    moved = np.abs(shapely.get_coordinates(after.places.geometry.array)
                   - shapely.get_coordinates(before.places.geometry.array))
    assert moved.max() < 1e-6 and moved.max() > 0
    assert_frame_equal(after.events, before.events)
    assert_frame_equal(after.factions, before.factions)
    assert_frame_equal(after.views, before.views)
    for name, rows in rows_before.items():
        assert csv_rows(tiny_dir / name) == rows, name
    assert [p.format() for p in check_directory(tiny_dir)] == [
        "places.geojson:5:id: warning: feature 'lost-village': place 'lost-village' is never "
        "referenced by an event"]


def test_places_are_one_feature_per_line_with_lf_endings(tiny_dir):
    path = tiny_dir / "places.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(doc, indent=2).replace("\n", "\r\n"), encoding="utf-8")
    format_directory(tiny_dir)
    data = path.read_bytes()
    assert b"\r" not in data
    lines = data.decode("utf-8").split("\n")
    assert lines[0] == '{"type": "FeatureCollection", "features": ['
    assert [json.loads(line.rstrip(","))["id"] for line in lines[1:5]] == [
        "west-square", "east-square", "harbour", "lost-village"]
    assert lines[5:] == ["]}", ""]
    assert "المربع الشرقي" in lines[2]  # UTF-8, not \u escapes


def test_places_keys_in_a_stable_order_and_nothing_dropped():
    text = json.dumps({
        "name": "places", "features": [{
            "geometry": {"coordinates": [10.123456789, -0.0000001], "type": "Point"},
            "bbox": [10, 50, 10, 50], "properties": {"zeta": 1, "kind": "town", "alpha": None,
                                                     "name": "A", "country": "XX"},
            "id": "a", "type": "Feature"}],
        "type": "FeatureCollection"})
    out = format_places(text)
    assert out == (
        '{"type": "FeatureCollection", "name": "places", "features": [\n'
        '{"type": "Feature", "id": "a", "properties": {"name": "A", "kind": "town", '
        '"country": "XX", "alpha": null, "zeta": 1}, "geometry": {"type": "Point", '
        '"coordinates": [10.123457, 0.0]}, "bbox": [10, 50, 10, 50]}\n'
        ']}\n')
    assert format_places(out) == out


def test_polygons_are_wound_as_rfc_7946_asks():
    clockwise_shell = [[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]]
    counterclockwise_hole = [[0.5, 0.5], [1.5, 0.5], [1.5, 1.5], [0.5, 1.5], [0.5, 0.5]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "p", "properties": {},
         "geometry": {"type": "MultiPolygon",
                      "coordinates": [[clockwise_shell, counterclockwise_hole]]}}]}
    out = json.loads(format_places(json.dumps(doc)))
    shell, hole = out["features"][0]["geometry"]["coordinates"][0]
    assert shell == [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]]
    assert hole == [[0.5, 0.5], [0.5, 1.5], [1.5, 1.5], [1.5, 0.5], [0.5, 0.5]]


def test_winding_warning_is_gone_after_fmt(tiny_dir):
    path = tiny_dir / "places.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    doc["features"][0]["geometry"]["coordinates"][0] = ring[::-1]
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert any("is clockwise" in p.message for p in check_directory(tiny_dir))
    format_directory(tiny_dir)
    assert not any("clockwise" in p.message for p in check_directory(tiny_dir))


def test_csv_byte_order_mark_and_crlf_are_dropped(tiny_dir):
    views = tiny_dir / "views.csv"
    views.write_bytes(b"\xef\xbb\xbf" + views.read_bytes().replace(b"\n", b"\r\n"))
    assert format_directory(tiny_dir, check=True) == ["factions.csv", "places.geojson",
                                                      "events.csv", "views.csv"]
    format_directory(tiny_dir)
    assert views.read_bytes().startswith(b"id,name,west,south,east,north\noverview,")


def test_csv_columns_in_contract_order_extras_after_rows_in_order():
    text = ("color,extra,id,name,description,short_name\r\n"
            "#1f5fbf, kept ,blue,Blue League,\"a, b\",Blue\r\n"
            "\r\n"
            "#2e8b57,,green,Green Union,,Green\r\n")
    out = format_csv(text, ["id", "name", "short_name", "color", "description"])
    assert out == ("id,name,short_name,color,description,extra\n"
                   'blue,Blue League,Blue,#1f5fbf,"a, b",kept\n'
                   "green,Green Union,Green,#2e8b57,,\n")
    assert format_csv(out, ["id", "name", "short_name", "color", "description"]) == out


def test_events_keep_their_order(tiny_dir):
    ids = [r["id"] for r in csv_rows(tiny_dir / "events.csv")]
    assert ids != sorted(ids, key=lambda i: i[:10])  # the tiny events are not in date order
    format_directory(tiny_dir)
    assert [r["id"] for r in csv_rows(tiny_dir / "events.csv")] == ids


def test_writes_are_atomic_keep_permissions_and_leave_no_temporary_files(tiny_dir):
    events = tiny_dir / "events.csv"
    events.chmod(0o640)
    before = events.stat().st_ino
    format_directory(tiny_dir)
    assert events.stat().st_ino != before  # replaced, not rewritten in place
    assert stat.S_IMODE(events.stat().st_mode) == 0o640
    assert sorted(p.name for p in tiny_dir.iterdir()) == sorted(
        ["SOURCES.md", *FILES])


def test_a_file_that_does_not_parse_is_refused_and_nothing_is_written(tiny_dir):
    (tiny_dir / "places.geojson").write_text('{"type": "FeatureCollection",\n "features": [}',
                                             encoding="utf-8")
    before = snapshot_bytes(tiny_dir)
    with pytest.raises(FormatError) as info:
        format_directory(tiny_dir)
    assert info.value.problems[0].format().startswith("places.geojson:2:15: error: JSON syntax")
    assert snapshot_bytes(tiny_dir) == before  # factions.csv was not formatted either


def test_rounding_that_breaks_a_shape_is_refused():
    # valid with the vertex 4e-7° above the bottom edge; rounded, it touches the edge
    ring = [[0, 0], [2, 0], [2, 2], [1.0000004, 0.0000004], [0, 2], [0, 0]]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "thin", "properties": {},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}
    with pytest.raises(FormatError, match="makes its geometry invalid"):
        format_places(json.dumps(doc))


# --- the command -------------------------------------------------------------------------


def test_cli_check_fails_on_unformatted_data_and_writes_nothing(runner, tiny_dir):
    before = snapshot_bytes(tiny_dir)
    result = runner.invoke(main, ["fmt", "--check", str(tiny_dir)])
    assert result.exit_code == 1, result.output
    assert f"would reformat {tiny_dir / 'events.csv'}" in result.output
    assert snapshot_bytes(tiny_dir) == before


def test_cli_fmt_then_check_passes(runner, tiny_dir):
    result = runner.invoke(main, ["fmt", str(tiny_dir)])
    assert result.exit_code == 0, result.output
    assert f"reformatted {tiny_dir / 'places.geojson'}" in result.output
    result = runner.invoke(main, ["fmt", "--check", str(tiny_dir)])
    assert result.exit_code == 0, result.output
    assert "0 file(s) would be reformatted" in result.output


def test_cli_refuses_a_data_set_that_does_not_parse(runner, tiny_dir):
    events = tiny_dir / "events.csv"
    events.write_text(events.read_text(encoding="utf-8") + 'x,"unclosed\n', encoding="utf-8")
    before = snapshot_bytes(tiny_dir)
    result = runner.invoke(main, ["fmt", str(tiny_dir)])
    assert result.exit_code == 1, result.output
    assert f"{tiny_dir / 'events.csv'}:8: error: CSV syntax" in result.output
    assert "does not parse: nothing formatted" in result.output
    assert snapshot_bytes(tiny_dir) == before
