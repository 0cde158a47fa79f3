"""Render times of static exports: prints a table of median and best times per case.

    python -m bench.snapshot_bench [--data DIR] [--runs 7]

Uses the shipped data set (``data/``) when it is there, else the tiny test data set. The
first render of a data version also projects and indexes its geometry; it is reported on its
own line ("cold"), and every other case is measured warm, as a running server sees them.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mapapp.dataset import load_dataset
from mapapp.snapshot import (
    parse_animation_options,
    parse_snapshot_options,
    render_animation,
    render_snapshot,
)
from mapapp.timeline import Timeline

REPO = Path(__file__).resolve().parent.parent


def _timeline(data: Path | None) -> tuple[Timeline, str]:
    if data is None and (REPO / "data" / "places.geojson").is_file():
        data = REPO / "data"
    if data is None:
        from tests.tiny_dataset import write_tiny_dataset

        data = write_tiny_dataset(Path(tempfile.mkdtemp(prefix="mapapp-bench-")) / "tiny")
    return Timeline(load_dataset(data)), str(data)


def _cases(timeline: Timeline) -> list[tuple[str, Callable[[], bytes]]]:
    views = timeline.dataset.views.index
    city = "deir-ez-zor-city" if "deir-ez-zor-city" in views else None
    view = {"view": city} if city else {}
    date = {"date": "2017-11-01"} if city else {}

    def snap(fmt: str, **params: str) -> Callable[[], bytes]:
        options = parse_snapshot_options({**view, **date, **params}, timeline, fmt)
        return lambda: render_snapshot(timeline, options)

    first = timeline.first_date or "1970-01-01"
    # At most 30 frames, whatever the data: the animation runs to its 29th change date.
    changes = [d for d in timeline.change_dates if d > first][:29]
    last = changes[-1] if changes else first
    animation = parse_animation_options({**view, "from": first, "to": last,
                                         "width": "800", "height": "500"}, timeline)
    return [
        ("PNG 1600x1000, city view", snap("png", width="1600", height="1000")),
        ("PNG 1600x1000, overview", snap("png", width="1600", height="1000",
                                         **({"view": "overview"} if city else {}))),
        ("PNG social 1200x675", snap("png", preset="social")),
        ("PNG social, Arabic labels", snap("png", preset="social", lang="ar")),
        ("PNG change map 1600x1000", snap("png", width="1600", height="1000",
                                          compare=first)),
        ("PNG A4 300 dpi (3508x2480)", snap("png", preset="a4")),
        ("SVG 1600x1000", snap("svg", width="1600", height="1000")),
        ("PDF A4", snap("pdf", preset="a4")),
        (f"GIF 800x500, {len(animation.frames)} frames",
         lambda: render_animation(timeline, animation)),
    ]


def _measure(render: Callable[[], bytes], runs: int) -> tuple[float, float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(render())
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="data set directory")
    parser.add_argument("--runs", type=int, default=7, help="runs per case (default 7)")
    args = parser.parse_args()
    timeline, source = _timeline(args.data)
    print(f"data: {source} ({len(timeline.dataset.places)} places, "
          f"{len(timeline.dataset.events)} events)")
    cases = _cases(timeline)
    cold_start = time.perf_counter()
    cases[0][1]()
    cold = time.perf_counter() - cold_start
    print(f"{'case':<34} {'median s':>9} {'best s':>8} {'bytes':>11}")
    print(f"{'first render of the data (cold)':<34} {cold:>9.3f} {cold:>8.3f} {'':>11}")
    for name, render in cases:
        runs = max(1, args.runs // 3) if name.startswith(("GIF", "PNG A4", "PDF")) \
            else args.runs
        median, best, size = _measure(render, runs)
        print(f"{name:<34} {median:>9.3f} {best:>8.3f} {size:>11,}")


if __name__ == "__main__":
    main()
