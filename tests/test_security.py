"""Headers, and strings from data that try to run script: escaped everywhere they appear."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.conftest import LiveServer
from tests.hostile_dataset import write_hostile_dataset


@pytest.fixture
def hostile_app(make_app, tmp_path):
    return make_app(write_hostile_dataset(tmp_path / "hostile"))


def test_headers_on_every_kind_of_response(client):
    for url in ("/", "/api/state", "/healthz", "/static/mapapp.js", "/api/state?date=x"):
        response = client.get(url)
        response.close()  # a static file is streamed from an open file
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, url
        assert "connect-src 'self'" in csp and "object-src 'none'" in csp
        assert "unsafe-eval" not in csp and "script-src 'self'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_only_the_embed_may_be_framed(client):
    response = client.get("/embed?date=2017-11-01")
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers


def test_remote_origins_only_for_the_chosen_tile_host(make_app, tiny_dir):
    offered = make_app(tiny_dir)
    csp = offered.test_client().get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://tile.openstreetmap.org" in csp
    offline = make_app(tiny_dir, offer_online_tiles=False)
    csp = offline.test_client().get("/").headers["Content-Security-Policy"]
    assert "http" not in csp


@pytest.mark.parametrize("path", ["/", "/embed", "/embed?controls=1"])
def test_inline_scripts_carry_this_requests_nonce(client, path):
    first, second = client.get(path), client.get(path)
    nonce = first.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    html = first.get_data(as_text=True)
    assert f'<script nonce="{nonce}">' in html
    assert "<script>" not in html  # every inline script is marked
    assert nonce not in second.get_data(as_text=True)


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["", "&lang=ar"])  # Arabic shows the Arabic names
def test_hostile_strings_never_execute_in_the_page(hostile_app, make_page, lang):
    with LiveServer(hostile_app) as server:
        recorder = make_page(server.url, viewport={"width": 1280, "height": 800})
        page = recorder.page
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        recorder.open(f"/?date=2001-05-02{lang}")
        page.wait_for_function("() => window.mapapp.detailsLoaded === true")
        # open every place's popup with a real click where it has a point to click
        for place in page.evaluate("mapapp.placeIds()"):
            point = page.evaluate(f"mapapp.placeScreenPoint({place!r})")
            if point:
                page.mouse.click(*point)
                page.wait_for_timeout(100)
            page.evaluate(f"document.body.appendChild(mapapp.popupElement({place!r}) || "
                          "document.createElement('div'))")
        page.locator(".leaflet-control-layers").hover()
        for date in ("2001-05-01", "2001-05-03", "1965-03-01"):
            page.evaluate(f"mapapp.setDate({date!r})")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned === undefined"), page.evaluate("window.__pwned")
        assert dialogs == []
        # the payloads are on the page as text, and no element carries an event handler
        body_text = page.evaluate("document.body.innerText")
        assert "<script>" in body_text or "onerror" in body_text
        handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(el =>
            [...el.attributes].filter(a => a.name.startsWith('on')).map(a => el.tagName))""")
        assert handlers == []
        hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')]"
                              ".map(a => a.getAttribute('href'))")
        assert hrefs and all(h.startswith(("http://", "https://", "/", "#", "?"))
                             for h in hrefs), hrefs
        assert not any(h.lower().startswith("javascript:") for h in hrefs)
        assert recorder.errors == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_hostile_strings_are_text_in_exported_svg(hostile_app, lang):
    client = hostile_app.test_client()
    response = client.get("/export/snapshot.svg?date=2001-05-02&title=%3Cscript%3Ealert(1)"
                          f"%3C/script%3E&width=800&height=500&lang={lang}")
    assert response.status_code == 200
    root = ET.fromstring(response.data)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.findall(f".//{ns}script") == []
    texts = "".join(t.text or "" for t in root.iter(f"{ns}text"))
    texts += "".join(t.text or "" for t in root.iter(f"{ns}tspan"))
    assert "<script>alert(1)</script>" in texts
    for element in root.iter():
        assert not any(name.startswith("on") for name in element.attrib)


def test_hostile_strings_do_not_make_pdf_active(hostile_app):
    body = hostile_app.test_client().get("/export/snapshot.pdf?date=2001-05-02").data
    assert body.startswith(b"%PDF-")
    assert b"/JavaScript" not in body and b"/JS " not in body and b"/OpenAction" not in body


def test_too_many_renders_at_once_is_503_with_retry_after(tiny_app):
    import threading

    from mapapp.web import export

    started, release = threading.Event(), threading.Event()
    slots = export.MAX_QUEUED_RENDERS

    def slow_render() -> bytes:
        started.set()
        release.wait(10)
        return b"done"

    # Fill every slot with renders parked on the renderer, as a burst of requests would.
    results: list[bytes] = []
    workers = [threading.Thread(target=lambda: results.append(export._render_bounded(slow_render)))
               for _ in range(slots)]
    for worker in workers:
        worker.start()
    started.wait(5)
    try:
        client = tiny_app.test_client()
        response = client.get("/export/snapshot.png?date=2001-05-02&width=640&height=400"
                              "&title=busy")
        assert response.status_code == 503
        assert int(response.headers["Retry-After"]) > 0
        assert "try again" in response.get_json()["error"]["message"]
    finally:
        release.set()
        for worker in workers:
            worker.join(10)
    assert results == [b"done"] * slots
    again = tiny_app.test_client().get("/export/snapshot.png?date=2001-05-02&width=640"
                                       "&height=400&title=after")
    assert again.status_code == 200


def test_an_animation_over_its_time_budget_stops_with_a_message(tiny_app):
    from mapapp import snapshot as snap_module
    from mapapp.errors import BusyError

    timeline = tiny_app.extensions["mapapp"].current().timeline
    options = snap_module.parse_animation_options(
        {"from": "2001-04-25", "to": "2001-05-05", "step": "day", "width": "400",
         "height": "300"}, timeline)
    with pytest.raises(BusyError, match="took longer than"):
        snap_module.render_animation(timeline, options, time_limit=0.0)
    assert snap_module.render_animation(timeline, options, time_limit=60.0)[:6] == b"GIF89a"
