"""The data currently served, and its hot reload.

Holds the last good data set. A changed file is validated before it is swapped in; a bad
one leaves the old data in place and its problems on record for /healthz. Robust to a
file rewritten within one tick of the file system clock, a file caught half-written, a
file replaced while being read, and a data directory that disappears.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from shapely.geometry import mapping

from mapapp.dataset import Dataset, data_files, fingerprint, load_dataset
from mapapp.errors import DataError, Problem
from mapapp.payload import DETAILS_CHUNK, build_detail_chunk, build_payload
from mapapp.timeline import Timeline


@dataclass
class Snapshot:
    """One loaded data set and what is derived from it, built lazily and cached."""

    dataset: Dataset
    timeline: Timeline
    details_chunk: int = DETAILS_CHUNK
    # Encoded chunks of event texts by (kind, n), filled as they are first asked for.
    _detail_chunks: dict[tuple[str, int], bytes] = field(default_factory=dict, init=False,
                                                         repr=False, compare=False)

    @property
    def version(self) -> str:
        return self.dataset.version

    @cached_property
    def place_geojson(self) -> list[dict[str, Any]]:
        """Each place as a GeoJSON feature without its state, in ``place_ids`` order: built
        once per data version, not per /api/state request."""
        places = self.dataset.places
        out = []
        for pid, geom, name, name_ar, kind, quality in zip(
                places.index, places.geometry, places["name"], places["name_ar"],
                places["kind"], places["geometry_quality"], strict=True):
            out.append({"type": "Feature", "id": pid,
                        "geometry": None if geom is None or geom.is_empty else mapping(geom),
                        "properties": {"name": name, "name_ar": name_ar or None, "kind": kind,
                                       "geometry_quality": quality}})
        return out

    @cached_property
    def payload_json(self) -> bytes:
        return _compact_json(build_payload(self.timeline, self.details_chunk))

    def detail_chunk_json(self, kind: str, n: int) -> bytes:
        """Chunk ``n`` of the texts of ``kind`` events, encoded once per data version.
        Two threads may both build it the first time, like a cached_property: the bytes
        are the same and one of them is kept. MissingResourceError when there is none."""
        body = self._detail_chunks.get((kind, n))
        if body is None:
            body = _compact_json(build_detail_chunk(self.timeline, kind, n, self.details_chunk))
            body = self._detail_chunks.setdefault((kind, n), body)
        return body


def _compact_json(data: object) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


# A file changed twice within one tick of the file system's clock keeps its mtime (and
# maybe its size); git calls such files "racily clean". While a file's timestamps are this
# close to the last look, its content is compared too. Two seconds covers FAT and the
# coarsest network file systems.
RACY_NS = 2_000_000_000

Signature = tuple[tuple[str, int, int, int, int], ...]


def _signature(directory: Path) -> Signature:
    """(name, inode, size, mtime, ctime) of every data file: os.replace changes the inode,
    an in-place rewrite the ctime, which no tool can set back."""
    out = []
    for path in data_files(directory):
        try:
            stat = path.stat()
            out.append((path.name, stat.st_ino, stat.st_size, stat.st_mtime_ns,
                        stat.st_ctime_ns))
        except OSError:
            out.append((path.name, -1, -1, -1, -1))
    return tuple(out)


class DataStore:
    """Serves the last good :class:`Snapshot` of a data directory, reloading it on change.

    Every ``reload_interval`` seconds a request triggers a cheap look at the files' stat.
    A change is loaded once the files have stayed the same for ``settle`` seconds (a file
    still being written is not read half-way), validated, and swapped in only when valid;
    otherwise the old data stays and :attr:`problems` says why (served by /healthz). Files
    that change while being read are read again at the next look.

    Examples
    --------
    >>> store = DataStore(Path("data"), reload_interval=2.0)  # doctest: +SKIP
    >>> store.current().version, store.problems  # doctest: +SKIP
    ('5f1c0e9a2b7d4c31', [])
    """

    def __init__(self, directory: Path, reload_interval: float = 2.0,
                 settle: float | None = None, details_chunk: int = DETAILS_CHUNK):
        self.directory = Path(directory)
        self.reload_interval = reload_interval
        self.details_chunk = details_chunk
        self.settle = reload_interval if settle is None else settle
        self.problems: list[Problem] = []
        self._lock = threading.Lock()
        now = time.monotonic()
        self._checked = now
        self._seen, self._seen_at = _signature(self.directory), now
        self._tried, self._tried_at_ns = self._seen, time.time_ns()
        self._snapshot = self._load()  # the first load must succeed: nothing to fall back on
        self._tried_version = self._snapshot.version

    def _load(self) -> Snapshot:
        dataset = load_dataset(self.directory)
        return Snapshot(dataset=dataset, timeline=Timeline(dataset),
                        details_chunk=self.details_chunk)

    def current(self) -> Snapshot:
        """The snapshot to serve, after a cheap check for changed files."""
        if self.reload_interval > 0 and time.monotonic() - self._checked >= self.reload_interval:
            # A request never waits for another one's reload: it serves the current data.
            if self._lock.acquire(blocking=False):
                try:
                    self._check()
                finally:
                    self._lock.release()
        return self._snapshot

    def check(self) -> bool:
        """Look at the files now; True when new data was swapped in.

        A change seen for the first time is only loaded at a later check, ``settle``
        seconds on (immediately when ``settle`` is 0).
        """
        with self._lock:
            return self._check()

    def _check(self) -> bool:
        now = time.monotonic()
        self._checked = now
        signature = _signature(self.directory)
        if signature != self._seen:
            self._seen, self._seen_at = signature, now
        if signature == self._tried:
            if not self._racy(signature):
                return False
            started = time.time_ns()
            if fingerprint(self.directory) == self._tried_version:
                self._tried_at_ns = started  # same bytes: the files are no longer racy
                return False
        elif now - self._seen_at < self.settle:
            return False  # still changing, or just changed: let the writer finish
        return self._reload(signature)

    def _racy(self, signature: Signature) -> bool:
        limit = self._tried_at_ns - RACY_NS
        return any(max(mtime, ctime) >= limit for _, _, _, mtime, ctime in signature)

    def _reload(self, signature: Signature) -> bool:
        started = time.time_ns()
        snapshot: Snapshot | None = None
        try:
            snapshot = self._load()
            problems: list[Problem] = []
        except DataError as exc:
            problems = exc.problems
        except Exception as exc:  # whatever a bad file triggers, the site keeps serving
            problems = [Problem(str(self.directory),
                                f"could not load: {type(exc).__name__}: {exc}")]
        if _signature(self.directory) != signature:
            return False  # written to while being read: read it again at the next check
        self._tried, self._tried_at_ns = signature, started
        self._tried_version = snapshot.version if snapshot else fingerprint(self.directory)
        self.problems = problems
        if snapshot is None or snapshot.version == self._snapshot.version:
            return False  # refused, or the same bytes again: keep what is cached
        self._snapshot = snapshot
        return True
