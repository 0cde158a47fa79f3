"""Shareable state in a real Chromium: date, view, map centre and zoom, compare date and
language live in the URL; continuous moves replace the history entry, discrete jumps push
one; Back and Forward restore them; a malformed c= is ignored with a console warning."""

from __future__ import annotations

import pytest

from tests.viewer_support import (
    CITY,
    DESKTOP,
    assert_clean,
    current_date,
    open_map,
    reveal_event,
    wait_for_date,
    wait_for_url,
)

pytestmark = pytest.mark.browser


def _history_length(page) -> int:
    return page.evaluate("history.length")


def test_a_shared_link_reproduces_date_view_centre_zoom_compare_and_language(live_server,
                                                                               make_page):
    path = ("/?date=2017-10-31&view=deir-ez-zor-city&c=35.3312,40.1425,13.5"
            "&cmp=2017-10-24&lang=ar")
    recorder = open_map(make_page, live_server, path)
    page = recorder.page
    assert current_date(page) == "2017-10-31"
    view = page.evaluate("mapapp.getView()")
    assert abs(view["lat"] - 35.3312) < 1e-4 and abs(view["lon"] - 40.1425) < 1e-4
    assert view["zoom"] == 13.5 and view["view"] == "deir-ez-zor-city"
    assert page.evaluate("mapapp.getCompareDate()") == "2017-10-24"
    assert page.locator("#mapapp-lang").get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    # the URL the page keeps says the same: nothing is lost (c= is normalised to 5 decimals)
    wait_for_url(page, "c=35.33120,")
    again = page.evaluate("location.search")
    for part in ("date=2017-10-31", "view=deir-ez-zor-city", "c=35.33120,40.14250,13.5",
                 "cmp=2017-10-24", "lang=ar"):
        assert part in again, again
    assert_clean(recorder)


def test_moves_replace_the_entry_and_jumps_push_one(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-30&{CITY}")
    page = recorder.page
    wait_for_url(page, "c=")
    start = _history_length(page)

    # the slider (continuous): the URL follows, the history does not grow
    page.locator("#mapapp-slider").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_for_url(page, "date=2017-11-01")
    # panning (continuous) too
    page.mouse.move(400, 300)
    page.mouse.down()
    page.mouse.move(300, 250, steps=5)
    page.mouse.up()
    page.wait_for_timeout(400)
    assert _history_length(page) == start

    # a view from the selector (discrete): one new entry
    page.get_by_label("Map view").select_option("al-qaim-al-bukamal")
    wait_for_url(page, "view=al-qaim-al-bukamal")
    assert _history_length(page) == start + 1

    # an event from the list (discrete): one more
    reveal_event(page, "2017-10-31-kanamat")
    page.locator("li[data-event='2017-10-31-kanamat'] .mapapp-ev-jump").click()
    wait_for_date(page, "2017-10-31")
    page.locator(".leaflet-popup-content").wait_for()
    wait_for_url(page, "date=2017-10-31")
    assert _history_length(page) == start + 2

    # Back: the date before the click, in the al-Qaim view
    page.go_back()
    wait_for_date(page, "2017-11-01")
    assert page.evaluate("mapapp.getView().view") == "al-qaim-al-bukamal"
    # Back again: the city view, with its centre
    page.go_back()
    page.wait_for_function("() => mapapp.getView().view === 'deir-ez-zor-city'")
    assert current_date(page) == "2017-11-01"
    assert page.get_by_label("Map view").input_value() == "deir-ez-zor-city"
    lat = page.evaluate("mapapp.getView().lat")
    assert 35.2 < lat < 35.5
    # Forward: al-Qaim again
    page.go_forward()
    page.wait_for_function("() => mapapp.getView().view === 'al-qaim-al-bukamal'")
    assert 34.0 < page.evaluate("mapapp.getView().lat") < 35.2
    assert_clean(recorder)


def test_back_restores_a_compare_date(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    page.get_by_role("tab", name="Compare").click()
    page.get_by_label("Second date").fill("2017-10-24")
    wait_for_url(page, "cmp=2017-10-24")
    page.get_by_role("button", name="Clear").click()
    page.wait_for_function("() => !location.search.includes('cmp=')")
    page.go_back()
    page.wait_for_function("() => mapapp.getCompareDate() === '2017-10-24'")
    page.go_back()
    page.wait_for_function("() => mapapp.getCompareDate() === null")
    assert_clean(recorder)


@pytest.mark.parametrize("centre", ["abc", "35.3,40.1", "95,40,10", "35,40,99", "35,40,1e3",
                                    "35;40;10"])
def test_a_malformed_centre_is_ignored_with_a_warning(live_server, make_page, centre):
    recorder = make_page(live_server.url, **DESKTOP)
    warnings: list[str] = []
    recorder.page.on("console", lambda m: warnings.append(m.text) if m.type == "warning"
                     else None)
    recorder.open(f"/?date=2017-10-31&{CITY}&c={centre}")
    page = recorder.page
    assert any("ignoring malformed c=" in w for w in warnings), warnings
    # the named view is used instead
    view = page.evaluate("mapapp.getView()")
    assert 35.2 < view["lat"] < 35.5 and 40.0 < view["lon"] < 40.3
    assert current_date(page) == "2017-10-31"
    assert_clean(recorder)


def test_server_still_rejects_a_bad_date_or_view(client):
    assert client.get("/?date=2017-02-30").status_code == 400
    assert client.get("/?view=mars").status_code == 400
    # c= is the browser's business: the page is served and the script decides
    assert client.get("/?c=not-a-centre").status_code == 200
