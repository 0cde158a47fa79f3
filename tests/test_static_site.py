"""`mapapp build-site`: the map as plain files, served by `python -m http.server`, in a real
Chromium. Nothing may leave the origin, nothing may be missing, nothing may need a server."""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

import pytest

import mapapp
from mapapp.cli import main
from tests.server_process import ServerProcess
from tests.tiny_dataset import write_tiny_dataset
from tests.viewer_support import DESKTOP, click_place, wait_for_date


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    root = tmp_path_factory.mktemp("site")
    data = write_tiny_dataset(root / "tiny")
    result = CliRunner().invoke(main, ["build-site", str(root / "out"), "--data", str(data)])
    assert result.exit_code == 0, result.output
    return root / "out"


@pytest.fixture(scope="module")
def static_server(site):
    with ServerProcess([sys.executable, "-m", "http.server", "{port}", "--bind", "127.0.0.1",
                        "--directory", str(site)]) as server:
        yield server


def test_the_site_holds_the_page_its_data_and_the_static_exports(site):
    version = json.loads((site / "index.html").read_text().split(
        '<script id="mapapp-config" type="application/json">')[1].split("</script>")[0])[
        "version"]
    for name in ("index.html", f"data/{version}/timeline.json", "feed.atom", "sources.txt",
                 "export/dataset.zip", "export/events.csv", "export/events.geojson",
                 "api/views", "vendor/leaflet/leaflet.js", "static/mapapp.js", "_headers",
                 "ogc/collections/control/items.geojson"):
        assert (site / name).is_file(), name
    assert list((site / "export").glob("snapshot-*.png"))
    # Every script and style the page loads, the ES modules in viewer/ and panel/ included.
    static = Path(mapapp.__file__).parent / "static"
    shipped = {p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()}
    copied = {p.relative_to(site / "static").as_posix() for p in (site / "static").rglob("*")
              if p.is_file()}
    assert {"main.js", "viewer/viewer.js", "panel/panel.js", "freshness.js"} <= shipped
    assert shipped - copied == set()
    assert list((site / f"data/{version}/events").glob("control-*.json"))
    headers = (site / "_headers").read_text()
    data_rule = headers.split("/data/*\n")[1].split("\n\n")[0]
    assert "immutable" in data_rule
    assert "must-revalidate" in headers.split("/index.html\n")[1].split("\n\n")[0]
    control = json.loads((site / "ogc/collections/control/items.geojson").read_text())
    assert {f["id"] for f in control["features"]} >= {"west-square", "east-square"}
    assert not list(site.rglob("*.map"))
    html = (site / "index.html").read_text()
    assert '<meta http-equiv="Content-Security-Policy"' in html and "'unsafe-inline'" not in \
        html.split('http-equiv="Content-Security-Policy" content="')[1].split("script-src")[1] \
        .split(";")[0]


def test_a_base_url_prefixes_every_link(tmp_path):
    from click.testing import CliRunner

    data = write_tiny_dataset(tmp_path / "tiny")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build-site", str(out), "--data", str(data),
                                       "--base-url", "https://news.example/war/"])
    assert result.exit_code == 0, result.output
    html = (out / "index.html").read_text()
    assert '"/war/data/' in html and 'src="/war/static/' in html
    assert 'href="https://news.example/war/feed.atom"' in (out / "feed.atom").read_text()
    assert "/war/data/*" in (out / "_headers").read_text()
    # A second build replaces the first; a folder that is not a build is never deleted.
    assert CliRunner().invoke(main, ["build-site", str(out), "--data", str(data)]).exit_code == 0
    refused = CliRunner().invoke(main, ["build-site", str(tmp_path), "--data", str(data)])
    assert refused.exit_code != 0 and (tmp_path / "tiny").is_dir()


@pytest.mark.browser
def test_the_static_site_is_the_full_map_with_no_server(static_server, make_page):
    recorder = make_page(static_server.url, **DESKTOP)
    failed: list[str] = []
    recorder.page.on("response", lambda r: failed.append(f"{r.status} {r.url}")
                     if r.status >= 400 else None)
    # A script the meta policy's hashes miss is refused with a console error, not a page error.
    refused: list[str] = []
    recorder.page.on("console", lambda m: refused.append(m.text)
                     if m.type == "error" and "Content Security Policy" in m.text else None)
    page = recorder.page
    recorder.open("/?date=2001-05-01")  # a permalink
    assert page.evaluate("mapapp.getDate()") == "2001-05-01"
    assert page.evaluate("mapapp.getPlaceState('west-square').status") == "contested"
    # Scrub the slider with the keyboard, as a reader would.
    page.locator("#mapapp-slider").focus()
    page.keyboard.press("End")
    wait_for_date(page, "2001-05-03")
    assert page.evaluate("mapapp.getPlaceState('west-square').factions") == ["green"]
    page.keyboard.press("Home")
    page.wait_for_function("() => mapapp.getDate() < '2001-05-01'")
    # A popup's texts load from a pre-built chunk.
    page.evaluate("mapapp.setDate('2001-05-03')")
    click_place(page, "west-square")
    popup = page.locator(".leaflet-popup-content")
    popup.locator(".mapapp-source a").wait_for()
    assert "Green takes the west square." in popup.inner_text()
    # The Share dialog offers the pre-rendered files only, and they are all there.
    page.locator(".mapapp-share-button").click()
    dialog = page.locator("#mapapp-share")
    dialog.wait_for()
    hrefs = dialog.locator(".mapapp-share-download").evaluate_all(
        "links => links.map(a => a.href)")
    assert hrefs and all(h.startswith(static_server.url) for h in hrefs)
    assert not any("?" in h for h in hrefs)
    for href in hrefs:
        with urllib.request.urlopen(href) as response:
            assert response.status == 200 and response.read()
    assert not dialog.locator("textarea").is_visible()  # no embed code without a server
    # A second permalink, in a fresh load.
    recorder.open("/?date=2001-05-02&view=west")
    assert page.evaluate("mapapp.getPlaceState('east-square').status") == "joint"
    assert recorder.errors == []
    assert recorder.foreign_requests() == []
    assert failed == []
    assert refused == []


@pytest.mark.browser
def test_the_static_site_has_a_page_per_language_and_the_switch_goes_between(static_server,
                                                                            make_page, site):
    html = (site / "ar" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html and '<meta http-equiv="Content-Security-Policy"' \
        in html
    recorder = make_page(static_server.url, **DESKTOP)
    page = recorder.page
    recorder.open("/?date=2001-05-02")
    page.locator("#mapapp-lang").click()
    page.wait_for_function("() => location.pathname === '/ar/' && "
                           "document.documentElement.dataset.mapappReady === 'true'")
    assert page.evaluate("mapapp.getDate()") == "2001-05-02"  # the state travels in the URL
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.locator("#mapapp-date").text_content() == "2 مايو 2001"
    assert "lang=" not in page.url  # the page, not a parameter, says the language
    page.locator("#mapapp-lang").click()
    page.wait_for_function("() => location.pathname === '/' && "
                           "document.documentElement.dataset.mapappReady === 'true'")
    assert page.evaluate("mapapp.getDate()") == "2001-05-02"
    assert recorder.errors == [] and recorder.foreign_requests() == []
