"""OGC API – Features at /ogc: read by GDAL's OAPIF driver (a client no one here wrote) on a
real loopback server, and the parameters, errors and HTML views on the tiny data set."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyogrio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.gunicorn import Gunicorn
from mapapp import create_app, ogc
from mapapp.errors import RequestError
from tests.conftest import DATA_DIR
from tests.hostile_dataset import PAYLOADS, write_hostile_dataset


@pytest.fixture(scope="module")
def oapif():
    if "OAPIF" not in pyogrio.list_drivers():
        pytest.fail("this pyogrio's GDAL has no OAPIF driver")
    # GDAL keeps the GIL while it waits for an answer: the server needs its own process.
    with Gunicorn({"MAPAPP_DATA_DIR": str(DATA_DIR), "MAPAPP_RELOAD_INTERVAL": "0"},
                  workers=1) as server:
        yield f"OAPIF:{server.url}/ogc"


def test_gdal_lists_the_collections(oapif):
    assert [name for name, _ in pyogrio.list_layers(oapif)] == ["places", "events", "control"]


@pytest.mark.parametrize(("date", "holder"), [("2017-10-30", "isis"),
                                              ("2017-11-01", "syrian-government")])
def test_gdal_reads_kanamat_at_a_date(oapif, app, date, holder):
    frame = pyogrio.read_dataframe(oapif, layer="control", DATETIME=date)
    assert len(frame) == len(app.extensions["mapapp"].current().dataset.places)
    kanamat = frame.set_index("id").loc["kanamat"]
    assert (kanamat["status"], kanamat["holder"]) == ("held", holder)


def test_gdal_reads_every_event_through_paging(oapif, app):
    events = app.extensions["mapapp"].current().dataset.events
    assert len(events) > 10  # so that a page of 10 cannot hold them all
    frame = pyogrio.read_dataframe(oapif, layer="events", PAGE_SIZE=10)
    assert sorted(frame["id"]) == sorted(events["id"])


@pytest.fixture
def tiny(tiny_app):
    return tiny_app.test_client()


def test_landing_links_what_a_client_needs(tiny):
    links = {link["rel"]: link["href"] for link in tiny.get("/ogc").get_json()["links"]}
    assert {"service-desc", "conformance", "data", "self", "alternate"} <= set(links)
    assert tiny.get(links["service-desc"]).get_json()["paths"]["/collections/{cid}/items"]
    assert ogc.CONFORMANCE[0] in tiny.get(links["conformance"]).get_json()["conformsTo"]


def test_control_is_the_state_at_datetime_or_at_an_intervals_end(tiny):
    def state(query: str) -> tuple[str, str]:
        doc = tiny.get(f"/ogc/collections/control/items{query}").get_json()
        west = next(f for f in doc["features"] if f["id"] == "west-square")
        return doc["date"], west["properties"]["status"]

    assert state("?datetime=2001-05-01") == ("2001-05-01", "contested")
    assert state("?datetime=2001-05-01T23:30:00-02:00") == ("2001-05-02", "contested")
    assert state("?datetime=1990-01-01/2001-05-03") == ("2001-05-03", "held")
    assert state("?datetime=1990-01-01/..") == ("2001-05-03", "held")  # the latest
    assert state("") == ("2001-05-03", "held")


def test_events_are_filtered_by_datetime_and_bbox(tiny):
    def ids(query: str) -> list[str]:
        doc = tiny.get(f"/ogc/collections/events/items{query}").get_json()
        assert doc["numberReturned"] == len(doc["features"])
        return [f["id"] for f in doc["features"]]

    assert ids("?datetime=2001-05-02") == ["2001-05-02-east", "2001-05-02-harbour",
                                          "2001-05-02-strike"]
    assert ids("?datetime=../1999-12-31") == ["1965-03-01-west"]
    assert ids("?datetime=2001-05-03/") == ["2001-05-03-west"]
    everything = ids("")
    west = tiny.get("/ogc/collections/places/items/west-square").get_json()
    lons = [p[0] for p in west["geometry"]["coordinates"][0]]
    lats = [p[1] for p in west["geometry"]["coordinates"][0]]
    box = f"{min(lons)},{min(lats)},{max(lons)},{max(lats)}"
    inside = ids(f"?bbox={box}")
    assert inside and set(inside) < set(everything)
    assert all(i.endswith("-west") for i in inside)


def test_limit_pages_with_next_links_until_the_end(tiny):
    url, seen = "/ogc/collections/events/items?limit=2", []
    while url:
        doc = tiny.get(url).get_json()
        assert doc["numberReturned"] <= 2
        seen += [f["id"] for f in doc["features"]]
        url = next((link["href"] for link in doc["links"] if link["rel"] == "next"), None)
    assert seen == [f["id"] for f in tiny.get("/ogc/collections/events/items")
                    .get_json()["features"]]


@pytest.mark.parametrize("query", [
    "bbox=1,2,3", "bbox=a,b,c,d", "bbox=0,10,1,5", "bbox=0,0,1,nan", "bbox=-200,0,0,1",
    "datetime=yesterday", "datetime=2001-02-30", "datetime=2001-05-03/2001-05-01",
    "datetime=/", "datetime=a/b/c", "datetime=2001-05-01T25:00:00Z", "limit=0", "limit=x",
    "offset=-1", "crs=EPSG:4326", "datetime=0001-01-01T00:30:00+01:00",
    "datetime=9999-12-31T23:30:00-01:00", "datetime=2001-05-01T10:00:00+25:00",
    "bbox-crs=EPSG:3857&bbox=0,0,1,1", "colour=red", "f=xml",
])
def test_a_malformed_parameter_is_an_ogc_exception(tiny, query):
    response = tiny.get(f"/ogc/collections/events/items?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "InvalidParameterValue" and body["description"]


def test_a_limit_above_the_maximum_is_cut_to_it(tiny):
    doc = tiny.get("/ogc/collections/events/items?limit=99999999999999").get_json()
    assert doc["numberReturned"] == doc["numberMatched"] <= ogc.MAX_LIMIT


def test_a_missing_collection_or_feature_is_a_404_ogc_exception(tiny):
    for url in ("/ogc/collections/nope", "/ogc/collections/nope/items",
                "/ogc/collections/places/items/nope"):
        response = tiny.get(url)
        assert response.status_code == 404 and response.get_json()["code"] == "NotFound"


def test_html_is_negotiated_and_json_stays_the_default(tiny):
    assert tiny.get("/ogc/collections").mimetype == "application/json"
    assert tiny.get("/ogc/collections", headers={"Accept": "text/html"}).mimetype == "text/html"
    items = tiny.get("/ogc/collections/control/items", headers={"Accept": "text/html,*/*"})
    assert items.mimetype == "text/html" and "west-square" in items.text
    assert tiny.get("/ogc/collections/places/items",
                    headers={"Accept": "application/geo+json"}).mimetype == \
        "application/geo+json"


def test_html_views_escape_every_data_string(tmp_path: Path):
    app = create_app({"data_dir": write_hostile_dataset(tmp_path / "hostile"),
                      "reload_interval": 0.0})
    client = app.test_client()
    for url in ("/ogc?f=html", "/ogc/collections/places/items?f=html",
                "/ogc/collections/events/items?f=html",
                "/ogc/collections/control/items?f=html"):
        html = client.get(url).text
        for payload in PAYLOADS[:3]:
            assert payload not in html
        assert "&lt;" in html or url == "/ogc?f=html"


def test_parse_datetime_reads_instants_and_open_intervals():
    day = dt.date(2017, 10, 30)
    assert ogc.parse_datetime("2017-10-30") == ogc.Interval(day, day)
    assert ogc.parse_datetime("2017-10-30T00:30:00+01:00") == ogc.Interval(
        dt.date(2017, 10, 29), dt.date(2017, 10, 29))
    assert ogc.parse_datetime("../2017-10-30") == ogc.Interval(None, day)
    assert ogc.parse_datetime("../..") == ogc.Interval(None, None)
    assert ogc.parse_datetime(None) is None
    with pytest.raises(RequestError):
        ogc.parse_datetime("2017-10-30T10:00:00")  # a date-time needs its offset


def test_a_box_across_the_antimeridian_is_two_boxes():
    import numpy as np
    import shapely

    geoms = np.array([shapely.Point(179.5, 0), shapely.Point(-179.5, 0), shapely.Point(0, 0),
                      None], dtype=object)
    assert ogc._in_box(geoms, ogc.parse_bbox("179,-1,-179,1")).tolist() == [
        True, True, False, False]


_RFC3339_ISH = st.from_regex(
    r"\A(\.\.|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))?)?"
    r"(/(\.\.|\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2}))?)?)?\Z")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), _RFC3339_ISH))
def test_parse_datetime_answers_any_text_with_an_interval_or_a_request_error(text):
    try:
        interval = ogc.parse_datetime(text)
    except RequestError:
        return
    assert interval is None or interval.start is None or interval.end is None or \
        interval.start <= interval.end


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(
    st.floats(allow_nan=True, allow_infinity=True), max_size=7).map(
        lambda xs: ",".join(map(str, xs)))))
def test_parse_bbox_answers_any_text_with_a_box_or_a_request_error(text):
    try:
        box = ogc.parse_bbox(text)
    except RequestError:
        return
    assert box is None or (len(box) == 4 and box[1] <= box[3])
