"""What a viewer sees: slider jumps timed to the painted frame, pan/zoom to a fully drawn
frame, and the memory a page holds, for any page that sets ``window.benchPage``.

A page (bench/pages/*.js, or the adapter :data:`PROJECT_ADAPTER` put into mapapp's page)
offers ``jump(k)`` (show the k-th jump date), ``move(dz, dx, dy)`` (zoom by 2^dz or pan by
dx, dy pixels; a promise resolved in the frame in which it is fully drawn) and, where a
jump may take more than one frame to draw, ``drawn()`` (a promise resolved in that frame).

**A jump** starts after an idle callback (whatever the page deferred has run), then an
animation frame and a ``setTimeout(0)`` (a frame has just been painted: every jump starts
at the same phase of the 60 Hz frame clock). Then, with ``performance.now()``:

* t0, ``jump(k)``, t1; ``requestAnimationFrame`` gives ``begin``, the time of the frame's
  BeginFrame (its timestamp argument); ``drawn()`` if the page has one; then a
  ``setTimeout(0)`` queued from that frame runs at t2, after the frame's style, layout,
  paint and commit (the canvas raster included: software, on the main thread).
* **painted** = t2 - t0: until the frame showing the new date has been produced.
* **wait** = max(0, begin - t1): the time the page sat idle for the next BeginFrame, which
  Chromium's 60 Hz clock decides, not the page. **work** = painted - wait.
* **busy** = the first idle callback after t2, less t0: until the main thread is free again,
  the work a page defers past its frame included (at a slider drag's 60 Hz the next frame
  shares the thread with it). Its no-op value is the instrument's floor.
* A **no-op jump** (the same sequence without ``jump``) at the same phase is measured too:
  its painted time is the frame wait alone (about 15 ms here) and its work the floor of the
  instrument (under 1 ms); both are reported, as a check of the subtraction.

**Pan/zoom**: after the same idle + frame, t0, ``move(...)``, then ``setTimeout(0)`` at t1:
t1 - t0. The operations are zoom in, pan, zoom out, pan back (the view returns to where it
was), three times.

**Memory**: after a forced garbage collection (CDP ``HeapProfiler.collectGarbage``), CDP
``Runtime.getHeapUsage``: V8's used heap + Blink's (the DOM, ``embedderHeapUsedSize``) +
ArrayBuffer backing stores (``backingStorageSize``), plus the pixels of every canvas and
ImageBitmap still alive (an init script tracks each canvas that got a context and each
bitmap, through WeakRefs): width × height × 4 bytes for 2D, × 8 for WebGL (colour plus
depth/stencil). Not counted: GPU-process memory (SwiftShader's copies of WebGL buffers
and textures) and the compositor's tiles. Reported as MB above an empty Leaflet map.

**Phone profile**: the jumps again with CDP ``Emulation.setCPUThrottlingRate`` at 4: the
main thread runs four times slower, the frame clock does not (nor would a worker's thread:
CDP throttles the page's main thread only). Then **a day a step**: from a day in the middle
of the jump dates, one day forward per jump (the dates after the random ones in the page's
list), as a slider dragged slowly; each step still starts after an idle moment and a frame.
And, on mapapp's page, **one pixel**: a jump that only rewrites one pixel of the places'
canvas, the floor of any frame of the page (Chromium copies each canvas to the compositor
in every frame that paints anything).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bench import browser as br

# Tracks canvases and bitmaps for the memory estimate; runs before any page script.
MEMORY_PROBE_JS = r"""
(() => {
  const tracked = [];
  const track = (obj, kind) => tracked.push({ ref: new WeakRef(obj), kind: kind });
  for (const C of [self.HTMLCanvasElement, self.OffscreenCanvas]) {
    if (!C) continue;
    const getContext = C.prototype.getContext;
    C.prototype.getContext = function (type, ...rest) {
      const ctx = getContext.call(this, type, ...rest);
      if (ctx && !tracked.some((t) => t.ref.deref() === this)) track(this, String(type));
      return ctx;
    };
  }
  if (self.createImageBitmap) {
    const create = self.createImageBitmap;
    self.createImageBitmap = function (...args) {
      return create.apply(this, args).then((b) => { track(b, "bitmap"); return b; });
    };
  }
  self.__benchPixels = () => {
    let bytes = 0, count = 0;
    for (const t of tracked) {
      const o = t.ref.deref();
      if (!o || !o.width || !o.height) continue;  // collected, or a closed bitmap
      bytes += o.width * o.height * (t.kind.startsWith("webgl") ? 8 : 4);
      count += 1;
    }
    return { bytes: bytes, count: count };
  };
})();
"""

# window.benchPage for mapapp's page. `mapapp.whenDrawn()`, when the page has it, is a
# promise resolved in the animation frame in which the map's canvas shows the current date
# and view (a renderer that draws later than the next frame must provide it); without it,
# the renderer's draw is taken to be in the first frame after the call (true of
# renderer.js today: Leaflet's _redraw runs in requestAnimationFrame).
PROJECT_ADAPTER = r"""
(dates) => {
  const M = window.mapapp, map = M.core.S.map;
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const drawn = typeof M.whenDrawn === "function" ? () => M.whenDrawn() : null;
  window.benchPage = {
    kind: "project",
    jump(k) { M.setDate(dates[k]); },
    // The floor of any frame of this page: one pixel of the places' canvas rewritten.
    touch(k) {
      const R = M.core.S.renderer, c = R._lower[1], ctx = c.getContext("2d");
      ctx.fillStyle = k % 2 ? "#010203" : "#030201";
      ctx.fillRect(c.width - 1, c.height - 1, 1, 1);
    },
    drawn: drawn,
    move(dz, dx, dy) {
      const ended = new Promise((r) => map.once("moveend", r));
      if (dz) map.setZoom(map.getZoom() + dz, { animate: false });
      else map.panBy([dx, dy], { animate: false });
      return ended.then(() => (drawn ? drawn() : frame()));
    },
  };
  const size = map.getSize();
  return { w: size.x, h: size.y };
}
"""

_HELPERS = r"""
  const P = window.benchPage;
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const afterFrame = () => new Promise((r) => setTimeout(() => r(performance.now()), 0));
  const idle = () => new Promise((r) => requestIdleCallback(r, { timeout: 1000 }));
  const settle = async () => { await idle(); await frame(); await afterFrame(); };
"""

JUMPS_JS = r"""
async ({ first, count, noop, touch, budgetMs }) => {
""" + _HELPERS + r"""
  const out = [];
  const started = performance.now();
  for (let k = first; k < first + count; k++) {
    if (performance.now() - started > budgetMs) break;  // a slow page gets fewer jumps
    await settle();
    const t0 = performance.now();
    if (touch) P.touch(k);
    else if (!noop) P.jump(k);
    const t1 = performance.now();
    const begin = await frame();
    if (!noop && P.drawn) await P.drawn();
    const t2 = await afterFrame();
    const sample = { apply: t1 - t0, wait: Math.max(0, begin - t1), painted: t2 - t0 };
    // What the page deferred past the frame still holds the main thread: the first idle
    // moment after the jump (what the next frame of a slider drag shares).
    sample.busy = (await new Promise((r) => requestIdleCallback(() => r(performance.now()),
                                                                { timeout: 1000 }))) - t0;
    if (!noop && P.idleAt) {  // MapLibre's own "idle": nothing left to load or draw
      for (let f = 0; f < 120 && P.idleAt() === null; f++) await frame();
      if (P.idleAt() !== null) sample.idle = P.idleAt() - t0;
    }
    out.push(sample);
  }
  return out;
}
"""

MOVES_JS = r"""
async ({ ops }) => {
""" + _HELPERS + r"""
  const out = [];
  for (const [dz, dx, dy] of ops) {
    await settle();
    const t0 = performance.now();
    await P.move(dz, dx, dy);
    out.push((await afterFrame()) - t0);
  }
  return out;
}
"""

# Zoom in, pan, zoom out, pan back: the view ends where it started.
MOVES = [(1, 0, 0), (0, 240, 160), (-1, 0, 0), (0, -240, -160)] * 3
THROTTLE_RATE = 4


@dataclass(frozen=True)
class Plan:
    """How much to measure on each page (jump k of the page's list is the k-th date)."""

    warmup: int = 3  # jumps 0..warmup-1: the JIT and caches, not reported
    jumps: int = 50
    noop: int = 12
    throttled: int = 25
    day_steps: int = 25  # throttled, one day forward each (after a lead-in jump)
    budget_s: float = 45.0  # per series: a slow page gets fewer jumps, not a longer run

    @property
    def dates_needed(self) -> int:
        return self.warmup + self.jumps


def run_jumps(page: Any, plan: Plan, count: int, noop: bool = False,
              first: int | None = None, touch: bool = False) -> list[dict[str, float]]:
    """``count`` jumps from the ``first``-th date (by default the first after the warm-up);
    ``touch``: the page's ``touch(k)`` instead, where it has one."""
    return page.evaluate(JUMPS_JS, {"first": plan.warmup if first is None else first,
                                    "count": count, "noop": noop, "touch": touch,
                                    "budgetMs": plan.budget_s * 1000})


def day_steps(days: list[int], plan: Plan) -> list[int]:
    """The dates of the day-a-step series: the middle jump date, then a day after another."""
    start = sorted(days[:plan.dates_needed])[plan.dates_needed // 2]
    return [start + k for k in range(plan.day_steps + 1)]


def summarize(samples: list[dict[str, float]]) -> dict[str, Any]:
    """p50/p95 of painted, work, wait and the synchronous call, in ms."""
    if not samples:
        return {"n": 0}
    series = {"painted": [s["painted"] for s in samples],
              "work": [s["painted"] - s["wait"] for s in samples],
              "wait": [s["wait"] for s in samples],
              "apply": [s["apply"] for s in samples]}
    busy = [s["busy"] for s in samples if "busy" in s]
    if busy:
        series["busy"] = busy
    idle = [s["idle"] for s in samples if "idle" in s]
    if idle:
        series["idle"] = idle
    out: dict[str, Any] = {"n": len(samples)}
    for name, values in series.items():
        out[f"{name}_p50_ms"] = round(br.percentile(values, 50), 2)
        out[f"{name}_p95_ms"] = round(br.percentile(values, 95), 2)
    return out


def measure_jumps(page: Any, plan: Plan, count: int) -> dict[str, Any]:
    """Warm-up, the no-op calibration, then ``count`` jumps."""
    page.evaluate(JUMPS_JS, {"first": 0, "count": plan.warmup, "noop": False,
                             "budgetMs": plan.budget_s * 1000})
    out = summarize(run_jumps(page, plan, count))
    out["noop"] = summarize(run_jumps(page, plan, plan.noop, noop=True))
    return out


def measure_moves(page: Any) -> dict[str, Any]:
    samples = page.evaluate(MOVES_JS, {"ops": [list(op) for op in MOVES]})
    return {"n": len(samples), "p50_ms": round(br.percentile(samples, 50), 1),
            "p95_ms": round(br.percentile(samples, 95), 1),
            "max_ms": round(max(samples), 1)}


def measure_memory(page: Any, cdp: Any) -> dict[str, float]:
    """MB the page holds: JS heap, DOM, ArrayBuffers and canvas pixels, after a GC."""
    cdp.send("HeapProfiler.enable")
    for _ in range(2):  # a second pass collects what the first one's finalizers freed
        cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")
    pixels = page.evaluate("() => window.__benchPixels()")
    mb = 2 ** 20
    parts = {"js_heap_mb": heap["usedSize"] / mb,
             "dom_mb": heap.get("embedderHeapUsedSize", 0) / mb,
             "array_buffers_mb": heap.get("backingStorageSize", 0) / mb,
             "canvas_pixels_mb": pixels["bytes"] / mb}
    out = {k: round(v, 1) for k, v in parts.items()}
    out["canvases"] = pixels["count"]
    out["total_mb"] = round(sum(parts.values()), 1)
    return out


def measure_page(page: Any, cdp: Any, plan: Plan, throttle: bool) -> dict[str, Any]:
    """Everything for one loaded page with ``window.benchPage`` set; its dates are the
    plan's jump dates, then those of :func:`day_steps`."""
    out: dict[str, Any] = {"jump": measure_jumps(page, plan, plan.jumps)}
    out["memory"] = measure_memory(page, cdp)
    out["move"] = measure_moves(page)
    if throttle:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE_RATE})
        try:
            out["throttled"] = {"rate": THROTTLE_RATE,
                                **summarize(run_jumps(page, plan, plan.throttled))}
            out["throttled"]["noop"] = summarize(run_jumps(page, plan, plan.noop // 2,
                                                           noop=True))
            if plan.day_steps:
                first = plan.dates_needed  # the lead-in jump, not reported
                run_jumps(page, plan, 1, first=first)
                out["throttled"]["day"] = summarize(run_jumps(page, plan, plan.day_steps,
                                                              first=first + 1))
            if page.evaluate("() => typeof window.benchPage.touch === 'function'"):
                out["throttled"]["touch"] = summarize(run_jumps(page, plan, plan.noop,
                                                                touch=True))
        finally:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    return out
