"""The JSON API through Flask's test client, on the tiny data set."""

from __future__ import annotations

import json

import pytest


def test_state_is_geojson_with_the_state_of_every_place(tiny_client):
    response = tiny_client.get("/api/state?date=2001-05-02")
    assert response.status_code == 200
    assert response.content_type == "application/json"
    doc = response.get_json()
    assert doc["type"] == "FeatureCollection" and doc["date"] == "2001-05-02"
    props = {f["id"]: f["properties"] for f in doc["features"]}
    assert props["west-square"]["status"] == "contested"
    assert props["west-square"]["factions"] == ["blue", "green"]
    assert props["west-square"]["since"] == "2001-05-01"
    assert props["west-square"]["event_id"] == "2001-05-01-west"
    assert props["west-square"]["source_url"] == "https://example.org/2001-05-01-west"
    assert props["lost-village"]["status"] == "no-data"
    assert props["lost-village"]["since"] is None
    # strict JSON: no NaN anywhere
    json.loads(response.data, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))


def test_state_without_date_is_the_latest(tiny_client):
    doc = tiny_client.get("/api/state").get_json()
    assert doc["date"] == "2001-05-03"


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/state?date=2017-13-01", "date"),
        ("/api/state?date=31/10/2017", "date"),
        ("/api/state?date=%00", "date"),
        ("/api/events?from=nope", "from"),
        ("/api/events?from=2001-05-03&to=2001-05-01", "from"),
        ("/api/events?place=atlantis", "place"),
        ("/api/events?faction=red", "faction"),
        ("/api/events?type=war", "type"),
        ("/api/changes?from=2001-01-01", "to"),
        ("/api/places/atlantis/history", "place"),
    ],
)
def test_bad_parameters_are_400_with_a_json_message(tiny_client, url, parameter):
    response = tiny_client.get(url)
    assert response.status_code == 400, response.data
    error = response.get_json()["error"]
    assert error["parameter"] == parameter and error["message"]


def test_unknown_api_path_is_json_404(tiny_client):
    response = tiny_client.get("/api/nothing")
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("", ["1965-03-01-west", "2001-05-01-west", "2001-05-02-east", "2001-05-02-harbour",
              "2001-05-02-strike", "2001-05-03-west"]),
        ("?from=2001-05-02&to=2001-05-02", ["2001-05-02-east", "2001-05-02-harbour",
                                             "2001-05-02-strike"]),
        ("?place=harbour", ["2001-05-02-harbour", "2001-05-02-strike"]),
        ("?faction=green&type=control", ["2001-05-01-west", "2001-05-02-east",
                                          "2001-05-03-west"]),
    ],
)
def test_event_filters(tiny_client, query, ids):
    doc = tiny_client.get("/api/events" + query).get_json()
    assert [e["id"] for e in doc["events"]] == ids
    assert doc["count"] == len(ids)


def test_places_factions_views_and_health(tiny_client):
    places = tiny_client.get("/api/places").get_json()
    assert [f["id"] for f in places["features"]] == ["west-square", "east-square", "harbour",
                                                    "lost-village"]
    assert places["features"][3]["geometry"] is None
    assert places["features"][0]["properties"]["area_km2"] > 70
    factions = tiny_client.get("/api/factions").get_json()["factions"]
    assert factions[0] == {"id": "blue", "name": "Blue League", "short_name": "Blue",
                           "color": "#1f5fbf", "description": "test faction",
                           "name_ar": "", "short_name_ar": ""}  # absent columns: empty
    views = tiny_client.get("/api/views").get_json()["views"]
    assert views[1] == {"id": "west", "name": "West square", "bbox": [9.98, 49.98, 10.12, 50.12]}
    health = tiny_client.get("/healthz").get_json()
    assert health["status"] == "ok" and health["places"] == 4 and health["events"] == 6


def test_page_rejects_bad_date_and_view_with_a_message(tiny_client):
    bad_date = tiny_client.get("/?date=2017-02-30")
    assert bad_date.status_code == 400 and b"not a valid date" in bad_date.data
    bad_view = tiny_client.get("/?view=mars")
    assert bad_view.status_code == 400 and b"unknown view" in bad_view.data


def test_payload_is_immutable_and_conditional(tiny_client, tiny_app):
    version = tiny_app.extensions["mapapp"].current().version
    response = tiny_client.get(f"/data/{version}/timeline.json")
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]
    again = tiny_client.get(f"/data/{version}/timeline.json",
                            headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    payload = response.get_json()
    # control events as columns, sorted by day: the compact design of DESIGN.md §3
    # control events as columns sorted by day (sent as differences, none negative): the
    # compact design of DESIGN.md §3
    assert min(payload["control"]["day_delta"]) >= 0
    assert len(payload["geometry"]["features"]) == 3  # the village has no geometry to draw


def test_sources_page_is_the_loaded_provenance(tiny_client):
    response = tiny_client.get("/sources")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert "Credit: Tiny test data, no real places" in response.get_data(as_text=True)


def test_versioned_payload_is_served_gzipped_to_browsers_that_ask(tiny_client, tiny_app):
    import gzip

    version = tiny_app.extensions["mapapp"].current().version
    plain = tiny_client.get(f"/data/{version}/timeline.json")
    packed = tiny_client.get(f"/data/{version}/timeline.json",
                             headers={"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)
