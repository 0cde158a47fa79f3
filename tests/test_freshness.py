"""Data that shows its age: a place whose latest report (any event about it) is older than
the threshold is stale, in the engine, the API and on the map. On the tiny data set with a
few events added: the west square re-reported by an incident, the east square held by the
same faction but not mentioned since."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mapapp import create_app
from mapapp.freshness import STALE_AFTER_DAYS, age_text, is_stale, legend_label, stale_label
from mapapp.timeline import Timeline
from tests.test_map_canvas import (
    FILL_OPACITY,
    blend,
    colours_around,
    distance,
    rgb,
    screen_point,
    screenshot,
)
from tests.tiny_dataset import write_tiny_dataset
from tests.viewer_support import click_place

GREEN = "#2e8b57"
ADDED = [
    # id, date, type, place, status, factions
    ("2001-06-01-east", "2001-06-01", "control", "east-square", "held", "green"),
    ("2001-07-10-west-patrol", "2001-07-10", "incident", "west-square", "", "green"),
]


def _dataset(directory: Path) -> Path:
    write_tiny_dataset(directory)
    with open(directory / "events.csv", "a", encoding="utf-8") as fh:
        for eid, date, kind, place, status, factions in ADDED:
            fh.write(f"{eid},{date},{kind},{place},{status},{factions},,,Test event {eid}.,"
                     f"Test report {eid},https://example.org/{eid},{date},confirmed,\n")
    return directory


@pytest.fixture
def aged(tmp_path: Path) -> Path:
    return _dataset(tmp_path / "aged")


def test_the_rule_and_its_words():
    assert STALE_AFTER_DAYS == 30
    assert not is_stale(29) and is_stale(30) and not is_stale(None)
    assert [age_text(d) for d in (1, 30, 59, 60, 91, 729, 730, 1100)] == [
        "1 day", "30 days", "59 days", "2 months", "3 months", "24 months", "2 years",
        "3 years"]
    assert stale_label(95) == "last reported 3 months ago"
    assert legend_label(45) == "Not reported for 45+ days"


def test_last_reported_counts_incidents_and_control_events(aged):
    from mapapp.dataset import load_dataset

    timeline = Timeline(load_dataset(aged))
    state = timeline.state_at("2001-07-20")["last_reported"]
    assert state["west-square"] == "2001-07-10"  # the incident, not the 3 May control event
    assert state["east-square"] == "2001-06-01"
    assert state["lost-village"] is None
    assert timeline.state_at("2001-07-09")["last_reported"]["west-square"] == "2001-05-03"
    assert timeline.state_at("1965-02-28")["last_reported"]["west-square"] is None


def test_last_reported_matches_a_plain_search_on_a_synthetic_data_set(tmp_path):
    from bench.generate import Spec, generate
    from mapapp.dataset import load_dataset

    timeline = Timeline(load_dataset(generate(tmp_path / "s", Spec(places=200, events=1500,
                                                                   days=120))))
    events = timeline.dataset.events
    first, last = int(events["day"].min()), int(events["day"].max())
    for day in range(first - 2, last + 3, 7):
        date = dt.date(1970, 1, 1) + dt.timedelta(days=day)
        seen = events[events["day"] <= day].groupby("place")["day"].max()
        expected = [int(seen.get(p, -1)) for p in timeline.place_ids]
        assert timeline.last_report_days(date).tolist() == expected, date
        column = timeline.state_at(date)["last_reported"]
        assert [None if d < 0 else dt.date.fromordinal(d + 719163).isoformat()
                for d in expected] == column.tolist()


@pytest.mark.parametrize(("date", "last", "stale"), [
    ("2001-05-31", "2001-05-03", False),  # 28 days
    ("2001-06-01", "2001-05-03", False),  # 29 days
    ("2001-06-02", "2001-05-03", True),   # 30 days: stale
    ("2001-07-09", "2001-05-03", True),
    ("2001-07-10", "2001-07-10", False),  # an incident reports on the place again
])
def test_api_state_says_when_the_west_square_was_last_reported(aged, date, last, stale):
    client = create_app({"data_dir": aged, "reload_interval": 0.0}).test_client()
    props = {f["id"]: f["properties"] for f in
             client.get(f"/api/state?date={date}").get_json()["features"]}
    assert props["west-square"]["last_reported"] == last
    assert props["west-square"]["stale"] is stale
    assert props["lost-village"]["last_reported"] is None
    assert props["lost-village"]["stale"] is False  # no data is no data, not stale


def test_the_threshold_is_a_setting(aged):
    client = create_app({"data_dir": aged, "reload_interval": 0.0,
                         "stale_after_days": 60}).test_client()
    props = {f["id"]: f["properties"] for f in
             client.get("/api/state?date=2001-06-02").get_json()["features"]}
    assert props["west-square"]["stale"] is False
    with pytest.raises(ValueError, match="MAPAPP_STALE_AFTER_DAYS"):
        create_app({"data_dir": aged, "stale_after_days": 0})


def _tooltip(page, point: tuple[int, int], name: str) -> str:
    """The tooltip of the place under ``point``. Leaflet's canvas throttles hover tests, so a
    single move can go unseen: the pointer moves by a pixel until the tooltip shows."""
    for nudge in range(20):
        page.mouse.move(point[0] + nudge % 3, point[1] + nudge // 3 % 3, steps=2)
        texts = page.evaluate("() => [...document.querySelectorAll('.leaflet-tooltip')]"
                              ".map(t => t.textContent)")
        shown = [t for t in texts if t.startswith(name)]
        if shown:
            return shown[0]
        page.wait_for_timeout(60)
    raise AssertionError(f"no tooltip for {name}: {texts}")


@pytest.mark.browser
def test_a_stale_place_is_labelled_and_drawn_apart_from_a_fresh_one(aged, map_of):
    with map_of(aged, "/?date=2001-06-05&view=overview") as (_app, recorder):
        page = recorder.page
        west, east = screen_point(page, 10.03, 50.03), screen_point(page, 10.23, 50.03)

        def colours(image, point):
            return colours_around(image, *point, radius=6)

        # 5 June: both green, both fresh (west reported 33 days ago is stale, so compare
        # with east on 1 June + 4 days): east is the fresh one here.
        page.evaluate("mapapp.setDate('2001-06-05')")
        assert page.evaluate("mapapp.getPlaceState('east-square').stale") is False
        image = screenshot(page)
        background = colours_around(image, *screen_point(page, 10.15, 50.15), 2) \
            .most_common(1)[0][0]
        green = blend(rgb(GREEN), background, FILL_OPACITY)
        fresh_east = colours(image, east)
        assert distance(fresh_east.most_common(1)[0][0], green) < 20

        # 20 July: the same holder in both; west re-reported on 10 July, east not since June.
        page.evaluate("mapapp.setDate('2001-07-20')")
        west_state = page.evaluate("mapapp.getPlaceState('west-square')")
        east_state = page.evaluate("mapapp.getPlaceState('east-square')")
        assert west_state["factions"] == east_state["factions"] == ["green"]
        assert (west_state["stale"], east_state["stale"]) == (False, True)
        assert east_state["last_reported"] == "2001-06-01"
        image = screenshot(page)
        fresh, stale = colours(image, west), colours(image, east)
        assert distance(fresh.most_common(1)[0][0], green) < 20
        paler = blend(rgb(GREEN), background, FILL_OPACITY * 0.7)
        assert distance(stale.most_common(1)[0][0], paler) < 20
        assert distance(stale.most_common(1)[0][0], green) > 25
        # The dots: light pixels inside the stale fill, none inside the fresh one.
        light = [c for c in stale if min(c) > 225]
        assert light and not [c for c in fresh if min(c) > 225]
        legend = page.locator(".mapapp-legend").inner_text()
        assert "Not reported for 30+ days" in legend

        assert _tooltip(page, east, "East Square").endswith(" · last reported 49 days ago")
        assert "reported" not in _tooltip(page, west, "West Square")

        click_place(page, "east-square")
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert "Last reported 49 days ago" in popup.inner_text()
        page.keyboard.press("Escape")
        click_place(page, "west-square")
        page.wait_for_function("() => document.querySelector('.leaflet-popup-content')"
                               " && document.querySelector('.leaflet-popup-content')"
                               ".textContent.includes('West Square')")
        assert "reported" not in page.locator(".leaflet-popup-content").inner_text()
        # The open popup counts the days as the date moves.
        click_place(page, "east-square")
        page.wait_for_function("() => document.querySelector('.leaflet-popup-content')"
                               ".textContent.includes('49 days')")
        page.evaluate("mapapp.setDate('2001-08-15')")
        page.wait_for_function("() => document.querySelector('.leaflet-popup-content')"
                               ".textContent.includes('Last reported 2 months ago')")
        assert recorder.errors == []
