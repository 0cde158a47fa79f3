"""How long one step of the time slider takes with the whole viewer on (event list,
compare, area chart, legend): ~200 one-day steps and ~200 random jumps timed with
performance.now() around mapapp.setDate, in Debian's Chromium, on the shipped data.
Target: p95 under one frame (16 ms). ``python -m bench.step_timing``; exits 1 on a miss.
The functional side (every step lands on its date) is tests/test_viewer_perf.py."""

from __future__ import annotations

import sys
from typing import Any

from bench.targets import STEP_SCRIPT_P95_MS as FRAME_MS

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "has_touch": True,
                         "is_mobile": True}
PAGE = "/?date=2017-10-31&view=deir-ez-zor-city&cmp=2017-10-24"

# One-day steps back and forth over the slider's range, then random jumps over all the data.
# "redraw" also times Leaflet's canvas redraw, which otherwise runs in the next frame.
MEASURE = """([redraw]) => {
    const S = mapapp.core.S;
    const renderer = Object.values(S.map._layers).find(l => l._redraw && l._ctx);
    const iso = d => new Date(d * 86400000).toISOString().slice(0, 10);
    const slider = document.getElementById('mapapp-slider');
    const lo = +slider.min, hi = +slider.max;
    const time = (day) => {
        const t = performance.now();
        const landed = mapapp.setDate(iso(day));
        if (landed !== iso(day) || mapapp.getDate() !== iso(day)) wrong.push([iso(day), landed]);
        if (redraw && renderer._redrawRequest) {
            cancelAnimationFrame(renderer._redrawRequest);
            renderer._redrawRequest = null;
            renderer._redraw();
        }
        return performance.now() - t;
    };
    const steps = [], jumps = [], wrong = [];
    let day = lo, dir = 1;
    for (let k = 0; k < 200; k++) {
        if (day + dir > hi || day + dir < lo) dir = -dir;
        day += dir;
        steps.push(time(day));
    }
    let seed = 12345;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const first = S.p.first_day, last = S.p.last_day;
    for (let k = 0; k < 200; k++) jumps.push(time(first + Math.floor(random() * (last - first))));
    const q = (xs, p) => {
        const s = [...xs].sort((a, b) => a - b);
        return s[Math.min(s.length - 1, Math.floor(p * s.length))];
    };
    return {step_p50: q(steps, 0.5), step_p95: q(steps, 0.95), step_max: Math.max(...steps),
            jump_p50: q(jumps, 0.5), jump_p95: q(jumps, 0.95), jump_max: Math.max(...jumps),
            wrong: wrong};
}"""




def prepare(page: Any, phone: bool) -> None:
    """The most work per step: compare on, the area chart drawn, the event list in view."""
    page.wait_for_selector("html[data-mapapp-ready=true]", timeout=20000)
    page.wait_for_function("() => window.mapapp.detailsLoaded === true")
    if phone:
        page.get_by_role("button", name="Events", exact=True).tap()
    page.get_by_role("tab", name="Areas").click()
    page.locator("#mapapp-chart svg").wait_for()
    page.evaluate(MEASURE, [False])  # warm up the JIT


def main() -> int:
    from bench.browser import chromium
    from bench.servers import LoopbackServer
    from mapapp import create_app

    missed = []
    app = create_app({"reload_interval": 0.0})
    with LoopbackServer(app) as server, chromium() as browser:
        for name, context in (("desktop", DESKTOP), ("phone", PHONE)):
            ctx = browser.new_context(**context)
            page = ctx.new_page()
            page.goto(server.url + PAGE)
            prepare(page, context is PHONE)
            for label, redraw in (("script", False), ("with canvas redraw", True)):
                result = page.evaluate(MEASURE, [redraw])
                result.pop("wrong")
                print(f"{name} {label} ms: "
                      + ", ".join(f"{k} {v:.2f}" for k, v in result.items()))
                if result["step_p95"] >= FRAME_MS or result["jump_p95"] >= FRAME_MS:
                    missed.append(f"{name} {label}")
            ctx.close()
    print("TARGET p95 < 16 ms:", "missed by " + ", ".join(missed) if missed else "met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
