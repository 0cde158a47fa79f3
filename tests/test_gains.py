"""Gains and losses between two dates (mapapp.gains, /api/gains-losses), and what the
page's payload carries instead of computing it: the style and the areas."""

from __future__ import annotations

import pytest

from mapapp.gains import gains_and_losses
from mapapp.payload import build_payload
from mapapp.style import PAGE_STYLE


@pytest.fixture
def tiny_client(tiny_app):
    return tiny_app.test_client()


@pytest.fixture
def tiny_timeline(tiny_app):
    return tiny_app.extensions["mapapp"].current().timeline


def test_a_first_report_is_not_a_gain(tiny_timeline):
    body = gains_and_losses(tiny_timeline, "2001-04-30", "2001-05-03")
    kinds = {c["place"]: c["kind"] for c in body["changes"]}
    assert kinds == {"west-square": "gain", "east-square": "first_reported",
                     "harbour": "first_reported"}
    assert body["first_reported"] == 2
    # Blue is first reported at the harbour and in the east: neither counts for it
    assert body["factions"]["green"]["gained"] == 1 and body["factions"]["blue"]["lost"] == 1
    assert body["factions"]["blue"]["gained"] == 0
    first = {c["place"]: c for c in body["changes"]}["harbour"]
    assert first["before"] is None and first["after"] == {"status": "held", "factions": ["blue"]}


def test_a_change_of_status_under_the_same_holder_is_neither(tiny_timeline):
    body = gains_and_losses(tiny_timeline, "2001-04-30", "2001-05-01")
    assert body["changes"] == [{"place": "west-square", "kind": "status",
                                "before": {"status": "held", "factions": ["blue"]},
                                "after": {"status": "contested", "factions": ["blue", "green"]}}]
    assert body["factions"] == {} and body["first_reported"] == 0


def test_the_endpoint_answers_and_refuses_bad_dates_with_400(tiny_client):
    ok = tiny_client.get("/api/gains-losses?from=2001-04-30&to=2001-05-03")
    assert ok.status_code == 200
    assert ok.get_json()["factions"]["green"]["gained_km2"] > 0
    for query in ("from=2001-05-03&to=2001-04-30", "from=2001-13-01&to=2001-05-03", "to=2001-05-03",
                  "from=2001-04-30"):
        response = tiny_client.get(f"/api/gains-losses?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["error"]["parameter"] in ("from", "to")


def test_the_payload_carries_the_style_and_the_engines_areas(tiny_client, tiny_timeline):
    payload = build_payload(tiny_timeline)
    assert payload["style"] == PAGE_STYLE
    areas = payload["areas"]
    api = tiny_client.get("/api/areas").get_json()
    assert areas["factions"] == api["columns"]
    assert areas["days"] == [int(d) for d in tiny_timeline.change_days]
    for k, row in enumerate(areas["km2"]):
        assert row == [api["areas"][c][k] for c in api["columns"]]
    assert "points" in areas["counts"]
