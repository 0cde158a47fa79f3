"""The map page's Tab order (issue 15, item 2): the skip link first, then the map, the place
search, the map's controls, the timeline with its slider, and the panel; the places' shapes
are no Tab stops (they are reached through the search and the place list the skip link
leads to)."""

from __future__ import annotations

import pytest

from tests.viewer_support import DESKTOP, PHONE, open_map

pytestmark = pytest.mark.browser

# Each stop as what a reader meets: a landmark-like name for the element with the focus.
WHERE = """() => { const a = document.activeElement;
  if (a.id === 'mapapp-skip-places') return 'skip';
  if (a.classList.contains('leaflet-container')) return 'map';
  if (a.id === 'mapapp-find') return 'search';
  if (a.id === 'mapapp-slider') return 'slider';
  if (a.classList.contains('mapapp-incident')) return 'incident';  // titled markers
  if (a.closest('.leaflet-interactive, path')) return 'shape';
  if (a.closest('.mapapp-panel, #mapapp-panel')) return 'panel';
  return 'other'; }"""


@pytest.mark.parametrize("context", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_tab_order_is_skip_map_search_slider_panel(live_server, make_page, context):
    recorder = open_map(make_page, live_server, "/?date=2017-11-01", texts=False, **context)
    page = recorder.page
    order: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        where = page.evaluate(WHERE)
        if where == "skip" and order:
            break  # round the page once: the phone's closed drawer holds no stop
        if not order or order[-1] != where:
            order.append(where)
        if where == "panel":
            break
    assert order[0] == "skip", order
    assert "shape" not in order, order
    landmarks = [w for w in order if w in ("skip", "map", "search", "slider", "panel")]
    if "panel" not in landmarks:  # the phone's drawer is closed: the panel is not a stop
        assert context is PHONE, order
        landmarks.append("panel")
    assert landmarks == ["skip", "map", "search", "slider", "panel"], order


def test_the_skip_link_is_hidden_until_focused_and_lands_on_the_place_list(live_server,
                                                                           make_page):
    recorder = open_map(make_page, live_server, "/", texts=False)
    page = recorder.page
    skip = page.locator("#mapapp-skip-places")
    box = skip.bounding_box()
    assert box is None or box["y"] + box["height"] <= 0  # off screen, not display:none
    page.keyboard.press("Tab")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0 and skip.is_visible()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'mapapp-places-filter'")
    assert page.locator("#mapapp-places-filter").is_visible()
