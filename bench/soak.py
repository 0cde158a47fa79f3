"""Soak test: gunicorn with 2 workers, readers hammering the page, the API, exports and
text chunks while a writer replaces the data files every few seconds, valid and broken in
turn, and the workers are HUP'd twice. Every response is checked: no 5xx, no connection
error, whole (its length and its JSON, CSV or HTML complete), and of one data version (the
``X-Data-Version`` header, the version inside the body, and the revision marker the writer
put in the data all agree). Memory of master and workers is sampled throughout.

``python -m bench.soak`` (= ``make soak``: 8 readers, 60 s); tests/test_soak.py runs a short
one. Loopback only, bounded in time; exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import json
import os
import random
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.gunicorn import REPO, Gunicorn
from mapapp.dataset import fingerprint

SETTLE = 1.0
CHUNK = 20  # events per chunk of texts: the shipped data makes several
MARK = re.compile(r"\[rev (\d+)\]")
PAGE_VERSION = re.compile(r'"version": ?"([0-9a-f]{16})"')


@dataclass
class Tally:
    requests: int = 0
    by_path: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    old_version_hits: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, what: str) -> None:
        with self.lock:
            if len(self.failures) < 50:
                self.failures.append(what)
            else:
                self.failures[-1] = f"… and more (last: {what})"


class Writer:
    """Replaces events.csv every ``period`` seconds: a valid revision (one summary marked
    ``[rev N]``), then a broken one (an unknown place), in turn; by ``os.replace`` or by
    rewriting in place, in turn. Remembers which version carries which revision."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / "events.csv"
        with open(self.path, newline="", encoding="utf-8") as fh:
            self.rows = list(csv.reader(fh))
        self.summary = self.rows[0].index("summary")
        self.place = self.rows[0].index("place")
        self.base = self.rows[1][self.summary]
        self.revisions: dict[str, int] = {}
        self.writes = 0
        self.revision = 0
        self.write(valid=True)

    def write(self, valid: bool) -> None:
        rows = [list(r) for r in self.rows]
        if valid:
            self.revision += 1
            rows[1][self.summary] = f"{self.base} [rev {self.revision}]"
        else:
            rows[1][self.place] = "no-such-place"
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        data = out.getvalue().encode("utf-8")
        if self.writes % 2:
            self.path.write_bytes(data)  # in place: readers may catch it half-written
        else:
            tmp = self.path.with_name(".events.csv.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, self.path)
        self.writes += 1
        if valid:
            self.revisions[fingerprint(self.directory)] = self.revision


def _check(path: str, status: int, headers: http.client.HTTPMessage, body: bytes,
           writer: Writer, state: dict[str, Any]) -> str | None:
    """What is wrong with a response, or None."""
    if status >= 500:
        return f"{status}"
    if status != 200:
        return f"unexpected {status}"
    length = headers.get("Content-Length")
    if length is not None and int(length) != len(body):
        return f"{len(body)} bytes of {length}"
    version = headers.get("X-Data-Version")
    if version not in writer.revisions:
        return f"X-Data-Version {version!r} is no version the writer wrote"
    revision = writer.revisions[version]
    text = body.decode("utf-8")
    if path.startswith("/data/"):
        if json.loads(text)["version"] != version:
            return "body of another version than its header"
        if not path.startswith(f"/data/{version}/"):
            return f"asked for {path.split('/')[2]}, got {version}"
    elif path == "/":
        if not text.rstrip().endswith("</html>"):
            return "page cut short"
        if set(PAGE_VERSION.findall(text)) != {version}:
            return "page names another version"
        state["version"] = version
    elif path.startswith("/api/"):
        data = json.loads(text)
        if path == "/api/state" and data["version"] != version:
            return "state of another version"
    elif path.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if len({len(r) for r in rows}) != 1 or len(rows) < 2:
            return "CSV cut short or ragged"
    marks = {int(m) for m in MARK.findall(text)}
    if marks - {revision}:
        return f"revision {sorted(marks)} in a response of revision {revision}"
    return None


def _reader(url_port: int, writer: Writer, tally: Tally, stop: threading.Event,
            seed: int) -> None:
    rng = random.Random(seed)
    state: dict[str, Any] = {"version": None}
    paths = ["/", "/api/state", "/api/events", "/export/events.csv", "/export/state.csv",
             "payload", "chunk", "chunk"]
    while not stop.is_set():
        choice = rng.choice(paths) if state["version"] else "/"
        if choice == "payload":
            path = f"/data/{state['version']}/timeline.json"
        elif choice == "chunk":
            path = f"/data/{state['version']}/events/control-{rng.randrange(3)}.json"
        else:
            path = choice
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", url_port, timeout=30)
            conn.request("GET", path, headers={"Accept-Encoding": "identity"})
            response = conn.getresponse()
            body = response.read()
            conn.close()
        except (OSError, http.client.HTTPException) as exc:
            tally.fail(f"{path}: connection error {type(exc).__name__}: {exc}")
            continue
        elapsed = (time.perf_counter() - started) * 1000
        try:
            problem = _check(path, response.status, response.headers, body, writer, state)
        except (ValueError, KeyError) as exc:
            problem = f"unreadable body: {type(exc).__name__}: {exc}"
        with tally.lock:
            tally.requests += 1
            tally.by_path[choice if choice in ("payload", "chunk") else path] += 1
            tally.statuses[response.status] += 1
            tally.latencies_ms.append(elapsed)
            if path.startswith("/data/") and response.getheader("X-Data-Version") != \
                    max(writer.revisions, key=writer.revisions.get):
                tally.old_version_hits += 1
        if problem:
            tally.fail(f"{path}: {problem}")


def run(duration: float = 60.0, readers: int = 8, period: float = 3.0,
        workers: int = 2, log: Path | None = None) -> dict[str, Any]:
    """Run the soak; return its figures (``failures`` empty when all went well)."""
    work = Path(tempfile.mkdtemp(prefix="mapapp-soak-"))
    try:
        data = shutil.copytree(REPO / "data", work / "data",
                               ignore=shutil.ignore_patterns("build"))
        writer = Writer(data)
        env = {"MAPAPP_DATA_DIR": str(data), "MAPAPP_CACHE_DIR": str(work / "cache"),
               "MAPAPP_RELOAD_INTERVAL": str(SETTLE), "MAPAPP_DETAILS_CHUNK": str(CHUNK)}
        tally = Tally()
        memory: list[tuple[float, int, int]] = []
        hups: list[float] = []
        with Gunicorn(env, workers=workers, threads=4, log=log) as server:
            stop = threading.Event()
            threads = [threading.Thread(target=_reader, args=(server.port, writer, tally, stop,
                                                              k), daemon=True)
                       for k in range(readers)]
            started = time.monotonic()
            for t in threads:
                t.start()
            next_write, valid = started + period, False
            hup_at = [started + duration / 3, started + 2 * duration / 3]
            while (now := time.monotonic()) < started + duration:
                if now >= next_write:
                    writer.write(valid)
                    valid, next_write = not valid, now + period
                if hup_at and now >= hup_at[0]:  # in its own thread: writes go on
                    hup_at.pop(0)
                    hups.append(round(now - started, 1))
                    threading.Thread(target=server.hup, daemon=True).start()
                memory.append((round(now - started, 1), server.rss_kib(),
                               len(server.worker_pids())))
                time.sleep(0.5)
            stop.set()
            for t in threads:
                t.join(timeout=40)
            health = server.get_json("/healthz")
            alive = server.alive
        if not alive:
            tally.fail("gunicorn exited")
        return _figures(tally, memory, hups, writer, duration, readers, workers, health)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _figures(tally: Tally, memory: list[tuple[float, int, int]], hups: list[float],
             writer: Writer, duration: float, readers: int, workers: int,
             health: dict[str, Any]) -> dict[str, Any]:
    lat = sorted(tally.latencies_ms)
    q = (lambda p: round(lat[min(len(lat) - 1, int(p * len(lat)))], 1)) if lat else (lambda p: 0)
    # Memory "flat": master and workers, sampled only while no HUP is under way (old and
    # new workers side by side), in the last fifth against the first fifth of the run.
    steady = [kib for t, kib, n in memory if n == workers and t > 3]
    mem = [kib for _, kib, _ in memory]
    fifth = max(1, len(steady) // 5)
    first, last = (sorted(steady[:fifth])[fifth // 2], sorted(steady[-fifth:])[fifth // 2]) \
        if steady else (1, 1)
    growth = (last - first) / first
    if growth > 0.25:
        tally.fail(f"memory grew {growth:.0%} over the run")
    return {
        "duration_s": duration, "readers": readers, "requests": tally.requests,
        "requests_per_s": round(tally.requests / duration, 1),
        "by_path": dict(tally.by_path), "statuses": dict(tally.statuses),
        "latency_ms": {"p50": q(0.5), "p95": q(0.95), "p99": q(0.99), "max": q(1.0)},
        "writes": writer.writes, "valid_versions": len(writer.revisions), "hups_at_s": hups,
        "old_version_responses": tally.old_version_hits,
        "memory_mib": {"min": round(min(mem) / 1024), "max": round(max(mem) / 1024),
                       "steady_first": round(first / 1024), "steady_last": round(last / 1024),
                       "growth": round(growth, 3)},
        "final_health": {k: health[k] for k in ("status", "version")},
        "failures": tally.failures,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--period", type=float, default=3.0, help="seconds between writes")
    args = parser.parse_args()
    figures = run(args.duration, args.readers, args.period)
    print(json.dumps(figures, indent=2))
    return 1 if figures["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
