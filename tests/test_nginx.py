"""deploy/nginx.conf, run by Debian's nginx on loopback in front of a real gunicorn: versioned
data is served from the cache, pages are revalidated and never stored, gzip and identity
are cached apart with their own ETags, and an update reaches readers once the cache
lifetimes docs/deploy.md gives have run out."""

from __future__ import annotations

import getpass
import gzip
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.gunicorn import REPO, Gunicorn
from bench.load_test import free_port
from mapapp.web.compress import MIN_BYTES
from mapapp.web.pages import VERSION_MAX_AGE
from tests.tiny_dataset import write_tiny_dataset

pytestmark = pytest.mark.server

SETTLE = 0.5
API_MAX_AGE = 10  # proxy_cache_valid of /api/ in deploy/nginx.conf
# The app's own reload (load, validate, render the page) on a busy machine: what the
# bounds allow beyond the cache lifetimes, far below any lifetime a mistake would give.
SLACK = 5.0
NEW_EVENT = ("2001-05-04-east,2001-05-04,control,east-square,held,green,,,Green takes the "
             "east square.,Test report,https://example.org/new,2001-05-04,confirmed,\r\n")


class Nginx:
    """nginx in the foreground with deploy/nginx.conf, its prefix under ``root``."""

    def __init__(self, root: Path, upstream_port: int) -> None:
        executable = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(executable):
            pytest.fail("Debian's nginx is not installed: run `make test`, which installs it")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.root = root
        (root / "temp").mkdir(parents=True)
        config = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
        assert config.count("127.0.0.1:5000") == 1 and config.count("127.0.0.1:8080") == 1
        config = config.replace("127.0.0.1:5000", f"127.0.0.1:{upstream_port}").replace(
            "127.0.0.1:8080", f"127.0.0.1:{self.port}")
        (root / "nginx.conf").write_text(config, encoding="utf-8")
        # As root (CI), nginx would hand its workers to "nobody", who cannot enter pytest's
        # private temporary directory: keep them as the user running the test.
        directives = "daemon off;" + (f" user {getpass.getuser()};" if os.getuid() == 0 else "")
        self.args = [executable, "-p", str(root), "-c", str(root / "nginx.conf"),
                     "-g", directives, "-e", str(root / "error.log")]

    def __enter__(self) -> Nginx:
        check = subprocess.run([*self.args, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(self.args, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                assert self.process.poll() is None, (self.root / "error.log").read_text()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()  # fast shutdown
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        headers.setdefault("Accept-Encoding", "identity")
        request = urllib.request.Request(self.url + path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[tuple[Gunicorn, Nginx, Path]]:
    """One stack for the module; the update test, which changes the data, runs last."""
    tmp_path = tmp_path_factory.mktemp("stack")
    data = write_tiny_dataset(tmp_path / "data")
    env = {"MAPAPP_DATA_DIR": str(data), "MAPAPP_CACHE_DIR": str(tmp_path / "cache"),
           "MAPAPP_RELOAD_INTERVAL": str(SETTLE), "MAPAPP_DETAILS_CHUNK": "2"}
    with Gunicorn(env, workers=1, log=tmp_path / "gunicorn.log") as app, \
            Nginx(tmp_path / "nginx", app.port) as proxy:
        yield app, proxy, data


def test_versioned_data_is_a_cache_hit_per_encoding_with_its_own_etag(stack):
    app, proxy, _ = stack
    version = app.get_json("/healthz")["version"]
    gzipped = 0
    for name in ("timeline.json", "events/control-1.json"):
        path = f"/data/{version}/{name}"
        plain = [proxy.get(path) for _ in range(2)]
        zipped = [proxy.get(path, **{"Accept-Encoding": "gzip, deflate, br"}) for _ in range(2)]
        assert [r[1]["X-Cache-Status"] for r in plain + zipped] == ["MISS", "HIT", "MISS", "HIT"]
        for status, headers, _body in plain + zipped:
            assert status == 200
            assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert "Accept-Encoding" in headers["Vary"]
        assert plain[1][2] == plain[0][2] and plain[1][1]["ETag"] == f'"{version}"'
        if len(plain[1][2]) < MIN_BYTES:  # too small to be worth compressing
            assert zipped[1][2] == plain[1][2] and zipped[1][1]["ETag"] == f'"{version}"'
            continue
        assert zipped[1][1]["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain[1][1]
        assert gzip.decompress(zipped[1][2]) == plain[1][2]
        assert zipped[1][1]["ETag"] == f'"{version}-gzip"'
        # "gzip" alone shares the entry of the longer list: two variants, not one per list
        assert proxy.get(path, **{"Accept-Encoding": "gzip"})[1]["X-Cache-Status"] == "HIT"
        # the app itself answers each tag for its own representation
        for encoding, tag in (("identity", f'"{version}"'), ("gzip", f'"{version}-gzip"')):
            status, _, body = app.get(path, {"Accept-Encoding": encoding, "If-None-Match": tag})
            assert (status, body) == (304, b"")
        gzipped += 1
    assert gzipped >= 1  # the payload, at least, travels gzipped


def test_pages_are_revalidated_and_never_stored(stack):
    _, proxy, _ = stack
    status, headers, page = proxy.get("/?date=2001-05-02")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    assert headers.get("X-Cache-Status", "") == ""  # not looked up: carries a CSP nonce
    tag = headers["ETag"]
    assert tag.startswith('W/"')
    again = proxy.get("/?date=2001-05-02", **{"If-None-Match": tag})
    assert (again[0], again[2]) == (304, b"")
    assert "Content-Security-Policy" not in again[1]  # the stored page keeps its own
    other = proxy.get("/?date=2001-05-03", **{"If-None-Match": tag})
    assert other[0] == 200 and other[1]["ETag"] != tag
    fresh = proxy.get("/?date=2001-05-02")
    assert fresh[1]["Content-Security-Policy"] != headers["Content-Security-Policy"]


def test_an_update_reaches_readers_past_the_documented_cache_lifetimes(stack):
    app, proxy, data = stack
    old = app.get_json("/healthz")["version"]
    old_payload = proxy.get(f"/data/{old}/timeline.json")[2]
    assert proxy.get(f"/data/{old}/timeline.json")[1]["X-Cache-Status"] == "HIT"
    for path in ("/data/version.json", "/api/events"):
        proxy.get(path)  # cached with the old data
    with open(data / "events.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write(NEW_EVENT)
    changed = time.monotonic()
    reached: dict[str, float] = {}
    while len(reached) < 3 and time.monotonic() - changed < SETTLE + API_MAX_AGE + 2 * SLACK:
        checks = {
            "page": lambda: old.encode() not in proxy.get("/")[2],
            "version.json": lambda: old.encode() not in proxy.get("/data/version.json")[2],
            "api": lambda: b"2001-05-04-east" in proxy.get("/api/events")[2],
        }
        for name, probe in checks.items():
            if name not in reached and probe():
                reached[name] = time.monotonic() - changed
        time.sleep(0.25)
    assert set(reached) == {"page", "version.json", "api"}, reached
    # What bounds each delay (a timing bound belongs in bench/, not in a test): the
    # page is never stored, version.json and the API only for their documented lifetimes.
    assert proxy.get("/")[1]["Cache-Control"] == "no-cache"
    assert (proxy.get("/data/version.json")[1]["Cache-Control"]
            == f"public, max-age={VERSION_MAX_AGE}")
    assert f"proxy_cache_valid 200 {API_MAX_AGE}s" in (
        REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    # a page still open on the old version keeps getting its bytes from the cache
    status, headers, body = proxy.get(f"/data/{old}/timeline.json")
    assert (status, headers["X-Cache-Status"], body) == (200, "HIT", old_payload)
