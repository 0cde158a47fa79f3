"""Fixtures in the style of Flask's tutorial: app, client, runner; plus a live server and
a real Chromium driven by Playwright for the browser tests."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from mapapp import create_app
from tests.tiny_dataset import write_tiny_dataset

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"
# Saved copies of the data (mapapp.last_good) go to a directory of this run, not the
# user's cache; every app a test creates, and every server it starts, inherits it.
os.environ["MAPAPP_CACHE_DIR"] = tempfile.mkdtemp(prefix="mapapp-test-cache-")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def pytest_unconfigure(config) -> None:
    shutil.rmtree(os.environ["MAPAPP_CACHE_DIR"], ignore_errors=True)


@pytest.fixture(scope="session")
def app():
    return create_app({"data_dir": DATA_DIR, "reload_interval": 0.0})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    return write_tiny_dataset(tmp_path / "tiny")


@pytest.fixture
def tiny_app(tiny_dir: Path):
    return create_app({"data_dir": tiny_dir, "reload_interval": 0.0})


class LiveServer:
    def __init__(self, app) -> None:
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class PageRecorder:
    """A browser page that records every request and every script error."""

    def __init__(self, page, origin: str) -> None:
        self.page = page
        self.origin = origin
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests
                if not u.startswith(self.origin) and not u.startswith(("data:", "blob:"))]

    def open(self, path: str) -> None:
        self.page.goto(self.origin + path)
        self.page.wait_for_selector("html[data-mapapp-ready=true]", timeout=20000)


@pytest.fixture
def make_page(browser):
    contexts = []

    def factory(origin: str, **context_options) -> PageRecorder:
        context = browser.new_context(**context_options)
        contexts.append(context)
        return PageRecorder(context.new_page(), origin)

    yield factory
    for context in contexts:
        context.close()
