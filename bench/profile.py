"""Where the page's time goes: V8 CPU profiles of a cold load and of slider jumps.

    python -m bench.profile --size 5k [--jumps 20] [--top 25] [--block share.js]

Uses the data sets that ``bench.run`` generates (and caches). Prints, for the load and for
the jumps, the functions with the most self time and the most inclusive time, so that an
optimisation can be checked against the same instrument that found the problem. ``--block``
leaves scripts out of the page (their requests fail), to see what the rest costs alone;
only classic scripts (share.js) can be left out, since a module that fails to load stops
the page's whole module graph.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import Any

from bench import browser as br
from bench.run import SIZES, Options, data_dir, random_days, warm_server
from bench.servers import LoopbackServer

SAMPLING_US = 200


def _frame_name(frame: dict[str, Any]) -> str:
    name = frame.get("functionName") or "(anonymous)"
    url = frame.get("url", "")
    where = url.rsplit("/", 1)[-1] if url else ""
    return f"{name} {where}:{frame.get('lineNumber', 0) + 1}" if where else name


def summarize_profile(profile: dict[str, Any], top: int) -> dict[str, list[tuple[str, float]]]:
    """Self and inclusive milliseconds per function, from a CDP ``Profiler.stop`` result."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    parent: dict[int, int] = {}
    for n in profile["nodes"]:
        for child in n.get("children", []):
            parent[child] = n["id"]
    self_ms: Counter[str] = Counter()
    incl_ms: Counter[str] = Counter()
    deltas = profile.get("timeDeltas", [])
    for k, node_id in enumerate(profile.get("samples", [])):
        ms = (deltas[k + 1] if k + 1 < len(deltas) else SAMPLING_US) / 1000
        name = _frame_name(nodes[node_id]["callFrame"])
        self_ms[name] += ms
        seen: set[str] = set()
        while node_id is not None:
            frame = _frame_name(nodes[node_id]["callFrame"])
            if frame not in seen:
                incl_ms[frame] += ms
                seen.add(frame)
            node_id = parent.get(node_id)
    return {"self": self_ms.most_common(top), "inclusive": incl_ms.most_common(top)}


def _print(title: str, summary: dict[str, list[tuple[str, float]]]) -> None:
    print(f"\n== {title}")
    for kind, rows in summary.items():
        print(f"  -- {kind} ms")
        for name, ms in rows:
            print(f"  {ms:9.1f}  {name}")


def profile_size(name: str, jumps: int, top: int, block: tuple[str, ...] = ()) -> None:
    from mapapp import create_app
    from mapapp.dataset import load_dataset
    from mapapp.timeline import Timeline, day_iso

    opts = Options()
    directory = data_dir(name, opts)
    days = random_days(Timeline(load_dataset(directory)), jumps, opts.seed)
    app = create_app({"data_dir": directory, "reload_interval": 0.0})
    warm_server(app, app.test_client())  # the browser is what is profiled, not the server
    with LoopbackServer(app) as server, br.chromium() as chrome:
        context = chrome.new_context(viewport=br.VIEWPORT)
        try:
            context.add_init_script(br.probe_script("mapapp"))
            if block:
                context.route(lambda u: u.endswith(block), lambda route: route.abort())
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": SAMPLING_US})
            cdp.send("Profiler.start")
            page.goto(server.url + "/")
            page.wait_for_function("() => window.__bench && window.__bench.marks.painted "
                                   "!== undefined", timeout=120_000)
            load = cdp.send("Profiler.stop")["profile"]
            usable = page.evaluate("window.__bench.marks")
            _print(f"{name}: cold load (usable at {usable.get('usable', 0):.0f} ms)",
                   summarize_profile(load, top))
            cdp.send("Profiler.start")
            samples = br.run_jumps(page, [day_iso(d) for d in days], "mapapp", 120)
            jumps_profile = cdp.send("Profiler.stop")["profile"]
            stats = br.summarize_jumps(samples)
            _print(f"{name}: {len(samples)} jumps (setDate p50 {stats.get('apply_p50_ms')} ms)",
                   summarize_profile(jumps_profile, top))
        finally:
            context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="5k", choices=list(SIZES))
    parser.add_argument("--jumps", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--block", default="", help="comma-separated script names to leave out")
    args = parser.parse_args(argv)
    block = tuple(b.strip() for b in args.block.split(",") if b.strip())
    profile_size(args.size, args.jumps, args.top, block)
    return 0


if __name__ == "__main__":
    sys.exit(main())

