"""The performance targets, the printed table, and the check that every metric is there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench.targets import BYTES_RATIO, FRAME_TARGETS, STATE_AT_P50_MS, USABLE_20K_MS, USABLE_RATIO

MAPAPP_METRICS = (
    "load_s", "load_steps", "state_at_p50_ms", "state_at_p95_ms", "snapshot_png_s",
    "server_build", "bytes.html", "bytes.timeline_json", "bytes.events_json", "bytes.assets",
    "bytes.total", "usable_ms", "usable_runs_ms", "painted_ms", "phases", "heap_mb",
    "jump.apply_p50_ms", "jump.apply_p95_ms", "jump.js_p50_ms", "jump.js_p95_ms",
    "jump.next_frame_p50_ms", "jump.next_frame_p95_ms", "jump.work_p50_ms", "jump.work_p95_ms",
    "jump.settled_p50_ms", "jump.settled_p95_ms",
)
# Per page of the frame comparison (bench/frames.py), at the sizes it runs at.
FRAME_METRICS = ("jump.painted_p50_ms", "jump.painted_p95_ms", "jump.work_p50_ms",
                 "jump.work_p95_ms", "jump.noop.painted_p50_ms", "jump.noop.work_p50_ms",
                 "move.p50_ms", "move.p95_ms", "memory.total_mb", "memory.above_empty_mb")
TSC_METRICS = ("build_s", "html_bytes", "total_bytes", "usable_ms", "painted_ms",
               "jump.work_p50_ms", "jump.work_p95_ms", "timestamps", "style_entries")


def get(tree: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def missing_metrics(results: dict[str, Any]) -> list[str]:
    """Dotted names of metrics that should be in the results but are not."""
    missing = []
    for name, size in results.get("sizes", {}).items():
        missing += [f"{name}.mapapp.{m}" for m in MAPAPP_METRICS
                    if get(size, f"mapapp.{m}") is None]
        for variant, tsc in (size.get("tsc") or {}).items():
            if tsc.get("status") == "ok":
                missing += [f"{name}.tsc.{variant}.{m}" for m in TSC_METRICS
                            if get(tsc, m) is None]
            elif not tsc.get("reason"):
                missing.append(f"{name}.tsc.{variant}.reason")
        for page, result in (size.get("frames") or {}).items():
            if page in FRAME_PAGES and result.get("status") != "skipped":
                missing += [f"{name}.frames.{page}.{m}" for m in FRAME_METRICS
                            if get(result, m) is None]
    return missing


# --- targets ---------------------------------------------------------------------------------


def _verdict(value: float | None, limit: float, why: str = "") -> str:
    if value is None:
        return f"n/a{f' ({why})' if why else ''}"
    return "PASS" if value <= limit else "FAIL"


def _tsc_ratio(size: dict[str, Any], variant: str, mine: str, theirs: str
               ) -> tuple[float | None, str]:
    tsc = get(size, f"tsc.{variant}") or {}
    if tsc.get("status") != "ok":
        return None, f"TimeSliderChoropleth {variant} {tsc.get('status', 'not run')}"
    a, b = get(size, f"mapapp.{mine}"), get(tsc, theirs)
    if not a or not b:
        return None, "not measured"
    return a / b, ""


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every performance target (docs/performance.md) that the measured sizes allow to check."""
    sizes = results.get("sizes", {})
    out: list[dict[str, Any]] = []
    five = sizes.get("5k")
    for variant in ("dense", "sparse"):
        for target, mine, theirs, limit in (
            ("page + data bytes vs TimeSliderChoropleth", "bytes.total.raw", "total_bytes.raw",
             BYTES_RATIO),
            ("time to usable vs TimeSliderChoropleth", "usable_ms", "usable_ms", USABLE_RATIO),
        ):
            value, why = _tsc_ratio(five, variant, mine, theirs) if five else (None, "5k not run")
            out.append({"target": f"{target} ({variant})", "size": "5k", "value": value,
                        "limit": limit, "unit": "ratio", "verdict": _verdict(value, limit, why)})
    for t in FRAME_TARGETS:
        size = sizes.get(t.size)
        value = get(size, t.path) if size else None
        why = "no figure" if size else f"{t.size} not run"
        out.append({"target": t.target, "size": t.size, "value": value, "limit": t.limit,
                    "unit": t.unit, "verdict": _verdict(value, t.limit, why)})
    twenty = sizes.get("20k")
    value = get(twenty, "mapapp.usable_ms") if twenty else None
    out.append({"target": "time to usable at 20,000 x 100,000", "size": "20k", "value": value,
                "limit": USABLE_20K_MS, "unit": "ms",
                "verdict": _verdict(value, USABLE_20K_MS, "20k not run")})
    for name, size in sizes.items():
        value = get(size, "mapapp.state_at_p50_ms")
        out.append({"target": "state_at p50, warm", "size": name, "value": value,
                    "limit": STATE_AT_P50_MS, "unit": "ms",
                    "verdict": _verdict(value, STATE_AT_P50_MS)})
    return out


# --- the table -------------------------------------------------------------------------------

Row = tuple[str, Callable[[dict[str, Any]], str]]


def _num(value: Any, fmt: str = "{:,.0f}") -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return fmt.format(value)


def _mb(value: Any) -> str:
    return "—" if value is None else f"{value / 1e6:,.2f} MB"


def _pair(a: Any, b: Any, fmt: str = "{:,.1f}") -> str:
    return f"{_num(a, fmt)} / {_num(b, fmt)}"


def _m(path: str, fmt: str = "{:,.0f}") -> Callable[[dict[str, Any]], str]:
    return lambda s: _num(get(s, path), fmt)


def _m2(a: str, b: str, fmt: str = "{:,.1f}") -> Callable[[dict[str, Any]], str]:
    return lambda s: _pair(get(s, a), get(s, b), fmt)


def _bytes2(path: str) -> Callable[[dict[str, Any]], str]:
    return lambda s: f"{_mb(get(s, path + '.raw'))} / {_mb(get(s, path + '.gzip'))}"


def _tsc(variant: str, path: str, fmt: Callable[[dict[str, Any]], str]
         ) -> Callable[[dict[str, Any]], str]:
    def cell(size: dict[str, Any]) -> str:
        tsc = get(size, f"tsc.{variant}")
        if not tsc:
            return "not run"
        if tsc.get("status") != "ok":
            return f"{tsc.get('status')} ({tsc.get('reason', '')})" if path == "build_s" else "—"
        return fmt(tsc)
    return cell


def _shown(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ratio":
        return f"1/{1 / value:,.1f}" if value < 1 else f"{value:,.2f}x"
    return f"{value:,.2f} {unit}"


def _ratio(variant: str, mine: str, theirs: str) -> Callable[[dict[str, Any]], str]:
    def cell(size: dict[str, Any]) -> str:
        value, _ = _tsc_ratio(size, variant, mine, theirs)
        return _shown(value, "ratio")
    return cell


def _rows() -> list[Row]:
    rows: list[Row] = [
        ("places / polygons", _m2("data.places", "data.polygons", "{:,}")),
        ("control events / change days", _m2("data.control_events", "data.change_days", "{:,}")),
        ("MAPAPP", lambda s: ""),
        ("load: load_dataset + Timeline (s)", _m("mapapp.load_s", "{:.2f}")),
        ("  of which validate (s)", _m("mapapp.load_steps.validate_s", "{:.2f}")),
        ("state_at p50 / p95 (ms)", _m2("mapapp.state_at_p50_ms", "mapapp.state_at_p95_ms",
                                        "{:.2f}")),
        ("server: payload build, 1st request (s)", _m("mapapp.server_build.payload_s", "{:.2f}")),
        ("page + data, raw / gzip", _bytes2("mapapp.bytes.total")),
        ("  timeline.json raw / gzip", _bytes2("mapapp.bytes.timeline_json")),
        ("  event texts (chunks loaded) raw / gzip", _bytes2("mapapp.bytes.events_json")),
        ("time to usable, median of 3 (ms)", _m("mapapp.usable_ms")),
        ("  first painted frame (ms)", _m("mapapp.painted_ms")),
        ("  payload received at (ms)", _m("mapapp.phases.payload_received_ms")),
        ("  JSON parse (ms)", _m("mapapp.phases.json_parse_ms")),
        ("  addData of the places (ms)", _m("mapapp.phases.add_data_ms")),
        ("  parsed -> ready, incl. addData (ms)", _m("mapapp.phases.setup_ms")),
        ("  first canvas redraw (ms)", _m("mapapp.phases.first_redraw_ms")),
        ("  JS heap (MB)", _m("mapapp.heap_mb", "{:,.0f}")),
        ("jump: setDate p50 / p95 (ms)", _m2("mapapp.jump.apply_p50_ms",
                                             "mapapp.jump.apply_p95_ms")),
        ("jump: setDate + redraw p50 / p95", _m2("mapapp.jump.js_p50_ms", "mapapp.jump.js_p95_ms")),
        ("jump: until idle p50 / p95", _m2("mapapp.jump.settled_p50_ms",
                                           "mapapp.jump.settled_p95_ms")),
        ("snapshot PNG (s)", _m("mapapp.snapshot_png_s", "{:.2f}")),
    ]
    for variant in ("sparse", "dense"):
        rows += [
            (f"TIMESLIDERCHOROPLETH ({variant})", lambda s: ""),
            ("build (s)", _tsc(variant, "build_s", lambda t: _num(t["build_s"], "{:.2f}"))),
            ("HTML + assets, raw / gzip", _tsc(variant, "bytes", _bytes2("total_bytes"))),
            ("time to usable, median (ms)", _tsc(variant, "usable", _m("usable_ms"))),
            ("  first painted frame (ms)", _tsc(variant, "painted", _m("painted_ms"))),
            ("  JS heap (MB)", _tsc(variant, "heap", _m("heap_mb"))),
            ("jump: input handler p50 / p95", _tsc(variant, "j", _m2("jump.apply_p50_ms",
                                                                      "jump.apply_p95_ms"))),
            ("jump: work to painted p50/p95", _tsc(variant, "j", _m2("jump.work_p50_ms",
                                                                      "jump.work_p95_ms"))),
            ("jump: until idle p50 / p95", _tsc(variant, "j", _m2("jump.settled_p50_ms",
                                                                   "jump.settled_p95_ms"))),
            ("mapapp / TSC bytes (raw)", _ratio(variant, "bytes.total.raw", "total_bytes.raw")),
            ("mapapp / TSC bytes (gzip)", _ratio(variant, "bytes.total.gzip",
                                                 "total_bytes.gzip")),
            ("mapapp / TSC time to usable", _ratio(variant, "usable_ms", "usable_ms")),
        ]
    return rows


def format_table(results: dict[str, Any]) -> str:
    sizes = results.get("sizes", {})
    names = list(sizes)
    rows = [(label, [cell(sizes[n]) for n in names]) for label, cell in _rows()]
    # Long cells (skip reasons) would stretch a column: they get a footnote instead.
    notes: list[str] = []
    for _, cells in rows:
        for i, text in enumerate(cells):
            if len(text) > 28:
                notes.append(text)
                cells[i] = f"[{len(notes)}]"
    label_w = max(len(r[0]) for r in rows)
    widths = [max(len(n), *(len(r[1][i]) for r in rows)) for i, n in enumerate(names)]
    lines = [" | ".join([" " * label_w] + [n.rjust(w) for n, w in zip(names, widths,
                                                                     strict=True)])]
    lines.append("-" * len(lines[0]))
    for label, cells in rows:
        lines.append(" | ".join([label.ljust(label_w)] + [c.rjust(w) for c, w in zip(
            cells, widths, strict=True)]))
    lines += [f"[{i}] {text}" for i, text in enumerate(notes, start=1)]
    if any(size.get("frames") for size in sizes.values()):
        lines += ["", format_frames(results, with_targets=False)]
    lines += ["", "TARGETS"]
    for t in results.get("targets", []):
        shown = _shown(t["value"], t["unit"])
        limit = f"1/{1 / t['limit']:.0f}" if t["unit"] == "ratio" else f"{t['limit']:g} {t['unit']}"
        lines.append(f"  {t['verdict']:<4}  {t['target']} @ {t['size']}: {shown} "
                     f"(limit {limit})")
    return "\n".join(lines)


# --- the frame comparison: project / bare canvas / MapLibre ----------------------------------

FRAME_PAGES = {"project": "project", "bare": "bare canvas", "maplibre": "MapLibre GL JS"}
_FRAME_ROWS = (  # label, then the p50 and p95 figures (p95 None: one figure)
    ("jump painted p50 / p95", "jump.painted_p50_ms", "jump.painted_p95_ms"),
    ("jump work p50 / p95", "jump.work_p50_ms", "jump.work_p95_ms"),
    ("  setDate / jump() call p50 / p95", "jump.apply_p50_ms", "jump.apply_p95_ms"),
    ("  no-op jump: painted p50 / p95", "jump.noop.painted_p50_ms", "jump.noop.painted_p95_ms"),
    ("  no-op jump: work p50 / p95", "jump.noop.work_p50_ms", "jump.noop.work_p95_ms"),
    ("  main thread busy (deferred work too) p50 / p95", "jump.busy_p50_ms", "jump.busy_p95_ms"),
    ("  no-op jump: busy p50 / p95", "jump.noop.busy_p50_ms", "jump.noop.busy_p95_ms"),
    ("  MapLibre 'idle' after a jump p50 / p95", "jump.idle_p50_ms", "jump.idle_p95_ms"),
    ("pan/zoom to drawn p50 / p95", "move.p50_ms", "move.p95_ms"),
    ("4x throttled: painted p50 / p95", "throttled.painted_p50_ms", "throttled.painted_p95_ms"),
    ("4x throttled: work p50 / p95", "throttled.work_p50_ms", "throttled.work_p95_ms"),
    ("4x throttled no-op: painted p50", "throttled.noop.painted_p50_ms", None),
    ("4x throttled, a day a step: work p50 / p95", "throttled.day.work_p50_ms",
     "throttled.day.work_p95_ms"),
    ("  4x throttled, one pixel changed: work p50 / p95", "throttled.touch.work_p50_ms",
     "throttled.touch.work_p95_ms"),
)


def _frame_cell(result: dict[str, Any] | None, p50: str, p95: str | None) -> str:
    if not result:
        return "not run"
    if result.get("status") in ("skipped", "failed"):
        return result["status"]
    if p95 is None:
        return _num(get(result, p50), "{:,.1f}")
    a, b = get(result, p50), get(result, p95)
    return "—" if a is None else _pair(a, b)


def format_frames(results: dict[str, Any], with_targets: bool = True) -> str:
    """One table: each size's figures for the project, the bare canvas and MapLibre."""
    sizes = {n: s["frames"] for n, s in results.get("sizes", {}).items() if s.get("frames")}
    header = ["", *FRAME_PAGES.values()]
    rows: list[list[str]] = []
    for name, frames in sizes.items():
        n = get(frames, "project.jump.n")
        rows.append([f"{name} ({_num(n)} jumps, map {get(frames, 'map_size.w')}x"
                     f"{get(frames, 'map_size.h')})", "", "", ""])
        for label, p50, p95 in _FRAME_ROWS:
            cells = [_frame_cell(frames.get(p), p50, p95) for p in FRAME_PAGES]
            if all(c in ("—", "not run") for c in cells):
                continue
            rows.append([label, *cells])
        memory = [_num(get(frames, f"{p}.memory.above_empty_mb"), "{:,.1f}")
                  for p in FRAME_PAGES]
        rows.append(["memory above empty map (MB)", *memory])
        empty = get(frames, "empty.memory.total_mb")
        rows.append([f"  page total (MB; empty map {_num(empty, '{:,.1f}')})",
                     *[_num(get(frames, f"{p}.memory.total_mb"), "{:,.1f}")
                       for p in FRAME_PAGES]])
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["FRAMES (ms unless marked): what a viewer sees, bench/frames.py",
             " | ".join(h.ljust(widths[0]) if i == 0 else h.rjust(widths[i])
                        for i, h in enumerate(header))]
    lines.append("-" * len(lines[1]))
    for row in rows:
        lines.append(" | ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i])
                                for i, c in enumerate(row)))
    if with_targets:
        lines += ["", "TARGETS"]
        for t in targets(results):
            if any(t["target"] == f.target for f in FRAME_TARGETS):
                lines.append(f"  {t['verdict']:<4}  {t['target']} @ {t['size']}: "
                             f"{_shown(t['value'], t['unit'])} (limit {t['limit']:g} {t['unit']})")
    return "\n".join(lines)


def targets_markdown(results: dict[str, Any]) -> str:
    """The docs' table of targets, from FRAME_TARGETS and the others checked here."""
    lines = ["| target | size | limit | measured | verdict |", "|---|---|---|---|---|"]
    for t in targets(results):
        limit = f"1/{1 / t['limit']:.0f}" if t["unit"] == "ratio" else f"{t['limit']:g} {t['unit']}"
        lines.append(f"| {t['target']} | {t['size']} | {limit} | {_shown(t['value'], t['unit'])}"
                     f" | {t['verdict']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json
    from pathlib import Path

    parser = argparse.ArgumentParser(description="print the tables of a results file")
    parser.add_argument("results", type=Path, nargs="?", default=Path("bench/out/results.json"))
    parser.add_argument("--targets-markdown", action="store_true",
                        help="the table of targets for docs/performance.md")
    args = parser.parse_args(argv)
    results = json.loads(args.results.read_text())
    results["targets"] = targets(results)
    print(targets_markdown(results) if args.targets_markdown else format_table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
