"""The viewer on a phone (390×844, touch) in a real Chromium: no horizontal scrolling, 40 px
touch targets, a collapsible legend, the credit line clear of the timeline, the drawer, the
layer control by touch; and a reader's whole visit (shared link, play, tap, compare,
chart) with real taps."""

from __future__ import annotations

import pytest

from tests.viewer_support import (
    CITY,
    PHONE,
    assert_clean,
    current_date,
    format_km2,
    open_map,
    reveal_event,
    tap_place,
    wait_for_date,
)

pytestmark = pytest.mark.browser

SMALL_TARGETS = """() => [...document.querySelectorAll(
        'button, select, input, summary, [role=button], [role=tab], .leaflet-bar a')]
    .filter(n => {
        const r = n.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(n).visibility !== 'hidden'
            && r.bottom > 0 && r.top < innerHeight;
    })
    // the laid-out size: a zoom or fly animation scales the map's panes for a moment
    .filter(n => n.offsetWidth < 40 || n.offsetHeight < 40)
    .map(n => (n.id || n.className || n.tagName) + ' ' + n.offsetWidth + 'x' + n.offsetHeight)"""


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= innerWidth && "
                         "document.body.scrollWidth <= innerWidth")


def _rect(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def test_phone_layout_targets_legend_credit_and_drawer(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}", **PHONE)
    page = recorder.page
    assert _no_horizontal_scroll(page)
    assert page.evaluate(SMALL_TARGETS) == []

    # the credit line sits above the timeline, inside the screen, not under anything
    credit = _rect(page, ".leaflet-control-attribution")
    timeline = _rect(page, "#mapapp-timeline")
    assert credit["y"] + credit["height"] <= timeline["y"] + 0.5
    assert credit["x"] >= 0 and credit["x"] + credit["width"] <= 390
    x, y = credit["x"] + 5, credit["y"] + credit["height"] - 4
    assert page.evaluate(f"document.elementFromPoint({x}, {y})"
                         ".closest('.leaflet-control-attribution') !== null")
    # everything of the timeline is on screen
    assert timeline["y"] + timeline["height"] <= 844 + 0.5

    # the legend starts folded and opens with a tap
    legend = page.locator("details.mapapp-legend")
    assert legend.get_attribute("open") is None
    page.get_by_text("Legend", exact=True).tap()
    assert legend.get_attribute("open") is not None
    assert page.locator(".mapapp-legend-row").first.is_visible()
    assert _no_horizontal_scroll(page)
    page.get_by_text("Legend", exact=True).tap()

    # the drawer: opened and closed with taps, its tabs usable
    panel = page.locator("#mapapp-panel")
    toggle = page.get_by_role("button", name="Events", exact=True)
    assert not panel.is_visible()
    toggle.tap()
    assert panel.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate(SMALL_TARGETS) == []
    assert _no_horizontal_scroll(page)
    # an event, tapped: the drawer closes and the map goes there
    reveal_event(page, "2017-11-03-al-qaim")
    page.locator("li[data-event='2017-11-03-al-qaim'] .mapapp-ev-jump").tap()
    wait_for_date(page, "2017-11-03")
    assert not panel.is_visible()
    page.locator(".leaflet-popup-content").wait_for()
    toggle.tap()
    page.get_by_role("button", name="Close panel").tap()
    assert not panel.is_visible()

    # the slider answers a touch where it is tapped
    box = _rect(page, "#mapapp-slider")
    page.touchscreen.tap(box["x"] + 8, box["y"] + box["height"] / 2)
    assert current_date(page) < "2017-10-15"
    assert_clean(recorder)


def test_layer_control_works_by_touch(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}", **PHONE)
    page = recorder.page
    assert page.locator(".mapapp-incident").count() > 0
    page.locator(".leaflet-control-layers-toggle").tap()
    layers = page.locator(".leaflet-control-layers-list")
    assert layers.is_visible()
    label = layers.locator("label", has_text="Incidents (last 7 days)")
    assert label.bounding_box()["height"] >= 40
    label.tap()
    assert page.locator(".mapapp-incident").count() == 0
    label.tap()
    assert page.locator(".mapapp-incident").count() > 0
    assert _no_horizontal_scroll(page)
    assert_clean(recorder)


def test_done_means_a_shared_link_played_tapped_compared_and_charted(live_server, make_page):
    """A whole visit on a touch phone: open a shared link, play the last week of
    October 2017, stop on 31 Oct, tap Kanamat and read its history with sources, compare
    with 24 Oct, read the area chart."""
    shared = "/?date=2017-10-24&view=deir-ez-zor-city&c=35.3300,40.1520,13"
    recorder = open_map(make_page, live_server, shared, texts=False, **PHONE)
    page = recorder.page

    # 1. the shared link: its date, view, centre and zoom
    assert current_date(page) == "2017-10-24"
    assert page.locator("#mapapp-date").text_content() == "24 Oct 2017"
    view = page.evaluate("mapapp.getView()")
    assert abs(view["lat"] - 35.33) < 1e-4 and abs(view["lon"] - 40.152) < 1e-4
    assert view["zoom"] == 13 and view["view"] == "deir-ez-zor-city"
    assert page.evaluate("mapapp.getPlaceState('kanamat').factions") == ["isis"]

    # 2. play the last week of October, stop on 31 Oct
    page.get_by_label("Speed").select_option(label="4 days/s")
    page.get_by_role("button", name="Play").tap()
    page.wait_for_function("() => mapapp.getDate() >= '2017-10-31'", timeout=5000)
    page.get_by_role("button", name="Pause").tap()
    assert page.evaluate("mapapp.isPlaying()") is False
    while current_date(page) > "2017-10-31":  # a slow machine may have played one day more
        page.get_by_role("button", name="Previous change").tap()
    assert current_date(page) == "2017-10-31"
    assert page.evaluate("mapapp.getPlaceState('kanamat').factions") == ["syrian-government"]

    # 3. tap Kanamat, read its history with sources
    tap_place(page, "kanamat")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Kanamat" in popup.inner_text() and "Syrian government" in popup.inner_text()
    # its folded sources and notes are touch targets too, once its texts are in
    page.wait_for_function("() => mapapp.detailsLoaded")
    popup.locator("summary").first.wait_for()
    assert page.evaluate(SMALL_TARGETS) == []
    page.get_by_role("button", name="History (3 events)").tap()
    assert page.locator("#mapapp-panel").is_visible()
    assert page.get_by_role("tab", name="Place").get_attribute("aria-selected") == "true"
    rows = page.locator("#mapapp-place .mapapp-hist")
    assert rows.count() == 3
    first, second, third = (rows.nth(k).inner_text() for k in range(3))
    assert first.startswith("22 Jan 2016") and "Islamic State (ISIS)" in first
    assert second.startswith("17 Oct 2017") and "Islamic State (ISIS)" in second
    assert third.startswith("31 Oct 2017") and "Syrian government" in third
    assert "is-in-force" in rows.nth(2).get_attribute("class")
    for k in range(3):
        source = rows.nth(k).locator(".mapapp-source a")
        assert source.get_attribute("href").startswith(("http://", "https://"))
        assert source.get_attribute("rel") == "noopener noreferrer nofollow"
        assert source.text_content().strip()

    # 4. compare with 24 Oct
    page.get_by_role("tab", name="Compare").tap()
    page.get_by_label("Second date").fill("2017-10-24")
    summary = page.locator("#mapapp-compare-summary")
    page.wait_for_function("() => document.getElementById('mapapp-compare-summary')"
                           ".textContent.includes('24 Oct 2017 and 31 Oct 2017')")
    assert "places changed hands between 24 Oct 2017 and 31 Oct 2017" in summary.text_content()
    kanamat = page.locator("#mapapp-compare-list li", has_text="Kanamat")
    assert kanamat.locator(".mapapp-cmp-change").text_content() == "ISIS → Syrian govt"
    assert "kanamat" in page.evaluate("mapapp.changedPlaces()")

    # 5. read the area chart: the engine's numbers on 31 Oct
    page.get_by_role("tab", name="Areas").tap()
    page.locator("#mapapp-chart svg").wait_for()
    assert page.locator("#mapapp-areas caption").text_content() == "Area held on 31 Oct 2017"
    api = page.request.get(f"{live_server.url}/api/areas?date=2017-10-31").json()
    for column in ("syrian-government", "isis", "iraqi-government"):
        cell = page.locator(f"#mapapp-areas tr[data-column='{column}'] td").first
        assert cell.text_content() == format_km2(api["areas"][column][0]), column
    # a tap on the chart moves the date; the drawer stays for reading
    chart = page.locator("#mapapp-chart svg").bounding_box()
    page.touchscreen.tap(chart["x"] + chart["width"] - 12, chart["y"] + chart["height"] / 2)
    page.wait_for_function("() => mapapp.getDate() > '2017-11-10'")
    assert page.locator("#mapapp-panel").is_visible()

    assert _no_horizontal_scroll(page)
    # The popup's folded notes appear when its texts arrive: check the page with them in.
    page.wait_for_function("() => mapapp.detailsLoaded")
    assert page.evaluate(SMALL_TARGETS) == []
    assert_clean(recorder)
