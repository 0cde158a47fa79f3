"""A corpus of broken data sets, one defect each, built from the tiny data set by small
edits. Each asserts the exact compiler-style line: file:line:column: severity: message.

The base is the tiny data set after ``mapapp fmt``: one place per line in places.geojson
(west-square on line 2, east-square 3, harbour 4, lost-village 5), events on lines 2-7
in the order of tests/tiny_dataset.py, factions blue 2 and green 3, views 2-3.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mapapp.dataset import check_directory
from mapapp.fmt import format_directory
from mapapp.validate import Finding

TODAY = dt.date(2024, 1, 1)
Edit = Callable[[Path], None]


@pytest.fixture
def base(tiny_dir: Path) -> Path:
    format_directory(tiny_dir)
    return tiny_dir


def messages(directory: Path) -> list[str]:
    return [p.format() for p in check_directory(directory, today=TODAY)]


def sub(name: str, old: str, new: str, count: int = 1) -> Edit:
    """Replace the first ``count`` occurrences of ``old`` in one file; fail if absent."""

    def edit(directory: Path) -> None:
        path = directory / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) >= count, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return edit


def edit_place(place_id: str, change: Callable[[dict], None]) -> Edit:
    """Change one feature of places.geojson, keeping one feature per line."""

    def edit(directory: Path) -> None:
        path = directory / "places.geojson"
        lines = path.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines):
            if f'"id": "{place_id}"' in line:
                comma = line.endswith(",")
                feature = json.loads(line.rstrip(","))
                change(feature)
                lines[i] = json.dumps(feature, ensure_ascii=False) + ("," if comma else "")
                break
        else:
            raise AssertionError(f"no feature {place_id!r}")
        path.write_text("\n".join(lines), encoding="utf-8")

    return edit


def set_props(place_id: str, **props: object) -> Edit:
    return edit_place(place_id, lambda f: f["properties"].update(props))


def set_geometry(place_id: str, geometry: object) -> Edit:
    return edit_place(place_id, lambda f: f.__setitem__("geometry", geometry))


def set_member(place_id: str, key: str, value: object) -> Edit:
    return edit_place(place_id, lambda f: f.__setitem__(key, value))


def write(name: str, content: str | bytes) -> Edit:
    def edit(directory: Path) -> None:
        path = directory / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return edit


def remove(name: str) -> Edit:
    return lambda directory: (directory / name).unlink()


def both(*edits: Edit) -> Edit:
    def edit(directory: Path) -> None:
        for e in edits:
            e(directory)

    return edit


def polygon(*ring: tuple[float, float]) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


WEST_CW = polygon((10.0, 50.0), (10.0, 50.1), (10.1, 50.1), (10.1, 50.0), (10.0, 50.0))
BOWTIE = polygon((10.0, 50.0), (10.1, 50.1), (10.1, 50.0), (10.0, 50.1), (10.0, 50.0))
OPEN_RING = polygon((10.0, 50.0), (10.1, 50.0), (10.1, 50.1), (10.0, 50.1))
TWO_POINT_RING = polygon((10.0, 50.0), (10.1, 50.0), (10.0, 50.0))
# east-square moved onto the east half of west-square
EAST_OVERLAPPING = polygon((10.05, 50.0), (10.15, 50.0), (10.15, 50.1), (10.05, 50.1),
                           (10.05, 50.0))
# east-square stretched 0.00001° (0.7 m) over west-square: a digitising sliver of about
# 0.008 km², under the 0.01 km² tolerance
EAST_SLIVER = polygon((10.09999, 50.0), (10.3, 50.0), (10.3, 50.1), (10.09999, 50.1),
                      (10.09999, 50.0))

E = "events.csv"
EVENTS_HEADER = ("id,date,type,place,status,factions,lon,lat,summary,source_title,"
                 "source_url,source_date,confidence,notes")

CORPUS: list[tuple[str, Edit, str]] = [
    # --- syntax --------------------------------------------------------------------------
    ("csv-extra-field", sub(E, "Green takes the west square.,", "Green takes, the west,"),
     "events.csv:4: error: expected 14 fields as in the header, found 15"),
    ("csv-unclosed-quote", sub(E, "A strike near the harbour.", '"A strike near the harbour.'),
     "events.csv:7: error: CSV syntax: unexpected end of data"),
    ("csv-not-utf8", write("factions.csv", b"id,name,short_name,color,description\n"
                                           b"blue,Bl\xe9,B,#1f5fbf,x\n"),
     "factions.csv:2: error: not valid UTF-8 (invalid continuation byte)"),
    ("csv-empty-file", write("views.csv", ""),
     "views.csv:1: error: file is empty: a header row is required"),
    ("csv-missing-file", remove("views.csv"), "views.csv: error: file is missing"),
    ("sources-missing", remove("SOURCES.md"),
     "SOURCES.md: error: file is missing: provenance is required"),
    ("json-syntax", sub("places.geojson", '"kind": "port",', '"kind": "port"'),
     "places.geojson:4:104: error: JSON syntax: Expecting ',' delimiter"),
    ("json-not-a-collection", sub("places.geojson", '"type": "FeatureCollection"',
                                  '"type": "GeometryCollection"'),
     "places.geojson:1: error: top level must be a GeoJSON FeatureCollection"),
    # --- headers -------------------------------------------------------------------------
    ("missing-column", sub(E, EVENTS_HEADER, EVENTS_HEADER.replace("summary", "summry")),
     "events.csv:1: error: missing column(s) 'summary' in the header"),
    ("duplicate-column", sub("views.csv", "id,name,west,south,east,north",
                             "id,name,west,south,east,west"),
     "views.csv:1: error: duplicate column(s) 'west' in the header"),
    # --- factions ------------------------------------------------------------------------
    ("faction-duplicate-id", sub("factions.csv", "green,Green Union", "blue,Green Union"),
     "factions.csv:3:id: error: duplicate id 'blue' (first on line 2)"),
    ("faction-bad-color", sub("factions.csv", "#2e8b57", "#2e8b5"),
     "factions.csv:3:color: error: color '#2e8b5' is not of the form #rrggbb"),
    ("faction-same-color", sub("factions.csv", "#2e8b57", "#1F5FBF"),
     "factions.csv:3:color: warning: color '#1F5FBF' is also the color of faction 'blue' "
     "(line 2)"),
    ("faction-empty-name", sub("factions.csv", "green,Green Union", "green,"),
     "factions.csv:3:name: error: name is empty"),
    # --- places: RFC 7946 ----------------------------------------------------------------
    ("crs-member", sub("places.geojson", '{"type": "FeatureCollection",',
                       '{"type": "FeatureCollection", "crs": {"type": "name"},'),
     "places.geojson:1:crs: error: the 'crs' member is not allowed by RFC 7946: write lon/lat "
     "WGS84 and remove it"),
    ("lon-out-of-range", set_geometry("harbour", {"type": "Point",
                                                  "coordinates": [310.35, 50.05]}),
     "places.geojson:4:geometry: error: feature 'harbour': coordinate (310.35, 50.05) is "
     "outside lon/lat range; RFC 7946 wants WGS84 longitude, latitude"),
    ("lat-out-of-range", set_geometry("harbour", {"type": "Point",
                                                  "coordinates": [10.35, 95.0]}),
     "places.geojson:4:geometry: error: feature 'harbour': coordinate (10.35, 95.0) is "
     "outside lon/lat range; RFC 7946 wants WGS84 longitude, latitude"),
    ("projected-coordinates", set_geometry("harbour", {"type": "Point",
                                                       "coordinates": [612345.0, 5543210.0]}),
     "places.geojson:4:geometry: error: feature 'harbour': coordinate (612345.0, 5543210.0) "
     "is outside lon/lat range and looks projected (metres, not degrees); RFC 7946 wants "
     "WGS84 longitude, latitude: re-import the shapes with `mapapp import-places FILE "
     "--from-crs EPSG:<code>`"),
    ("clockwise-exterior", set_geometry("west-square", WEST_CW),
     "places.geojson:2:geometry: warning: feature 'west-square': exterior ring of polygon 1 "
     "is clockwise; RFC 7946 wants exterior rings counterclockwise and holes clockwise "
     "(`mapapp fmt` fixes this)"),
    ("ring-not-closed", set_geometry("west-square", OPEN_RING),
     "places.geojson:2:geometry: error: feature 'west-square': ring 1 of polygon 1 is not "
     "closed: it starts at [10.0, 50.0] and ends at [10.0, 50.1] (repeat the first position "
     "at the end)"),
    ("ring-too-short", set_geometry("west-square", TWO_POINT_RING),
     "places.geojson:2:geometry: error: feature 'west-square': ring 1 of polygon 1 has 3 "
     "positions; a closed ring needs at least 4"),
    ("self-intersection", set_geometry("west-square", BOWTIE),
     "places.geojson:2:geometry: error: feature 'west-square': invalid geometry: "
     "Self-intersection[10.05 50.05]"),
    ("geometry-type", set_geometry("harbour", {"type": "GeometryCollection",
                                               "geometries": []}),
     "places.geojson:4:geometry: error: feature 'harbour': geometry type "
     "'GeometryCollection' is not one of 'Point', 'MultiPoint', 'LineString', "
     "'MultiLineString', 'Polygon', 'MultiPolygon'"),
    ("feature-type", set_member("harbour", "type", "Place"),
     "places.geojson:4:type: error: feature 'harbour': feature #2: type 'Place' must be "
     "'Feature'"),
    # --- places: contract ----------------------------------------------------------------
    ("place-duplicate-id", set_member("east-square", "id", "west-square"),
     "places.geojson:3:id: error: feature 'west-square': duplicate place id 'west-square'"),
    ("place-id-not-slug", set_member("lost-village", "id", "Lost Village"),
     "places.geojson:5:id: error: feature 'Lost Village': feature #3: id 'Lost Village' must "
     "be a slug of lower-case letters, digits and '-'"),
    ("place-id-missing", edit_place("lost-village", lambda f: f.pop("id")),
     "places.geojson:5:id: error: feature #3: id None must be a slug of lower-case letters, "
     "digits and '-'"),
    ("place-no-name", set_props("harbour", name=" "),
     "places.geojson:4:name: error: feature 'harbour': property 'name' is required"),
    ("place-no-kind", set_props("harbour", kind=None),
     "places.geojson:4:kind: error: feature 'harbour': property 'kind' is required"),
    ("place-bad-country", set_props("harbour", country="Xx"),
     "places.geojson:4:country: error: feature 'harbour': country 'Xx' must be an ISO 3166-1 "
     "alpha-2 code such as 'SY'"),
    ("place-bad-quality", set_props("harbour", geometry_quality="exact"),
     "places.geojson:4:geometry_quality: error: feature 'harbour': geometry_quality 'exact' "
     "is not one of 'official', 'derived', 'point', 'unknown'"),
    ("place-no-source", set_props("harbour", geometry_source=""),
     "places.geojson:4:geometry_source: error: feature 'harbour': property 'geometry_source' "
     "is required: say where the shape comes from"),
    ("place-null-geometry-not-unknown", set_props("lost-village", geometry_quality="derived"),
     "places.geojson:5:geometry: error: feature 'lost-village': geometry is null but "
     "geometry_quality is 'derived' (use 'unknown')"),
    ("place-unknown-with-geometry", set_props("harbour", geometry_quality="unknown"),
     "places.geojson:4:geometry: error: feature 'harbour': geometry_quality 'unknown' "
     "requires a null geometry"),
    ("place-point-quality-polygon", set_props("west-square", geometry_quality="point"),
     "places.geojson:2:geometry: error: feature 'west-square': geometry_quality 'point' "
     "requires a Point"),
    ("place-unknown-parent", set_props("harbour", parent="east-squar"),
     "places.geojson:4:parent: error: feature 'harbour': parent 'east-squar' is not a place "
     "id"),
    ("place-parent-loop", both(set_props("west-square", parent="east-square"),
                               set_props("east-square", parent="west-square")),
     "places.geojson:2:parent: error: feature 'west-square': parent chain loops: "
     "west-square -> east-square -> west-square"),
    ("places-overlap", set_geometry("east-square", EAST_OVERLAPPING),
     "places.geojson:3:geometry: warning: feature 'east-square': overlaps place "
     "'west-square' (both of kind 'district') by 39.83 km² around (10.0750, 50.0500)"),
    ("place-never-referenced", both(sub(E, "2001-05-02,control,harbour",
                                        "2001-05-02,control,lost-village"),
                                    sub(E, "incident,harbour,", "incident,,")),
     "places.geojson:4:id: warning: feature 'harbour': place 'harbour' is never referenced "
     "by an event"),
    # --- events --------------------------------------------------------------------------
    ("event-unknown-place", sub(E, "2001-05-03,control,west-square", "2001-05-03,control,wst"),
     "events.csv:4:place: error: unknown place 'wst'"),
    ("event-unknown-faction", sub(E, "held,green", "held,purple"),
     "events.csv:4:factions: error: unknown faction 'purple'"),
    ("event-faction-twice", sub(E, "joint,blue;green", "joint,blue;blue"),
     "events.csv:5:factions: error: faction listed twice in 'blue;blue'"),
    ("held-two-factions", sub(E, "held,green", "held,green;blue"),
     "events.csv:4:factions: error: status 'held' needs exactly one faction, got 2 "
     "('green;blue')"),
    ("contested-one-faction", sub(E, "contested,blue;green", "contested,blue"),
     "events.csv:3:factions: error: status 'contested' needs two or more factions, got 1 "
     "('blue')"),
    ("joint-no-faction", sub(E, "joint,blue;green", "joint,"),
     "events.csv:5:factions: error: status 'joint' needs two or more factions, got 0 ('')"),
    ("bad-status", sub(E, "joint,blue;green", "shared,blue;green"),
     "events.csv:5:status: error: status 'shared' is not one of 'held', 'contested', 'joint'"),
    ("bad-type", sub(E, ",incident,", ",strike,"),
     "events.csv:7:type: error: type 'strike' is not one of 'control', 'incident'"),
    ("control-without-place", sub(E, "2001-05-02,control,harbour", "2001-05-02,control,"),
     "events.csv:6:place: error: a control event needs a place"),
    ("two-controls-one-day", sub(E, "2001-05-03-west,2001-05-03", "2001-05-03-west,2001-05-01"),
     "events.csv:4:date: error: second control event for place 'west-square' on 2001-05-01 "
     "(the first is on line 3)"),
    ("date-malformed", sub(E, "2001-05-03-west,2001-05-03", "2001-05-03-west,03/05/2001"),
     "events.csv:4:date: error: date '03/05/2001' is not a valid YYYY-MM-DD date"),
    ("date-impossible", sub(E, "2001-05-03-west,2001-05-03", "2001-05-03-west,2001-02-30"),
     "events.csv:4:date: error: date '2001-02-30' is not a valid YYYY-MM-DD date"),
    ("date-in-future", sub(E, "2001-05-02,incident", "2099-05-02,incident"),
     "events.csv:7:date: warning: date 2099-05-02 is in the future"),
    ("event-duplicate-id", sub(E, "2001-05-02-strike,", "2001-05-02-harbour,"),
     "events.csv:7:id: error: duplicate id '2001-05-02-harbour' (first on line 6)"),
    ("event-id-not-slug", sub(E, "2001-05-02-strike,", "2001_05_02 strike,"),
     "events.csv:7:id: error: id '2001_05_02 strike' must be a slug of lower-case letters, "
     "digits and '-'"),
    ("incident-with-status", sub(E, "incident,harbour,,", "incident,harbour,held,"),
     "events.csv:7:status: warning: status 'held' is ignored on an incident: use type "
     "'control' for a change of control"),
    ("lon-without-lat", sub(E, "green,,,A strike", "green,10.36,,A strike"),
     "events.csv:7:lat: error: give both lon and lat, or neither"),
    ("event-lon-out-of-range", sub(E, "green,,,A strike", "green,190,50.1,A strike"),
     "events.csv:7:lon: error: lon '190' is not a longitude in [-180, 180]"),
    ("bad-confidence", sub(E, "confirmed", "certain"),
     "events.csv:2:confidence: error: confidence 'certain' is not one of 'confirmed', "
     "'claimed', 'disputed'"),
    ("no-summary", sub(E, "A strike near the harbour.", ""),
     "events.csv:7:summary: error: summary is empty: say what happened"),
    ("no-source-title", sub(E, "Test report 2001-05-02-strike", ""),
     "events.csv:7:source_title: error: source_title is empty: every event cites a source"),
    ("source-url-not-http", sub(E, "https://example.org/2001-05-02-strike",
                                "example.org/strike"),
     "events.csv:7:source_url: error: source_url 'example.org/strike' is not an http(s) URL"),
    ("source-date-malformed", sub(E, "2001-05-02-strike,2001-05-02,confirmed",
                                  "2001-05-02-strike,May 2001,confirmed"),
     "events.csv:7:source_date: error: source_date 'May 2001' is not a valid YYYY-MM-DD date"),
    ("source-before-event", sub(E, "2001-05-02-strike,2001-05-02,confirmed",
                                "2001-05-02-strike,2001-04-30,confirmed"),
     "events.csv:7:source_date: warning: source_date 2001-04-30 is before the event date "
     "2001-05-02: a report cannot confirm a change that had not happened yet"),
    # --- views ---------------------------------------------------------------------------
    ("view-west-east-swapped", sub("views.csv", "west,West square,9.98,49.98,10.12,50.12",
                                   "west,West square,10.12,49.98,9.98,50.12"),
     "views.csv:3:west: error: need -180 <= west < east <= 180, got west=10.12, east=9.98"),
    ("view-not-a-number", sub("views.csv", "overview,Everything,9.9", "overview,Everything,x"),
     "views.csv:2:west: error: west 'x' is not a number"),
    ("view-duplicate-id", sub("views.csv", "west,West square", "overview,West square"),
     "views.csv:3:id: error: duplicate id 'overview' (first on line 2)"),
]


def test_the_base_is_clean_but_for_one_unreferenced_place(base):
    assert messages(base) == [
        "places.geojson:5:id: warning: feature 'lost-village': place 'lost-village' is never "
        "referenced by an event"
    ]


def test_the_corpus_is_large_and_names_are_unique():
    names = [name for name, _, _ in CORPUS]
    assert len(names) >= 30 and len(set(names)) == len(names)


@pytest.mark.parametrize(("name", "edit", "expected"), CORPUS, ids=[c[0] for c in CORPUS])
def test_each_defect_is_reported_exactly(base, name, edit, expected):
    before = messages(base)
    edit(base)
    found = messages(base)
    assert expected in found, "\n".join(found)
    assert expected not in before  # the edit, not the base, caused it


def test_a_missing_directory_is_one_error(tmp_path):
    missing = tmp_path / "nowhere"
    assert messages(missing) == [f"{missing}: error: data directory not found"]


def test_an_overlap_below_the_sliver_tolerance_is_ignored(base):
    set_geometry("east-square", EAST_SLIVER)(base)
    assert not [m for m in messages(base) if "overlaps" in m]


def test_unknown_ids_come_with_a_hint_naming_close_and_allowed_values(base):
    sub(E, "2001-05-03,control,west-square", "2001-05-03,control,west-sqare")(base)
    sub(E, "held,green", "held,gren")(base)
    hints = {p.column: p.hint for p in check_directory(base, today=TODAY)
             if isinstance(p, Finding)}
    assert hints == {
        "place": "did you mean 'west-square' or 'east-square'? known places: "
                 "'east-square', 'harbour', 'lost-village', 'west-square'",
        "factions": "did you mean 'green'? known factions: 'blue', 'green'",
    }


def test_an_id_left_in_the_properties_gets_a_hint(base):
    """QGIS and GDAL write the id as a property unless told ID_FIELD=id."""
    def move_id(feature: dict) -> None:
        feature["properties"]["id"] = feature.pop("id")

    edit_place("harbour", move_id)(base)
    problem = next(p for p in check_directory(base, today=TODAY) if p.line == 4)
    assert problem.format() == ("places.geojson:4:id: error: feature #2: id None must be a "
                                "slug of lower-case letters, digits and '-'")
    assert problem.hint == ("the property 'id' is 'harbour': make it the Feature's id "
                            "(export with the GDAL layer option ID_FIELD=id, or use "
                            "`mapapp import-places`)")


def test_a_duplicate_place_cites_its_own_line_not_the_first(base):
    """Lines come from the position of each feature, not from a search for its id."""
    set_member("harbour", "id", "west-square")(base)
    found = messages(base)
    assert ("places.geojson:4:id: error: feature 'west-square': duplicate place id "
            "'west-square'") in found


def test_lines_are_found_in_a_pretty_printed_file_too(base):
    path = base / "places.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][2]["properties"]["country"] = "Xx"
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    line = next(i for i, text in enumerate(path.read_text().splitlines(), start=1)
                if '"id": "harbour"' in text)
    assert (f"places.geojson:{line}:country: error: feature 'harbour': country 'Xx' must be "
            "an ISO 3166-1 alpha-2 code such as 'SY'") in messages(base)


def test_the_corpus_can_be_rebuilt_from_a_fresh_copy(base, tmp_path):
    """Guards the corpus itself: each edit applies to the base (no edit silently no-ops)."""
    for name, edit, _ in CORPUS:
        copy = tmp_path / name
        shutil.copytree(base, copy)
        before = {p.name: p.read_bytes() for p in copy.iterdir()}
        edit(copy)
        after = {p.name: p.read_bytes() for p in copy.iterdir()}
        assert before != after, name


WEIRD_VALUES = [None, 0, 1.5, True, "", "x", [], ["a"], {}, {"a": 1}, [[1, 2]], [1, "a"]]
FEATURE_PATHS = [("id",), ("type",), ("geometry",), ("properties",), ("geometry", "type"),
                 ("geometry", "coordinates"), *(("properties", key) for key in (
                     "name", "name_ar", "kind", "parent", "country", "geometry_quality",
                     "geometry_source"))]


def test_any_json_value_anywhere_in_a_place_is_reported_never_raised(base, tmp_path):
    """The validator guards the site: whatever it passes must load, whatever it does not
    must come back as problems, never as an exception."""
    from mapapp.dataset import load_dataset
    from mapapp.fmt import FormatError

    lines = (base / "places.geojson").read_text(encoding="utf-8").split("\n")
    original = json.loads(lines[1].rstrip(","))
    loaded = 0
    for path in FEATURE_PATHS:
        for value in WEIRD_VALUES:
            feature = json.loads(json.dumps(original))
            target = feature
            for key in path[:-1]:
                target = target[key]
            target[path[-1]] = value
            copy = tmp_path / "case"
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(base, copy)
            (copy / "places.geojson").write_text(
                "\n".join([lines[0], json.dumps(feature) + ",", *lines[2:]]), encoding="utf-8")
            problems = check_directory(copy, today=TODAY)
            if not [p for p in problems if p.severity == "error"]:
                load_dataset(copy)
                loaded += 1
            try:
                format_directory(copy)
            except FormatError:
                continue
            assert format_directory(copy) == [], (path, value)
    assert loaded > 0  # some values (a null name_ar, say) are fine
