"""Hot reload on a live server: bad data never replaces good data, /healthz says which file
and line are wrong, and fixed data is served without a restart."""

from __future__ import annotations

import json
import os
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from mapapp.errors import DataError, MissingResourceError
from mapapp.store import DataStore
from tests.conftest import LiveServer

INTERVAL = 0.05
NEW_EVENT = ("2001-05-04-east,2001-05-04,control,east-square,held,green,,,Green takes the "
             "east square.,Test report,https://example.org/new,2001-05-04,confirmed,\r\n")


@pytest.fixture
def live(make_app, tiny_dir: Path) -> Iterator[LiveServer]:
    app = make_app(tiny_dir, reload_interval=INTERVAL)
    with LiveServer(app) as server:
        yield server


def fetch(server: LiveServer, path: str) -> tuple[int, str]:
    with urllib.request.urlopen(server.url + path, timeout=10) as response:
        return response.status, response.read().decode("utf-8")


def get_json(server: LiveServer, path: str) -> dict[str, Any]:
    status, body = fetch(server, path)
    assert status == 200, body
    return json.loads(body)


def wait_for(probe: Callable[[], Any], what: str, timeout: float = 10.0) -> Any:
    """Poll (each request also gives the server a chance to look at its files)."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(INTERVAL / 2)


def health_is(server: LiveServer, status: str) -> Callable[[], dict[str, Any] | None]:
    def probe() -> dict[str, Any] | None:
        health = get_json(server, "/healthz")
        return health if health["status"] == status else None

    return probe


def event_ids(server: LiveServer) -> list[str]:
    return [e["id"] for e in get_json(server, "/api/events")["events"]]


def test_broken_events_keep_the_old_data_then_a_fix_is_served(live, tiny_dir):
    health = get_json(live, "/healthz")
    assert (health["status"], health["events"], health["problems"]) == ("ok", 6, [])
    version = health["version"]
    events = tiny_dir / "events.csv"
    good = events.read_text(encoding="utf-8")

    events.write_text(good.replace("2001-05-03,control,west-square", "2001-05-03,control,wst"),
                      encoding="utf-8")
    health = wait_for(health_is(live, "degraded"), "the broken file to be noticed")
    assert health["version"] == version and health["events"] == 6
    problem = health["problems"][0]
    assert (problem["file"], problem["line"], problem["column"], problem["message"]) == (
        "events.csv", 4, "place", "unknown place 'wst'")
    assert len(event_ids(live)) == 6
    status, page = fetch(live, "/")
    assert status == 200 and version in page  # the page still points at the old data
    state = get_json(live, "/api/state?date=2001-05-03")
    assert {f["id"]: f["properties"]["factions"] for f in state["features"]}[
        "west-square"] == ["green"]

    events.write_text(good + NEW_EVENT, encoding="utf-8")
    wait_for(lambda: "2001-05-04-east" in event_ids(live), "the fixed file to be served")
    health = get_json(live, "/healthz")
    assert (health["status"], health["events"], health["problems"]) == ("ok", 7, [])
    assert health["version"] != version
    status, page = fetch(live, "/")
    assert status == 200 and health["version"] in page


@pytest.mark.parametrize(
    ("name", "cut", "expected"),
    [
        ("events.csv", -40, {"file": "events.csv", "line": 7,
                             "message": "expected 14 fields as in the header, found 11"}),
        ("places.geojson", -300, {"file": "places.geojson", "line": 1,
                                  "message": "JSON syntax: Unterminated string starting at"}),
    ],
    ids=["csv", "geojson"],
)
def test_a_half_written_file_is_reported_and_the_complete_one_served(live, tiny_dir, name,
                                                                     cut, expected):
    path = tiny_dir / name
    good = path.read_bytes()
    path.write_bytes(good[:cut])
    health = wait_for(health_is(live, "degraded"), "the truncated file to be noticed")
    problem = health["problems"][0]
    assert {k: problem[k] for k in expected} == expected
    assert len(event_ids(live)) == 6

    path.write_bytes(good)
    health = wait_for(health_is(live, "ok"), "the complete file to be served")
    assert health["events"] == 6


def test_a_directory_that_disappears_keeps_the_site_up(live, tiny_dir):
    version = get_json(live, "/healthz")["version"]
    moved = tiny_dir.with_name("moved-away")
    tiny_dir.rename(moved)
    health = wait_for(health_is(live, "degraded"), "the missing directory to be noticed")
    assert health["problems"][0]["message"] == "data directory not found"
    assert health["version"] == version
    assert len(event_ids(live)) == 6
    assert fetch(live, "/")[0] == 200
    assert fetch(live, f"/data/{version}/timeline.json")[0] == 200

    moved.rename(tiny_dir)
    health = wait_for(health_is(live, "ok"), "the directory to come back")
    assert health["version"] == version  # the same bytes: nothing was rebuilt


# --- the store on its own: the cases that timing alone cannot show on a server ------------


def test_a_rewrite_with_the_same_size_and_mtime_is_noticed(tiny_dir):
    store = DataStore(tiny_dir, reload_interval=0, settle=0)
    events = tiny_dir / "events.csv"
    before = events.stat()
    data = events.read_bytes()
    assert b"Green takes the west" in data
    events.write_bytes(data.replace(b"Green takes the west", b"Green holds the west"))
    os.utime(events, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `cp -p` would
    after = events.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert store.check() is True
    summary = store.current().dataset.events.loc["2001-05-03-west", "summary"]
    assert summary == "Green holds the west square."


def test_a_file_still_being_written_is_not_read_until_it_settles(tiny_dir):
    store = DataStore(tiny_dir, reload_interval=0, settle=0.3)
    events = tiny_dir / "events.csv"
    with open(events, "a", encoding="utf-8", newline="") as fh:
        fh.write(NEW_EVENT[:30])
        fh.flush()
        assert store.check() is False  # just changed: not read yet
        assert store.problems == []
        fh.write(NEW_EVENT[30:])
    assert store.check() is False  # changed again: the wait starts over
    time.sleep(0.35)
    assert store.check() is True
    assert store.problems == []
    assert "2001-05-04-east" in store.current().dataset.events.index


def test_touching_a_file_reloads_nothing_and_clears_nothing(tiny_dir):
    store = DataStore(tiny_dir, reload_interval=0, settle=0)
    snapshot = store.current()
    os.utime(tiny_dir / "events.csv")
    assert store.check() is False
    assert store.current() is snapshot and store.problems == []


def test_the_first_look_after_the_quiet_time_loads_the_change(tiny_dir):
    store = DataStore(tiny_dir, reload_interval=0, settle=0.3)
    with open(tiny_dir / "events.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write(NEW_EVENT)
    time.sleep(0.35)  # nobody looked meanwhile: the files' own times say they are quiet
    assert store.check() is True
    assert "2001-05-04-east" in store.current().dataset.events.index


def test_a_store_started_on_broken_files_serves_the_last_good_copy(tiny_dir, tmp_path):
    cache = tmp_path / "cache"
    good = DataStore(tiny_dir, reload_interval=0, settle=0, cache_dir=cache).current()
    events = tiny_dir / "events.csv"
    data = events.read_bytes()
    events.write_bytes(data.replace(b"2001-05-03,control,west-square",
                                    b"2001-05-03,control,wst"))
    with pytest.raises(DataError):  # nothing saved: nothing to fall back on
        DataStore(tiny_dir, reload_interval=0, cache_dir=tmp_path / "empty")
    store = DataStore(tiny_dir, reload_interval=0, settle=0, cache_dir=cache)
    assert store.current().version == good.version
    assert store.source != tiny_dir and store.source.parent.parent == cache
    problem = store.problems[0]
    assert (problem.file, problem.line, problem.message) == (
        "events.csv", 4, "unknown place 'wst'")
    events.write_bytes(data)  # fixed: the same bytes as the copy
    store.check()
    assert (store.problems, store.source, store.current().version) == (
        [], tiny_dir, good.version)


def test_earlier_versions_are_kept_a_few_and_for_a_grace_period(tiny_dir, tmp_path):
    store = DataStore(tiny_dir, reload_interval=0, settle=0, details_chunk=2,
                      cache_dir=tmp_path / "cache", keep_versions=2, version_grace=60)
    expected = {}
    for k in range(4):
        current = store.current()
        expected[current.version] = (current.payload_json, current.detail_chunk_json(
            "control", 1))
        with open(tiny_dir / "events.csv", "a", encoding="utf-8", newline="") as fh:
            fh.write(NEW_EVENT.replace("2001-05-04-east", f"2001-05-0{5 + k}-east")
                     .replace("2001-05-04,", f"2001-05-0{5 + k},"))
        assert store.check() is True
    versions = list(expected)
    assert store.previous_versions() == versions[:-3:-1]  # the newest two, in memory
    for version in versions[2:]:
        served = store.served(version)
        assert (served.payload_json, served.detail_chunk_json("control", 1)) == \
            expected[version]
        with pytest.raises(MissingResourceError):
            served.detail_chunk_json("control", 99)
    assert store.served(versions[0]) is None and store.served(versions[1]) is None
    # a worker started since has none in memory: it finds them in the saved copies
    fresh = DataStore(tiny_dir, reload_interval=0, details_chunk=2,
                      cache_dir=tmp_path / "cache", keep_versions=2, version_grace=60)
    assert fresh.previous_versions() == []
    assert fresh.served(versions[3]).detail_chunk_json("control", 1) == expected[versions[3]][1]
    assert fresh.served(versions[1]) is None
    store.version_grace = 0.0
    time.sleep(0.01)
    assert [store.served(v) for v in versions] == [None] * 4


def test_the_saved_copies_and_versions_settings(tmp_path, monkeypatch):
    from mapapp.config import load_settings

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert load_settings(environ={}).cache_dir == tmp_path / "xdg" / "mapapp"
    settings = load_settings(environ={"MAPAPP_CACHE_DIR": str(tmp_path / "c"),
                                      "MAPAPP_KEEP_VERSIONS": "5",
                                      "MAPAPP_VERSION_GRACE": "60"})
    assert (settings.cache_dir, settings.keep_versions, settings.version_grace) == (
        tmp_path / "c", 5, 60.0)
    with pytest.raises(ValueError, match="MAPAPP_KEEP_VERSIONS"):
        load_settings(environ={"MAPAPP_KEEP_VERSIONS": "0"})
