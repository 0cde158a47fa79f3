"""Event texts load in chunks, for what the page shows, in a real Chromium on the shipped
data cut into chunks of 5 events (MAPAPP_DETAILS_CHUNK=5). Which chunk holds which event is
worked out from the data, in the order the timeline sorts it. Chunk requests are held back
by Playwright where a test needs to see the page before they arrive; the responses
themselves are the server's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from mapapp.dataset import load_dataset
from mapapp.timeline import Timeline
from tests.conftest import DATA_DIR, LiveServer
from tests.viewer_support import (
    CITY,
    DESKTOP,
    PHONE,
    ROW_IN_VIEW,
    assert_clean,
    open_map,
    reveal_event,
    tap_place,
)

pytestmark = pytest.mark.browser

CHUNK_URL = re.compile(r"/data/[0-9a-f]+/events/((control|incidents)-\d+)\.json$")
CHUNK = 5
SHIPPED = Timeline(load_dataset(DATA_DIR))


def control_chunk(event_id: str) -> str:
    """The chunk of control texts that holds ``event_id``."""
    return f"control-{list(SHIPPED.control['id']).index(event_id) // CHUNK}"


def incident_chunks_of_week(day: str) -> list[str]:
    """The chunks of the incidents drawn on ``day``: those of the week up to it."""
    end = date.fromisoformat(day)
    dates = [date.fromisoformat(d) for d in SHIPPED.incidents["date"]]
    return sorted({f"incidents-{k // CHUNK}" for k, d in enumerate(dates)
                   if end - timedelta(days=7) < d <= end})


@pytest.fixture(scope="module")
def server(make_app) -> Iterator[LiveServer]:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MAPAPP_DETAILS_CHUNK", str(CHUNK))
        app = make_app()
    with LiveServer(app) as live:
        yield live


def chunks(recorder) -> list[str]:
    """The chunks of event texts the page asked for, in order ("control-3", ...)."""
    return [m[1] for m in map(CHUNK_URL.search, recorder.requests) if m]


class Gate:
    """Holds back the page's requests for chunks of control events while closed; opening
    it lets the held ones through to the server."""

    def __init__(self, page) -> None:
        self.page = page
        self.closed = False
        self.held: list = []
        page.route(re.compile(r".*/events/control-\d+\.json$"), self._route)

    def _route(self, route) -> None:
        if self.closed:
            self.held.append(route)
        else:
            route.continue_()

    def open(self) -> None:
        self.closed = False
        while self.held:
            self.held.pop(0).continue_()

    def wait_for(self, n: int) -> None:
        """Until ``n`` requests are held (routes are handled as Playwright is called)."""
        for _ in range(200):
            if len(self.held) >= n:
                return
            self.page.wait_for_timeout(20)
        raise AssertionError(f"{len(self.held)} chunk requests held, not {n}")


def test_a_phone_loads_the_texts_it_shows_and_no_more(server, make_page):
    recorder = open_map(make_page, server, f"/?date=2017-10-31&{CITY}", **PHONE)
    page = recorder.page
    gate = Gate(page)
    # The drawer is closed: only the incidents of the week on the map (their titles).
    week = incident_chunks_of_week("2017-10-31")
    assert week and sorted(chunks(recorder)) == week
    titles = page.evaluate("[...document.querySelectorAll('.mapapp-incident')].map(n => n.title)")
    assert titles and "Incident" not in titles and all(titles)

    # Kanamat's change of 31 Oct is in a chunk not loaded: the popup says so, then shows
    # the source when the chunk arrives, without being opened again.
    change = control_chunk("2017-10-31-kanamat")
    gate.closed = True
    tap_place(page, "kanamat")
    popup = page.locator(".leaflet-popup-content")
    popup.get_by_text("Loading source…").wait_for()
    assert popup.locator(".mapapp-source a").count() == 0
    page.evaluate("document.querySelector('.leaflet-popup').dataset.seen = 'yes'")
    gate.wait_for(1)
    assert page.evaluate("mapapp.detailsLoaded") is False
    assert chunks(recorder)[-1] == change
    gate.open()
    link = popup.locator(".mapapp-source a")
    link.wait_for()
    assert link.get_attribute("href").startswith(("http://", "https://"))
    assert "Loading source…" not in popup.inner_text()
    assert popup.locator(".mapapp-summary").inner_text().strip()
    assert page.evaluate("document.querySelector('.leaflet-popup').dataset.seen") == "yes"
    page.wait_for_function("() => mapapp.detailsLoaded === true")

    # Its history, oldest first: the earlier states are in other chunks, still to come.
    history = [control_chunk(e) for e in
               ("2016-01-22-kanamat", "2017-10-17-kanamat", "2017-10-31-kanamat")]
    assert history[-1] == change and set(history) != {change}
    gate.closed = True
    page.get_by_role("button", name=f"History ({len(history)} events)").tap()
    rows = page.locator("#mapapp-place .mapapp-hist")
    assert rows.count() == len(history)
    gate.wait_for(len(set(history) - {change}))
    for k, chunk in enumerate(history):
        if chunk == change:
            assert rows.nth(k).locator(".mapapp-source a").count() == 1  # its chunk is here
        else:
            assert "Loading source…" in rows.nth(k).inner_text()
    gate.open()
    for k in range(len(history)):
        rows.nth(k).locator(".mapapp-source a").wait_for()
        href = rows.nth(k).locator(".mapapp-source a").get_attribute("href")
        assert href.startswith(("http://", "https://"))
        assert rows.nth(k).locator(".mapapp-ev-summary").inner_text().strip()
    assert "Loading source…" not in page.locator("#mapapp-place").inner_text()
    assert sorted(chunks(recorder)) == sorted({*history, *week})

    # The event list, once seen, asks for the texts of its rows.
    page.get_by_role("tab", name="Events").tap()
    page.wait_for_function("() => mapapp.detailsLoaded === true"
                           " && document.querySelector('#mapapp-events > li')"
                           " && !document.querySelector("
                           "'#mapapp-events > li .mapapp-ev-text:empty')")
    items = page.locator("#mapapp-events > li")
    assert 0 < items.count() < len(SHIPPED.control) + len(SHIPPED.incidents)  # rows near view
    assert page.locator("#mapapp-events .mapapp-source a").count() == items.count()
    # scrolled to, a row gets its texts as well
    reveal_event(page, "2017-10-31-al-bukamal-kalibr-strike")
    assert page.locator("#mapapp-events > li[data-event='2017-10-31-al-bukamal-kalibr-strike']"
                        " .mapapp-ev-summary").inner_text().strip()
    # one request per chunk, ever
    asked = chunks(recorder)
    assert len(asked) == len(set(asked)) and {*history, *week} < set(asked)
    assert_clean(recorder)


def test_texts_arriving_do_not_move_the_event_list_under_the_reader(server, make_page):
    recorder = make_page(server.url, **DESKTOP)
    page = recorder.page
    gate = Gate(page)
    gate.closed = True
    recorder.open(f"/?date=2017-11-03&{CITY}")
    # The list's rows ask for the chunks of their texts, several of them; none is in.
    gate.wait_for(2)
    page.wait_for_function(ROW_IN_VIEW, arg="#mapapp-events > li.is-today")
    asked = [c for c in chunks(recorder) if c.startswith("control-")]
    assert len(asked) == len(set(asked)) == len(gate.held)
    # (the incidents' chunks are not held back: their rows may have texts)
    assert page.locator("#mapapp-events > li .mapapp-ev-text:empty").count() > 0
    # The reader scrolls up a little, away from the date's rows.
    page.evaluate("""async () => {
        const pane = document.getElementById('mapapp-pane-events');
        pane.style.overflowAnchor = 'none';  // only the page's own layout is tested
        pane.scrollTop -= 300;
        // the scroll event, and the rows it attaches, come with the next frame
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    }""")
    page.wait_for_function("() => mapapp.detailsLoaded === false")
    tops = """() => { const paneTop = document.getElementById('mapapp-pane-events')
        .getBoundingClientRect().top;
        return [...document.querySelectorAll('#mapapp-events > li')].map(li =>
            [li.getAttribute('aria-posinset'), li.getBoundingClientRect().top - paneTop]); }"""
    before = dict(page.evaluate(tops))
    gate.open()
    page.wait_for_function("() => mapapp.detailsLoaded === true")
    # every row got its texts and none moved: rows have one height, texts are clamped
    items = page.locator("#mapapp-events > li").count()
    assert page.locator("#mapapp-events .mapapp-source a").count() == items
    after = dict(page.evaluate(tops))
    assert after.keys() == before.keys()
    assert all(abs(after[k] - before[k]) <= 1 for k in before)
    assert_clean(recorder)


def test_a_failed_chunk_is_said_once_and_asked_again_later(server, make_page):
    recorder = open_map(make_page, server, f"/?date=2017-10-31&{CITY}", **PHONE)
    page = recorder.page
    control = re.compile(r".*/events/control-\d+\.json$")
    failed: list[str] = []

    def refuse(route) -> None:
        failed.append(route.request.url)
        route.abort("connectionrefused")

    page.route(control, refuse)
    tap_place(page, "kanamat")  # its change of 31 Oct is in a chunk not yet loaded
    popup = page.locator(".leaflet-popup-content")
    popup.get_by_text("Loading source…").wait_for()
    page.wait_for_function("() => document.getElementById('mapapp-status').textContent"
                           ".startsWith('Could not load event texts')")
    page.evaluate("mapapp.popupElement('kanamat') && null")  # asked again at once: no
    page.wait_for_timeout(200)
    assert len(failed) == 1
    page.unroute(control)
    page.wait_for_timeout(3100)  # texts.js RETRY_MS
    page.evaluate("mapapp.popupElement('kanamat') && null")  # a later access asks again
    popup.locator(".mapapp-source a").wait_for()  # the open popup, filled in
    assert page.locator("#mapapp-status").text_content() == ""
    assert recorder.errors == []
