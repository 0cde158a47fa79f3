"""The Share / Export dialog and the embeddable map, in a real Chromium on the tiny data set:
the dialog is opened with a real click, its embed code is pasted into another page, and that
page drives the embedded map with postMessage."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tiny_app):
    with LiveServer(tiny_app) as live:
        yield live


def _dialog_links(page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll('#mapapp-share a.mapapp-share-download')].map(
            a => [a.closest('.mapapp-share-group').querySelector('h4').textContent + ': ' +
                  a.textContent, a.href]))""")


def test_share_dialog_follows_the_date_and_every_link_works(server, make_page):
    recorder = make_page(server.url, permissions=["clipboard-read", "clipboard-write"])
    recorder.open("/?date=2001-05-02&view=west")
    page = recorder.page
    # The viewer writes the map's centre and zoom into the URL once the map has settled.
    page.wait_for_function("() => new URL(location.href).searchParams.has('c')")
    button = page.get_by_role("button", name="Share or export")
    button.click()
    dialog = page.get_by_role("dialog", name="Share or export")
    assert dialog.is_visible()
    assert "2 May 2001" in dialog.locator(".mapapp-share-when").text_content()

    link = page.locator("#mapapp-share-link").input_value()
    query = parse_qs(urlsplit(link).query)
    assert link.startswith(f"{server.url}/?") and query["date"] == ["2001-05-02"]
    assert query["view"] == ["west"]
    code = page.locator("#mapapp-share-embed-code").input_value()
    assert re.fullmatch(
        r'<iframe src="http://127\.0\.0\.1:\d+/embed\?date=2001-05-02&amp;view=west" '
        r'title="Territorial control map" width="100%" height="520" style="border:0" '
        r'loading="lazy" allowfullscreen></iframe>', code), code

    links = _dialog_links(page)
    assert len(links) == 12
    for name, href in links.items():
        assert "date=2001-05-02" in href or "to=2001-05-02" in href, (name, href)
    # Every download answers with a file, not an error.
    for name, href in links.items():
        response = page.request.get(href)
        assert response.status == 200, (name, href, response.text()[:200])

    dialog.get_by_role("button", name="Copy link").click()
    page.wait_for_function("() => document.querySelector('.mapapp-share-status').textContent"
                           " === 'Copied.'")
    assert page.evaluate("navigator.clipboard.readText()") == link

    # The slider moves while the dialog is open: links follow.
    # Images show what is on screen: the box around the west square, and the title typed.
    dialog.get_by_label("Title (optional)").fill("Squares & more")
    png = parse_qs(urlsplit(_dialog_links(page)["Map image: PNG"]).query)
    assert png["title"] == ["Squares & more"] and png["date"] == ["2001-05-02"]
    bbox = [float(v) for v in png["bbox"][0].split(",")]
    # Leaflet's own bounds for that centre and zoom in a container of the size on screen
    # (invalidateSize: the page's layout can change the map's height after Leaflet measured).
    bounds = page.evaluate("""() => {
        const map = window[document.querySelector('.folium-map').id];
        map.invalidateSize({animate: false});
        const b = map.getBounds();
        return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]; }""")
    assert bbox == pytest.approx(bounds, abs=0.002), (bbox, bounds)
    page.evaluate("mapapp.setDate('2001-05-03')")
    page.evaluate("mapapp.whenSettled()")  # the dialog follows mapapp:datechange
    assert all("2001-05-02" not in h for h in _dialog_links(page).values())
    assert "date=2001-05-03" in page.locator("#mapapp-share-embed-code").input_value()
    # Unpinned, the embed follows the latest state: no date in it.
    dialog.get_by_label("Pin the embed to this date").uncheck()
    assert "date=" not in page.locator("#mapapp-share-embed-code").input_value()

    dialog.get_by_role("button", name="Close", exact=True).click()
    assert not dialog.is_visible()
    assert recorder.errors == [] and recorder.foreign_requests() == []


def test_embed_code_works_in_another_page_and_obeys_postmessage(server, make_page):
    recorder = make_page(server.url)
    recorder.open("/?date=2001-05-02&view=west")
    page = recorder.page
    page.get_by_role("button", name="Share or export").click()
    code = page.locator("#mapapp-share-embed-code").input_value()

    # A newsroom's story page with the pasted code, on another origin.
    page.set_content(f"<!DOCTYPE html><html><body><h1>Story</h1>{code}</body></html>")
    frame = page.frame_locator("iframe")
    frame.locator("html[data-mapapp-ready=true]").wait_for(timeout=20000)
    embedded = next(f for f in page.frames if "/embed" in f.url)
    assert embedded.evaluate("mapapp.getDate()") == "2001-05-02"
    assert frame.locator(".mapapp-timeline").is_hidden()  # no timeline panel
    assert frame.locator(".mapapp-legend").is_visible()  # legend and credit stay
    assert "Tiny test data" in frame.locator(".leaflet-control-attribution").text_content()
    assert frame.locator("#mapapp-embed-date").text_content() == "2 May 2001"

    page.evaluate("document.querySelector('iframe').contentWindow.postMessage("
                  "{type: 'mapapp:setDate', date: '2001-05-01'}, '*')")
    embedded.wait_for_function("() => mapapp.getDate() === '2001-05-01'")
    assert embedded.evaluate("mapapp.getPlaceState('west-square').status") == "contested"
    assert frame.locator("#mapapp-embed-date").text_content() == "1 May 2001"
    assert "date=2001-05-01" in frame.get_by_role("link", name="Full map").get_attribute("href")
    assert recorder.errors == []


def test_embed_with_controls_keeps_the_timeline_and_follows_the_latest(server, make_page):
    recorder = make_page(server.url)
    recorder.open("/embed?controls=1")
    page = recorder.page
    assert page.locator(".mapapp-timeline").is_visible()
    assert page.evaluate("mapapp.getDate()") == "2001-05-03"  # no date: the latest state
    assert recorder.errors == [] and recorder.foreign_requests() == []
