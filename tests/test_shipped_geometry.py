"""The shipped places against the public layers they come from (``shared/geodata`` beside the
repository): the two build scripts, run in their order, re-create them and the derived views
exactly, and no unit crosses into the other country of the Syria–Iraq border."""

from __future__ import annotations

import csv
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import geopandas as gpd
import pytest
from shapely.geometry import Point

from tests.conftest import DATA_DIR

MAX_CROSSING_KM2 = 1.0  # the two OCHA layers disagree on the line by slivers, not by more
MAX_POINT_OUTSIDE_KM = 0.1  # a point may sit on its border line (a crossing), not beyond it


def _load_build(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, DATA_DIR / "build" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


BUILD = _load_build("derive_places")
CAMPAIGN = _load_build("derive_campaign_places")
GEODATA = BUILD.find_geodata(DATA_DIR.parent)


@pytest.fixture(scope="module")
def places() -> gpd.GeoDataFrame:
    gdf = gpd.read_file(DATA_DIR / "places.geojson").set_crs(4326, allow_override=True)
    assert "id" in gdf.columns
    return gdf[gdf.geometry.notna()]  # places of unknown geometry are never drawn


@pytest.fixture(scope="module")
def countries() -> dict[str, gpd.GeoSeries]:
    return {code: gpd.read_file(GEODATA / name).set_crs(4326, allow_override=True).geometry
            for code, name in BUILD.COUNTRY_ADM1.items()}


def _keep_hand_views(path: Path) -> int:
    """Drop the views the campaign script derives, so that the rebuild has to re-derive them."""
    derived = {vid for vid, _, _ in CAMPAIGN.VIEWS}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, rows = reader.fieldnames, list(reader)
    kept = [r for r in rows if r["id"] not in derived]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    return len(rows) - len(kept)


def test_the_build_scripts_recreate_the_shipped_places_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "data"
    shutil.copytree(DATA_DIR, out, ignore=shutil.ignore_patterns("build"))
    (out / "places.geojson").unlink()
    shutil.rmtree(out / "context")
    assert _keep_hand_views(out / "views.csv") == len(CAMPAIGN.VIEWS)
    BUILD.build(GEODATA, out)
    CAMPAIGN.build(GEODATA, out)
    for name in ["places.geojson", "views.csv"] + [
            f"context/{p.name}" for p in sorted((DATA_DIR / "context").glob("*.geojson"))]:
        assert (out / name).read_bytes() == (DATA_DIR / name).read_bytes(), name


def test_the_al_qaim_view_frames_the_two_towns_and_the_crossing(places) -> None:
    with (DATA_DIR / "views.csv").open(encoding="utf-8", newline="") as fh:
        view = next(r for r in csv.DictReader(fh) if r["id"] == "al-qaim-al-bukamal")
    points = places.set_index("id").loc[["al-qaim", "al-bukamal", "al-qaim-crossing"]].geometry
    margin = CAMPAIGN.VIEW_MARGIN_DEG
    assert float(view["west"]) == round(points.x.min() - margin, 4)
    assert float(view["east"]) == round(points.x.max() + margin, 4)
    assert float(view["south"]) == round(points.y.min() - margin, 4)
    assert float(view["north"]) == round(points.y.max() + margin, 4)


def test_no_place_reaches_into_the_other_country(places, countries) -> None:
    crossings = []
    for _, row in places.iterrows():
        if row.geometry.geom_type == "Point":
            continue
        for code, country in countries.items():
            if code == row["country"]:
                continue
            overlap = gpd.GeoSeries(country.intersection(row.geometry), crs=4326)
            km2 = float(overlap.to_crs(6933).area.sum()) / 1e6
            if km2 > MAX_CROSSING_KM2:
                crossings.append(f"{row['id']} overlaps {code} by {km2:.1f} km²")
    assert crossings == []


def test_points_lie_in_their_own_country(places, countries) -> None:
    outside = []
    for _, row in places.iterrows():
        if not isinstance(row.geometry, Point) or row["country"] not in countries:
            continue
        own = gpd.GeoSeries(countries[row["country"]].union_all(), crs=4326).to_crs(32637)
        point = gpd.GeoSeries([row.geometry], crs=4326).to_crs(32637)
        km = float(own.distance(point.iloc[0]).iloc[0]) / 1000
        if km > MAX_POINT_OUTSIDE_KM:
            outside.append(f"{row['id']} is {km:.2f} km outside {row['country']}")
    assert outside == []


def test_the_old_desert_units_would_fail(countries) -> None:
    # The check bites: the al-Bukamal sub-district, once shipped, reaches ~54 km² into Iraq.
    syr3 = gpd.read_file(GEODATA / "ocha_syr_adm3_east.geojson").set_crs(4326,
                                                                          allow_override=True)
    abu_kamal = syr3.loc[syr3["adm3_pcode"] == "SY090200"].geometry.iloc[0]
    overlap = gpd.GeoSeries(countries["IQ"].intersection(abu_kamal), crs=4326)
    assert float(overlap.to_crs(6933).area.sum()) / 1e6 > MAX_CROSSING_KM2
