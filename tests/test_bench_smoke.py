"""The benchmark keeps working: its generator writes valid data, and a smoke-sized run of the
whole instrument (generate, load, browser, TimeSliderChoropleth, the frame comparison)
reports every metric."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely

from bench.generate import Spec, generate
from bench.report import MAPAPP_METRICS, TSC_METRICS, get, missing_metrics
from mapapp.dataset import data_files, load_dataset

REPO = Path(__file__).resolve().parent.parent
SMALL = Spec(places=50, events=200, days=100, seed=3)


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("bench") / "data", SMALL)


def test_generated_data_passes_the_loader_without_warnings(small_dir: Path) -> None:
    ds = load_dataset(small_dir)
    assert [p.format() for p in ds.warnings] == []
    assert len(ds.places) == SMALL.places
    control = ds.events[ds.events["type"] == "control"]
    assert len(control) == SMALL.events
    assert len(ds.events) - len(control) == SMALL.incident_count()
    assert not control.duplicated(["place", "date"]).any()
    assert set(control["status"]) == {"held", "contested", "joint"}
    assert set(control["confidence"]) <= {"confirmed", "claimed", "disputed"}
    assert control["source_url"].str.startswith("https://example.org/").all()
    assert set(ds.places["geometry_quality"]) == {"official", "derived"}
    assert ds.credit.startswith("Synthetic data")
    assert "overview" in ds.views.index


def test_generated_polygons_tile_without_overlap(small_dir: Path) -> None:
    geoms = load_dataset(small_dir).places.geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    vertices = shapely.get_num_coordinates(geoms) - 1  # the closing position repeats the first
    assert vertices.min() >= 10 and vertices.max() <= 40
    union = shapely.union_all(geoms)
    # Shared edges match to the rounding of coordinates: the pieces add up to the whole.
    assert np.isclose(shapely.area(geoms).sum(), union.area, rtol=1e-6)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    spec = Spec(places=30, events=90, days=60, seed=11)
    a, b = generate(tmp_path / "a", spec), generate(tmp_path / "b", spec)
    for path in data_files(a):
        assert path.read_bytes() == (b / path.name).read_bytes(), path.name


@pytest.mark.browser
def test_smoke_run_reports_every_metric(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--out", str(out),
         "--cache", str(tmp_path / "data")],
        cwd=REPO, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = json.loads(out.read_text())
    assert missing_metrics(results) == []
    size = results["sizes"]["smoke"]
    assert all(get(size["mapapp"], m) is not None for m in MAPAPP_METRICS)
    assert size["mapapp"]["errors"] == []
    assert size["mapapp"]["jump"]["n"] == 30
    frames = size["frames"]  # the comparison with the bare canvas and MapLibre
    for kind in ("project", "bare", "maplibre"):
        if frames[kind].get("status") == "skipped":  # without bench/node_modules only
            assert kind == "maplibre" and "make bench/node_modules" in frames[kind]["reason"]
            continue
        assert frames[kind]["errors"] == []
        assert frames[kind]["jump"]["n"] == 8 and frames[kind]["throttled"]["n"] == 6
    assert "FRAMES" in proc.stdout and "MapLibre GL JS" in proc.stdout
    assert size["mapapp"]["bytes"]["timeline_json"]["raw"] > 0
    assert isinstance(size["mapapp"]["snapshot_png_s"], float)  # a failed render fails the run
    assert size["mapapp"]["snapshot_png_s"] > 0
    for variant in ("sparse", "dense"):
        tsc = size["tsc"][variant]
        if tsc["status"] == "skipped":  # only when bench/node_modules is not installed
            assert "npm install" in tsc["reason"]
            continue
        assert tsc["status"] == "ok", tsc
        assert all(get(tsc, m) is not None for m in TSC_METRICS)
    load_dataset(Path(size["data"]["directory"]))  # the generated data set itself
    assert "TARGETS" in proc.stdout
    assert {t["target"] for t in results["targets"]} >= {"state_at p50, warm"}
