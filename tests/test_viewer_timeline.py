"""The timeline that knows the data, in a real Chromium on the shipped data: previous/next
change, play/pause at each speed, the date input, keyboard shortcuts, the zoomable range and
the density strip; every control has an accessible name."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from mapapp.dataset import load_dataset
from tests.conftest import DATA_DIR
from tests.viewer_support import (
    CITY,
    DESKTOP,
    PHONE,
    assert_clean,
    current_date,
    day_number,
    open_map,
    set_date,
    wait_for_date,
)

pytestmark = pytest.mark.browser

# What the page is expected to do is worked out from the shipped data, so the tests follow it.
SHIPPED = load_dataset(DATA_DIR).events
CHANGES = sorted(set(SHIPPED.loc[SHIPPED["type"] == "control", "date"]))
FIRST, LAST = min(SHIPPED["date"]), max(SHIPPED["date"])


def next_change(iso: str) -> str:
    return next(d for d in CHANGES if d > iso)


def previous_change(iso: str) -> str:
    return next(d for d in reversed(CHANGES) if d < iso)


def shifted(iso: str, days: int) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat()


def busy_window() -> tuple[int, int]:
    """viewer.js busyWindow: the shortest span holding three quarters of the days of changes
    (incidents, and control events but each place's first), padded by a tenth of it (at
    least 7 days), within the data."""
    control = SHIPPED[SHIPPED["type"] == "control"]
    changes = control[control.duplicated("place")]  # rows are sorted by date
    incidents = SHIPPED[SHIPPED["type"] == "incident"]
    days = sorted(day_number(d) for d in list(changes["date"]) + list(incidents["date"]))
    first, last = day_number(FIRST), day_number(LAST)
    want = math.ceil(len(days) * 0.75)
    lo, hi = min(((days[k], days[k + want - 1]) for k in range(len(days) - want + 1)),
                 key=lambda w: w[1] - w[0])
    pad = max(7, math.floor((hi - lo) * 0.1 + 0.5))  # Math.round
    return max(first, lo - pad), min(last, hi + pad)


def test_previous_and_next_change_buttons(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-20&{CITY}")
    page = recorder.page
    after = next_change("2017-10-20")
    page.get_by_role("button", name="Next change").click()
    assert current_date(page) == after
    page.get_by_role("button", name="Next change").click()
    assert current_date(page) == next_change(after)
    page.get_by_role("button", name="Previous change").click()
    assert current_date(page) == after
    page.get_by_role("button", name="Previous change").click()
    assert current_date(page) == previous_change(after)
    # at the last change there is no next one
    set_date(page, CHANGES[-1])
    assert page.get_by_role("button", name="Next change").is_disabled()
    assert_clean(recorder)


def test_keys_step_days_and_changes_and_space_plays(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-20&{CITY}")
    page = recorder.page
    page.locator("#mapapp-date").click()  # focus leaves every control: the page has it
    page.keyboard.press("ArrowRight")
    assert current_date(page) == "2017-10-21"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert current_date(page) == "2017-10-19"
    page.keyboard.press("Shift+ArrowRight")
    assert current_date(page) == next_change("2017-10-19")
    page.keyboard.press("Shift+ArrowLeft")
    assert current_date(page) == previous_change(next_change("2017-10-19"))

    # after a click on the map, ←/→ still move the date (Leaflet would pan instead)
    page.mouse.click(200, 200)
    page.keyboard.press("ArrowRight")
    assert current_date(page) == "2017-10-18"

    # on the slider a plain arrow is one day, Shift+arrow a change
    page.locator("#mapapp-slider").focus()
    page.keyboard.press("ArrowRight")
    assert current_date(page) == "2017-10-19"
    page.keyboard.press("Shift+ArrowRight")
    assert current_date(page) == next_change("2017-10-19")

    # Space plays and pauses
    page.locator("#mapapp-date").click()
    page.keyboard.press("Space")
    assert page.evaluate("mapapp.isPlaying()") is True
    assert page.get_by_role("button", name="Pause").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    assert page.evaluate("mapapp.isPlaying()") is False

    # in a text field the keys are the field's
    date_input = page.get_by_label("Go to")
    date_input.focus()
    before = current_date(page)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    assert current_date(page) == before
    assert page.evaluate("mapapp.isPlaying()") is False
    assert_clean(recorder)


@pytest.mark.parametrize(("speed", "label"), [("1", "1 day/s"), ("4", "4 days/s"),
                                              ("change", "By change")])
def test_play_and_pause_at_each_speed(live_server, make_page, speed, label):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-24&{CITY}")
    page = recorder.page
    page.get_by_label("Speed").select_option(label=label)
    page.get_by_role("button", name="Play").click()
    if speed == "change":
        wait_for_date(page, "2017-10-26")  # the next change date, skipping the days between
        page.wait_for_function("() => mapapp.getDate() === '2017-10-28'", timeout=3000)
    else:
        page.wait_for_function("() => mapapp.getDate() >= '2017-10-25'", timeout=3000)
    page.get_by_role("button", name="Pause").click()
    stopped = current_date(page)
    page.wait_for_timeout(1300)
    assert current_date(page) == stopped  # paused means paused
    assert "2017-10-25" <= stopped <= "2017-10-30"
    assert_clean(recorder)


def test_play_stops_at_the_end_of_the_range(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date={shifted(LAST, -2)}&{CITY}")
    page = recorder.page
    page.get_by_label("Speed").select_option(label="4 days/s")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("() => !mapapp.isPlaying()", timeout=5000)
    assert current_date(page) == LAST
    assert page.get_by_role("button", name="Play").get_attribute("aria-pressed") == "false"


def test_date_input_goes_to_a_date_within_the_data(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-11-01&{CITY}")
    page = recorder.page
    date_input = page.get_by_label("Go to")
    assert date_input.get_attribute("type") == "date"
    assert date_input.get_attribute("min") == FIRST
    assert date_input.get_attribute("max") == LAST
    assert date_input.input_value() == "2017-11-01"
    date_input.fill("2017-10-24")
    wait_for_date(page, "2017-10-24")
    assert page.locator("#mapapp-date").text_content() == "24 Oct 2017"
    # the input follows the slider
    page.locator("#mapapp-slider").focus()
    page.keyboard.press("ArrowRight")
    wait_for_date(page, "2017-10-25")
    assert date_input.input_value() == "2017-10-25"
    assert_clean(recorder)


def test_the_range_zooms_the_slider_onto_the_busy_weeks(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    slider = page.locator("#mapapp-slider")
    # by default the slider spans the busy period, not 2014-2017: the shortest span holding
    # three quarters of the days of changes (a place's first state is not a change), padded
    lo, hi = int(slider.get_attribute("min")), int(slider.get_attribute("max"))
    assert (lo, hi) == busy_window()
    assert lo <= day_number("2017-10-31") <= hi
    assert hi - lo < 0.2 * (day_number(LAST) - day_number(FIRST))
    assert page.get_by_label("Range").input_value() == "busy"
    start = dt.date(1970, 1, 1) + dt.timedelta(days=lo)
    assert page.locator("#mapapp-range-start").text_content() == (
        f"{start.day} {start.strftime('%b %Y')}")
    # one pixel of slider is less than a day: scrubbing the busy weeks is precise
    assert slider.bounding_box()["width"] / (hi - lo) > 2

    page.get_by_label("Range").select_option("all")
    assert int(slider.get_attribute("min")) == day_number(FIRST)
    assert current_date(page) == "2017-10-31"  # the date does not move with the range
    page.get_by_label("Range").select_option("around")
    lo, hi = int(slider.get_attribute("min")), int(slider.get_attribute("max"))
    assert lo <= day_number("2017-10-31") <= hi and hi - lo == 42

    # a date outside the zoomed range widens it to all the data
    page.get_by_label("Range").select_option("busy")
    set_date(page, "2014-07-14")
    assert page.get_by_label("Range").input_value() == "all"
    assert int(slider.get_attribute("min")) <= day_number("2014-07-14")
    assert slider.input_value() == str(day_number("2014-07-14"))
    # stepping past the end of a zoomed range with the slider's own keys follows it
    first_of_90 = shifted(LAST, -89)
    page.get_by_label("Range").select_option("90")
    set_date(page, shifted(first_of_90, 1))
    assert page.get_by_label("Range").input_value() == "90"
    slider.focus()
    page.keyboard.press("ArrowLeft")
    assert current_date(page) == first_of_90
    page.keyboard.press("ArrowLeft")
    wait_for_date(page, shifted(first_of_90, -1))  # and the range has followed
    assert page.get_by_label("Range").input_value() == "all"
    assert_clean(recorder)


def test_density_strip_draws_events_and_change_ticks(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    # column sums of painted pixels: bars where events are, nothing where there are none
    painted = page.evaluate("""() => {
        const c = document.getElementById('mapapp-strip');
        const ctx = c.getContext('2d');
        const img = ctx.getImageData(0, 0, c.width, c.height).data;
        const cols = new Array(c.width).fill(0);
        for (let y = 0; y < c.height; y++)
          for (let x = 0; x < c.width; x++) if (img[(y * c.width + x) * 4 + 3] > 0) cols[x]++;
        return {cols, width: c.width};
    }""")
    cols, width = painted["cols"], painted["width"]
    slider = page.locator("#mapapp-slider")
    lo, hi = int(slider.get_attribute("min")), int(slider.get_attribute("max"))

    def column(iso: str) -> int:
        return round((day_number(iso) - lo) / (hi - lo) * (width - 1))

    in_view = [d for d in SHIPPED["date"] if lo <= day_number(d) <= hi]
    busiest = column(max(set(in_view), key=in_view.count))  # the day with most events
    assert max(cols[busiest - 2:busiest + 3]) > 10
    # the middle of the longest run of days without an event in the slider's span
    dates = sorted(set(in_view))
    gap_lo, gap_hi = max(zip(dates[:-1], dates[1:], strict=True),
                         key=lambda pair: day_number(pair[1]) - day_number(pair[0]))
    # wide enough on screen that the bars (at most 8 px, on buckets of a few days) and ticks
    # (2 px) of its two ends cannot reach the columns around its middle
    assert column(gap_hi) - column(gap_lo) >= 24
    quiet = column(shifted(gap_lo, (day_number(gap_hi) - day_number(gap_lo)) // 2))
    assert max(cols[quiet - 1:quiet + 2]) == 0
    assert_clean(recorder)


INTERACTIVE_ROLES = {"button", "checkbox", "combobox", "slider", "tab", "textbox",
                     "spinbutton", "link", "Date", "DateTime", "InputTime", "menulistpopup"}


def _nameless_controls(page) -> list[str]:
    """Interactive nodes of Chromium's accessibility tree without an accessible name."""
    client = page.context.new_cdp_session(page)
    nodes = client.send("Accessibility.getFullAXTree")["nodes"]
    out = []
    for node in nodes:
        if node.get("ignored"):
            continue
        role = node.get("role", {}).get("value")
        name = (node.get("name") or {}).get("value", "")
        if role in INTERACTIVE_ROLES and not str(name).strip():
            out.append(f"{role} (backend node {node.get('backendDOMNodeId')})")
    return out


@pytest.mark.parametrize("context", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_control_has_an_accessible_name(live_server, make_page, context):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}", **context)
    page = recorder.page
    page.evaluate("mapapp.setDate('2017-10-31')")
    for tab in ("Events", "Place", "Compare", "Areas"):
        if context is PHONE and not page.locator("#mapapp-panel").is_visible():
            page.get_by_role("button", name="Events", exact=True).tap()
        page.get_by_role("tab", name=tab).click()
        assert _nameless_controls(page) == [], tab
    # named as a person sees them
    for name in ("Previous change", "Play", "Next change", "Date", "Go to", "Speed",
                 "Range", "Map view", "EN عربي: interface and place names in Arabic"):
        assert page.get_by_label(name, exact=True).count() + page.get_by_role(
            "button", name=name, exact=True).count() >= 1, name
    assert_clean(recorder)


def test_the_viewer_works_on_any_dataset(tiny_app, make_page):
    """The tiny synthetic data set: 1965 to 2001, six events, no Arabic for most places."""
    from tests.conftest import LiveServer

    with LiveServer(tiny_app) as server:
        recorder = open_map(make_page, server, "/?date=2001-05-02&view=west")
        page = recorder.page
        # 36 years of data but six events: nothing to zoom on
        range_select = page.get_by_label("Range")
        assert range_select.input_value() == "all"
        page.get_by_role("button", name="Previous change").click()
        assert current_date(page) == "2001-05-01"
        page.get_by_role("button", name="Previous change").click()
        assert current_date(page) == "1965-03-01"
        assert page.locator("#mapapp-events > li").count() == 6
        api = page.request.get(f"{server.url}/api/areas").json()
        for k, date in enumerate(api["dates"]):
            mine = page.evaluate(f"mapapp.areasAt('{date}')")
            for column in api["columns"]:
                assert abs(mine[column] - api["areas"][column][k]) < 1e-5, (date, column)
        page.get_by_role("tab", name="Compare").click()
        page.get_by_label("Second date").fill("2001-05-03")
        assert sorted(page.evaluate("mapapp.changedPlaces()")) == [
            "east-square", "harbour", "west-square"]
        assert_clean(recorder)
