"""Gains and losses between two dates: one definition of "first reported", used by the
engine, the API and the payload's area table."""

from __future__ import annotations

import pytest

from mapapp.compare import change_kind, controllers
from mapapp.dataset import load_dataset
from mapapp.errors import RequestError
from mapapp.payload import build_payload
from mapapp.timeline import Timeline


@pytest.fixture
def tiny_timeline(tiny_dir) -> Timeline:
    return Timeline(load_dataset(tiny_dir))


def test_a_first_report_is_not_a_gain(tiny_timeline):
    result = tiny_timeline.gains_and_losses("2001-04-30", "2001-05-03")
    kinds = dict(zip(result.changes["place"], result.changes["kind"], strict=True))
    assert kinds == {"west-square": "gain", "east-square": "first_reported",
                     "harbour": "first_reported"}
    tally = result.tally()
    assert (tally["green"]["gained"], tally["green"]["lost"]) == (1, 0)
    assert (tally["blue"]["gained"], tally["blue"]["lost"]) == (0, 1)
    assert tally["blue"]["first_reported"] == 2  # the harbour, and the east square jointly
    assert tally["green"]["first_reported"] == 1
    assert tally["green"]["gained_km2"] == pytest.approx(
        float(tiny_timeline.areas_km2["west-square"]), abs=1e-6)


def test_same_holder_new_status_is_a_status_change(tiny_timeline):
    result = tiny_timeline.gains_and_losses("2001-04-30", "2001-05-01")
    assert result.changes[["place", "kind"]].values.tolist() == [["west-square",
                                                                   "status_change"]]
    assert all(v["gained"] == v["lost"] == 0 for v in result.tally().values())


def test_kinds_of_change():
    assert change_kind("joint", controllers("joint", ("a", "b")),
                       controllers("held", ("a",))) == "loss"
    assert change_kind("no-data", frozenset(), controllers("held", ("a",))) == "first_reported"
    assert controllers("contested", ("a", "b")) == {"a"}


def test_from_after_to_is_refused(tiny_timeline):
    with pytest.raises(RequestError, match="from 2001-05-03 is after to 2001-05-01"):
        tiny_timeline.gains_and_losses("2001-05-03", "2001-05-01")


def test_api_gains_losses(tiny_app):
    client = tiny_app.test_client()
    doc = client.get("/api/gains-losses?from=2001-04-30&to=2001-05-03").get_json()
    assert doc["from"] == "2001-04-30" and doc["to"] == "2001-05-03"
    assert doc["first_reported"] == 2
    west = next(c for c in doc["changes"] if c["place"] == "west-square")
    assert west["kind"] == "gain"
    assert west["before"] == {"status": "held", "factions": ["blue"]}
    assert west["after"] == {"status": "held", "factions": ["green"]}
    harbour = next(c for c in doc["changes"] if c["place"] == "harbour")
    assert harbour["before"] is None and harbour["kind"] == "first_reported"
    assert doc["factions"]["green"]["gained"] == 1 and doc["factions"]["blue"]["lost"] == 1
    assert doc["factions"]["green"]["gained_km2"] > 0
    bad = client.get("/api/gains-losses?from=2001-05-03&to=2001-05-01")
    assert bad.status_code == 400
    assert bad.get_json()["error"]["message"] == "from 2001-05-03 is after to 2001-05-01"
    for query in ("from=2001-13-01&to=2001-05-03", "to=2001-05-03", "from=2001-04-30"):
        response = client.get(f"/api/gains-losses?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["parameter"] in ("from", "to")


def test_payload_areas_are_the_engines_and_the_apis(tiny_app, tiny_timeline):
    areas = build_payload(tiny_timeline)["areas"]
    api = tiny_app.test_client().get("/api/areas").get_json()
    assert areas["factions"] == api["columns"]
    for k, row in enumerate(areas["km2"]):
        assert row == [api["areas"][c][k] for c in api["columns"]]
    frame = tiny_timeline.area_by_faction(tiny_timeline.change_dates)
    assert areas["factions"] == list(frame.columns)
    assert areas["days"] == [int(d) for d in tiny_timeline.change_days]
    for row, (_, expected) in zip(areas["km2"], frame.iterrows(), strict=True):
        assert row == pytest.approx(expected.tolist(), abs=1e-6)
    assert "polygon" in areas["counts"]
