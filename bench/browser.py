"""Headless Chromium measurements: time to usable from a cold cache, and slider jumps.

A probe injected before any page script records, against ``performance.now()`` (0 is the
start of navigation): when the page became usable, the first frame painted after that, when
each JSON body was parsed, each top-level ``L.GeoJSON.addData`` and each canvas redraw.
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

# The same flags as the browser tests (tests/conftest.py).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}

PROBE_JS = r"""
(() => {
  const cfg = __CONFIG__;
  const now = () => performance.now();
  const B = (window.__bench = { marks: {}, json: [], addData: [], redraws: [] });

  function usable() {
    if (B.marks.usable !== undefined) return;
    B.marks.usable = now();
    // rAF runs before the frame is drawn; a task queued from it runs after.
    requestAnimationFrame(() => {
      B.marks.frame = now();
      const ch = new MessageChannel();
      ch.port1.onmessage = () => { B.marks.painted = now(); };
      ch.port2.postMessage(0);
    });
  }

  if (cfg.mode === "mapapp") {
    new MutationObserver(() => {
      if (document.documentElement &&
          document.documentElement.getAttribute("data-mapapp-ready") === "true") usable();
    }).observe(document, { attributes: true, subtree: true,
                           attributeFilter: ["data-mapapp-ready"] });
  } else {
    const condition = new Function("return (" + cfg.condition + ");");
    const poll = () => {
      let ok = false;
      try { ok = condition(); } catch (e) { ok = false; }
      if (ok) usable(); else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  }

  const json = Response.prototype.json;
  Response.prototype.json = function () {
    const url = this.url, start = now();
    return json.call(this).then((value) => {
      B.json.push({ url: url, start: start, end: now() });
      return value;
    });
  };

  function hookLeaflet(L) {
    if (!L || !L.GeoJSON || L.__benchHooked) return;
    L.__benchHooked = true;
    const addData = L.GeoJSON.prototype.addData;
    let depth = 0;  // addData recurses once per feature: time the outer call only
    L.GeoJSON.prototype.addData = function (geojson) {
      if (depth > 0) return addData.call(this, geojson);
      depth += 1;
      const start = now();
      try { return addData.call(this, geojson); } finally {
        depth -= 1;
        const n = geojson && geojson.features ? geojson.features.length : 1;
        B.addData.push({ n: n, start: start, end: now() });
      }
    };
    if (L.Canvas) {
      const redraw = L.Canvas.prototype._redraw;
      L.Canvas.prototype._redraw = function () {
        const start = now();
        try { return redraw.apply(this, arguments); } finally {
          B.redraws.push({ start: start, end: now() });
        }
      };
    }
  }
  let leaflet;
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) { leaflet = value; hookLeaflet(value); },
  });
})();
"""

# One jump per date: start just after a painted frame, apply, then wait for the next frame
# (rAF: Leaflet's canvas redraw runs in an earlier rAF callback of that same frame), for
# the task after it (the frame's style, layout and paint are done by then), and for the main
# thread to be idle (work the page deferred), so that no jump pays for the one before.
JUMPS_JS = r"""
async ({ values, mode, budgetMs }) => {
  const frame = () => new Promise((r) => requestAnimationFrame((ts) => r([ts, performance.now()])));
  const task = () => new Promise((r) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => r(performance.now());
    ch.port2.postMessage(0);
  });
  const input = mode === "mapapp" ? null :
    document.querySelector("div[id^=slider_] > input[type=range]");
  const apply = mode === "mapapp" ? (v) => window.mapapp.setDate(v) : (v) => {
    input.value = v;
    input.dispatchEvent(new Event("input"));
  };
  // Idle: whatever the page deferred after a jump (timers, list updates) has run.
  const idle = () => new Promise((r) => requestIdleCallback(() => r(performance.now()),
                                                           { timeout: 2000 }));
  const B = window.__bench;
  const out = [];
  const started = performance.now();
  for (const v of values) {
    if (performance.now() - started > budgetMs) break;  // a slow page gets fewer jumps
    await frame();
    await task();
    const before = B.redraws.length;
    const t0 = performance.now();
    apply(v);
    const t1 = performance.now();
    const [ts, t2] = await frame();
    const t3 = await task();
    let redraw = 0;
    for (const r of B.redraws.slice(before)) redraw += r.end - r.start;
    const t4 = await idle();
    out.push({ apply: t1 - t0, frame: t2 - t0, painted: t3 - t0,
               idle: Math.max(0, ts - t1), redraw: redraw, settled: t4 - t0 });
  }
  return out;
}
"""


@dataclass
class LoadResult:
    """One cold load of a page."""

    usable_ms: float | None  # None: not usable within the time cap
    painted_ms: float | None
    marks: dict[str, Any] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    heap_mb: float | None = None


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium through Playwright; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("Debian's chromium is not installed: run `make chromium`")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def probe_script(mode: str, condition: str = "false") -> str:
    return PROBE_JS.replace("__CONFIG__", json.dumps({"mode": mode, "condition": condition}))


@contextmanager
def open_page(browser: Any, url: str, probe: str, timeout_s: float,
              block: tuple[str, ...] = ()) -> Iterator[tuple[Any, LoadResult]]:
    """Load ``url`` in a new context (a cold cache) and wait until the probe says usable.

    Requests for URLs ending with a name in ``block`` fail: a diagnosis of what one script
    costs, never part of the regular measurement.
    """
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(probe)
        if block:
            context.route(lambda u: u.endswith(block), lambda route: route.abort())
        page = context.new_page()
        result = LoadResult(None, None)
        page.on("request", lambda r: result.requests.append(r.url))
        page.on("pageerror", lambda e: result.errors.append(str(e)))
        if _load(page, url, timeout_s, result):
            _collect(page, context, result)
        yield page, result
    finally:
        context.close()


def _load(page: Any, url: str, timeout_s: float, result: LoadResult) -> bool:
    deadline = time.monotonic() + timeout_s
    try:
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        left = max(1.0, deadline - time.monotonic())
        page.wait_for_function("() => window.__bench && window.__bench.marks.painted !== "
                               "undefined", polling=100, timeout=left * 1000)
    except Exception as exc:  # Playwright's TimeoutError, or the page crashed
        result.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        return False
    return True


def _collect(page: Any, context: Any, result: LoadResult) -> None:
    data = page.evaluate("""() => {
        const nav = performance.getEntriesByType("navigation")[0] || {};
        const res = performance.getEntriesByType("resource").map((r) => ({
            name: r.name, start: r.startTime, end: r.responseEnd, size: r.transferSize }));
        return { bench: window.__bench, nav: { responseEnd: nav.responseEnd,
                 domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd },
                 resources: res };
    }""")
    bench = data["bench"]
    result.usable_ms = bench["marks"].get("usable")
    result.painted_ms = bench["marks"].get("painted")
    result.marks = {"marks": bench["marks"], "json": bench["json"], "addData": bench["addData"],
                    "redraws": bench["redraws"], "nav": data["nav"],
                    "resources": data["resources"]}
    try:
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        result.heap_mb = round(metrics.get("JSHeapUsedSize", 0) / 2**20, 1)
        cdp.detach()
    except Exception:  # metrics are a nice-to-have; never fail a run over them
        result.heap_mb = None


def run_jumps(page: Any, values: list[Any], mode: str, budget_s: float,
              chunk: int = 20) -> list[dict[str, float]]:
    """Drive the slider through ``values``; stops early when ``budget_s`` is spent."""
    out: list[dict[str, float]] = []
    deadline = time.monotonic() + budget_s
    for i in range(0, len(values), chunk):
        left = deadline - time.monotonic()
        if left <= 0:
            break
        out += page.evaluate(JUMPS_JS, {"values": values[i:i + chunk], "mode": mode,
                                        "budgetMs": left * 1000})
    return out


def summarize_jumps(samples: list[dict[str, float]]) -> dict[str, Any]:
    """p50/p95 of each timing, in ms.

    ``apply``: the synchronous call (setDate, or the slider's input handler); ``redraw``:
    Leaflet's canvas redraw in the next frame; ``js`` = apply + redraw; ``next_frame``: to the
    next animation frame, vsync wait included; ``painted``: to the first task after that frame
    (style, layout, paint and the canvas flush done); ``work``: painted minus the vsync wait,
    i.e. what the main thread spent on the jump; ``settled``: until the main thread is idle,
    deferred work included.
    """
    if not samples:
        return {"n": 0}
    series = {
        "apply": [s["apply"] for s in samples],
        "redraw": [s["redraw"] for s in samples],
        "js": [s["apply"] + s["redraw"] for s in samples],
        "next_frame": [s["frame"] for s in samples],
        "painted": [s["painted"] for s in samples],
        "work": [s["painted"] - s["idle"] for s in samples],
        "settled": [s["settled"] for s in samples],
    }
    out: dict[str, Any] = {"n": len(samples)}
    for name, values in series.items():
        out[f"{name}_p50_ms"] = round(percentile(values, 50), 2)
        out[f"{name}_p95_ms"] = round(percentile(values, 95), 2)
    return out


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return float(values[0])
    return float(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1])


def median(values: list[float]) -> float | None:
    return float(statistics.median(values)) if values else None
