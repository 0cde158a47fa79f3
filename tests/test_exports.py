"""Data exports read back with real readers (GDAL through pyogrio, csv, sqlite3), and the
export commands run through the real ``mapapp`` command."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pyogrio
import pytest
import shapely
from click.testing import CliRunner
from PIL import Image

from mapapp.cli import main
from mapapp.dataset import load_dataset
from mapapp.errors import RequestError
from mapapp.exports import (
    DEFAULT_LICENSE,
    export_events,
    export_state,
    provenance_of,
    state_frame,
)
from tests.tiny_dataset import write_tiny_dataset

PLACES = ["west-square", "east-square", "harbour", "lost-village"]
STATUS_0502 = {"west-square": "contested", "east-square": "joint", "harbour": "held",
               "lost-village": "no-data"}
CREDIT = "Tiny test data, no real places"


@pytest.fixture(scope="module")
def provenance(tiny_timeline):
    return provenance_of(tiny_timeline.dataset)


def test_state_frame_has_every_place_with_holder_and_colour(tiny_timeline):
    frame = state_frame(tiny_timeline, "2001-05-02")
    assert list(frame["id"]) == PLACES
    west = frame.loc["west-square"]
    assert (west["status"], west["holder"], west["factions"], west["color"]) == (
        "contested", "blue", "blue;green", "#1f5fbf")
    lost = frame.loc["lost-village"]
    assert lost["status"] == "no-data" and lost["holder"] is None and lost.geometry is None


def test_geojson_is_rfc7946_with_attribution_and_reads_back_in_gdal(tiny_timeline,
                                                                     provenance, tmp_path):
    body = export_state(tiny_timeline, "2001-05-02", "geojson", provenance)
    doc = json.loads(body)
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    assert doc["attribution"] == CREDIT and doc["license"] == DEFAULT_LICENSE
    assert doc["date"] == "2001-05-02"
    west = next(f for f in doc["features"] if f["id"] == "west-square")
    ring = west["geometry"]["coordinates"][0]
    assert shapely.LinearRing(ring).is_ccw  # RFC 7946 §3.1.6: exteriors counterclockwise
    path = tmp_path / "state.geojson"
    path.write_bytes(body)
    frame = pyogrio.read_dataframe(path)
    assert frame.crs.to_epsg() == 4326
    statuses = dict(zip(frame["id"] if "id" in frame else [f["id"] for f in doc["features"]],
                        frame["status"], strict=True))
    assert statuses == STATUS_0502


def test_csv_has_anchor_points_and_attribution_on_every_row(tiny_timeline, provenance):
    body = export_state(tiny_timeline, "2001-05-02", "csv", provenance).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [r["id"] for r in rows] == PLACES
    assert {r["id"]: r["status"] for r in rows} == STATUS_0502
    west = rows[0]
    inside = shapely.box(10.0, 50.0, 10.1, 50.1)
    assert inside.contains(shapely.Point(float(west["lon"]), float(west["lat"])))
    assert rows[3]["lon"] == "" and rows[3]["holder"] == ""
    assert all(r["attribution"].startswith(CREDIT) for r in rows)
    assert rows[1]["name_ar"] == "المربع الشرقي"


def test_geopackage_opens_in_gdal_with_one_geometry_type_per_layer(tiny_timeline,
                                                                   provenance, tmp_path):
    path = tmp_path / "state.gpkg"
    path.write_bytes(export_state(tiny_timeline, "2001-05-02", "gpkg", provenance))
    layers = {name: kind for name, kind in pyogrio.list_layers(path)}
    assert layers == {"control_areas": "MultiPolygon", "control_points": "Point",
                      "places_without_location": None, "factions": None}
    statuses = {}
    for layer in ("control_areas", "control_points", "places_without_location"):
        frame = pyogrio.read_dataframe(path, layer=layer, read_geometry=False)
        statuses |= dict(zip(frame["id"], frame["status"], strict=True))
    assert statuses == STATUS_0502
    areas = pyogrio.read_dataframe(path, layer="control_areas")
    assert areas.crs.to_epsg() == 4326 and areas.geometry.is_valid.all()
    factions = pyogrio.read_dataframe(path, layer="factions")
    assert dict(zip(factions["id"], factions["color"], strict=True)) == {
        "blue": "#1f5fbf", "green": "#2e8b57"}
    # The attribution is in the layer description QGIS shows, and in the metadata.
    with sqlite3.connect(path) as db:
        descriptions = dict(db.execute("SELECT table_name, description FROM gpkg_contents"))
    assert all(CREDIT in d for d in descriptions.values())
    assert pyogrio.read_info(path, layer="control_areas")["dataset_metadata"][
        "attribution"] == CREDIT


def test_licence_line_of_sources_md_travels(make_timeline, tmp_path):
    directory = write_tiny_dataset(tmp_path / "tiny")
    (directory / "SOURCES.md").write_text(
        "# Sources\n\nCredit: Tiny test data\n\nLicence: CC BY 4.0\n", encoding="utf-8")
    timeline = make_timeline(directory)
    prov = provenance_of(timeline.dataset, "https://example.org/sources")
    doc = json.loads(export_state(timeline, "2001-05-02", "geojson", prov))
    assert (doc["license"], doc["sources"]) == ("CC BY 4.0", "https://example.org/sources")


def test_the_licence_is_the_loaded_data_sets_not_the_files_on_disk(tmp_path):
    directory = write_tiny_dataset(tmp_path / "tiny")
    (directory / "SOURCES.md").write_text(
        "# Sources\n\nCredit: Tiny test data\n\nLicence: CC BY 4.0\n", encoding="utf-8")
    dataset = load_dataset(directory)
    # The files change after loading (a hot reload not done yet): exports credit the data
    # they were made from.
    (directory / "SOURCES.md").write_text(
        "# Sources\n\nCredit: Someone else\n\nLicence: All rights reserved\n",
        encoding="utf-8")
    assert provenance_of(dataset).license == "CC BY 4.0"


def test_events_range_is_inclusive_with_points(tiny_timeline, provenance, tmp_path):
    body = export_events(tiny_timeline, "2001-05-02", "2001-05-03", "csv", provenance)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [r["id"] for r in rows] == ["2001-05-02-east", "2001-05-02-harbour",
                                       "2001-05-02-strike", "2001-05-03-west"]
    strike = rows[2]
    assert (strike["type"], strike["factions"], strike["location"]) == ("incident", "green",
                                                                        "place")
    assert (float(strike["lon"]), float(strike["lat"])) == (10.35, 50.05)
    path = tmp_path / "events.geojson"
    path.write_bytes(export_events(tiny_timeline, None, "2001-05-01", "geojson", provenance))
    frame = pyogrio.read_dataframe(path)
    # GDAL recognises the ISO dates: a GIS user gets a real date column.
    assert [d.date().isoformat() for d in frame["date"]] == ["1965-03-01", "2001-05-01"]
    assert list(frame["place_name"]) == ["West Square", "West Square"]


def test_bad_export_requests(tiny_timeline, provenance):
    with pytest.raises(RequestError, match="'xlsx' is not one of geojson, csv, gpkg"):
        export_state(tiny_timeline, "2001-05-02", "xlsx", provenance)
    with pytest.raises(RequestError, match="from 2001-05-03 is after to 2001-05-01"):
        export_events(tiny_timeline, "2001-05-03", "2001-05-01", "csv", provenance)
    with pytest.raises(RequestError, match="YYYY-MM-DD"):
        export_state(tiny_timeline, "May 2001", "csv", provenance)


# --- the commands --------------------------------------------------------------------


@pytest.fixture
def cli():
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args))


def test_snapshot_command_writes_the_format_of_the_suffix(cli, tmp_path):
    data = write_tiny_dataset(tmp_path / "tiny")
    out = tmp_path / "map.png"
    result = cli("snapshot", "--date", "2001-05-02", "--view", "west", "--preset", "social",
                 "--out", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.size == (1200, 675)
    svg = tmp_path / "map.svg"
    result = cli("snapshot", "--compare", "2001-05-01", "--lang", "ar", "--no-labels",
                 "--title", "T", "--out", str(svg), "--data", str(data))
    assert result.exit_code == 0, result.output
    assert svg.read_bytes().lstrip().startswith(b"<?xml")


@pytest.mark.parametrize(("args", "message"), [
    (["--view", "atlantis"], "unknown view 'atlantis'; known views: overview, west (--view)"),
    (["--width", "5000"], "width 5000 is out of range: 200 to 4000 (--width)"),
    (["--date", "2001-13-01"], "not a valid date"),
    (["--bbox", "1,2,3"], "four numbers"),
])
def test_snapshot_command_refuses_bad_options_with_exit_1(cli, tmp_path, args, message):
    data = write_tiny_dataset(tmp_path / "tiny")
    out = tmp_path / "map.png"
    result = cli("snapshot", *args, "--out", str(out), "--data", str(data))
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert not out.exists()


def test_snapshot_command_needs_a_known_format(cli, tmp_path):
    result = cli("snapshot", "--out", str(tmp_path / "map.jpg"), "--data",
                 str(write_tiny_dataset(tmp_path / "tiny")))
    assert result.exit_code == 2 and "--format (png, svg, pdf)" in result.output


def test_commands_report_a_broken_data_set(cli, tmp_path):
    result = cli("export-state", "--out", str(tmp_path / "s.csv"), "--data",
                 str(tmp_path / "missing"))
    assert result.exit_code == 1 and "not a valid data set" in result.output


def test_export_state_and_events_commands(cli, tmp_path):
    data = write_tiny_dataset(tmp_path / "tiny")
    gpkg = tmp_path / "state.gpkg"
    result = cli("export-state", "--date", "2001-05-02", "--out", str(gpkg), "--data",
                 str(data))
    assert result.exit_code == 0, result.output
    assert pyogrio.read_dataframe(gpkg, layer="control_areas")["status"].tolist() == [
        "contested", "joint"]
    result = cli("export-events", "--from", "2001-05-03", "--format", "csv", "--out", "-",
                 "--data", str(data))
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["id"] for r in rows] == ["2001-05-03-west"]


def test_animation_command(cli, tmp_path):
    data = write_tiny_dataset(tmp_path / "tiny")
    out = tmp_path / "a.gif"
    result = cli("animation", "--from", "2001-05-01", "--to", "2001-05-03", "--step", "day",
                 "--width", "300", "--height", "200", "--out", str(out), "--data", str(data))
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.n_frames == 3
    result = cli("animation", "--from", "1965-03-01", "--step", "day", "--out", str(out),
                 "--data", str(data))
    assert result.exit_code == 1 and "at most 120" in result.output
