"""Validated copies of a data directory on disk: what a worker boots from when the files
it is pointed at are broken, and where earlier data versions are found again.

Layout: ``<cache_dir>/<key>/<version>/`` holds the data files of one version exactly as
they were validated (``key`` names the data directory, so several data sets can share a
cache directory); ``<key>/current`` names the newest. Every write is a complete directory
renamed into place, and ``current`` is replaced with ``os.replace``: a reader never sees a
half-written copy, whichever worker or process wrote it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from mapapp.dataset import data_files, fingerprint

log = logging.getLogger(__name__)

POINTER = "current"
VERSION = re.compile(r"[0-9a-f]{16}")  # dataset.fingerprint


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/mapapp``, else ``~/.cache/mapapp``: writable by the user who runs
    the app in a fresh clone, under CI and under a service account with a home."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "mapapp"


class LastGood:
    """The saved copies of one data directory, newest first; ``keep`` are kept."""

    def __init__(self, cache_dir: Path, data_dir: Path, keep: int = 3):
        resolved = Path(data_dir).resolve()
        key = hashlib.sha256(str(resolved).encode()).hexdigest()[:12]
        self.root = Path(cache_dir) / f"{resolved.name or 'data'}-{key}"
        self.keep = keep

    def path_of(self, version: str) -> Path | None:
        """The copy of ``version``, when one is saved."""
        if not VERSION.fullmatch(version):  # from a URL: never "..", never a staging dir
            return None
        path = self.root / version
        return path if path.is_dir() else None

    def newest_first(self) -> list[Path]:
        """Saved copies, the one named by ``current`` first, then by age."""
        try:
            pointer = (self.root / POINTER).read_text(encoding="utf-8").strip()
        except OSError:
            pointer = ""
        try:
            copies = [p for p in self.root.iterdir() if p.is_dir() and not p.name.startswith(".")]
        except OSError:
            return []
        copies.sort(key=lambda p: (p.name != pointer, -_mtime(p)))
        return copies

    def save(self, directory: Path, version: str) -> Path | None:
        """Copy ``directory`` (whose files were just validated as ``version``) unless it is
        saved already, and make it the current one. None when it cannot be saved: the
        files changed while being copied, or the cache directory is not writable (the app
        keeps serving; it only loses its fallback)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            final = self.root / version
            if not final.is_dir():
                staging = Path(tempfile.mkdtemp(dir=self.root, prefix=".incoming-"))
                try:
                    _copy_files(Path(directory), staging)
                    if fingerprint(staging) != version:
                        return None  # rewritten while being copied: saved at the next load
                    os.rename(staging, final)
                except OSError:
                    if not final.is_dir():
                        raise
                finally:
                    shutil.rmtree(staging, ignore_errors=True)
            os.utime(final)  # age = when it was last current, for pruning and for order
            _write_atomically(self.root / POINTER, version)
            self._prune(version)
            return final
        except OSError as exc:
            log.warning("could not save the last good data to %s: %s", self.root, exc)
            return None

    def _prune(self, current: str) -> None:
        for old in [p for p in self.newest_first() if p.name != current][self.keep - 1:]:
            shutil.rmtree(old, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _copy_files(source: Path, target: Path) -> None:
    for path in data_files(source):
        if not path.is_file():
            continue
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "rb") as src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())  # durable before the rename that publishes it


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".pointer-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
