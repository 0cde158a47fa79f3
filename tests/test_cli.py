"""The ``mapapp`` command through click's CliRunner: validate and add-event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mapapp.cli import main
from mapapp.dataset import load_dataset
from mapapp.fmt import format_directory


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- validate ----------------------------------------------------------------------------


def test_validate_a_clean_data_set_exits_0_with_its_warnings(runner, tiny_dir):
    result = runner.invoke(main, ["validate", str(tiny_dir)])
    assert result.exit_code == 0, result.output
    assert (f"{tiny_dir / 'places.geojson'}:1:id: warning: feature 'lost-village': place "
            "'lost-village' is never referenced by an event") in result.output
    assert f"{tiny_dir}: 0 error(s), 1 warning(s)" in result.output


def test_validate_errors_exit_1_like_a_compiler_with_a_hint(runner, tiny_dir):
    _edit(tiny_dir / "events.csv", "held,green", "held,gren")
    result = runner.invoke(main, ["validate", str(tiny_dir)])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    at = lines.index(f"{tiny_dir / 'events.csv'}:4:factions: error: unknown faction 'gren'")
    assert lines[at + 1] == (f"{tiny_dir / 'events.csv'}:4:factions: note: did you mean "
                             "'green'? known factions: 'blue', 'green'")
    assert f"{tiny_dir}: 1 error(s), 1 warning(s)" in result.output


def test_validate_json(runner, tiny_dir):
    _edit(tiny_dir / "events.csv", "held,green", "held,gren")
    result = runner.invoke(main, ["validate", "--format", "json", str(tiny_dir)])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    assert (doc["errors"], doc["warnings"]) == (1, 1)
    error, warning = sorted(doc["problems"], key=lambda p: p["severity"])
    assert warning["hint"] is None  # every problem has the same keys
    assert error == {"file": "events.csv", "line": 4, "column": "factions", "feature": None,
                     "severity": "error", "message": "unknown faction 'gren'",
                     "hint": "did you mean 'green'? known factions: 'blue', 'green'"}


def test_validate_defaults_to_mapapp_data_dir(runner, tiny_dir):
    _edit(tiny_dir / "events.csv", "held,green", "held,gren")
    result = runner.invoke(main, ["validate"], env={"MAPAPP_DATA_DIR": str(tiny_dir)})
    assert result.exit_code == 1, result.output
    assert "unknown faction 'gren'" in result.output


def test_validate_a_missing_directory(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 1, result.output
    assert f"{tmp_path / 'nope'}: error: data directory not found" in result.output


# --- add-event ---------------------------------------------------------------------------

EVENT = ["--date", "2001-05-04", "--place", "east-square", "--status", "held",
         "--factions", "blue", "--summary", "Blue takes the east square.",
         "--source-title", "Test report", "--source-url", "https://example.org/r",
         "--source-date", "2001-05-05"]


def add(runner, directory: Path, *args: str):
    return runner.invoke(main, ["add-event", "--data", str(directory), *args])


@pytest.fixture
def formatted(tiny_dir: Path) -> Path:
    format_directory(tiny_dir)
    return tiny_dir


def test_add_event_appends_a_valid_row_with_a_default_id(runner, formatted):
    result = add(runner, formatted, *EVENT)
    assert result.exit_code == 0, result.output
    assert (f"added event '2001-05-04-east-square' at {formatted / 'events.csv'}:8"
            in result.output)
    events = load_dataset(formatted).events
    row = events.loc["2001-05-04-east-square"]
    assert (row["date"], row["type"], row["status"], row["factions"], row["line"]) == (
        "2001-05-04", "control", "held", ("blue",), 8)
    assert row["confidence"] == "confirmed"  # the default, left empty in the file
    last = (formatted / "events.csv").read_text(encoding="utf-8").splitlines()[-1]
    assert last == ("2001-05-04-east-square,2001-05-04,control,east-square,held,blue,,,"
                    "Blue takes the east square.,Test report,https://example.org/r,"
                    "2001-05-05,,")
    assert format_directory(formatted, check=True) == []  # still canonical


def test_add_an_incident_with_an_id_a_location_and_a_claim(runner, formatted):
    result = add(runner, formatted, "--id", "2001-05-06-shelling", "--type", "incident",
                 "--date", "2001-05-06", "--factions", "green", "--lon", "10.31",
                 "--lat", "50.02", "--summary", "Shelling, east of the harbour.",
                 "--source-title", "A claim", "--source-url", "https://example.org/c",
                 "--source-date", "2001-05-06", "--confidence", "claimed",
                 "--notes", "Green denies it.")
    assert result.exit_code == 0, result.output
    row = load_dataset(formatted).events.loc["2001-05-06-shelling"]
    assert (row["lon"], row["lat"], row["confidence"], row["notes"]) == (
        10.31, 50.02, "claimed", "Green denies it.")
    assert row["summary"] == "Shelling, east of the harbour."


def test_add_event_keeps_crlf_files_consistent(runner, tiny_dir):
    """The tiny data set is written with CRLF (csv's default); the new row follows suit."""
    result = add(runner, tiny_dir, *EVENT)
    assert result.exit_code == 0, result.output
    data = (tiny_dir / "events.csv").read_bytes()
    assert data.endswith(b",2001-05-05,,\r\n") and data.count(b"\r\n") == 8


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--place", "east-squar"],
         "events.csv:8:place: error: unknown place 'east-squar'"),
        (["--factions", "blue;green"],
         "events.csv:8:factions: error: status 'held' needs exactly one faction, got 2 "
         "('blue;green')"),
        (["--date", "2001-05-02", "--id", "again"],
         "events.csv:8:date: error: second control event for place 'east-square' on "
         "2001-05-02 (the first is on line 5)"),
        (["--id", "2001-05-02-east"],
         "events.csv:8:id: error: duplicate id '2001-05-02-east' (first on line 5)"),
        (["--date", "4 May 2001", "--id", "x"],
         "events.csv:8:date: error: date '4 May 2001' is not a valid YYYY-MM-DD date"),
        (["--status", "taken"],
         "events.csv:8:status: error: status 'taken' is not one of 'held', 'contested', "
         "'joint'"),
        (["--source-url", "www.example.org"],
         "events.csv:8:source_url: error: source_url 'www.example.org' is not an http(s) URL"),
        (["--confidence", "sure"],
         "events.csv:8:confidence: error: confidence 'sure' is not one of 'confirmed', "
         "'claimed', 'disputed'"),
    ],
    ids=["unknown-place", "held-two", "same-day", "duplicate-id", "bad-date", "bad-status",
         "bad-url", "bad-confidence"],
)
def test_add_event_refuses_a_bad_row_and_leaves_the_file_alone(runner, formatted, args,
                                                                expected):
    before = (formatted / "events.csv").read_bytes()
    result = add(runner, formatted, *EVENT, *args)
    assert result.exit_code == 1, result.output
    assert f"{formatted / expected}" in result.output
    assert "not changed" in result.output
    assert (formatted / "events.csv").read_bytes() == before


def test_add_event_suggests_the_place_meant(runner, formatted):
    result = add(runner, formatted, *EVENT, "--place", "east-squar")
    assert (f"{formatted / 'events.csv'}:8:place: note: did you mean 'east-square' or "
            "'west-square'? known places: 'east-square', 'harbour', 'lost-village', "
            "'west-square'") in result.output


def test_a_future_event_is_added_with_a_warning(runner, formatted):
    result = add(runner, formatted, *EVENT, "--date", "2999-01-01", "--source-date",
                 "2999-01-01")
    assert result.exit_code == 0, result.output
    assert (f"{formatted / 'events.csv'}:8:date: warning: date 2999-01-01 is in the future"
            in result.output)
    assert "2999-01-01-east-square" in load_dataset(formatted).events.index


def test_add_event_dry_run_writes_nothing(runner, formatted):
    before = (formatted / "events.csv").read_bytes()
    result = add(runner, formatted, *EVENT, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "dry run: nothing written" in result.output
    assert (formatted / "events.csv").read_bytes() == before


def test_an_incident_without_place_needs_an_id(runner, formatted):
    result = add(runner, formatted, "--type", "incident", "--date", "2001-05-06",
                 "--summary", "x", "--source-title", "t", "--source-url", "https://e.org",
                 "--source-date", "2001-05-06")
    assert result.exit_code == 1, result.output
    assert "give --id" in result.output


def test_add_event_needs_a_column_for_each_value(runner, formatted):
    events = formatted / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines()
    # drop the optional notes column (the last one) from every line
    events.write_text("\n".join(line.rsplit(",", 1)[0] for line in lines) + "\n",
                      encoding="utf-8")
    result = add(runner, formatted, *EVENT, "--notes", "n")
    assert result.exit_code == 1, result.output
    assert "events.csv has no column 'notes': add it to the header first" in result.output


def test_add_event_does_not_blame_the_new_row_for_old_problems(runner, formatted):
    """A data set with an unrelated error still accepts a good event."""
    _edit(formatted / "views.csv", "overview,Everything,9.9", "overview,Everything,x")
    result = add(runner, formatted, *EVENT)
    assert result.exit_code == 0, result.output
    assert "2001-05-04-east-square" in (formatted / "events.csv").read_text(encoding="utf-8")


def test_add_event_refuses_when_the_data_set_does_not_parse(runner, formatted):
    """Validation cannot run on a data set with a syntax error: nothing can be vouched for."""
    views = formatted / "views.csv"
    views.write_text(views.read_text(encoding="utf-8") + "extra,row,with,too,many,fields,x\n",
                     encoding="utf-8")
    before = (formatted / "events.csv").read_bytes()
    result = add(runner, formatted, *EVENT)
    assert result.exit_code == 1, result.output
    assert (f"{formatted / 'views.csv'}:4: error: expected 6 fields as in the header, found 7"
            in result.output)
    assert (formatted / "events.csv").read_bytes() == before
