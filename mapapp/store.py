"""The data currently served, its hot reload, and the versions served before it.

Holds the last good data set. A changed file is validated before it is swapped in; a bad
one leaves the old data in place and its problems on record for /healthz. Every good data
set is also saved on disk (mapapp.last_good), so a worker that starts while the files are
broken serves the last good one instead of failing to boot. Robust to a file rewritten
within one tick of the file system clock, a file caught half-written, a file replaced while
being read, and a data directory that disappears.
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from shapely.geometry import mapping

from mapapp.dataset import Dataset, data_files, fingerprint, load_dataset
from mapapp.errors import DataError, MissingResourceError, Problem
from mapapp.last_good import LastGood
from mapapp.payload import (
    DETAILS_CHUNK,
    build_detail_chunk,
    build_payload,
    detail_chunk_counts,
)
from mapapp.timeline import Timeline


@dataclass
class DataVersion:
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


    def retired(self) -> RetiredVersion:
        """Only the bytes its URLs serve, every chunk built: far smaller than the data
        set and its engine, which are let go."""
        chunks = {(kind, n): self.detail_chunk_json(kind, n)
                  for kind, count in detail_chunk_counts(self.timeline,
                                                         self.details_chunk).items()
                  for n in range(count)}
        return RetiredVersion(self.version, self.payload_json, chunks)


@dataclass(frozen=True)
class RetiredVersion:
    """A version no longer current, kept so that pages opened on it keep working."""

    version: str
    payload_json: bytes
    chunks: dict[tuple[str, int], bytes]

    def detail_chunk_json(self, kind: str, n: int) -> bytes:
        body = self.chunks.get((kind, n))
        if body is None:
            raise MissingResourceError(f"no {kind} chunk {n} in data version {self.version}")
        return body

    @property
    def size(self) -> int:
        return len(self.payload_json) + sum(len(b) for b in self.chunks.values())


def _compact_json(data: object) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()




# A file changed twice within one tick of the file system's clock keeps its mtime (and
# maybe its size); git calls such files "racily clean". While a file's timestamps are this
# close to the last look, its content is compared too. Two seconds covers FAT and the
# coarsest network file systems.
RACY_NS = 2_000_000_000
# Seconds between two looks at the files' stat (a few stat calls), capped by the settle
# time: a change is then never seen later than its files have been quiet for ``settle``.
LOOK_SECONDS = 0.1
# Seconds between two content comparisons of racily clean files (each hashes every file).
RACY_LOOK_SECONDS = 0.5

Signature = tuple[tuple[str, int, int, int, int], ...]


def _signature(directory: Path) -> Signature:
    """(name, inode, size, mtime, ctime) of the directory and every data file: os.replace
    changes the inode, an in-place rewrite the ctime, which no tool can set back; the
    directory's own times change when a file is added, removed or renamed."""
    out = []
    for path in [directory, *data_files(directory)]:
        try:
            stat = path.stat()
            out.append((path.name, stat.st_ino, stat.st_size, stat.st_mtime_ns,
                        stat.st_ctime_ns))
        except OSError:
            out.append((path.name, -1, -1, -1, -1))
    return tuple(out)


def _problems_of(exc: Exception, directory: Path) -> list[Problem]:
    if isinstance(exc, DataError):
        return exc.problems
    # whatever a bad file triggers, the site keeps serving
    return [Problem(str(directory), f"could not load: {type(exc).__name__}: {exc}")]


Served = DataVersion | RetiredVersion


class DataStore:
    """Serves the last good :class:`DataVersion` of a data directory, reloading it on change.

    A request looks at the files' stat (cheaply, at most every :data:`LOOK_SECONDS`). A
    change is loaded once the files have been left alone for ``settle`` seconds, measured
    from their own modification times (a file still being written is not read half-way,
    and the first request after that quiet time sees the change), validated, and swapped
    in only when valid; otherwise the old data stays and :attr:`problems` says why (served
    by /healthz). Files that change while being read are read again at the next look.

    With a ``cache_dir``, every good data set is saved there (:class:`LastGood`); a store
    created while the files are broken serves the newest saved copy, with the problems on
    record, instead of failing. Up to ``keep_versions`` earlier versions stay servable by
    version for ``version_grace`` seconds after they are replaced: in memory as the bytes
    their URLs serve, and afterwards (or in a worker started since) from the saved copies.

    Examples
    --------
    >>> store = DataStore(ds.directory, reload_interval=2.0)  # the tiny data set
    >>> len(store.current().version), store.problems, store.source == ds.directory
    (16, [], True)
    """

    def __init__(self, directory: Path, reload_interval: float = 2.0,
                 settle: float | None = None, details_chunk: int = DETAILS_CHUNK,
                 cache_dir: Path | None = None, keep_versions: int = 3,
                 version_grace: float = 3600.0):
        self.directory = Path(directory)
        self.reload_interval = reload_interval
        self.details_chunk = details_chunk
        self.settle = reload_interval if settle is None else settle
        self.keep_versions = keep_versions
        self.version_grace = version_grace
        self.saved = None if cache_dir is None else LastGood(cache_dir, self.directory,
                                                             keep_versions + 1)
        self.problems: list[Problem] = []
        self._lock = threading.Lock()
        self._old_lock = threading.Lock()
        self._retired: OrderedDict[str, tuple[RetiredVersion, float]] = OrderedDict()
        self._look = min(LOOK_SECONDS, self.settle)
        now = time.monotonic()
        self._checked, self._due, self._racy_checked = now, float("inf"), now
        self._seen, self._seen_at = _signature(self.directory), now
        self._tried, self._tried_at_ns = self._seen, time.time_ns()
        try:
            self._current = self._load(self.directory)
        except Exception as exc:
            self._current = self._boot_from_saved(exc)
            self._tried_version = fingerprint(self.directory)
        else:
            self._tried_version = self._current.version
            self._save(self._current)

    @property
    def source(self) -> Path:
        """Where the data being served was read from: the data directory, or a saved copy."""
        return self._current.dataset.directory

    def _load(self, directory: Path) -> DataVersion:
        dataset = load_dataset(directory)
        return DataVersion(dataset=dataset, timeline=Timeline(dataset),
                           details_chunk=self.details_chunk)

    def _boot_from_saved(self, exc: Exception) -> DataVersion:
        """The newest saved copy that loads, with the files' problems on record; the
        files' own error when there is none (nothing good was ever seen here)."""
        for copy in self.saved.newest_first() if self.saved else []:
            try:
                version = self._load(copy)
            except Exception:  # a copy damaged on disk: try an older one
                continue
            self.problems = _problems_of(exc, self.directory)
            return version
        raise exc

    def _save(self, version: DataVersion) -> None:
        if self.saved is not None and version.dataset.directory == self.directory:
            self.saved.save(self.directory, version.version)

    def current(self) -> DataVersion:
        """The data version to serve, after a cheap check for changed files."""
        if self.reload_interval > 0:
            now = time.monotonic()
            if now - self._checked >= self._look or now >= self._due:
                # A request never waits for another one's reload: it serves the current data.
                if self._lock.acquire(blocking=False):
                    try:
                        self._check()
                    finally:
                        self._lock.release()
        return self._current

    def served(self, version: str) -> Served | None:
        """The data of ``version`` if it is current or kept, else None."""
        current = self.current()
        if version == current.version:
            return current
        found = self._kept(version)
        if found is None and self.saved is not None and self.saved.path_of(version):
            with self._old_lock:  # one load per version, not one per waiting request
                found = self._kept(version) or self._load_saved(version)
        return found

    def previous_versions(self) -> list[str]:
        """Earlier versions kept in memory, newest first."""
        return [v for v in reversed(self._retired)]

    def _kept(self, version: str) -> RetiredVersion | None:
        entry = self._retired.get(version)
        if entry is None or time.monotonic() - entry[1] > self.version_grace:
            return None
        return entry[0]

    def _load_saved(self, version: str) -> RetiredVersion | None:
        path = self.saved.path_of(version) if self.saved else None
        if path is None or time.time() - path.stat().st_mtime > self.version_grace:
            return None  # saved, but replaced longer ago than the grace period
        try:
            retired = self._load(path).retired()
        except Exception:
            return None
        if retired.version != version:
            return None
        self._remember(retired)
        return retired

    def _remember(self, retired: RetiredVersion) -> None:
        now = time.monotonic()
        kept = OrderedDict((v, e) for v, e in self._retired.items()
                           if v != retired.version and now - e[1] <= self.version_grace)
        kept[retired.version] = (retired, now)
        while len(kept) > self.keep_versions:
            kept.popitem(last=False)
        self._retired = kept  # swapped whole: readers in other threads see one or the other

    def check(self) -> bool:
        """Look at the files now; True when new data was swapped in.

        A change is loaded once its files have been quiet for ``settle`` seconds by their
        modification times (at once when ``settle`` is 0).
        """
        with self._lock:
            return self._check()

    def _check(self) -> bool:
        now = time.monotonic()
        self._checked, self._due = now, float("inf")
        signature = _signature(self.directory)
        if signature != self._seen:
            self._seen, self._seen_at = signature, now
        if signature == self._tried:
            if not self._racy(signature) or now - self._racy_checked < RACY_LOOK_SECONDS:
                return False
            self._racy_checked = now
            started = time.time_ns()
            if fingerprint(self.directory) == self._tried_version:
                self._tried_at_ns = started  # same bytes: the files are no longer racy
                return False
        else:
            wait = self._settle_left(signature, now)
            if wait > 0:
                self._due = now + wait
                return False  # still changing, or just changed: let the writer finish
        return self._reload(signature)

    def _settle_left(self, signature: Signature, now: float) -> float:
        """Seconds until the files will have been quiet for ``settle``, by their times."""
        stamps = [max(mtime, ctime) for _, ino, _, mtime, ctime in signature if ino >= 0]
        if not stamps:  # nothing there to date the change by: wait from when it was seen
            return self.settle - (now - self._seen_at)
        return self.settle - (time.time_ns() - max(stamps)) / 1e9

    def _racy(self, signature: Signature) -> bool:
        limit = self._tried_at_ns - RACY_NS
        return any(max(mtime, ctime) >= limit for _, _, _, mtime, ctime in signature)

    def _reload(self, signature: Signature) -> bool:
        started = time.time_ns()
        loaded: DataVersion | None = None
        try:
            loaded = self._load(self.directory)
            problems: list[Problem] = []
        except Exception as exc:
            problems = _problems_of(exc, self.directory)
        if _signature(self.directory) != signature:
            return False  # written to while being read: read it again at the next check
        self._tried, self._tried_at_ns = signature, started
        self._tried_version = loaded.version if loaded else fingerprint(self.directory)
        self.problems = problems
        if loaded is None:
            return False  # refused: keep serving what is there
        old = self._current
        if loaded.version == old.version:
            if old.dataset.directory != self.directory:
                self._current = loaded  # the files are good again: serve them, not the copy
                self._save(loaded)
            return False  # the same bytes again: keep what is cached
        self._remember(old.retired())
        self._current = loaded
        self._save(loaded)
        return True
