"""Loading: a valid data set loads; a broken one is refused with file, line, column, value."""

from __future__ import annotations

import pytest

from mapapp.dataset import credit_line, load_dataset
from mapapp.errors import DataError


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _messages(tiny_dir):
    with pytest.raises(DataError) as info:
        load_dataset(tiny_dir)
    return [p.format() for p in info.value.problems]


def test_tiny_dataset_loads_with_frames_indexed_by_id(tiny_dir):
    ds = load_dataset(tiny_dir)
    assert list(ds.factions.index) == ["blue", "green"]
    assert ds.places.crs.to_epsg() == 4326
    assert ds.places.loc["lost-village", "geometry"] is None
    assert ds.events.loc["2001-05-01-west", "factions"] == ("blue", "green")
    assert ds.credit == "Tiny test data, no real places"
    assert len(ds.version) == 16


def test_unknown_place_names_file_line_column_and_value(tiny_dir):
    _edit(tiny_dir / "events.csv", "2001-05-03,control,west-square", "2001-05-03,control,wst")
    assert "events.csv:4:place: error: unknown place 'wst'" in _messages(tiny_dir)


def test_unknown_faction(tiny_dir):
    _edit(tiny_dir / "events.csv", "held,green", "held,purple")
    assert "events.csv:4:factions: error: unknown faction 'purple'" in _messages(tiny_dir)


def test_two_control_events_for_one_place_on_one_date(tiny_dir):
    _edit(tiny_dir / "events.csv", "2001-05-03-west,2001-05-03", "2001-05-03-west,2001-05-01")
    assert ("events.csv:4:date: error: second control event for place 'west-square' on "
            "2001-05-01 (the first is on line 3)") in _messages(tiny_dir)


def test_malformed_date(tiny_dir):
    _edit(tiny_dir / "events.csv", "2001-05-03-west,2001-05-03", "2001-05-03-west,2001-5-3")
    assert ("events.csv:4:date: error: date '2001-5-3' is not a valid YYYY-MM-DD date"
            in _messages(tiny_dir))


def test_status_needs_the_right_number_of_factions(tiny_dir):
    _edit(tiny_dir / "events.csv", "contested,blue;green", "contested,blue")
    assert ("events.csv:3:factions: error: status 'contested' needs two or more factions, "
            "got 1 ('blue')") in _messages(tiny_dir)


def test_source_must_be_http(tiny_dir):
    _edit(tiny_dir / "events.csv", "https://example.org/2001-05-03-west",
          "javascript:alert(1)")
    assert ("events.csv:4:source_url: error: source_url 'javascript:alert(1)' is not an "
            "http(s) URL") in _messages(tiny_dir)


def test_json_syntax_error_has_line_and_column(tiny_dir):
    (tiny_dir / "places.geojson").write_text('{"type": "FeatureCollection",\n "features": [}',
                                             encoding="utf-8")
    messages = _messages(tiny_dir)
    assert messages[0].startswith("places.geojson:2:15: error: JSON syntax")


def test_bad_place_geometry_names_the_feature(tiny_dir):
    _edit(tiny_dir / "places.geojson", "[10.35, 50.05]", "[310.35, 50.05]")
    assert any("feature 'harbour'" in m and "outside lon/lat range" in m
               for m in _messages(tiny_dir))


def test_credit_line_is_read_from_sources():
    assert credit_line("# Sources\n\n**Credit: OCHA, Natural Earth**\n") == "OCHA, Natural Earth"
    assert credit_line("# nothing") == "Data: see SOURCES.md"


def test_csv_syntax_error_in_the_header_row_is_a_problem_not_a_crash(tiny_dir):
    path = tiny_dir / "factions.csv"
    path.write_text('"id"x,name\n' + path.read_text(encoding="utf-8").split("\n", 1)[1],
                    encoding="utf-8")
    assert any(m.startswith("factions.csv:1: error: CSV syntax") for m in _messages(tiny_dir))
