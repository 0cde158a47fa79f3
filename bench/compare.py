"""The project's page beside a bare-canvas reference and MapLibre GL JS, on the same
polygons and the same jump dates: jump (painted, work), pan/zoom, memory, and the jump
again at 4x CPU throttling (bench/frames.py says how each is measured).

    python -m bench.compare [--sizes 2k,5k,20k] [--out bench/out/frames.json]

``python -m bench.run`` (``make bench``) runs the same at 2k, 5k and 20k as part of the
whole benchmark; this entry point runs only the comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench import browser as br
from bench import frames
from bench.frame_data import write_page_data
from bench.servers import LoopbackServer, static_app
from bench.targets import FRAME_SIZES, THROTTLE_SIZES

BENCH = Path(__file__).resolve().parent
PAGES_DIR = BENCH / "pages"
MAPLIBRE_DIR = BENCH / "node_modules" / "maplibre-gl" / "dist"
REFERENCES = ("bare", "maplibre")
PAGES = ("project", *REFERENCES)
READY_TIMEOUT_S = float(os.environ.get("BENCH_READY_TIMEOUT_S", 120))


def missing_maplibre() -> str | None:
    if not (MAPLIBRE_DIR / "maplibre-gl.mjs").is_file():
        return "bench/node_modules/maplibre-gl is missing: run `make bench/node_modules`"
    return None


def _mounts(data_root: Path) -> dict[str, Path]:
    from mapapp.web.pages import LEAFLET_DIR

    return {"/pages": PAGES_DIR, "/vendor/maplibre": MAPLIBRE_DIR,
            "/vendor/leaflet": Path(LEAFLET_DIR), "/data": data_root}


@contextmanager
def _page(chrome: Any, url: str, ready: str) -> Iterator[tuple[Any, Any, list[str]]]:
    """A new context (cold cache) at the benchmark's viewport, loaded until ``ready``."""
    context = chrome.new_context(viewport=br.VIEWPORT)
    errors: list[str] = []
    try:
        context.add_init_script(frames.MEMORY_PROBE_JS)
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and not m.text.startswith(
            "Failed to load resource") and errors.append(m.text))
        # Which request failed (the console does not say); browsers ask for a favicon.
        page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
                and errors.append(f"HTTP {r.status} {r.url}"))
        page.goto(url, wait_until="commit")
        try:
            page.wait_for_function(ready, polling=100, timeout=READY_TIMEOUT_S * 1000)
        except Exception as exc:  # say why: the page's own errors
            raise RuntimeError(f"{url} never ready: {'; '.join(errors) or exc}") from exc
        cdp = context.new_cdp_session(page)
        yield page, cdp, errors
    finally:
        context.close()


PROJECT_READY = ("() => !!document.documentElement"
                 " && document.documentElement.getAttribute('data-mapapp-ready') === 'true'"
                 " && window.mapapp && window.mapapp.detailsLoaded")
PAGE_READY = "() => !!window.benchPage"


def measure_size(name: str, timeline: Any, directory: Path, days: list[int], chrome: Any,
                 plan: frames.Plan, work: Path, throttle: bool | None = None) -> dict[str, Any]:
    """Every page at one size; ``days`` are the jump dates (at least plan.dates_needed).
    ``throttle``: measure the phone profile too (by default at THROTTLE_SIZES)."""
    from bench.run import warm_server  # the full run's helper; imported late (a cycle)
    from mapapp import create_app
    from mapapp.timeline import day_iso

    days = days[:plan.dates_needed] + frames.day_steps(days, plan)
    data_root = work / "frames"
    write_page_data(timeline, days, data_root / name)
    throttle = name in THROTTLE_SIZES if throttle is None else throttle
    app = create_app({"data_dir": directory, "reload_interval": 0.0})
    warm_server(app, app.test_client())
    out: dict[str, Any] = {"dates": len(days)}
    with LoopbackServer(app) as project, LoopbackServer(static_app(_mounts(data_root))) as ref:
        started = time.perf_counter()
        with _page(chrome, project.url + "/", PROJECT_READY) as (page, cdp, errors):
            size = page.evaluate(frames.PROJECT_ADAPTER, [day_iso(d) for d in days])
            out["project"] = frames.measure_page(page, cdp, plan, throttle)
            out["project"]["errors"] = errors
        out["project"]["seconds"] = round(time.perf_counter() - started, 1)
        out["map_size"] = size
        query = f"data=/data/{name}&w={size['w']}&h={size['h']}"
        for kind in REFERENCES:
            if kind == "maplibre" and missing_maplibre():
                out[kind] = {"status": "skipped", "reason": missing_maplibre()}
                continue
            started = time.perf_counter()
            try:  # a broken peer page is reported (and fails the run), the rest still runs
                with _page(chrome, f"{ref.url}/pages/{kind}.html?{query}", PAGE_READY) as (
                        page, cdp, errors):
                    out[kind] = frames.measure_page(page, cdp, plan, throttle)
                    out[kind]["errors"] = errors
            except Exception as exc:
                out[kind] = {"status": "failed", "reason": f"{type(exc).__name__}: {exc}"}
            out[kind]["seconds"] = round(time.perf_counter() - started, 1)
        with _page(chrome, f"{ref.url}/pages/empty.html?{query}", PAGE_READY) as (
                page, cdp, _errors):
            out["empty"] = {"memory": frames.measure_memory(page, cdp)}
    for kind in PAGES:
        memory = (out.get(kind) or {}).get("memory")
        if memory:
            memory["above_empty_mb"] = round(memory["total_mb"]
                                             - out["empty"]["memory"]["total_mb"], 1)
    return out


def main(argv: list[str] | None = None) -> int:
    from bench.report import format_frames, targets
    from bench.run import OUT, SIZES, Options, _code_version, data_dir, log, random_days
    from mapapp.dataset import load_dataset
    from mapapp.timeline import Timeline

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(FRAME_SIZES))
    parser.add_argument("--out", type=Path, default=OUT / "frames.json")
    parser.add_argument("--jumps", type=int, help="jumps per page and size")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES or SIZES[s] is None]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}")
    opts = Options()
    plan = frames.Plan() if args.jumps is None else replace(frames.Plan(), jumps=args.jumps)
    results: dict[str, Any] = {"meta": {"code": _code_version(), "sizes": sizes,
                                        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                 time.gmtime())},
                               "sizes": {}}
    with br.chromium() as chrome:
        results["meta"]["chromium"] = chrome.version
        for name in sizes:
            log(f"[{name}] frames")
            directory = data_dir(name, opts)
            timeline = Timeline(load_dataset(directory))
            days = random_days(timeline, plan.dates_needed, opts.seed)
            load_before = os.getloadavg()[0]
            results["sizes"][name] = {"frames": measure_size(name, timeline, directory, days,
                                                             chrome, plan, args.out.parent),
                                      "loadavg_1min": [round(load_before, 2),
                                                       round(os.getloadavg()[0], 2)]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1))
    results["targets"] = targets(results)
    print(format_frames(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
