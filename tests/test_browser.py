"""The shipped map in a real Chromium: the date moves Deir ez-Zor's districts, every coloured
place cites its source, and nothing is fetched from outside the origin."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def _slider_value(page) -> int:
    return int(page.locator("#mapapp-slider").input_value())


def _drag_slider_to(page, iso: str) -> None:
    """Drag the thumb with the mouse, then settle on the exact day with arrow keys: all real
    input events, as a person would do it."""
    slider = page.locator("#mapapp-slider")
    box = slider.bounding_box()
    lo, hi = int(slider.get_attribute("min")), int(slider.get_attribute("max"))
    target = page.evaluate(f"Math.round(Date.parse('{iso}T00:00:00Z') / 86400000)")

    def x_of(value: int) -> float:
        thumb = 16  # Chromium's default range thumb is about 16 px wide
        return box["x"] + thumb / 2 + (value - lo) / (hi - lo) * (box["width"] - thumb)

    y = box["y"] + box["height"] / 2
    page.mouse.move(x_of(_slider_value(page)), y)
    page.mouse.down()
    page.mouse.move(x_of(target), y, steps=12)
    page.mouse.up()
    for _ in range(40):
        value = _slider_value(page)
        if value == target:
            break
        page.keyboard.press("ArrowRight" if value < target else "ArrowLeft")
    assert _slider_value(page) == target


def test_slider_moves_kanamat_from_isis_to_the_government(live_server, make_page):
    recorder = make_page(live_server.url, viewport={"width": 1280, "height": 800})
    recorder.open("/?date=2017-10-30&view=deir-ez-zor-city")
    page = recorder.page
    assert page.evaluate("mapapp.getDate()") == "2017-10-30"
    assert page.evaluate("mapapp.getPlaceState('kanamat')")["factions"] == ["isis"]
    assert page.locator("#mapapp-date").text_content() == "30 Oct 2017"

    _drag_slider_to(page, "2017-11-01")

    assert page.evaluate("mapapp.getDate()") == "2017-11-01"
    state = page.evaluate("mapapp.getPlaceState('kanamat')")
    assert state["status"] == "held" and state["factions"] == ["syrian-government"]
    assert state["since"] == "2017-10-31" and state["event"] == "2017-10-31-kanamat"
    assert page.locator("#mapapp-date").text_content() == "1 Nov 2017"
    # the link is shareable: the date follows the slider
    page.wait_for_function("() => location.search.includes('date=2017-11-01')")
    assert recorder.errors == []
    assert recorder.foreign_requests() == []


def test_every_coloured_place_says_where_its_information_comes_from(live_server, make_page):
    recorder = make_page(live_server.url, viewport={"width": 1280, "height": 800})
    recorder.open("/?date=2017-11-01&view=deir-ez-zor-city")
    page = recorder.page
    page.wait_for_function("() => window.mapapp.detailsLoaded === true")
    # every place drawn in a faction's colour has a popup with an http(s) source link
    without_source = page.evaluate("""() => mapapp.placeIds().filter(id => {
        if (mapapp.getPlaceState(id).status === 'no-data') return false;
        const link = mapapp.popupElement(id).querySelector('.mapapp-source a');
        return !(link && /^https?:/.test(link.getAttribute('href')));
    })""")
    assert without_source == []
    # a real click on Kanamat opens its popup with the source as an http(s) link
    x, y = page.evaluate("mapapp.placeScreenPoint('kanamat')")
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Kanamat" in popup.inner_text()
    link = popup.locator(".mapapp-source a")
    assert link.get_attribute("href").startswith(("http://", "https://"))
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    assert "Approximate outline" in popup.inner_text()  # Kanamat's outline is derived
    assert recorder.foreign_requests() == []


@pytest.mark.parametrize("size", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_page_fits_without_horizontal_scrolling(live_server, make_page, size):
    recorder = make_page(live_server.url, viewport=size)
    recorder.open("/")
    page = recorder.page
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.locator("#mapapp-slider").is_visible()


def test_failing_online_tiles_break_nothing(live_server, make_page):
    recorder = make_page(live_server.url, viewport={"width": 1280, "height": 800})
    page = recorder.page
    blocked: list[str] = []

    def refuse(route):
        blocked.append(route.request.url)
        route.abort("internetdisconnected")

    page.route("https://**/*", refuse)
    recorder.open("/?date=2017-10-30")
    assert blocked == []  # online tiles are off until a viewer picks them
    page.locator(".leaflet-control-layers").hover()
    page.get_by_label("Online map tiles").check()
    page.wait_for_function("() => document.querySelectorAll('img.leaflet-tile').length > 0")
    assert blocked, "the tile layer should have tried to load tiles"
    assert page.evaluate("mapapp.setDate('2017-11-01')") == "2017-11-01"
    assert page.evaluate("mapapp.getPlaceState('kanamat')")["factions"] == ["syrian-government"]
    assert recorder.errors == []


def test_the_page_and_the_api_agree_on_every_place_at_every_change(live_server, make_page,
                                                                   client):
    recorder = make_page(live_server.url, viewport={"width": 1280, "height": 800})
    recorder.open("/?date=2017-10-30")
    page = recorder.page
    # /api/areas lists the engine's change dates; between two of them nothing changes
    for date in client.get("/api/areas").get_json()["dates"]:
        api = {f["id"]: f["properties"] for f in
               client.get(f"/api/state?date={date}").get_json()["features"]}
        shown = page.evaluate("date => { mapapp.setDate(date); return Object.fromEntries("
                              "mapapp.placeIds().map(id => [id, mapapp.getPlaceState(id)])); }",
                              date)
        for place, props in api.items():
            got = shown[place]
            assert (got["status"], got["factions"], got["since"], got["event"]) == (
                props["status"], props["factions"], props["since"], props["event_id"]
            ), f"{place} on {date}"
    # Workers 1 was taken on 26 Oct; the 3 Nov report only confirms it
    page.evaluate("mapapp.setDate('2017-11-05')")
    assert page.evaluate("mapapp.getPlaceState('workers-1')")["since"] == "2017-10-26"
