"""Measure mapapp at scale, side by side with Folium's TimeSliderChoropleth.

    python -m bench.run [--sizes seed,1k,5k,20k] [--out bench/out/results.json] [--smoke]

For each size: data set load time, ``state_at`` latency, page + data bytes (raw and gzip),
time to usable in headless Chromium from a cold cache, slider jumps driven through the page,
and a PNG snapshot; then TimeSliderChoropleth (sparse and dense) on the same data, where it
fits the caps. Prints a table with PASS/FAIL per target and writes everything as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import gzip
import hashlib
import json
import os
import platform
import random
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from bench import browser as br
from bench import compare
from bench.frames import Plan
from bench.generate import GENERATOR_VERSION, Spec, generate
from bench.report import format_table, missing_metrics, targets
from bench.servers import LoopbackServer, static_app
from bench.targets import FRAME_SIZES

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
SIZES: dict[str, Spec | None] = {
    "seed": None,  # the shipped data/
    "1k": Spec(places=1_000, events=10_000, days=1_000),
    "2k": Spec(places=2_000, events=15_000, days=1_000),
    "5k": Spec(places=5_000, events=30_000, days=1_000),
    "20k": Spec(places=20_000, events=100_000, days=2_000),
    "smoke": Spec(places=50, events=200, days=100),
}
DEFAULT_SIZES = ("seed", "2k", "5k", "20k")


@dataclass(frozen=True)
class Options:
    loads: int = 3  # cold loads per page; the median is reported
    jumps: int = 60  # the engine-side jump figures; bench.frames measures the painted frame
    jump_budget_s: float = 60.0  # per page: slow pages get fewer jumps, not a longer run
    state_at_samples: int = 200
    tsc: bool = True
    # Its targets are at 5k; at 2k its dense page alone takes ~2 minutes (3 loads of 110 MB).
    tsc_sizes: tuple[str, ...] = ("seed", "5k", "20k", "smoke")
    tsc_max_bytes: float = 1.5e9
    tsc_timeout_s: float = 90.0
    # Bytes per second Chromium got through in DESIGN.md's measurement (262 MB in 25 s):
    # a page that would need longer than the timeout is skipped, not waited for.
    tsc_browser_rate: float = 10.5e6
    page_timeout_s: float = 60.0
    block: tuple[str, ...] = ()  # scripts left out of mapapp's page, for diagnosis only
    install_assets: bool = True  # `npm ci` TimeSliderChoropleth's scripts when missing
    cache: Path = OUT / "data"
    seed: int = 6
    frames: bool = True  # the comparison with the bare canvas and MapLibre (bench.compare)
    frame_plan: Plan = Plan()


# Small and offline: a smoke run never installs anything.
SMOKE = Options(jumps=30, jump_budget_s=15.0, state_at_samples=50, tsc_timeout_s=30.0,
                install_assets=False,
                frame_plan=Plan(warmup=2, jumps=8, noop=4, throttled=6, day_steps=6,
                                budget_s=15.0))


# --- data --------------------------------------------------------------------------------


def data_dir(name: str, opts: Options) -> Path:
    """The data set of a size: the shipped data/ or a generated one, cached by its spec."""
    spec = SIZES[name]
    if spec is None:
        return REPO / "data"
    spec = replace(spec, seed=opts.seed)
    key = hashlib.sha256(json.dumps([asdict(spec), GENERATOR_VERSION]).encode()).hexdigest()[:10]
    directory = opts.cache / f"{name}-{key}"
    stamp = directory / ".complete"
    if not stamp.is_file():
        started = time.perf_counter()
        generate(directory, spec)
        stamp.write_text(json.dumps(asdict(spec)))
        log(f"  generated {directory.name} in {time.perf_counter() - started:.1f} s")
    return directory


def describe(timeline: Any) -> dict[str, Any]:
    ds = timeline.dataset
    polygons = ds.places.geometry.notna() & ds.places.geom_type.isin(["Polygon", "MultiPolygon"])
    first, last = timeline.first_date, timeline.last_date
    days = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1 if first else 0
    return {"directory": str(ds.directory), "places": len(ds.places),
            "polygons": int(polygons.sum()), "control_events": len(timeline.control),
            "incidents": len(timeline.incidents), "days": days,
            "change_days": len(timeline.change_days), "first_date": first, "last_date": last}


def random_days(timeline: Any, count: int, seed: int) -> list[int]:
    """Days spread over the whole time span, the same for every page at one size."""
    first = int(timeline.control["day"].min())
    last = int(timeline.control["day"].max())
    rng = random.Random(seed)
    return [rng.randint(first, last) for _ in range(count)]


# --- the engine ----------------------------------------------------------------------------


def measure_load(directory: Path) -> tuple[Any, dict[str, Any]]:
    """load_dataset + Timeline, with the loader's steps timed separately."""
    from mapapp.dataset import fingerprint, load_dataset, read_raw
    from mapapp.timeline import Timeline
    from mapapp.validate import validate_raw

    steps: dict[str, float] = {}
    t = time.perf_counter()
    fingerprint(directory)
    steps["fingerprint_s"] = _lap(t)
    t = time.perf_counter()
    raw = read_raw(directory)
    steps["read_s"] = _lap(t)
    t = time.perf_counter()
    validate_raw(raw)
    steps["validate_s"] = _lap(t)
    del raw
    t = time.perf_counter()
    dataset = load_dataset(directory)
    load_s = _lap(t)
    steps["frames_s"] = round(max(0.0, load_s - sum(steps.values())), 3)
    t = time.perf_counter()
    timeline = Timeline(dataset)
    steps["timeline_s"] = _lap(t)
    return timeline, {"load_s": round(load_s + steps["timeline_s"], 3), "load_steps": steps}


def measure_state_at(timeline: Any, days: list[int]) -> dict[str, float]:
    from mapapp.timeline import day_iso

    for day in days[:5]:  # warm: first calls pay for imports and caches
        timeline.state_at(day_iso(day))
    samples = []
    for day in days:
        date = day_iso(day)
        t = time.perf_counter()
        timeline.state_at(date)
        samples.append((time.perf_counter() - t) * 1000)
    return {"state_at_p50_ms": round(br.percentile(samples, 50), 3),
            "state_at_p95_ms": round(br.percentile(samples, 95), 3)}


_SNAPSHOT_WARM = False


def measure_snapshot(timeline: Any) -> float:
    """Seconds to render the default PNG snapshot. A renderer that fails fails the run:
    a benchmark that reports "n/a" for a broken renderer hides the breakage."""
    global _SNAPSHOT_WARM
    from mapapp import snapshot

    if not _SNAPSHOT_WARM:  # matplotlib's import and font cache are not the map's cost
        snapshot.render_snapshot(timeline, snapshot.parse_snapshot_options(
            {"width": "200", "height": "200"}, timeline))
        _SNAPSHOT_WARM = True
    options = snapshot.parse_snapshot_options({}, timeline)
    t = time.perf_counter()
    png = snapshot.render_snapshot(timeline, options)
    seconds = _lap(t)
    if not isinstance(png, bytes | bytearray) or not png.startswith(b"\x89PNG"):
        raise RuntimeError("render_snapshot did not return a PNG")
    return seconds


# --- mapapp in the browser -------------------------------------------------------------------


def measure_mapapp(directory: Path, chrome: Any, opts: Options) -> dict[str, Any]:
    from mapapp import create_app
    from mapapp.timeline import day_iso

    timeline, out = measure_load(directory)
    data = describe(timeline)
    days = random_days(timeline, max(opts.jumps, opts.state_at_samples), opts.seed)
    out.update(measure_state_at(timeline, days[:opts.state_at_samples]))
    out["snapshot_png_s"] = measure_snapshot(timeline)

    app = create_app({"data_dir": directory, "reload_interval": 0.0})
    client = app.test_client()
    out["server_build"] = warm_server(app, client)
    with LoopbackServer(app) as server:
        loads = [_mapapp_load(chrome, server.url, opts) for _ in range(opts.loads)]
        out.update(_load_summary(loads))
        out["bytes"] = page_bytes(client, loads[0].requests, server.url)
        with br.open_page(chrome, server.url + "/", br.probe_script("mapapp"),
                          opts.page_timeout_s, opts.block) as (page, result):
            dates = [day_iso(d) for d in days[:opts.jumps]]
            samples = br.run_jumps(page, dates, "mapapp", opts.jump_budget_s) \
                if result.usable_ms is not None else []
            out["jump"] = br.summarize_jumps(samples)
            out["errors"] = sorted(set(out["errors"] + result.errors))
    return {"data": data, "mapapp": out, "days": days, "timeline": timeline}


def warm_server(app: Any, client: Any) -> dict[str, float]:
    """Build the page and the payload once (they are cached per data version), timed: the
    browser runs then measure the client, not the first request's server work."""
    snap = app.extensions["mapapp"].current()
    timings = {}
    for key, path in (("page_s", "/"), ("payload_s", f"/data/{snap.version}/timeline.json"),
                      ("details_s", f"/data/{snap.version}/events/control-0.json")):
        t = time.perf_counter()
        response = client.get(path)
        timings[key] = _lap(t)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} -> {response.status_code}")
        t = time.perf_counter()  # the server may gzip once per version and keep it
        client.get(path, headers={"Accept-Encoding": "gzip"})
        timings[key.replace("_s", "_gzip_s")] = _lap(t)
    return timings


def _mapapp_load(chrome: Any, url: str, opts: Options) -> br.LoadResult:
    with br.open_page(chrome, url + "/", br.probe_script("mapapp"), opts.page_timeout_s,
                      opts.block) as (page, result):
        try:  # let the chunks of event texts the page shows arrive: every request on record
            page.wait_for_function("() => window.mapapp && window.mapapp.detailsLoaded",
                                   timeout=10_000)
        except Exception:
            result.errors.append("the event texts did not arrive within 10 s")
        return result


def _load_summary(loads: list[br.LoadResult]) -> dict[str, Any]:
    usable = [r.usable_ms for r in loads if r.usable_ms is not None]
    painted = [r.painted_ms for r in loads if r.painted_ms is not None]
    median_run = _median_run(loads)
    return {
        "usable_ms": _round(br.median(usable)),
        "usable_runs_ms": [_round(r.usable_ms) for r in loads],
        "painted_ms": _round(br.median(painted)),
        "painted_runs_ms": [_round(r.painted_ms) for r in loads],
        "phases": phases(median_run) if median_run else {},
        "heap_mb": median_run.heap_mb if median_run else None,
        "errors": sorted({e for r in loads for e in r.errors}),
    }


def _median_run(loads: list[br.LoadResult]) -> br.LoadResult | None:
    ok = sorted((r for r in loads if r.usable_ms is not None), key=lambda r: r.usable_ms or 0)
    return ok[len(ok) // 2] if ok else None


def phases(result: br.LoadResult) -> dict[str, float | None]:
    """Where the time to usable goes, in ms since navigation start."""
    m = result.marks
    marks, nav = m.get("marks", {}), m.get("nav", {})
    payload = next((r for r in m.get("resources", []) if "timeline.json" in r["name"]), None)
    parsed = next((j for j in m.get("json", []) if "timeline.json" in j["url"]), None)
    biggest = max(m.get("addData", []), key=lambda a: a["n"], default=None)
    usable = marks.get("usable")
    after = [r for r in m.get("redraws", []) if usable is not None and r["start"] >= usable]
    parse_ms = None
    if parsed and payload:
        parse_ms = parsed["end"] - max(parsed["start"], payload["end"])
    return {k: _round(v) for k, v in {
        "html_ms": nav.get("responseEnd"),
        "dom_content_loaded_ms": nav.get("domContentLoaded"),
        "payload_request_ms": payload["start"] if payload else None,
        "payload_received_ms": payload["end"] if payload else None,
        "json_parsed_ms": parsed["end"] if parsed else None,
        "json_parse_ms": parse_ms,
        "add_data_ms": (biggest["end"] - biggest["start"]) if biggest else None,
        "add_data_features": biggest["n"] if biggest else None,
        "setup_ms": (usable - parsed["end"]) if parsed and usable is not None else None,
        "usable_ms": usable,
        "first_redraw_ms": (after[0]["end"] - after[0]["start"]) if after else None,
        "painted_ms": marks.get("painted"),
    }.items()}


def page_bytes(client: Any, requests: list[str], origin: str) -> dict[str, Any]:
    """Bytes of every same-origin file the page loaded, fetched again through the test
    client as a browser would (gzip accepted). When the server does not compress a text
    file, its gzip size is computed at level 6."""
    files = []
    for url in dict.fromkeys(requests):
        if not url.startswith(origin):
            continue
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = client.get(path, headers={"Accept-Encoding": "gzip"})
        raw, wire = _sizes(response.get_data(), response.headers)
        files.append({"path": path, "kind": _kind(parts.path), "raw": raw, "gzip": wire,
                      "server_gzip": response.headers.get("Content-Encoding") == "gzip"})
    out: dict[str, Any] = {"files": files}
    for kind in ("html", "timeline_json", "events_json", "assets"):
        chosen = [f for f in files if f["kind"] == kind]
        out[kind] = {"raw": sum(f["raw"] for f in chosen), "gzip": sum(f["gzip"] for f in chosen)}
    out["total"] = {"raw": sum(f["raw"] for f in files), "gzip": sum(f["gzip"] for f in files)}
    return out


def _sizes(body: bytes, headers: Any) -> tuple[int, int]:
    """(raw, on the wire with gzip) of one response body."""
    if headers.get("Content-Encoding") == "gzip":
        return len(gzip.decompress(body)), len(body)
    return len(body), _compressed_size(body, headers)


def _compressed_size(body: bytes, headers: Any) -> int:
    """What the wire would carry: servers gzip text, not images or fonts."""
    kind = headers.get("Content-Type", "")
    if kind.startswith("text/") or any(t in kind for t in ("json", "javascript", "svg", "xml")):
        return len(gzip.compress(body, 6))
    return len(body)


def _kind(path: str) -> str:
    if path == "/":
        return "html"
    if path.endswith("/timeline.json"):
        return "timeline_json"
    if path.startswith("/data/") and "/events/" in path:  # chunks of event texts
        return "events_json"
    return "assets"


# --- TimeSliderChoropleth ------------------------------------------------------------------------


def measure_tsc(timeline: Any, days: list[int], chrome: Any, opts: Options,
                work: Path) -> dict[str, Any]:
    from bench import tsc

    # A smoke run never touches the network; a full run installs the pinned scripts once.
    reason = tsc.install_assets() if opts.install_assets else tsc.missing_assets()
    if reason:
        return {v: {"status": "skipped", "reason": reason} for v in tsc.VARIANTS}
    out = {}
    for variant in tsc.VARIANTS:
        out[variant] = _tsc_variant(timeline, variant, days, chrome, opts, work)
        gc.collect()
    return out


def _tsc_variant(timeline: Any, variant: str, days: list[int], chrome: Any, opts: Options,
                 work: Path) -> dict[str, Any]:
    from bench import tsc

    plan = tsc.make_plan(timeline, variant)
    out: dict[str, Any] = {"features": plan.features, "timestamps": plan.timestamps,
                           "style_entries": plan.entries, "est_html_bytes": plan.est_bytes}
    reason = _tsc_skip_reason(plan, opts)
    if reason:
        return {**out, "status": "skipped", "reason": reason}
    html, timings = tsc.build_page(timeline, plan)
    out.update({k: round(v, 3) for k, v in timings.items()})
    raw = html.encode()
    del html
    out["html_bytes"] = {"raw": len(raw), "gzip": len(gzip.compress(raw, 6))}
    work.mkdir(parents=True, exist_ok=True)
    page_file = work / f"tsc-{variant}.html"
    page_file.write_bytes(raw)
    del raw
    try:
        out.update(_tsc_browser(timeline, plan, page_file, days, chrome, opts))
    finally:
        page_file.unlink(missing_ok=True)  # up to a few hundred MB: never left behind
    out["total_bytes"] = {k: out["html_bytes"][k] + out["asset_bytes"][k] for k in ("raw", "gzip")}
    out["status"] = "ok" if out["usable_ms"] is not None else "failed"
    if out["status"] == "failed":
        out["reason"] = "; ".join(out["errors"]) or "never usable"
    return out


def _tsc_skip_reason(plan: Any, opts: Options) -> str | None:
    if plan.est_bytes > opts.tsc_max_bytes:
        return (f"estimated HTML {plan.est_bytes / 1e9:.2f} GB > cap "
                f"{opts.tsc_max_bytes / 1e9:.2f} GB ({plan.features:,} places x "
                f"{plan.timestamps:,} dates)")
    est_s = plan.est_bytes / opts.tsc_browser_rate
    if est_s > opts.tsc_timeout_s:
        return f"estimated {est_s:.0f} s to usable > cap {opts.tsc_timeout_s:.0f} s"
    return None


def _tsc_browser(timeline: Any, plan: Any, page_file: Path, days: list[int], chrome: Any,
                 opts: Options) -> dict[str, Any]:
    from bench import tsc

    probe = br.probe_script("poll", tsc.usable_condition(plan.features))
    app = static_app({**tsc.MOUNTS, "/": page_file.parent})
    out: dict[str, Any] = {}
    with LoopbackServer(app) as server:
        url = f"{server.url}/{page_file.name}"
        loads: list[br.LoadResult] = []
        for _ in range(opts.loads):
            with br.open_page(chrome, url, probe, opts.tsc_timeout_s) as (_page, result):
                loads.append(result)
            if result.usable_ms is None:
                break  # a timed-out page will time out again: do not spend the budget twice
        out.update(_load_summary(loads))
        out["asset_bytes"] = _asset_bytes(loads[0].requests, server.url, page_file.name)
        if loads[-1].usable_ms is None:
            out["jump"] = {"n": 0}
            return out
        with br.open_page(chrome, url, probe, opts.tsc_timeout_s) as (page, result):
            values = [tsc.slider_index(timeline, d) for d in days[:opts.jumps]]
            samples = br.run_jumps(page, values, "tsc", opts.jump_budget_s) \
                if result.usable_ms is not None else []
            out["jump"] = br.summarize_jumps(samples)
    return out


def _asset_bytes(requests: list[str], origin: str, page_name: str) -> dict[str, int]:
    raw = zipped = 0
    for url in dict.fromkeys(requests):
        if not url.startswith(origin) or url.endswith("/" + page_name):
            continue
        with urllib.request.urlopen(url, timeout=30) as response:  # loopback only
            body = response.read()
            headers = response.headers
        raw += len(body)
        zipped += _compressed_size(body, headers)
    return {"raw": raw, "gzip": zipped}


# --- the run -----------------------------------------------------------------------------------


def run(sizes: list[str], opts: Options, out_path: Path) -> dict[str, Any]:
    results: dict[str, Any] = {"meta": _meta(opts, sizes), "sizes": {}}
    with br.chromium() as chrome:
        results["meta"]["chromium"] = chrome.version
        for name in sizes:
            log(f"[{name}]")
            started = time.perf_counter()
            load_before = os.getloadavg()[0]
            directory = data_dir(name, opts)
            measured = measure_mapapp(directory, chrome, opts)
            days, timeline = measured.pop("days"), measured.pop("timeline")
            log(f"  mapapp done in {time.perf_counter() - started:.0f} s")
            if opts.tsc and name in opts.tsc_sizes:
                measured["tsc"] = measure_tsc(timeline, days, chrome, opts, out_path.parent)
                for variant, result in measured["tsc"].items():
                    if result["status"] != "ok":
                        log(f"  TimeSliderChoropleth {variant}: {result['status']} "
                            f"({result.get('reason')})")
            if opts.frames and (name in FRAME_SIZES or name == "smoke"):
                started_frames = time.perf_counter()
                measured["frames"] = compare.measure_size(
                    name, timeline, directory, days, chrome, opts.frame_plan, out_path.parent,
                    throttle=None if name in FRAME_SIZES else True)
                log(f"  frames (project / bare canvas / MapLibre) done in "
                    f"{time.perf_counter() - started_frames:.0f} s")
            measured["code"] = _code_version()  # others may edit the page during a run
            measured["seconds"] = round(time.perf_counter() - started, 1)
            # Other processes on the machine skew timings: keep the evidence with the numbers.
            measured["loadavg_1min"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
            log(f"  size done in {measured['seconds']:.0f} s")
            results["sizes"][name] = measured
            del timeline
            results["targets"] = targets(results)
            _write(out_path, results)  # after every size: a crash keeps what was measured
            gc.collect()
    return results


def _meta(opts: Options, sizes: list[str]) -> dict[str, Any]:
    import folium

    specs = {name: asdict(replace(spec, seed=opts.seed)) if spec else "data/"
             for name, spec in SIZES.items() if name in sizes}
    return {"started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "code": _code_version(),
            "python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "folium": folium.__version__, "sizes": specs,
            "options": {k: str(v) if isinstance(v, Path) else v
                        for k, v in asdict(opts).items()},
            "viewport": br.VIEWPORT, "chromium_flags": br.CHROMIUM_FLAGS}


def _code_version() -> dict[str, Any]:
    """Which code was measured: the commit, whether the tree was dirty, and a hash of the
    page's own scripts and styles (they change most often, and decide most timings)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    digest = hashlib.sha256()
    static = REPO / "mapapp" / "static"
    for path in sorted(p for p in static.rglob("*") if p.is_file()):
        digest.update(path.relative_to(static).as_posix().encode() + path.read_bytes())
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "dirty_files": len(git("status", "--porcelain").splitlines()),
            "static_sha256": digest.hexdigest()[:12]}


def _write(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=1, default=_json_default))
    tmp.replace(path)


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _lap(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(DEFAULT_SIZES),
                        help=f"comma-separated, from {', '.join(SIZES)}")
    parser.add_argument("--out", type=Path, default=OUT / "results.json")
    parser.add_argument("--smoke", action="store_true",
                        help="a tiny size only, fewer jumps: checks the instrument works")
    parser.add_argument("--no-tsc", action="store_true", help="skip TimeSliderChoropleth")
    parser.add_argument("--no-frames", action="store_true",
                        help="skip the frame comparison (bare canvas, MapLibre)")
    parser.add_argument("--jumps", type=int, help="slider jumps per page (default 200)")
    parser.add_argument("--cache", type=Path, help="where generated data sets are kept")
    parser.add_argument("--block", default="",
                        help="diagnosis: comma-separated scripts left out of mapapp's page")
    args = parser.parse_args(argv)
    opts = SMOKE if args.smoke else Options()
    sizes = ["smoke"] if args.smoke else [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; known: {', '.join(SIZES)}")
    block = tuple(b.strip() for b in args.block.split(",") if b.strip())
    opts = replace(opts, tsc=not args.no_tsc, frames=not args.no_frames,
                   jumps=args.jumps or opts.jumps,
                   cache=args.cache or opts.cache, block=block)
    results = run(sizes, opts, args.out)
    print(format_table(results))
    missing = missing_metrics(results)
    if missing:
        log("missing metrics: " + ", ".join(missing))
        return 1
    log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
