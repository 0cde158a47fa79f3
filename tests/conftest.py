"""Fixtures in the style of Flask's tutorial: app, client, runner; plus a live server and
a real Chromium driven by Playwright for the browser tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from bench.servers import LoopbackServer as LiveServer  # one loopback server, bench's too
from mapapp import create_app
from mapapp.dataset import load_dataset
from mapapp.timeline import Timeline
from tests.tiny_dataset import write_tiny_dataset
from tests.viewer_support import DESKTOP, wait_until_still

REPO = Path(__file__).resolve().parent.parent
DATA_DIR = REPO / "data"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


@pytest.fixture(scope="session")
def make_app() -> Callable[..., Flask]:
    """``create_app`` on a data directory (the shipped one by default) with hot reload off;
    keyword arguments are further settings, e.g. ``details_chunk=5``."""

    def factory(data_dir: Path = DATA_DIR, **settings: Any) -> Flask:
        return create_app({"data_dir": data_dir, "reload_interval": 0.0, **settings})

    return factory


@pytest.fixture(scope="session")
def make_timeline() -> Callable[..., Timeline]:
    """The Timeline of a data directory (the shipped one by default)."""

    def factory(data_dir: Path = DATA_DIR) -> Timeline:
        return Timeline(load_dataset(data_dir))

    return factory


@pytest.fixture(scope="session")
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def timeline(app):
    """The Timeline the shipped app serves (the one its pages and API answer from)."""
    return app.extensions["mapapp"].current().timeline


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    return write_tiny_dataset(tmp_path / "tiny")


@pytest.fixture
def tiny_app(make_app, tiny_dir: Path):
    return make_app(tiny_dir)


@pytest.fixture
def tiny_client(tiny_app):
    return tiny_app.test_client()


@pytest.fixture(scope="session")
def tiny_timeline(make_timeline, tmp_path_factory) -> Timeline:
    """The tiny data set's Timeline, shared by every test that only reads it."""
    return make_timeline(write_tiny_dataset(tmp_path_factory.mktemp("tiny") / "tiny"))


@pytest.fixture(scope="session")
def tiny_ar_timeline(make_timeline, tmp_path_factory) -> Timeline:
    """The tiny data set with Arabic names for one faction (tests/tiny_dataset.py)."""
    directory = tmp_path_factory.mktemp("tiny-ar") / "tiny"
    return make_timeline(write_tiny_dataset(directory, arabic_factions=True))


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real Chromium through Playwright")
    config.addinivalue_line("markers", "server: starts real servers (gunicorn, nginx) or "
                            "programs (LibreOffice) on loopback")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a test that can start Chromium without the ``browser`` marker, so that
    ``-m "not browser"`` never starts it."""
    unmarked = [item.nodeid for item in items if "browser" in getattr(item, "fixturenames", ())
                and item.get_closest_marker("browser") is None]
    if unmarked:
        raise pytest.UsageError("these tests use the browser fixture without "
                                "@pytest.mark.browser: " + ", ".join(unmarked))


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


@pytest.fixture
def map_of(make_app, make_page) -> Callable[[Path, str], AbstractContextManager[Any]]:
    """A live server on a data directory and a desktop page on ``path`` with the map usable."""

    @contextmanager
    def open_map_of(data_dir: Path, path: str) -> Iterator[tuple[Any, Any]]:
        app = make_app(data_dir)
        with LiveServer(app) as server:
            recorder = make_page(server.url, **DESKTOP)
            recorder.open(path)
            recorder.page.wait_for_function(
                "() => document.documentElement.getAttribute('data-mapapp-ready') === 'true'")
            wait_until_still(recorder.page)
            yield app, recorder

    return open_map_of
