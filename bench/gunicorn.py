"""A real gunicorn master on a free loopback port, for the server tests and the soak test:
started with the app's own settings as environment variables, HUP'd, measured, stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bench.load_test import free_port, rss_kib

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "deploy" / "gunicorn.conf.py"


class Gunicorn:
    """``gunicorn wsgi:app`` with ``workers`` gthread workers, as a context manager."""

    def __init__(self, env: Mapping[str, str], workers: int = 2, threads: int = 4,
                 log: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self._args = [sys.executable, "-m", "gunicorn", "-c", str(CONFIG),
                      "--workers", str(workers),
                      "--worker-class", "gthread", "--threads", str(threads),
                      "--timeout", "60", "--graceful-timeout", "10",
                      "--bind", f"127.0.0.1:{self.port}", "wsgi:app"]
        self._env = {**os.environ, **env}
        self._log = log
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Gunicorn:
        if self._log:
            with open(self._log, "ab") as out:  # the child keeps its own descriptor
                self.process = subprocess.Popen(self._args, cwd=REPO, env=self._env,
                                                stdout=out, stderr=out)
        else:
            self.process = subprocess.Popen(self._args, cwd=REPO, env=self._env,
                                            stdout=subprocess.DEVNULL,
                                            stderr=subprocess.DEVNULL)
        self.wait_workers(set())
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def worker_pids(self) -> set[int]:
        assert self.process is not None
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return {int(p) for p in path.read_text().split()}
        except OSError:
            return set()

    def rss_kib(self) -> int:
        """Resident memory of the master and its workers."""
        assert self.process is not None
        return rss_kib(self.process.pid)

    def wait_workers(self, old: set[int], timeout: float = 60) -> set[int]:
        """Wait until ``workers`` workers none of which is in ``old`` answer /healthz
        (asked often enough that each of them does)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive:
                raise RuntimeError(f"gunicorn exited with status {self.process.returncode}")
            pids = self.worker_pids()
            if len(pids) == self.workers and not pids & old:
                try:
                    self.get_json("/healthz")
                    return pids
                except OSError:
                    pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn's workers did not start within {timeout} s")

    def hup(self) -> set[int]:
        """Replace every worker (``kill -HUP``, as a deploy does) and wait for the new ones."""
        assert self.process is not None
        old = self.worker_pids()
        self.process.send_signal(signal.SIGHUP)
        return self.wait_workers(old)

    def get(self, path: str, headers: Mapping[str, str] | None = None,
            timeout: float = 20) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url + path, headers=dict(headers or {}))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def get_json(self, path: str) -> Any:
        status, _headers, body = self.get(path)
        if status != 200:
            raise OSError(f"{path}: HTTP {status}")
        return json.loads(body)
