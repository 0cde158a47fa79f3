"""The frame comparison's instrument keeps working (bench/frames.py, bench/compare.py): the
reference pages draw the project's polygons in the colours of the date asked for, every
page yields positive figures, and the targets come out of bench/targets.py. No timings are
asserted: those belong to the benchmark."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bench import frames
from bench.compare import _mounts, measure_size, missing_maplibre
from bench.frame_data import _blend, polygon_places, write_page_data
from bench.generate import Spec, generate
from bench.report import FRAME_METRICS, format_frames, get, targets
from bench.run import random_days
from bench.servers import LoopbackServer, static_app
from bench.targets import FRAME_TARGETS
from mapapp.dataset import load_dataset
from mapapp.style import FILL_OPACITY, NO_DATA_STYLE, TENTATIVE
from mapapp.timeline import Timeline, day_iso

TINY = Spec(places=40, events=160, days=80, seed=5)
PLAN = frames.Plan(warmup=1, jumps=3, noop=2, throttled=2, day_steps=2, budget_s=20.0)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Timeline, list[int]]:
    directory = generate(tmp_path_factory.mktemp("frames") / "data", TINY)
    timeline = Timeline(load_dataset(directory))
    return directory, timeline, random_days(timeline, PLAN.dates_needed, 4)


def test_page_data_holds_each_places_colour_at_each_date(tiny, tmp_path: Path) -> None:
    """Checked against state_at (not the writer's own lookup): the holder's colour at the
    opacity of its confidence, no data in the no-data fill."""
    _, timeline, days = tiny
    write_page_data(timeline, days, tmp_path)
    jumps = json.loads((tmp_path / "jumps.json").read_text())
    places = json.loads((tmp_path / "places.geojson").read_text())["features"]
    polygons = polygon_places(timeline)
    assert [f["properties"]["i"] for f in places] == list(range(len(polygons)))
    assert len(jumps["jumps"]) == len(days)
    colours = timeline.dataset.factions["color"].to_dict()
    seen = set()
    for day, encoded in zip(days, jumps["jumps"], strict=True):
        state = timeline.state_at(day_iso(day))
        assert len(encoded) == len(polygons)
        for i, pid in enumerate(polygons.index):
            row = state.loc[pid]
            if row["status"] == "no-data":
                expected = _blend(NO_DATA_STYLE["fill"], NO_DATA_STYLE["fill_opacity"])
            else:
                firm = "tentative" if row["confidence"] in TENTATIVE else "firm"
                expected = _blend(colours[row["factions"][0]], FILL_OPACITY[firm])
            assert jumps["palette"][ord(encoded[i]) - 65] == expected, (day, pid)
            seen.add(expected)
    assert len(seen) > 2  # the dates show several colours: the check compares something


def _pixel(png: bytes, x: float, y: float) -> tuple[int, int, int]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.getpixel((round(x), round(y)))  # type: ignore[return-value]


def _rgb(hex_colour: str) -> tuple[int, ...]:
    return tuple(int(hex_colour[k:k + 2], 16) for k in (1, 3, 5))


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["bare", "maplibre"])
def test_reference_page_paints_each_place_in_its_colour(kind: str, tiny, tmp_path: Path,
                                                        browser: Any) -> None:
    if kind == "maplibre" and missing_maplibre():
        pytest.skip(missing_maplibre())
    _, timeline, days = tiny
    write_page_data(timeline, days, tmp_path / "tiny")
    jumps = json.loads((tmp_path / "tiny" / "jumps.json").read_text())
    points = [p.representative_point() for p in polygon_places(timeline).geometry]
    with LoopbackServer(static_app(_mounts(tmp_path))) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(f"{server.url}/pages/{kind}.html?data=/data/tiny&w=900&h=700")
            page.wait_for_function("() => !!window.benchPage", timeout=60_000)
            for k in (0, 2):  # two dates: the colours follow the jump, not the first view
                page.evaluate("""async (k) => {
                    window.benchPage.jump(k);
                    await new Promise((r) => requestAnimationFrame(r));
                    if (window.benchPage.drawn) await window.benchPage.drawn();
                    await new Promise((r) => setTimeout(r, 0));
                }""", k)
                screen = page.screenshot()
                wrong = []
                for i, point in enumerate(points):
                    x, y = page.evaluate("([lon, lat]) => window.benchPage.pointOf(lon, lat)",
                                         [point.x, point.y])
                    expected = _rgb(jumps["palette"][ord(jumps["jumps"][k][i]) - 65])
                    got = _pixel(screen, x, y)
                    if max(abs(a - b) for a, b in zip(got, expected, strict=True)) > 3:
                        wrong.append((i, got, expected))
                assert wrong == [], f"{kind}, jump {k}: places in the wrong colour"
            assert errors == []
        finally:
            context.close()


@pytest.mark.browser
def test_every_page_yields_positive_figures(tiny, tmp_path: Path, browser: Any) -> None:
    directory, timeline, days = tiny
    out = measure_size("tiny", timeline, directory, days, browser, PLAN, tmp_path,
                       throttle=True)
    pages = ["project", "bare"] + ([] if missing_maplibre() else ["maplibre"])
    for kind in pages:
        result = out[kind]
        assert result.get("status") is None, result
        assert result["errors"] == []
        assert result["jump"]["n"] == PLAN.jumps and result["throttled"]["n"] == PLAN.throttled
        assert result["throttled"]["day"]["n"] == PLAN.day_steps
        assert result["throttled"]["day"]["work_p50_ms"] > 0
        assert result["move"]["n"] == len(frames.MOVES)
        for metric in FRAME_METRICS:
            if metric != "memory.above_empty_mb":
                assert get(result, metric) > 0, (kind, metric)
        # The subtraction never removes more than the jump took.
        assert result["jump"]["work_p50_ms"] <= result["jump"]["painted_p50_ms"]
        assert result["memory"]["canvases"] >= 1
    assert missing_maplibre() or out["maplibre"]["jump"]["idle_p50_ms"] > 0
    assert out["project"]["throttled"]["touch"]["n"] == PLAN.noop  # mapapp's page only
    assert "touch" not in out["bare"]["throttled"]
    table = format_frames({"sizes": {"tiny": {"frames": out}}})
    assert "bare canvas" in table and "MapLibre GL JS" in table


def test_frame_targets_are_checked_from_their_figures() -> None:
    def results(value: float) -> dict[str, Any]:
        sizes: dict[str, Any] = {}
        for t in FRAME_TARGETS:
            tree = sizes.setdefault(t.size, {})
            *parents, leaf = t.path.split(".")
            for key in parents:
                tree = tree.setdefault(key, {})
            tree[leaf] = value * t.limit
        return {"sizes": sizes}

    for factor, verdict in ((0.5, "PASS"), (1.5, "FAIL")):
        checked = {t["target"]: t for t in targets(results(factor))}
        for t in FRAME_TARGETS:
            assert checked[t.target]["verdict"] == verdict
            assert checked[t.target]["limit"] == t.limit
    missing = {t["target"]: t["verdict"] for t in targets({"sizes": {}})}
    assert all(missing[t.target].startswith("n/a") for t in FRAME_TARGETS)



def test_the_day_steps_follow_the_middle_jump_date_a_day_at_a_time() -> None:
    plan = frames.Plan(warmup=1, jumps=4, day_steps=3)
    days = [40, 10, 90, 30, 70, 5, 6]  # the last two are beyond plan.dates_needed
    assert frames.day_steps(days, plan) == [40, 41, 42, 43]
