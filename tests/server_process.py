"""A server command (such as `python -m http.server` over a built static site) in its own
process on a free loopback port, stopped at the end."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``command`` with ``{port}`` filled in; ready once ``probe`` answers (any status)."""

    def __init__(self, command: Sequence[str], probe: str = "/", cwd: Path = REPO,
                 env: dict[str, str] | None = None, timeout: float = 60.0) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._command = [part.format(port=self.port) for part in command]
        self._probe, self._cwd, self._timeout = probe, cwd, timeout
        self._env = {**os.environ, **(env or {})}
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ServerProcess:
        # A file, not a pipe: a chatty server never blocks on a pipe no one reads.
        self._log = tempfile.TemporaryFile()
        self._process = subprocess.Popen(self._command, cwd=self._cwd, env=self._env,
                                         stdout=subprocess.DEVNULL, stderr=self._log)
        deadline = time.monotonic() + self._timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._log.seek(0)
                log = self._log.read().decode(errors="replace")[-2000:]
                self.__exit__()
                raise RuntimeError(f"{self._command[0]} exited: {log}")
            try:
                urllib.request.urlopen(self.url + self._probe, timeout=2).close()
                return self
            except urllib.error.HTTPError:
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"{self._command} did not answer within {self._timeout} s")

    def __exit__(self, *exc: object) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._log.close()
