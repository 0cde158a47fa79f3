"""A phone at 200 % zoom (390 px wide, so 195 CSS px): every map control on screen, none
over another, nothing wider than the screen; the page scrolls vertically instead."""

from __future__ import annotations

import pytest

from tests.viewer_support import CITY, assert_clean, open_map, wait_until_still

pytestmark = pytest.mark.browser

ZOOMED_PHONE = {"viewport": {"width": 195, "height": 422}, "device_scale_factor": 4,
                "has_touch": True, "is_mobile": True}

# Each shown control of the map's corners and the Share button, as boxes in CSS px.
CONTROL_BOXES = """() => {
  const nodes = [...document.querySelectorAll(
    '.leaflet-control-container .leaflet-control, .mapapp-share-button')];
  return nodes.filter(n => n.offsetParent !== null || getComputedStyle(n).position === 'fixed')
    .map(n => { const r = n.getBoundingClientRect();
                return { name: n.className.split(' ')[0], left: r.left, right: r.right,
                         top: r.top, bottom: r.bottom }; })
    .filter(b => b.right > b.left && b.bottom > b.top);
}"""


def overlaps(a: dict, b: dict) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_at_200_percent_on_a_phone_no_control_covers_another(live_server, make_page, lang):
    recorder = open_map(make_page, live_server, f"/?lang={lang}&date=2017-11-03&{CITY}",
                        texts=False, **ZOOMED_PHONE)
    page = recorder.page
    wait_until_still(page)
    boxes = page.evaluate(CONTROL_BOXES)
    names = {b["name"] for b in boxes}
    assert {"mapapp-find", "leaflet-control-zoom", "mapapp-toolbar", "mapapp-legend",
            "leaflet-control-attribution", "mapapp-share-button"} <= names, names
    for b in boxes:
        assert b["left"] >= 0 and b["right"] <= 195.5, b
    clashes = [(a["name"], b["name"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
               if overlaps(a, b)]
    assert clashes == []
    # Reflow: no sideways scrolling; the timeline below the map is reached by scrolling down.
    width, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= client
    page.locator("#mapapp-slider, .mapapp-slider").first.scroll_into_view_if_needed()
    assert page.locator(".mapapp-slider").first.is_visible()
    assert_clean(recorder)
