"""The map renderer's pixel pass on a date change (renderer.js `_recolour`,
renderer-raster.js `paintPlaces`): once the page is idle after a raster, a date change
rewrites only the changed places' pixels, from the index of each place's pixels; the image
must be the one the whole pass paints, pixel for pixel, before and after a pan (which
makes the index stale until it is built again)."""

from __future__ import annotations

import random

import pytest

from bench.generate import Spec, generate

pytestmark = pytest.mark.browser

SPY = """() => { const R = mapapp.placeRaster, paintPlaces = R.paintPlaces;
    window.byPlace = 0;
    R.paintPlaces = function () { window.byPlace++; return paintPlaces.apply(this, arguments); };
}"""
INDEXED = "() => { const R = mapapp.core.S.renderer; return !!R._pixels && !R._pixelsStale; }"
# The image of the last date change, then the whole pass over the same colour table: how
# many pixels differ.
AGAINST_WHOLE = """async () => {
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const R = mapapp.core.S.renderer, seen = R._out.slice();
    R._recolour(true);
    let differ = 0;
    for (let p = 0; p < seen.length; p++) if (seen[p] !== R._out[p]) differ++;
    return [differ, seen.length];
}"""


def test_a_date_change_repaints_the_changed_places_as_the_whole_pass_would(tmp_path, map_of):
    data = generate(tmp_path / "synthetic", Spec(places=300, events=1800, days=150))
    with map_of(data, "/") as (app, recorder):
        page = recorder.page
        page.evaluate(SPY)
        days = app.extensions["mapapp"].current().timeline.change_dates
        rng = random.Random(5)
        for step, date in enumerate([days[20], days[21], *rng.sample(days, 4)]):
            if step == 3:  # a new raster: the first date change repaints every pixel
                before = page.evaluate("window.byPlace")
                # In the frame of the new raster: the index is not built yet (page idle).
                # The index is built in an idle callback, which may come before the next
                # frame: held back here until the frame has been checked.
                stale = page.evaluate(f"""async () => {{
                    const ric = window.requestIdleCallback, held = [];
                    window.requestIdleCallback = (fn) => held.push(fn);
                    window.releaseIdle = () => {{
                      window.requestIdleCallback = ric; held.forEach((fn) => fn()); }};
                    mapapp.core.S.map.panBy([57, -31], {{animate: false}});
                    await new Promise(r => requestAnimationFrame(r));
                    const stale = !({INDEXED})();
                    mapapp.setDate('{date}');
                    return stale; }}""")
                assert stale
                differ, pixels = page.evaluate(AGAINST_WHOLE)
                assert page.evaluate("window.byPlace") == before
                assert differ == 0 and pixels > 100_000
                page.evaluate("window.releaseIdle()")
                continue
            page.wait_for_function(INDEXED)
            before = page.evaluate("window.byPlace")
            page.evaluate(f"mapapp.setDate('{date}')")
            differ, pixels = page.evaluate(AGAINST_WHOLE)
            assert page.evaluate("window.byPlace") == before + 1, date  # from the index
            assert differ == 0, (date, differ, pixels)
        assert recorder.errors == []
