"""Helpers shared by the viewer's browser tests (tests/test_viewer_*.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "has_touch": True,
                         "is_mobile": True}
CITY = "view=deir-ez-zor-city"


def open_map(make_page, server, path: str, texts: bool = True, **context: Any):
    """A page on ``path`` with the map usable and, with ``texts``, the event texts it shows
    loaded. Texts load in chunks for what is shown: a phone's closed drawer shows none, so
    a phone page without an incident in its week asks for none (pass ``texts=False``)."""
    recorder = make_page(server.url, **(context or DESKTOP))
    recorder.open(path)
    if texts:
        recorder.page.wait_for_function("() => window.mapapp.detailsLoaded === true")
    return recorder


def day_number(iso: str) -> int:
    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).days


def current_date(page) -> str:
    return page.evaluate("mapapp.getDate()")


def wait_for_date(page, iso: str) -> None:
    """Until the map is at ``iso`` and the rest of the page has followed it (the legend,
    panel, timeline and URL follow after the map's frame: mapapp.whenSettled)."""
    page.wait_for_function(f"() => mapapp.getDate() === '{iso}'")
    page.evaluate("mapapp.whenSettled()")


def set_date(page, iso: str) -> str:
    """mapapp.setDate, then until the whole page shows the date (mapapp.whenSettled)."""
    return page.evaluate("async (d) => { const shown = mapapp.setDate(d); "
                         "await mapapp.whenSettled(); return shown; }", iso)


def wait_for_url(page, fragment: str) -> None:
    page.wait_for_function(f"() => location.search.includes({fragment!r})")


def tap_place(page, place_id: str) -> None:
    """A real touch on the point where a place is drawn."""
    x, y = page.evaluate(f"mapapp.placeScreenPoint('{place_id}')")
    page.touchscreen.tap(x, y)


def wait_until_still(page) -> None:
    """Until no fly-to, zoom or pan animation moves the map (a view opens with one)."""
    page.wait_for_function("""() => { const m = mapapp.core.S.map;
        return !m._animatingZoom && !m._flyToFrame && !(m._panAnim && m._panAnim._inProgress); }""")


def click_place(page, place_id: str) -> None:
    wait_until_still(page)  # click where the place will stay
    x, y = page.evaluate(f"mapapp.placeScreenPoint('{place_id}')")
    page.mouse.click(x, y)


def assert_clean(recorder) -> None:
    """No script error and no request outside the origin."""
    assert recorder.errors == []
    assert recorder.foreign_requests() == []


def format_km2(value: float) -> str:
    """The chart table's number format (chart.js formatKm2)."""
    if value >= 100:
        return f"{round(value):,} km²"
    return f"{value:.{1 if value >= 10 else 2}f} km²"


# --- the event list (panel/events.js: a virtual list, only the rows near the view exist) ---

EVENT_ROWS = """() => [...document.querySelectorAll('#mapapp-events > li')].map(li => ({
    pos: Number(li.getAttribute('aria-posinset')), size: Number(li.getAttribute('aria-setsize')),
    id: li.getAttribute('data-event'), date: li.querySelector('.mapapp-ev-date').textContent,
    today: li.classList.contains('is-today'), future: li.classList.contains('is-future'),
    current: li.getAttribute('aria-current')}))"""

# True when the row (a selector) lies wholly inside the events pane's visible part.
ROW_IN_VIEW = """(sel) => {
    const node = document.querySelector(sel);
    if (!node) return false;
    const pane = node.closest('.mapapp-pane').getBoundingClientRect();
    const box = node.getBoundingClientRect();
    return box.top >= pane.top - 1 && box.bottom <= pane.bottom + 1;
}"""


# True when the row's top edge is inside the pane's visible part.
ROW_TOP_IN_VIEW = """(sel) => {
    const node = document.querySelector(sel);
    if (!node) return false;
    const pane = node.closest('.mapapp-pane').getBoundingClientRect();
    const top = node.getBoundingClientRect().top;
    return top >= pane.top - 1 && top < pane.bottom;
}"""


def event_rows(page) -> list[dict[str, Any]]:
    """The rows of the event list in the DOM, in document order."""
    return page.evaluate(EVENT_ROWS)


def reveal_event(page, event_id: str) -> None:
    """Scrolls the (visible) event list until the row of ``event_id`` exists and is in view,
    as a reader would; an incident's row carries its id once its texts are in."""
    found = page.evaluate("""async (id) => {
        const pane = document.getElementById('mapapp-pane-events');
        const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        const sel = `#mapapp-events > li[data-event="${id}"]`;
        for (let top = 0; ; top += pane.clientHeight / 2) {
            await frame();
            while (mapapp.detailsLoaded === false) await frame();
            const row = document.querySelector(sel);
            if (row) { row.scrollIntoView({block: 'center'}); return true; }
            if (top > pane.scrollHeight) return false;
            pane.scrollTop = top;
        }
    }""", event_id)
    assert found, event_id
    page.wait_for_function(ROW_IN_VIEW, arg=f"#mapapp-events > li[data-event='{event_id}']")
