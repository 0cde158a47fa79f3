"""Event texts in chunks: how payload.py cuts them, the setting that sizes them, and the
route that serves them (immutable, gzip, 404 for anything else). The browser side is in
tests/test_viewer_texts.py."""

from __future__ import annotations

import csv
import gzip
import json
import math
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mapapp.config import load_settings
from mapapp.dataset import missing_as_none
from mapapp.errors import MissingResourceError
from mapapp.payload import DETAILS_CHUNK, build_detail_chunk, build_payload, detail_chunk_counts
from tests.conftest import DATA_DIR

CHUNK = 5  # small enough that the shipped data's control events and incidents span several chunks


def _chunk_counts(size: int) -> dict[str, int]:
    """How many chunks of ``size`` the shipped events make, counted from events.csv itself."""
    with (DATA_DIR / "events.csv").open(encoding="utf-8", newline="") as fh:
        types = [row["type"] for row in csv.DictReader(fh)]
    return {"control": math.ceil(types.count("control") / size),
            "incidents": math.ceil(types.count("incident") / size)}


SHIPPED = _chunk_counts(CHUNK)


@pytest.fixture(scope="module")
def chunked_app(make_app):
    return make_app(details_chunk=CHUNK)


@pytest.fixture(scope="module")
def chunked(chunked_app):
    client = chunked_app.test_client()
    version = chunked_app.extensions["mapapp"].current().version
    return client, f"/data/{version}/events/"


def _chunks(timeline, kind: str, size: int) -> list[dict]:
    count = detail_chunk_counts(timeline, size)[kind]
    return [build_detail_chunk(timeline, kind, n, size) for n in range(count)]


# --- cutting the texts into chunks --------------------------------------------------------

@pytest.mark.parametrize("size", [1, CHUNK, 7, 54, 55, 56, DETAILS_CHUNK])
def test_chunks_cover_every_event_once_in_the_payloads_order(timeline, size):
    for kind, frame in (("control", timeline.control), ("incidents", timeline.incidents)):
        chunks = _chunks(timeline, kind, size)
        assert len(chunks) == math.ceil(len(frame) / size)
        assert [c["start"] for c in chunks] == [n * size for n in range(len(chunks))]
        assert all(0 < len(c["summary"]) <= size for c in chunks)
        assert all(len(c["summary"]) == size for c in chunks[:-1])  # only the last is short
        assert [s for c in chunks for s in c["summary"]] == list(frame["summary"])
        notes = [n for c in chunks for n in c["notes"]]
        assert notes == [None if missing_as_none(n) is None else n for n in frame["notes"]]
        assert any(notes)
        assert {(c["kind"], c["version"]) for c in chunks} == {
            (kind, timeline.dataset.version)}


def test_incidents_bring_their_ids_and_dates_control_events_do_not(timeline):
    incidents = _chunks(timeline, "incidents", CHUNK)
    assert [i for c in incidents for i in c["id"]] == list(timeline.incidents["id"])
    assert [d for c in incidents for d in c["date"]] == list(timeline.incidents["date"])
    # control events' ids and dates are in the payload already
    assert all("id" not in c and "date" not in c for c in _chunks(timeline, "control", CHUNK))


@pytest.mark.parametrize("size", [CHUNK, DETAILS_CHUNK])
def test_each_chunk_sends_a_source_once_and_every_event_finds_its_own(timeline, size):
    deduplicated = 0
    for kind, frame in (("control", timeline.control), ("incidents", timeline.incidents)):
        cited = list(zip(frame["source_title"], frame["source_url"], frame["source_date"],
                         strict=True))
        for chunk in _chunks(timeline, kind, size):
            rows = [tuple(s) for s in chunk["sources"]]
            assert len(rows) == len(set(rows))  # once per chunk
            assert sorted(set(chunk["source"])) == list(range(len(rows)))  # all used
            start = chunk["start"]
            assert [rows[k] for k in chunk["source"]] == cited[start:start + len(
                chunk["source"])]
            deduplicated += len(chunk["source"]) - len(rows)
    assert deduplicated > 0  # the shipped data cites some reports several times


def test_a_chunk_that_does_not_exist_is_missing(timeline):
    counts = detail_chunk_counts(timeline, CHUNK)
    assert SHIPPED["control"] > 1 and SHIPPED["incidents"] > 1
    assert counts == SHIPPED
    for kind, n in (("places", 0), ("control", -1), ("control", SHIPPED["control"]),
                    ("incidents", SHIPPED["incidents"])):
        with pytest.raises(MissingResourceError, match="no "):
            build_detail_chunk(timeline, kind, n, CHUNK)
    with pytest.raises(ValueError, match="at least one event"):
        detail_chunk_counts(timeline, 0)


def test_the_payload_says_how_the_texts_are_chunked(timeline):
    assert build_payload(timeline, CHUNK)["details"] == {"chunk": CHUNK, **SHIPPED}
    assert build_payload(timeline)["details"] == {"chunk": DETAILS_CHUNK,
                                                   **_chunk_counts(DETAILS_CHUNK)}


# --- the setting --------------------------------------------------------------------------

def test_the_chunk_size_comes_from_the_environment_or_the_app_config():
    assert load_settings(environ={}).details_chunk is None  # payload.DETAILS_CHUNK
    assert load_settings(environ={"MAPAPP_DETAILS_CHUNK": "7"}).details_chunk == 7
    assert load_settings({"details_chunk": 3},
                         environ={"MAPAPP_DETAILS_CHUNK": "7"}).details_chunk == 3


@pytest.mark.parametrize("raw", ["0", "-5", "abc", "2.5", "", "1e3"])
def test_a_chunk_size_that_is_not_a_positive_whole_number_is_refused_by_name(raw):
    with pytest.raises(ValueError, match=r"MAPAPP_DETAILS_CHUNK .*positive whole number"):
        load_settings(environ={"MAPAPP_DETAILS_CHUNK": raw})


@pytest.mark.parametrize("value", [0, -1, 2.5, True, "5x"])
def test_a_bad_chunk_size_in_the_app_config_is_refused(make_app, value):
    with pytest.raises(ValueError, match="positive whole number"):
        make_app(details_chunk=value)


# --- the route ----------------------------------------------------------------------------

def test_the_page_names_the_folder_of_the_chunks_under_any_mount_prefix(chunked_app):
    client = chunked_app.test_client()
    version = chunked_app.extensions["mapapp"].current().version
    for root in ("", "/map"):
        html = client.get("/", base_url=f"http://localhost{root}/").get_data(as_text=True)
        config = json.loads(html.split('id="mapapp-config"', 1)[1].split(">", 1)[1]
                            .split("</script>", 1)[0])
        assert config["details_url"] == f"{root}/data/{version}/events/"
        assert config["data_url"] == f"{root}/data/{version}/timeline.json"


def test_chunks_are_immutable_and_conditional(chunked, chunked_app):
    client, base = chunked
    response = client.get(base + "control-10.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    chunk = response.get_json()
    assert chunk["kind"] == "control" and chunk["start"] == 50 and len(chunk["summary"]) == 5
    again = client.get(base + "control-10.json",
                       headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # a page of an older data version gets the current texts, never cached
    stale = client.get("/data/0123456789abcdef/events/control-0.json")
    assert stale.status_code == 200 and stale.headers["Cache-Control"] == "no-cache"
    payload = client.get(f"/data/{chunk['version']}/timeline.json").get_json()
    assert payload["details"] == {"chunk": CHUNK, **SHIPPED}


def test_chunks_are_gzipped_for_browsers_that_ask(chunked):
    client, base = chunked
    plain = client.get(base + "incidents-0.json")
    packed = client.get(base + "incidents-0.json", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data)


@pytest.mark.parametrize("name", [
    f"control-{SHIPPED['control']}.json", f"incidents-{SHIPPED['incidents']}.json",
    "places-0.json", "control-x.json",
    "control--1.json", "control-01.json", "control-1.5.json", "control-0.js", "control-0",
    "control-99999999999999999999999999.json", "CONTROL-0.json", "control-0.json%00",
])
def test_any_other_chunk_name_is_a_json_404(chunked, name):
    client, base = chunked
    response = client.get(base + name)
    assert response.status_code == 404, response.data
    error = response.get_json()["error"]
    assert error["status"] == 404 and error["message"]


@settings(max_examples=300, deadline=None, database=None)
@given(name=st.one_of(st.text(max_size=40), st.from_regex(r"(control|incidents)-[0-9]{1,4}"
                                                          r"\.json", fullmatch=True)))
def test_no_chunk_name_is_a_server_error(chunked, name):
    client, base = chunked
    response = client.get(base + quote(name, safe=""))
    # 308: werkzeug's redirect of a doubled slash ("%2F" is a slash once decoded)
    assert response.status_code in (200, 308, 404), (name, response.data)
    if response.status_code == 404:
        assert response.get_json()["error"]["message"]


def test_the_single_file_of_every_text_is_gone(chunked):
    client, base = chunked
    assert client.get(base.removesuffix("/") + ".json").status_code == 404
