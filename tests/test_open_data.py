"""The Atom feed, read back by a real feed parser, and the data package, opened as a zip."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import pytest

from mapapp import create_app
from mapapp.contract import EVENT_COLUMNS, EVENTS_FILE, FACTIONS_FILE, VIEWS_FILE
from tests.tiny_dataset import write_tiny_dataset

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def tiny(tiny_app):
    return tiny_app.test_client()


def test_the_feed_lists_changes_newest_first_with_their_sources(tiny):
    parsed = feedparser.parse(tiny.get("/feed.atom").data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    entries = parsed.entries
    # Every control event of the tiny data changes a state; the incident is not a change.
    assert len(entries) == 5
    dates = [e.published for e in entries]
    assert dates == sorted(dates, reverse=True)
    newest = entries[0]
    assert "contested" in newest.title and "→ held by Green" in newest.title
    related = [link for link in newest.links if link.rel == "related"]
    assert related and related[0].href.startswith("http")
    assert "date=2001-05-03" in newest.link
    assert all(e.get("updated") and e.id.startswith("urn:uuid:") for e in entries)
    feed = parsed.feed
    assert feed.id and feed.title and feed.updated and feed.author
    assert any(link.rel == "self" for link in feed.links)


def test_the_feed_holds_changes_only_not_confirmations(tmp_path: Path):
    directory = write_tiny_dataset(tmp_path / "tiny")
    with open(directory / EVENTS_FILE, "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow([
            "2001-05-04-west", "2001-05-04", "control", "west-square", "held", "green", "", "",
            "Green still holds the west square.", "A later report", "https://example.org/r",
            "2001-05-05", "confirmed", ""][:_width(directory)])
    client = create_app({"data_dir": directory, "reload_interval": 0.0}).test_client()
    titles = [e.title for e in feedparser.parse(client.get("/feed.atom").data).entries]
    assert not any("held by Green → held by Green" in t for t in titles)


def _width(directory: Path) -> int:
    with open(directory / EVENTS_FILE, encoding="utf-8") as fh:
        return len(next(csv.reader(fh)))


def test_feed_ids_and_bytes_are_stable_across_rebuilds(tmp_path: Path):
    bodies = []
    for n in range(2):
        directory = write_tiny_dataset(tmp_path / f"tiny{n}")
        client = create_app({"data_dir": directory, "reload_interval": 0.0}).test_client()
        bodies.append(client.get("/feed.atom").data)
    assert bodies[0] == bodies[1]
    ids = [e.findtext(f"{ATOM}id") for e in ET.fromstring(bodies[0]).iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))


def test_feed_filters_and_their_errors(tiny):
    harbour = feedparser.parse(tiny.get("/feed.atom?place=harbour").data)
    assert [e.title for e in harbour.entries] == ["Harbour: no data → held by Blue"]
    assert "Harbour" in harbour.feed.title
    green = feedparser.parse(tiny.get("/feed.atom?faction=green").data).entries
    assert green and all(any(t.term == "green" for t in e.tags) for e in green)
    for query in ("place=atlantis", "faction=red"):
        response = tiny.get(f"/feed.atom?{query}")
        assert response.status_code == 400
        assert response.get_json()["error"]["parameter"] == query.split("=")[0]


def test_the_map_page_announces_the_feed(tiny):
    html = tiny.get("/").text
    assert '<link rel="alternate" type="application/atom+xml"' in html


def test_the_data_package_describes_every_csv_column(tiny, tiny_dir):
    response = tiny.get("/export/dataset.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    package = json.loads(archive.read("datapackage.json"))
    resources = {r["path"]: r for r in package["resources"]}
    assert {"SOURCES.md", "places.geojson", EVENTS_FILE, FACTIONS_FILE, VIEWS_FILE} <= set(
        resources)
    assert set(archive.namelist()) == {"datapackage.json", *resources}
    for name in (EVENTS_FILE, FACTIONS_FILE, VIEWS_FILE):
        header = next(csv.reader(io.StringIO(archive.read(name).decode())))
        fields = resources[name]["schema"]["fields"]
        assert [f["name"] for f in fields] == header
        assert all(f["description"] and f["type"] for f in fields)
    described = {f["name"] for f in resources[EVENTS_FILE]["schema"]["fields"]}
    assert described <= set(EVENT_COLUMNS)
    assert package["licenses"][0]["path"] == "SOURCES.md"
    for name in resources:  # as shipped: byte for byte
        assert archive.read(name) == (tiny_dir / name).read_bytes()


def test_frictionless_finds_the_data_package_valid(tiny, tmp_path):
    import frictionless

    zipfile.ZipFile(io.BytesIO(tiny.get("/export/dataset.zip").data)).extractall(tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == len(json.loads((tmp_path / "datapackage.json")
                                               .read_text())["resources"])


def test_every_contract_column_has_a_type_and_a_meaning():
    from mapapp.datapackage import CONTRACT, FIELDS

    for name, columns in CONTRACT.items():
        assert list(FIELDS[name]) == list(columns), name
