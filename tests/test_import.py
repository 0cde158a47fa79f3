"""``mapapp import-places``: read GIS files, reproject with pyproj, merge or replace the
places, validate before writing, write canonical GeoJSON atomically."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point, Polygon

from mapapp.cli import main
from mapapp.dataset import check_directory, load_dataset
from mapapp.fmt import format_directory

# Near Deir ez-Zor, inside UTM zone 37N (36°E-42°E)
DISTRICT = Polygon([(40.1401234, 35.3301234), (40.1609876, 35.3312345),
                    (40.1587654, 35.3498765), (40.1398765, 35.3476543),
                    (40.1401234, 35.3301234)])
CROSSING = Point(40.1523456, 35.3412345)
UTM_37N = "EPSG:32637"


def lonlat_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"slug": ["al-qusur", "old-bridge"], "label": ["al-Qusur", "Old Bridge"],
         "label_ar": ["القصور", None], "kind": ["neighbourhood", "border-crossing"],
         "pcode": ["N0001", "X"]},
        geometry=[DISTRICT, CROSSING], crs="EPSG:4326")


def write_projected(path: Path, rows: slice = slice(None), **kwargs) -> Path:
    lonlat_frame().iloc[rows].to_crs(UTM_37N).to_file(path, **kwargs)
    return path


def places(directory: Path) -> dict[str, dict]:
    doc = json.loads((directory / "places.geojson").read_text(encoding="utf-8"))
    return {f["id"]: f for f in doc["features"]}


def invoke(runner, *args: str):
    return runner.invoke(main, ["import-places", *args])


IMPORT_ARGS = ("--id-field", "slug", "--name-field", "label", "--name-ar-field", "label_ar",
               "--country", "SY", "--geometry-quality", "official",
               "--geometry-source", "test shapes drawn in UTM 37N")


def test_a_projected_geopackage_lands_on_its_original_lon_lat(runner, tiny_dir, tmp_path):
    source = write_projected(tmp_path / "districts.gpkg", layer="districts")
    result = invoke(runner, str(source), "--data", str(tiny_dir), *IMPORT_ARGS)
    assert result.exit_code == 0, result.output
    assert "added: 2 (al-qusur, old-bridge)" in result.output
    assert "updated: 0" in result.output and "removed: 0" in result.output
    got = places(tiny_dir)
    district = shapely.geometry.shape(got["al-qusur"]["geometry"])
    crossing = shapely.geometry.shape(got["old-bridge"]["geometry"])
    assert np.abs(shapely.get_coordinates(district)
                  - shapely.get_coordinates(DISTRICT)).max() < 1e-6
    assert crossing.distance(CROSSING) < 1e-6
    assert got["al-qusur"]["properties"] == {
        "name": "al-Qusur", "name_ar": "القصور", "kind": "neighbourhood", "country": "SY",
        "geometry_quality": "official", "geometry_source": "test shapes drawn in UTM 37N"}
    assert got["old-bridge"]["properties"]["name_ar"] is None
    # the written file is valid, loads, and is already in canonical form
    assert not [p for p in check_directory(tiny_dir) if p.severity == "error"]
    assert load_dataset(tiny_dir).places.loc["al-qusur", "kind"] == "neighbourhood"
    assert format_directory(tiny_dir, check=True) == ["factions.csv", "events.csv"]


def test_a_shapefile_without_crs_needs_from_crs(runner, tiny_dir, tmp_path):
    source = write_projected(tmp_path / "districts.shp", rows=slice(0, 1))  # polygons only
    source.with_suffix(".prj").unlink()
    before = (tiny_dir / "places.geojson").read_bytes()
    result = invoke(runner, str(source), "--data", str(tiny_dir), *IMPORT_ARGS)
    assert result.exit_code == 1, result.output
    assert "has no CRS and its coordinates look projected" in result.output
    assert "--from-crs" in result.output
    assert (tiny_dir / "places.geojson").read_bytes() == before

    result = invoke(runner, str(source), "--data", str(tiny_dir), *IMPORT_ARGS,
                    "--from-crs", UTM_37N)
    assert result.exit_code == 0, result.output
    district = shapely.geometry.shape(places(tiny_dir)["al-qusur"]["geometry"])
    assert np.abs(shapely.get_coordinates(district)
                  - shapely.get_coordinates(DISTRICT)).max() < 1e-6


def test_projected_coordinates_in_geojson_are_caught(runner, tiny_dir, tmp_path):
    """GDAL reads any GeoJSON as EPSG:4326, so metres pass as degrees unless checked."""
    source = tmp_path / "districts.geojson"
    doc = json.loads(lonlat_frame().to_crs(UTM_37N).to_json(drop_id=True))
    doc.pop("crs", None)  # as RFC 7946 writers do: metres with no CRS to say so
    source.write_text(json.dumps(doc), encoding="utf-8")
    result = invoke(runner, str(source), "--data", str(tiny_dir), *IMPORT_ARGS)
    assert result.exit_code == 1, result.output
    assert "fall outside lon/lat range" in result.output and "--from-crs" in result.output
    result = invoke(runner, str(source), "--data", str(tiny_dir), *IMPORT_ARGS,
                    "--from-crs", UTM_37N)
    assert result.exit_code == 0, result.output


def test_an_unknown_crs_is_refused(runner, tiny_dir, tmp_path):
    source = write_projected(tmp_path / "d.gpkg")
    result = invoke(runner, str(source), "--data", str(tiny_dir), *IMPORT_ARGS,
                    "--from-crs", "EPSG:999999")
    assert result.exit_code == 1, result.output
    assert "--from-crs 'EPSG:999999' is not a CRS pyproj knows" in result.output


def test_merge_updates_known_ids_and_keeps_their_other_properties(runner, tiny_dir,
                                                                  tmp_path):
    format_directory(tiny_dir)
    bigger = Polygon([(10.0, 50.0), (10.12, 50.0), (10.12, 50.1), (10.0, 50.1)])
    frame = gpd.GeoDataFrame({"id": ["west-square", "harbour"],
                              "name": ["West Square (enlarged)", "Harbour"]},
                             geometry=[bigger, Point(10.35, 50.05)], crs="EPSG:4326")
    source = tmp_path / "edit.gpkg"
    frame.to_file(source)
    old = places(tiny_dir)
    result = invoke(runner, str(source), "--data", str(tiny_dir), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "updated: 1 (west-square)" in result.output
    assert "unchanged: 1 (harbour)" in result.output
    assert "dry run: nothing written" in result.output
    assert places(tiny_dir) == old

    result = invoke(runner, str(source), "--data", str(tiny_dir))
    assert result.exit_code == 0, result.output
    new = places(tiny_dir)
    assert new["west-square"]["properties"] == old["west-square"]["properties"] | {
        "name": "West Square (enlarged)"}
    assert shapely.geometry.shape(new["west-square"]["geometry"]).equals(bigger)
    assert new["east-square"] == old["east-square"]
    assert list(new) == list(old)  # places keep their order; nothing added


def test_replace_refuses_to_orphan_events(runner, tiny_dir, tmp_path):
    frame = gpd.GeoDataFrame({"id": ["west-square"], "name": ["West"]},
                             geometry=[Polygon([(10, 50), (10.1, 50), (10.1, 50.1)])],
                             crs="EPSG:4326")
    source = tmp_path / "only-west.gpkg"
    frame.to_file(source)
    before = (tiny_dir / "places.geojson").read_bytes()
    result = invoke(runner, str(source), "--data", str(tiny_dir), "--mode", "replace")
    assert result.exit_code == 1, result.output
    assert "events.csv:5: event '2001-05-02-east' names place 'east-square'" in result.output
    assert (tiny_dir / "places.geojson").read_bytes() == before


def test_replace_with_every_referenced_place(runner, tiny_dir, tmp_path):
    ds = load_dataset(tiny_dir)
    frame = ds.places.drop(index="lost-village")[
        ["id", "name", "kind", "country", "geometry_quality", "geometry_source", "geometry"]]
    source = tmp_path / "all.gpkg"
    frame.reset_index(drop=True).to_file(source)
    result = invoke(runner, str(source), "--data", str(tiny_dir), "--mode", "replace")
    assert result.exit_code == 0, result.output
    assert "removed: 1 (lost-village)" in result.output
    assert "unchanged: 0" in result.output  # name_ar and parent were dropped: updated
    assert sorted(places(tiny_dir)) == ["east-square", "harbour", "west-square"]


def test_an_invalid_result_is_refused_with_the_validator_messages(runner, tiny_dir, tmp_path):
    source = write_projected(tmp_path / "d.gpkg")
    before = (tiny_dir / "places.geojson").read_bytes()
    # no --country: the new places would break the contract
    result = invoke(runner, str(source), "--data", str(tiny_dir), "--id-field", "slug",
                    "--name-field", "label", "--geometry-quality", "official",
                    "--geometry-source", "test")
    assert result.exit_code == 1, result.output
    assert (f"{tiny_dir / 'places.geojson'}:6:country: error: feature 'al-qusur': country "
            "None must be an ISO 3166-1 alpha-2 code such as 'SY'") in result.output
    assert "not changed" in result.output
    assert (tiny_dir / "places.geojson").read_bytes() == before


def test_an_unknown_field_names_the_available_ones(runner, tiny_dir, tmp_path):
    source = write_projected(tmp_path / "d.gpkg")
    result = invoke(runner, str(source), "--data", str(tiny_dir), "--id-field", "code")
    assert result.exit_code == 1, result.output
    assert ("--id-field 'code' is not a field of d.gpkg; its fields: 'slug', 'label', "
            "'label_ar', 'kind', 'pcode'") in result.output


def test_a_multi_layer_geopackage_needs_a_layer(runner, tiny_dir, tmp_path):
    source = write_projected(tmp_path / "d.gpkg", layer="districts")
    write_projected(source, layer="crossings")
    result = invoke(runner, str(source), "--data", str(tiny_dir), *IMPORT_ARGS)
    assert result.exit_code == 1, result.output
    assert "has 2 layers: pick one with --layer ('districts', 'crossings')" in result.output
    result = invoke(runner, str(source), "--data", str(tiny_dir), *IMPORT_ARGS,
                    "--layer", "crossings", "--keep-field", "pcode")
    assert result.exit_code == 0, result.output
    assert places(tiny_dir)["al-qusur"]["properties"]["pcode"] == "N0001"


@pytest.mark.parametrize("name", ["missing.gpkg", "not-gis.gpkg"])
def test_unreadable_sources_are_refused(runner, tiny_dir, tmp_path, name):
    source = tmp_path / name
    if name == "not-gis.gpkg":
        source.write_text("hello", encoding="utf-8")
    result = invoke(runner, str(source), "--data", str(tiny_dir))
    assert result.exit_code == 1, result.output
    assert str(source) in result.output


def test_a_round_trip_through_a_geopackage_changes_nothing(runner, tiny_dir, tmp_path):
    """What a maintainer does after editing in QGIS: export everything, import it back."""
    format_directory(tiny_dir)
    before = (tiny_dir / "places.geojson").read_bytes()
    source = tmp_path / "edited.gpkg"
    gpd.read_file(tiny_dir / "places.geojson").to_file(source)
    result = invoke(runner, str(source), "--data", str(tiny_dir), "--mode", "replace",
                    "--all-fields")
    assert result.exit_code == 0, result.output
    assert "unchanged: 4 (west-square, east-square, harbour, lost-village)" in result.output
    assert "updated: 0" in result.output and "removed: 0" in result.output
    assert (tiny_dir / "places.geojson").read_bytes() == before
