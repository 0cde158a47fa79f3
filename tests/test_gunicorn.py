"""A real gunicorn on loopback, two workers, as an operator runs it: broken files and HUPs
never take the site down, the first request after a quiet period serves the change, pages
opened on an earlier data version keep getting that version's bytes, and CSV exports carry
no formula."""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.gunicorn import Gunicorn
from mapapp.csvsafe import FORMULA_STARTS
from mapapp.store import DataStore
from tests.formula_dataset import write_formula_dataset

pytestmark = pytest.mark.server

SETTLE = 0.5
NEW_EVENT = ("2001-05-04-east,2001-05-04,control,east-square,held,green,,,Green takes the "
             "east square.,Test report,https://example.org/new,2001-05-04,confirmed,\r\n")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return write_formula_dataset(tmp_path / "data")


@pytest.fixture
def env(tmp_path: Path, data_dir: Path) -> dict[str, str]:
    return {"MAPAPP_DATA_DIR": str(data_dir), "MAPAPP_CACHE_DIR": str(tmp_path / "cache"),
            "MAPAPP_RELOAD_INTERVAL": str(SETTLE), "MAPAPP_DETAILS_CHUNK": "2"}


@pytest.fixture
def server(env, tmp_path) -> Iterator[Gunicorn]:
    with Gunicorn(env, workers=2, log=tmp_path / "gunicorn.log") as g:
        yield g


def break_events(data_dir: Path) -> None:
    events = data_dir / "events.csv"
    text = events.read_text(encoding="utf-8")
    events.write_text(text.replace(",control,west-square,", ",control,wst,", 1),
                      encoding="utf-8")


def add_event(data_dir: Path) -> None:
    with open(data_dir / "events.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write(NEW_EVENT)


def healths(server: Gunicorn, n: int = 8) -> list[dict]:
    """/healthz asked ``n`` times: with two workers, both answer some of them."""
    return [server.get_json("/healthz") for _ in range(n)]


def test_workers_hupped_or_restarted_on_broken_data_serve_the_last_good_data(
        server, env, data_dir, tmp_path):
    good = server.get_json("/healthz")
    assert (good["status"], good["events"]) == ("ok", 6)
    break_events(data_dir)
    server.hup()
    for health in healths(server):
        assert (health["status"], health["version"], health["events"]) == (
            "degraded", good["version"], 6)
        problem = health["problems"][0]
        assert (problem["file"], problem["line"], problem["message"]) == (
            "events.csv", 2, "unknown place 'wst'")
    status, _, page = server.get("/")
    assert status == 200 and good["version"].encode() in page
    assert len(server.get_json("/api/events")["events"]) == 6
    server.hup()  # twice: the new workers boot from the saved copy again
    assert server.alive and len(server.get_json("/api/events")["events"]) == 6

    server.__exit__(None, None, None)  # a full restart of the master, files still broken
    with Gunicorn(env, workers=2, log=tmp_path / "gunicorn.log") as again:
        assert {h["version"] for h in healths(again)} == {good["version"]}
        fixed = (data_dir / "events.csv").read_text(encoding="utf-8").replace(
            ",control,wst,", ",control,west-square,")
        (data_dir / "events.csv").write_text(fixed + NEW_EVENT, encoding="utf-8")
        time.sleep(SETTLE + 0.2)
        for health in healths(again):  # the first request to each worker serves the fix
            assert (health["status"], health["events"], health["problems"]) == ("ok", 7, [])


def test_the_first_request_after_a_quiet_period_serves_the_change(server, data_dir):
    before = server.get_json("/healthz")["version"]
    add_event(data_dir)
    time.sleep(SETTLE + 0.2)  # quiet: no request in between
    versions = {h["version"] for h in healths(server)}
    assert before not in versions and len(versions) == 1
    break_events(data_dir)
    time.sleep(SETTLE + 0.2)
    assert {h["status"] for h in healths(server)} == {"degraded"}


def _expected_bytes(directory: Path) -> tuple[str, bytes, dict[str, bytes]]:
    version = DataStore(directory, reload_interval=0, details_chunk=2).current()
    chunks = {f"{kind}-{n}": body for (kind, n), body in version.retired().chunks.items()}
    return version.version, version.payload_json, chunks


def test_urls_of_an_earlier_version_serve_that_version_whole_after_an_update(
        server, data_dir, tmp_path):
    old, payload, chunks = _expected_bytes(shutil.copytree(data_dir, tmp_path / "v1"))
    assert len(chunks) >= 3
    assert server.get_json("/healthz")["version"] == old
    add_event(data_dir)
    deadline = time.monotonic() + 15
    while old in {h["version"] for h in healths(server)}:  # both workers updated
        assert time.monotonic() < deadline, "the update was never served"
        time.sleep(0.2)

    def check_old_urls() -> None:
        for _ in range(3):  # both workers
            status, headers, body = server.get(f"/data/{old}/timeline.json")
            assert (status, body) == (200, payload)
            assert "immutable" in headers["Cache-Control"]
            for name, expected in chunks.items():
                status, headers, body = server.get(f"/data/{old}/events/{name}.json",
                                                   {"Accept-Encoding": "identity"})
                assert (status, body) == (200, expected), name
                assert json.loads(body)["version"] == old

    check_old_urls()  # kept in memory by the workers that served it
    server.hup()
    check_old_urls()  # new workers: found again in the saved copies


def test_csv_exports_through_gunicorn_carry_no_formula(server):
    for url in ("/export/events.csv", "/export/state.csv"):
        status, headers, body = server.get(url)
        assert status == 200 and headers["Content-Type"].startswith("text/csv")
        for row in csv.reader(io.StringIO(body.decode(), newline="")):
            assert not [c for c in row if c.startswith(FORMULA_STARTS)], row
