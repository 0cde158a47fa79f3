"""The engine on a tiny data set whose every answer can be worked out by hand."""

from __future__ import annotations

import pytest
from pyproj import Geod
from shapely.geometry import box

from mapapp.errors import NotFoundError, RequestError
from mapapp.payload import build_payload
from mapapp.timeline import Timeline


@pytest.fixture
def tl(make_timeline, tiny_dir) -> Timeline:
    return make_timeline(tiny_dir)


@pytest.mark.parametrize(
    ("date", "status", "factions", "since"),
    [
        ("1965-02-28", "no-data", (), None),          # before the first event
        ("1965-03-01", "held", ("blue",), "1965-03-01"),  # on it (and before 1970)
        ("2001-04-30", "held", ("blue",), "1965-03-01"),  # long after, before the next
        ("2001-05-01", "contested", ("blue", "green"), "2001-05-01"),
        ("2001-05-02", "contested", ("blue", "green"), "2001-05-01"),
        ("2001-05-03", "held", ("green",), "2001-05-03"),
        ("2030-01-01", "held", ("green",), "2001-05-03"),
    ],
)
def test_state_of_west_square(tl, date, status, factions, since):
    row = tl.state_at(date).loc["west-square"]
    assert row["status"] == status
    assert tuple(row["factions"]) == factions
    assert row["since"] == since


def test_place_without_events_or_geometry_is_no_data(tl):
    row = tl.state_at("2001-06-01").loc["lost-village"]
    assert row["status"] == "no-data" and row["event_id"] is None


def test_state_carries_citation(tl):
    row = tl.state_at("2001-05-02").loc["east-square"]
    assert row["event_id"] == "2001-05-02-east"
    assert row["source_url"] == "https://example.org/2001-05-02-east"


@pytest.mark.parametrize("bad", ["2001-13-01", "2001-02-30", "01-05-2001", "", "yesterday"])
def test_malformed_dates_are_request_errors(tl, bad):
    with pytest.raises(RequestError):
        tl.state_at(bad)


def test_changes_between_is_half_open_and_knows_the_previous_state(tl):
    frame = tl.changes_between("2001-05-01", "2001-05-03")
    assert list(frame["id"]) == ["2001-05-02-east", "2001-05-02-harbour", "2001-05-03-west"]
    west = frame[frame["place"] == "west-square"].iloc[0]
    assert west["from_status"] == "contested" and west["status"] == "held"
    first = frame[frame["place"] == "east-square"].iloc[0]
    assert first["from_status"] == "no-data"


def test_changes_between_rejects_inverted_range(tl):
    with pytest.raises(RequestError):
        tl.changes_between("2001-05-03", "2001-05-01")


def test_changed_places_is_the_net_change(tl):
    frame = tl.changed_places("2001-04-30", "2001-05-03").set_index("place")
    assert set(frame.index) == {"west-square", "east-square", "harbour"}
    assert frame.loc["west-square", "from_factions"] == ("blue",)
    assert frame.loc["west-square", "to_factions"] == ("green",)


def test_history_is_oldest_first_and_includes_incidents(tl):
    assert list(tl.history("west-square")["id"]) == [
        "1965-03-01-west", "2001-05-01-west", "2001-05-03-west"]
    assert list(tl.history("harbour")["type"]) == ["control", "incident"]
    with pytest.raises(NotFoundError):
        tl.history("atlantis")


def test_areas_are_geodesic_km2_not_degrees(tl):
    geod = Geod(ellps="WGS84")
    expected = abs(geod.geometry_area_perimeter(box(10.0, 50.0, 10.1, 50.1))[0]) / 1e6
    assert tl.areas_km2["west-square"] == pytest.approx(expected, rel=1e-3)
    assert tl.areas_km2["harbour"] == 0.0


def test_area_by_faction_splits_joint_and_separates_contested(tl):
    square = tl.areas_km2["west-square"]
    table = tl.area_by_faction(["1965-03-01", "2001-05-02", "2001-05-03"])
    assert table.loc["1965-03-01", "blue"] == pytest.approx(square)
    assert table.loc["1965-03-01", "no-data"] == pytest.approx(tl.areas_km2["east-square"])
    assert table.loc["2001-05-02", "contested"] == pytest.approx(square)
    assert table.loc["2001-05-02", "blue"] == pytest.approx(tl.areas_km2["east-square"] / 2)
    assert table.loc["2001-05-03", "green"] == pytest.approx(
        square + tl.areas_km2["east-square"] / 2)


def test_since_survives_a_reconfirming_report(make_timeline, tiny_dir):
    with open(tiny_dir / "events.csv", "a", encoding="utf-8") as fh:
        fh.write("2001-06-01-west,2001-06-01,control,west-square,held,green,,,Green still holds."
                 ",Later report,https://example.org/later,2001-06-01,confirmed,\n")
    tl = make_timeline(tiny_dir)
    row = tl.state_at("2001-06-02").loc["west-square"]
    assert row["since"] == "2001-05-03" and row["event_id"] == "2001-06-01-west"


def test_incidents_are_kept_in_date_order_whatever_the_order_of_the_rows(make_timeline, tiny_dir):
    # The data contract keeps rows in their file order; an incident appended after a later
    # one must still come first, since the page finds a week's incidents by binary search.
    with (tiny_dir / "events.csv").open("a", encoding="utf-8", newline="") as fh:
        fh.write("1990-01-01-flare,1990-01-01,incident,harbour,,blue,,,A flare.,"
                 "Test source,https://example.org/flare,1990-01-02,confirmed,\n")
    tl = make_timeline(tiny_dir)
    assert list(tl.incidents["id"]) == ["1990-01-01-flare", "2001-05-02-strike"]
    days = build_payload(tl)["incidents"]["day"]
    assert days == sorted(days) and len(days) == 2
