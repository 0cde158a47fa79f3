"""The data currently served, and its hot reload.

Holds the last good data set. A changed file is validated before it is swapped in; a bad
one leaves the old data in place and its problems on record for /healthz.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from mapapp.dataset import Dataset, data_files, load_dataset
from mapapp.errors import DataError, Problem
from mapapp.payload import build_event_details, build_payload
from mapapp.timeline import Timeline


@dataclass
class Snapshot:
    """One loaded data set and what is derived from it, built lazily and cached."""

    dataset: Dataset
    timeline: Timeline

    @property
    def version(self) -> str:
        return self.dataset.version

    @cached_property
    def payload_json(self) -> bytes:
        return json.dumps(build_payload(self.timeline), separators=(",", ":"),
                          ensure_ascii=False).encode()

    @cached_property
    def details_json(self) -> bytes:
        return json.dumps(build_event_details(self.timeline), separators=(",", ":"),
                          ensure_ascii=False).encode()


def _signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in data_files(directory):
        try:
            stat = path.stat()
            out.append((path.name, stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((path.name, -1, -1))
    return tuple(out)


class DataStore:
    """Serves the last good :class:`Snapshot` of a data directory."""

    def __init__(self, directory: Path, reload_interval: float = 2.0):
        self.directory = Path(directory)
        self.reload_interval = reload_interval
        self.problems: list[Problem] = []
        self._lock = threading.Lock()
        self._signature = _signature(self.directory)
        self._checked = time.monotonic()
        self._snapshot = self._load()  # the first load must succeed: nothing to fall back on

    def _load(self) -> Snapshot:
        dataset = load_dataset(self.directory)
        return Snapshot(dataset=dataset, timeline=Timeline(dataset))

    def current(self) -> Snapshot:
        """The snapshot to serve, after a cheap check for changed files."""
        if self.reload_interval > 0 and time.monotonic() - self._checked >= self.reload_interval:
            self.check()
        return self._snapshot

    def check(self) -> bool:
        """Reload if the files changed. True when new data was swapped in."""
        with self._lock:
            self._checked = time.monotonic()
            signature = _signature(self.directory)
            if signature == self._signature:
                return False
            self._signature = signature
            try:
                snapshot = self._load()
            except DataError as exc:
                self.problems = exc.problems
                return False
            except (OSError, ValueError) as exc:  # a file caught half-written
                self.problems = [Problem(str(self.directory), f"could not read: {exc}")]
                return False
            self._snapshot = snapshot
            self.problems = []
            return True
