"""Every step and jump of the slider lands on its date with the whole viewer on: event
list, compare, area chart and legend all follow it, with no script error. The same run's
timings are printed (pytest -s); the frame-time target is checked by
``python -m bench.step_timing`` (timings depend on the machine's load, so not here)."""

from __future__ import annotations

import math

import pytest

from bench.step_timing import MEASURE, PAGE, prepare
from tests.viewer_support import DESKTOP, PHONE, assert_clean

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("context", "share"), [(DESKTOP, True), (PHONE, True),
                                                (DESKTOP, False)],
                         ids=["desktop", "phone", "desktop-viewer-only"])
def test_every_step_lands_on_its_date_with_the_whole_viewer_on(live_server, make_page,
                                                               context, share):
    recorder = make_page(live_server.url, **context)
    page = recorder.page
    if not share:
        # the viewer on its own: without share.js, which also follows every step
        page.route("**/static/share.js", lambda route: route.fulfill(
            status=200, content_type="text/javascript", body=""))
    page.goto(live_server.url + PAGE)
    prepare(page, context is PHONE)
    for redraw in (False, True):
        result = page.evaluate(MEASURE, [redraw])
        assert result.pop("wrong") == []
        assert all(math.isfinite(v) and v >= 0 for v in result.values()), result
        print(f"\n{'redraw' if redraw else 'script'} ms: "
              + ", ".join(f"{k} {v:.2f}" for k, v in result.items()))
    assert page.locator("#mapapp-chart svg").is_visible()
    assert_clean(recorder)
