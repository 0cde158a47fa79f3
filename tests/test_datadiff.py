"""``mapapp diff`` on real edits of a copy of the shipped data: an event moved, a status
changed, an event added, a place dropped, a broken file, a git revision, and the change map
opened with Pillow. The events edited are picked by rule from the copy (the shipped data
grows), and what the diff must say is worked out from the CSV rows, not from the engine."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from shapely.geometry import Point

from mapapp.cli import main
from mapapp.datadiff import diff_timelines
from mapapp.dataset import load_dataset
from mapapp.style import CONTEXT_STYLES, FILL_OPACITY
from mapapp.timeline import Timeline
from tests.image_support import pixel_of

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(directory: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(directory / "events.csv", newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write_rows(directory: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    with open(directory / "events.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)


def _control_by_place(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for row in sorted((r for r in rows if r["type"] == "control"), key=lambda r: r["date"]):
        out.setdefault(row["place"], []).append(row)
    return out


def _state(row: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    return row["status"], tuple(f for f in row["factions"].split(";") if f)


def _day_before(iso: str, days: int = 1) -> str:
    return (dt.date.fromisoformat(iso) - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DATA, tmp_path / "data"))


def _diff(runner, old: Path, new: Path, *args: str):
    return runner.invoke(main, ["diff", str(old), str(new), *args])


# --- the edits ---------------------------------------------------------------------------


def test_an_event_moved_earlier_changes_exactly_the_days_in_between(runner, copy):
    header, rows = _rows(copy)
    # A control event whose place held a different state for at least 3 days before it.
    moved = prev = None
    for events in _control_by_place(rows).values():
        for before, after in zip(events, events[1:], strict=False):
            gap = dt.date.fromisoformat(after["date"]) - dt.date.fromisoformat(before["date"])
            if _state(before) != _state(after) and gap.days >= 3:
                moved, prev = after, before
    assert moved is not None, "the shipped data has no change of hands to move"
    old_date = moved["date"]
    moved["date"] = _day_before(old_date, 2)
    _write_rows(copy, header, rows)

    result = _diff(runner, DATA, copy, "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [(r["place"], r["start"], r["end"]) for r in report["ranges"]] == [
        (moved["place"], moved["date"], _day_before(old_date))]
    (change,) = report["ranges"]
    assert [e["id"] for e in change["old"]["events"]] == [prev["id"]]
    assert [e["id"] for e in change["new"]["events"]] == [moved["id"]]
    assert change["new"]["events"][0]["source_title"] == moved["source_title"]
    assert change["old"]["events"][0]["source_title"] == prev["source_title"]
    assert (change["old"]["status"], tuple(change["old"]["factions"])) == _state(prev)
    assert (change["new"]["status"], tuple(change["new"]["factions"])) == _state(moved)
    assert report["events_edited"] == [{"id": moved["id"], "fields": ["date"]}]
    assert report["most_affected"] == moved["date"]
    assert report["most_affected_places"] == [moved["place"]]

    text = _diff(runner, DATA, copy)
    assert text.exit_code == 1
    assert f"  {moved['date']} to {_day_before(old_date)}: " in text.stdout
    assert f"    before: {prev['id']} ({prev['date']}) \"{prev['source_title']}\"" in text.stdout
    assert f"    after: {moved['id']} ({moved['date']}) \"{moved['source_title']}\"" \
        in text.stdout
    assert f"Events edited (1): {moved['id']} (date)" in text.stdout


def test_a_confidence_changed_runs_until_the_next_report_of_the_place(runner, copy):
    header, rows = _rows(copy)
    by_place = _control_by_place(rows)
    place, events = next((p, ev) for p, ev in by_place.items() if len(ev) >= 2 and
                         ev[0]["confidence"] in ("", "confirmed"))
    first, second = events[0], events[1]
    first["confidence"] = "disputed"
    _write_rows(copy, header, rows)
    report = json.loads(_diff(runner, DATA, copy, "--format", "json").stdout)
    assert [(r["place"], r["start"], r["end"]) for r in report["ranges"]] == [
        (place, first["date"], _day_before(second["date"]))]
    change = report["ranges"][0]
    assert change["old"]["confidence"] == "confirmed"
    assert change["new"]["confidence"] == "disputed"
    assert change["old"]["factions"] == change["new"]["factions"]
    assert [e["id"] for e in change["new"]["events"]] == [first["id"]]
    assert report["events_edited"] == [{"id": first["id"], "fields": ["confidence"]}]


def _add_takeover(copy: Path) -> tuple[dict[str, str], dict[str, str], str]:
    """A control event for the largest place with a later state, five days after its last
    report, held by another faction. Returns (added row, last row, the new holder)."""
    header, rows = _rows(copy)
    areas = Timeline(load_dataset(copy)).areas_km2
    by_place = _control_by_place(rows)
    place = max(by_place, key=lambda p: areas[p])
    last = by_place[place][-1]
    with open(copy / "factions.csv", newline="", encoding="utf-8") as fh:
        factions = [r["id"] for r in csv.DictReader(fh)]
    holder = next(f for f in factions if f not in _state(last)[1])
    added = dict(last)
    day = (dt.date.fromisoformat(max(r["date"] for r in rows)) + dt.timedelta(days=5))
    added |= {"id": f"{day.isoformat()}-{place}-test-edit", "date": day.isoformat(),
              "status": "held", "factions": holder, "confidence": "claimed",
              "source_date": day.isoformat(), "notes": "",
              "summary": "A takeover written by a test, never shipped."}
    rows.append(added)
    _write_rows(copy, header, rows)
    return added, last, holder


def test_an_added_event_changes_its_place_from_its_date_on(runner, copy):
    added, last, _ = _add_takeover(copy)
    result = _diff(runner, DATA, copy, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [(r["place"], r["start"], r["end"]) for r in report["ranges"]] == [
        (added["place"], added["date"], None)]
    change = report["ranges"][0]
    assert [e["id"] for e in change["old"]["events"]] == [last["id"]]
    assert [e["id"] for e in change["new"]["events"]] == [added["id"]]
    assert report["events_added"] == [added["id"]]
    text = _diff(runner, DATA, copy).stdout
    assert f"  from {added['date']} on: " in text
    assert f"Events added (1): {added['id']}" in text


def test_a_dropped_place_is_no_data_from_its_first_report(runner, copy):
    header, rows = _rows(copy)
    by_place = _control_by_place(rows)
    place = next(p for p, ev in by_place.items() if len(ev) >= 2)
    dropped = [r["id"] for r in rows if r["place"] == place]
    _write_rows(copy, header, [r for r in rows if r["place"] != place])
    doc = json.loads((copy / "places.geojson").read_text(encoding="utf-8"))
    doc["features"] = [f for f in doc["features"] if f["id"] != place]
    (copy / "places.geojson").write_text(json.dumps(doc), encoding="utf-8")

    report = json.loads(_diff(runner, DATA, copy, "--format", "json").stdout)
    assert report["places_removed"] == [place]
    assert sorted(report["events_removed"]) == sorted(dropped)
    ranges = report["ranges"]
    assert {r["place"] for r in ranges} == {place}
    assert ranges[0]["start"] == by_place[place][0]["date"]
    assert all(r["new"]["status"] == "no-data" and r["new"]["events"] == [] for r in ranges)
    # One range per distinct state the place went through, back to back, the last open.
    assert [r["end"] for r in ranges[:-1]] == [_day_before(r["start"]) for r in ranges[1:]]
    assert ranges[-1]["end"] is None


def test_no_change_exits_0(runner, copy):
    result = _diff(runner, DATA, copy)
    assert result.exit_code == 0, result.output
    assert "No differences." in result.stdout
    assert diff_timelines(Timeline(load_dataset(DATA)), Timeline(load_dataset(copy))).ranges \
        == []


def test_invalid_data_exits_2_with_file_line_and_reason_on_stderr(runner, copy):
    header, rows = _rows(copy)
    rows[2]["date"] = "2017-13-45"
    _write_rows(copy, header, rows)
    result = _diff(runner, DATA, copy)
    assert result.exit_code == 2
    assert f"{copy / 'events.csv'}:4:date: error:" in result.stderr, result.stderr
    assert "not valid data: nothing compared" in result.stderr
    assert "Comparing" not in result.stdout


def test_usage_needs_two_directories_or_git(runner, copy):
    result = runner.invoke(main, ["diff", str(copy)])
    assert result.exit_code == 2
    assert "give two data directories" in result.stderr


# --- git ---------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=test", "-c",
                    "user.email=test@example.org", *args], check=True, capture_output=True)


def test_git_head_against_the_working_tree(runner, tmp_path):
    repo = tmp_path / "repo"
    data = Path(shutil.copytree(DATA, repo / "data"))
    _git(repo, "init", "-q")
    _git(repo, "add", "data")
    _git(repo, "commit", "-q", "-m", "data")
    clean = runner.invoke(main, ["diff", "--git", "HEAD", str(data)])
    assert clean.exit_code == 0, clean.output
    assert "Comparing HEAD:" in clean.stdout and "No differences." in clean.stdout

    added, _, _ = _add_takeover(data)
    result = runner.invoke(main, ["diff", "--git", "HEAD", str(data), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["events_added"] == [added["id"]]
    assert report["old"] == f"HEAD:{data}"
    bad = runner.invoke(main, ["diff", "--git", "no-such-rev", str(data)])
    assert bad.exit_code == 2 and "no-such-rev" in bad.stderr

    # A broken file committed: the old side is refused, named by revision, file and line.
    header, rows = _rows(data)
    rows[2]["date"] = "2017-13-45"
    _write_rows(data, header, rows)
    _git(repo, "commit", "-q", "-am", "broken")
    shutil.copy(DATA / "events.csv", data / "events.csv")
    broken = runner.invoke(main, ["diff", "--git", "HEAD", str(data)])
    assert broken.exit_code == 2, broken.output
    assert f"HEAD:{data}/events.csv:4:date: error:" in broken.stderr, broken.stderr


# --- the change map ----------------------------------------------------------------------


def _rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def test_png_shows_the_changed_place_in_its_new_colour(runner, copy, tmp_path):
    added, _, holder = _add_takeover(copy)
    out = tmp_path / "change.png"
    result = _diff(runner, DATA, copy, "--png", str(out))
    assert result.exit_code == 1, result.output
    image = Image.open(out)
    assert image.format == "PNG"
    timeline = Timeline(load_dataset(copy))
    colours = timeline.dataset.factions["color"]
    # The new holder is a claim: drawn at the tentative opacity, as the page does.
    polygon = timeline.dataset.places.geometry[added["place"]]
    xs = np.linspace(*polygon.bounds[0::2], 25)
    ys = np.linspace(*polygon.bounds[1::2], 25)
    inner = polygon.buffer(-0.01)
    rgb = image.convert("RGB")
    seen = Counter(rgb.getpixel(pixel_of(image, x, y)) for x in xs for y in ys
                   if inner.contains(Point(x, y)))
    assert sum(seen.values()) >= 20
    pixel = np.array(seen.most_common(1)[0][0], float)

    land, tentative = CONTEXT_STYLES["countries"]["fillColor"], FILL_OPACITY["tentative"]

    def blend(colour: str) -> np.ndarray:
        return tentative * _rgb(colour) + (1 - tentative) * _rgb(land)

    nearest = min(colours.index, key=lambda f: np.abs(pixel - blend(colours[f])).max())
    assert nearest == holder, (pixel, holder)
    assert np.abs(pixel - blend(colours[holder])).max() <= 4
    # The title says what the map is; the PNG keeps the map frame for georeferencing.
    assert "mapapp:map-frame" in image.info
    assert image.info["Title"] == "Data change: 1 place drawn differently"


def test_png_with_no_difference_is_not_written(runner, copy, tmp_path):
    out = tmp_path / "none.png"
    result = _diff(runner, DATA, copy, "--png", str(out))
    assert result.exit_code == 0 and not out.exists()
    assert "no change map written" in result.stderr


def test_png_reads_with_pillow_as_a_whole_file(runner, copy, tmp_path):
    _add_takeover(copy)
    out = tmp_path / "change.png"
    _diff(runner, DATA, copy, "--png", str(out))
    Image.open(io.BytesIO(out.read_bytes())).verify()


def test_data_strings_reach_the_terminal_escaped(runner, copy):
    header, rows = _rows(copy)
    row = next(r for r in rows if r["type"] == "control" and
               r["confidence"] in ("", "confirmed"))
    row["source_title"] = "Report \x1b[31mred\x1b[0m"
    row["confidence"] = "claimed"
    _write_rows(copy, header, rows)
    result = _diff(runner, DATA, copy)
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.stdout
    assert f'after: {row["id"]} ({row["date"]}) "Report \\x1b[31mred\\x1b[0m"' \
        in result.stdout
    assert f"Events edited (1): {row['id']} (source_title, confidence)" in result.stdout


def test_a_new_citation_moves_no_state_but_is_a_change(runner, copy):
    header, rows = _rows(copy)
    row = next(r for r in rows if r["type"] == "control")
    row["source_title"] += " (original report)"
    _write_rows(copy, header, rows)
    result = _diff(runner, DATA, copy, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ranges"] == [] and report["most_affected"] is None
    assert report["events_edited"] == [{"id": row["id"], "fields": ["source_title"]}]
