"""The export endpoints through Flask's test client: content types, decoded files, headers,
and a fast JSON 400 for every bad parameter. Two tests use the shipped data set."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
import shapely
from PIL import Image

from tests.image_support import pixel_of


@pytest.mark.parametrize(("url", "mimetype", "disposition"), [
    ("/export/snapshot.png?date=2001-05-02&view=west",
     "image/png", 'inline; filename="mapapp-2001-05-02-west.png"'),
    ("/export/snapshot.svg?date=2001-05-02", "image/svg+xml",
     'inline; filename="mapapp-2001-05-02-overview.svg"'),
    ("/export/snapshot.pdf?compare=2001-05-01&date=2001-05-03", "application/pdf",
     'inline; filename="mapapp-2001-05-01-to-2001-05-03-overview.pdf"'),
    ("/export/animation.gif?from=2001-05-01&to=2001-05-03&width=300&height=200",
     "image/gif", 'inline; filename="mapapp-2001-05-01-to-2001-05-03-overview.gif"'),
    ("/export/state.geojson?date=2001-05-02", "application/geo+json",
     'attachment; filename="mapapp-state-2001-05-02.geojson"'),
    ("/export/state.csv", "text/csv", 'attachment; filename="mapapp-state-2001-05-03.csv"'),
    ("/export/state.gpkg?date=2001-05-02", "application/geopackage+sqlite3",
     'attachment; filename="mapapp-state-2001-05-02.gpkg"'),
    ("/export/events.csv?from=2001-05-02", "text/csv",
     'attachment; filename="mapapp-events-2001-05-02.csv"'),
    ("/export/events.geojson", "application/geo+json",
     'attachment; filename="mapapp-events-all.geojson"'),
])
def test_every_export_has_its_type_name_and_attribution(tiny_client, url, mimetype,
                                                        disposition):
    response = tiny_client.get(url)
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"] == disposition
    assert response.headers["X-Attribution"] == "Tiny test data, no real places"
    assert response.headers["Link"] == '</sources>; rel="license"'
    magic = {"image/png": b"\x89PNG", "image/gif": b"GIF89a", "application/pdf": b"%PDF-",
             "application/geopackage+sqlite3": b"SQLite format 3\x00"}
    if mimetype in magic:
        assert response.data.startswith(magic[mimetype])


def test_snapshot_png_decodes_with_the_faction_colour(tiny_client):
    response = tiny_client.get("/export/snapshot.png?date=2001-05-03&view=west&labels=off"
                               "&width=640&height=480")
    image = Image.open(io.BytesIO(response.data))
    assert image.size == (640, 480)
    pixel = np.array(image.convert("RGB").getpixel(pixel_of(image, 10.03, 50.03)), float)
    green, sea = np.array([0x2e, 0x8b, 0x57], float), np.array([0xdd, 0xe6, 0xec], float)
    assert np.abs(pixel - (0.62 * green + 0.38 * sea)).max() <= 3


def test_state_geojson_names_the_sources_page_in_full(tiny_client):
    doc = tiny_client.get("/export/state.geojson?date=2001-05-02").get_json(force=True)
    assert doc["sources"] == "http://localhost/sources"
    assert doc["attribution"] == "Tiny test data, no real places"


def test_same_request_is_served_from_cache_and_revalidates(tiny_client):
    url = "/export/snapshot.png?date=2001-05-02&width=300&height=200"
    first = tiny_client.get(url)
    again = tiny_client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert tiny_client.get(url).data == first.data


@pytest.mark.parametrize(("url", "parameter", "words"), [
    ("/export/snapshot.jpg", "format", "'jpg' is not one of png, svg, pdf"),
    ("/export/snapshot.png?view=atlantis", "view", "unknown view 'atlantis'"),
    ("/export/snapshot.png?bbox=10.2,50,10.1,50.1", "bbox", "west 10.2 must be less than"),
    ("/export/snapshot.png?bbox=10,-91,11,50", "bbox", "Web Mercator"),
    ("/export/snapshot.png?width=12px", "width", "not a whole number"),
    ("/export/snapshot.svg?height=40000", "height", "200 to 4000"),
    ("/export/snapshot.png?width=99999999999999999999", "width", "not a whole number"),
    ("/export/snapshot.png?date=2001-02-29", "date", "not a valid date"),
    ("/export/snapshot.pdf?preset=billboard", "preset", "social, square, a4"),
    ("/export/snapshot.png?lang=de", "lang", "en, ar"),
    ("/export/snapshot.png?compare=2001-06-01&date=2001-05-01", "compare", "before"),
    ("/export/animation.gif?from=1965-03-01&step=day", "to", "at most 120"),
    ("/export/animation.gif?width=2000", "width", "200 to 1600"),
    ("/export/animation.png", "format", "'png' is not one of gif"),
    ("/export/state.shp", "format", "'shp' is not one of geojson, csv, gpkg"),
    ("/export/state.csv?date=soon", "date", "YYYY-MM-DD"),
    ("/export/events.gpkg", "format", "'gpkg' is not one of csv, geojson"),
    ("/export/events.csv?from=2001-05-03&to=2001-05-01", "from", "after"),
])
def test_bad_input_is_a_json_400(tiny_client, url, parameter, words):
    response = tiny_client.get(url)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["parameter"] == parameter and words in error["message"], error


def test_embed_page_is_the_map_without_the_timeline(tiny_client):
    response = tiny_client.get("/embed?date=2001-05-02&view=west")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert 'class="mapapp-embed"' in html and "embed.css" in html
    assert '"date": "2001-05-02"' in html or '"date":"2001-05-02"' in html
    assert 'href="/?date=2001-05-02&amp;view=west"' in html
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    with_controls = tiny_client.get("/embed?controls=1").get_data(as_text=True)
    assert 'class="mapapp-embed mapapp-embed-controls"' in with_controls
    assert tiny_client.get("/embed?controls=yes").status_code == 400
    assert tiny_client.get("/embed?view=atlantis").status_code == 400


def test_map_page_loads_the_share_dialog(tiny_client):
    html = tiny_client.get("/").get_data(as_text=True)
    assert "/static/share.js" in html and "/static/share.css" in html


# --- the shipped data set ------------------------------------------------------------


def test_kanamat_on_1_november_2017_is_drawn_in_the_government_colour(client, app):
    timeline = app.extensions["mapapp"].current().timeline
    factions = timeline.dataset.factions
    response = client.get("/export/snapshot.png?date=2017-11-01&view=deir-ez-zor-city"
                          "&labels=off")
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.data))
    point = shapely.point_on_surface(timeline.dataset.places.loc["kanamat"].geometry)
    pixel = np.array(image.convert("RGB").getpixel(pixel_of(image, point.x, point.y)), float)
    land = np.array([0xf6, 0xf4, 0xee], float)  # the countries layer under the places

    def expected(color: str) -> np.ndarray:
        rgb = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], float)
        return 0.62 * rgb + 0.38 * land

    distances = {fid: np.abs(pixel - expected(c)).max() for fid, c in factions["color"].items()}
    assert min(distances, key=distances.get) == "syrian-government", distances
    assert distances["syrian-government"] <= 4


def test_real_state_geojson_reads_back_with_every_place(client, app, tmp_path):
    import pyogrio

    timeline = app.extensions["mapapp"].current().timeline
    response = client.get("/export/state.geojson?date=2017-11-01")
    path = tmp_path / "state.geojson"
    path.write_bytes(response.data)
    frame = pyogrio.read_dataframe(path, read_geometry=False)
    doc = json.loads(response.data)
    ids = [f["id"] for f in doc["features"]]
    assert ids == list(timeline.dataset.places.index)
    state = timeline.state_at("2017-11-01")
    assert list(frame["status"]) == list(state.loc[ids, "status"])
    assert doc["attribution"] == timeline.dataset.credit
