"""The event list as a virtual list, the pooled incident markers and the counters that write
only what changed, in a real Chromium on the shipped data (199 events): after a jump the
date's row is in view and highlighted; the rows in the DOM stay few; scrolling shows the
right events; the keyboard moves through the whole list; nothing is cut off at desktop,
phone and 200 % zoom sizes."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest

from mapapp.dataset import load_dataset
from mapapp.timeline import Timeline
from tests.conftest import DATA_DIR
from tests.viewer_support import (
    CITY,
    DESKTOP,
    PHONE,
    ROW_IN_VIEW,
    ROW_TOP_IN_VIEW,
    assert_clean,
    event_rows,
    open_map,
    wait_for_date,
    wait_until_still,
)

pytestmark = pytest.mark.browser

SHIPPED = Timeline(load_dataset(DATA_DIR))
# The list's order (engine.js allEvents): by date, a day's control changes before its
# incidents, each kind in the payload's (the timeline's) order.
EVENTS = sorted(
    [(d, 0, k, i) for k, (d, i) in enumerate(zip(SHIPPED.control["date"], SHIPPED.control["id"],
                                                 strict=True))]
    + [(d, 1, k, i) for k, (d, i) in enumerate(zip(SHIPPED.incidents["date"],
                                                   SHIPPED.incidents["id"], strict=True))])
DATES = [e[0] for e in EVENTS]
IDS = [e[3] for e in EVENTS]
OVERSCAN = 6  # panel/rows.js: rows kept on each side of the view
ZOOMED = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}  # 1280×800 at 200 %

PANE = "document.getElementById('mapapp-pane-events')"
FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def label(iso: str) -> str:
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%b %Y')}"


def current_index(iso: str) -> int:
    """The date's row: its first event of the day, else the last one before it."""
    on_or_before = sum(d <= iso for d in DATES)
    before = sum(d < iso for d in DATES)
    return before if before < on_or_before else max(0, on_or_before - 1)


def row_bound(page) -> int:
    """Rows in view, the buffer on each side and the row that holds the focus."""
    height, row = page.evaluate(f"""() => [{PANE}.clientHeight,
        parseFloat(document.getElementById('mapapp-events').style.getPropertyValue('--mapapp-row'))]""")
    return math.ceil(height / row) + 1 + 2 * OVERSCAN + 1


def settle(page) -> None:
    """Two frames: a scroll's event and the list's update after the paint have run."""
    page.evaluate(f"async () => {{ await ({FRAMES})(); await ({FRAMES})(); "
                  "await mapapp.whenSettled(); }")


def assert_marks(page, iso: str) -> None:
    """The rows' marks are the date's, once the list's update after the paint has run (the
    date's row can be in view before it, when it already was)."""
    for _ in range(50):
        try:
            return _assert_marks(page, iso)
        except AssertionError:
            settle(page)
    _assert_marks(page, iso)


def _assert_marks(page, iso: str) -> None:
    for r in event_rows(page):
        date = DATES[r["pos"] - 1]
        assert r["date"] == label(date)
        assert r["today"] == (date == iso) and r["future"] == (date > iso), (r, iso)
        assert r["current"] == ("date" if date == iso else None)


def test_after_each_jump_the_dates_row_is_in_view_and_the_rows_stay_few(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    bound = row_bound(page)
    assert bound < len(EVENTS) / 4
    rng = random.Random(14)
    first, last = dt.date.fromisoformat(DATES[0]), dt.date.fromisoformat(DATES[-1])
    dates = sorted(set(DATES))
    jumps = rng.sample(dates, 8) + [str(first + dt.timedelta(days=rng.randrange(
        (last - first).days))) for _ in range(6)] + [DATES[0], DATES[-1]]
    for iso in jumps:
        page.evaluate(f"mapapp.setDate('{iso}')")
        wait_for_date(page, iso)
        row = f"#mapapp-events > li[aria-posinset='{current_index(iso) + 1}']"
        page.wait_for_function(ROW_IN_VIEW, arg=row)
        rows = event_rows(page)
        assert len(rows) <= bound, (iso, len(rows))
        assert [r["pos"] for r in rows] == list(range(rows[0]["pos"], rows[0]["pos"] + len(rows)))
        assert_marks(page, iso)
        if iso in DATES:  # the date's own first event: highlighted, the date for a reader
            assert page.locator(row).get_attribute("aria-current") == "date"
    assert_clean(recorder)


def test_scrolling_the_list_shows_the_right_events(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-11-03&{CITY}")
    page = recorder.page
    bound = row_bound(page)
    height = page.evaluate(f"{PANE}.scrollHeight - {PANE}.clientHeight")
    for fraction in (0, 0.13, 0.5, 0.77, 1):
        page.evaluate(f"{PANE}.scrollTop = {round(height * fraction)}")
        settle(page)
        page.wait_for_function("() => mapapp.detailsLoaded !== false")  # incidents' ids
        shown = page.evaluate(f"""() => {{
            const pane = {PANE}.getBoundingClientRect();
            return [...document.querySelectorAll('#mapapp-events > li')].filter(li => {{
                const box = li.getBoundingClientRect();
                return box.bottom > pane.top && box.top < pane.bottom;
            }}).map(li => [Number(li.getAttribute('aria-posinset')), li.dataset.event,
                           li.querySelector('.mapapp-ev-date').textContent,
                           li.getBoundingClientRect().top - pane.top,
                           li.getBoundingClientRect().bottom - pane.bottom]);
        }}""")
        positions = [s[0] for s in shown]
        assert positions == list(range(positions[0], positions[0] + len(positions)))
        for pos, event_id, date, _, _ in shown:
            assert event_id == IDS[pos - 1] and date == label(DATES[pos - 1])
        # the view is full: no gap above or below the rows it shows
        if positions[0] > 1:
            assert shown[0][3] <= 0
        if positions[-1] < len(EVENTS):
            assert shown[-1][4] >= 0
        else:
            assert fraction == 1
        assert len(event_rows(page)) <= bound
    assert positions[-1] == len(EVENTS)
    assert_clean(recorder)


def test_the_keyboard_moves_through_the_whole_list_and_keeps_its_focus(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    today = current_index("2017-10-31") + 1
    page.locator(f"#mapapp-events > li[aria-posinset='{today}'] .mapapp-ev-jump").focus()
    focused = "() => Number(document.activeElement.closest('li').getAttribute('aria-posinset'))"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused) == today + 1
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate(focused) == today - 1
    # (a row with the keyboard focus grows to show its whole text: its top is in view)
    page.keyboard.press("End")
    assert page.evaluate(focused) == len(EVENTS)
    page.wait_for_function(ROW_TOP_IN_VIEW, arg="#mapapp-events > li:focus-within")
    page.keyboard.press("Home")
    assert page.evaluate(focused) == 1
    page.wait_for_function(ROW_TOP_IN_VIEW, arg="#mapapp-events > li:focus-within")
    page.locator("#mapapp-events > li[aria-posinset='1'] .mapapp-source a").wait_for()
    # Tab goes on to the row's source, then to the next row
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.mapapp-source') !== null")
    page.keyboard.press("Tab")
    assert page.evaluate(focused) == 2
    # The focused row stays put, and keeps the focus, while the list scrolls far away
    page.evaluate("window.focusedRow = document.activeElement")
    page.evaluate(f"{PANE}.scrollTop = {PANE}.scrollHeight")
    settle(page)
    assert page.evaluate("document.activeElement === window.focusedRow && focusedRow.isConnected")
    assert page.evaluate(focused) == 2
    assert event_rows(page)[-1]["pos"] == len(EVENTS)
    assert len(event_rows(page)) <= row_bound(page)
    # Enter on it: the date of its event
    page.keyboard.press("Enter")
    wait_for_date(page, DATES[1])
    assert_clean(recorder)


def test_long_texts_are_clamped_and_kept_whole(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    clamped = page.evaluate("""() => [...document.querySelectorAll('#mapapp-events > li')]
        .filter(li => { const s = li.querySelector('.mapapp-ev-summary');
                        return s && s.scrollHeight > s.clientHeight + 1; })
        .map(li => li.getAttribute('aria-posinset'))""")
    attached = {r["pos"] for r in event_rows(page)}
    clamped = [p for p in clamped if int(p) - 1 in attached]
    assert clamped, "no summary is long enough to be clamped at this date"
    pos = clamped[0]
    row = f"#mapapp-events > li[aria-posinset='{pos}']"
    summary = page.locator(f"{row} .mapapp-ev-summary")
    full = SHIPPED.control.set_index("id").summary.to_dict() | SHIPPED.incidents.set_index(
        "id").summary.to_dict()
    text = full[IDS[int(pos) - 1]]
    # the whole text is in the DOM (what a screen reader reads) and in its title
    assert summary.text_content() == text and summary.get_attribute("title") == text
    assert page.locator(f"{row} .mapapp-ev-jump").get_attribute("title") is None
    assert page.locator(f"{row} .mapapp-ev-what").get_attribute("title")
    height = page.evaluate(f"document.querySelector(\"{row}\").offsetHeight")
    # reached with the keyboard, the row shows all of it
    page.locator(f"#mapapp-events > li[aria-posinset='{int(pos) - 1}'] .mapapp-ev-jump").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate(
        "document.activeElement.closest('li').getAttribute('aria-posinset')") == pos
    assert page.evaluate(f"""() => {{ const s = document.querySelector("{row} .mapapp-ev-summary");
        return s.scrollHeight <= s.clientHeight + 1; }}""")
    assert page.evaluate(f"document.querySelector(\"{row}\").offsetHeight") > height
    assert_clean(recorder)


@pytest.mark.parametrize("context", [DESKTOP, PHONE, ZOOMED], ids=["desktop", "phone", "zoom200"])
def test_every_pane_lays_out_whole_inside_its_containment(live_server, make_page, context):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}&cmp=2017-10-24",
                        texts=False, **context)
    page = recorder.page
    if page.locator("#mapapp-panel-toggle").is_visible():
        page.locator("#mapapp-panel-toggle").click()
    for tab in ("events", "place", "compare", "areas"):
        page.locator(f"#mapapp-tab-{tab}").click()
        settle(page)
        box = page.evaluate(f"""() => {{
            const pane = document.getElementById('mapapp-pane-{tab}');
            const panel = document.getElementById('mapapp-panel').getBoundingClientRect();
            const r = pane.getBoundingClientRect();
            const last = pane.lastElementChild;
            return {{contain: getComputedStyle(pane).contain, height: pane.clientHeight,
                     inside: r.top >= panel.top - 1 && r.bottom <= panel.bottom + 1
                             && r.left >= panel.left - 1 && r.right <= panel.right + 1,
                     wide: pane.scrollWidth - pane.clientWidth,
                     reach: pane.scrollHeight - (last.offsetTop + last.offsetHeight)}};
        }}""")
        assert box["contain"] == "strict", tab
        assert box["height"] > 0 and box["inside"], (tab, box)
        assert box["wide"] <= 0, (tab, box)  # nothing sticks out sideways
        assert box["reach"] >= 0, (tab, box)  # the end of the content can be scrolled to
    page.locator("#mapapp-tab-events").click()
    page.wait_for_function(ROW_IN_VIEW, arg="#mapapp-events > li.is-today")
    # the rows fill the list's width and fit their fixed height
    assert page.evaluate("""() => [...document.querySelectorAll('#mapapp-events > li')].every(li =>
        li.offsetWidth === li.parentNode.clientWidth && li.scrollHeight <= li.clientHeight + 1)""")
    assert_clean(recorder)


def test_incident_markers_are_pooled_across_jumps(live_server, make_page):
    recorder = open_map(make_page, live_server, "/?date=2017-10-31&view=overview")
    page = recorder.page
    wait_until_still(page)  # the view's fly-to regroups the markers when it ends
    visible = """() => [...document.querySelectorAll('.mapapp-incident')]
        .filter(n => n.style.display !== 'none')"""
    first = page.evaluate(
        f"() => ({visible})().map((n, k) => {{ n.poolTag = k; return n.title; }})")
    assert len(first) >= 2
    count = page.locator(".mapapp-incident").count()
    for iso in ("2017-11-09", "2017-09-19", "2017-10-31"):
        page.evaluate(f"mapapp.setDate('{iso}')")
        page.wait_for_function("() => mapapp.detailsLoaded !== false")
        shown = page.evaluate(f"() => ({visible})().map(n => [n.poolTag, n.title])")
        # the same icons, moved and retitled: none built, none left over in sight
        assert shown and all(tag is not None for tag, _ in shown), (iso, shown)
        assert page.locator(".mapapp-incident").count() == count
        end = dt.date.fromisoformat(iso)
        week = {s for d, s in zip(SHIPPED.incidents["date"], SHIPPED.incidents["summary"],
                                  strict=True)
                if end - dt.timedelta(days=7) < dt.date.fromisoformat(d) <= end}
        parts = {p for _, title in shown for p in title.split(" / ")}
        assert parts <= week, iso
    assert [t for _, t in shown] == first
    # a pooled marker still opens the popup of what it shows now
    page.locator(".mapapp-incident:visible").first.click()
    page.locator(".leaflet-popup-content").get_by_text("Incident", exact=False).first.wait_for()
    assert_clean(recorder)


def test_a_jump_rewrites_no_counter_it_does_not_change(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    api = page.request.get(f"{live_server.url}/api/areas").json()
    # two change dates in a row between which one column's area changes and another's not
    pair = next((k, same, moved) for k in range(len(api["dates"]) - 1)
                for same in api["columns"] for moved in api["columns"]
                if api["areas"][same][k] == api["areas"][same][k + 1] > 0
                and api["areas"][moved][k] != api["areas"][moved][k + 1])
    k, same, moved = pair
    before, after = api["dates"][k], api["dates"][k + 1]
    assert SHIPPED.control["date"].min() < before < after < SHIPPED.control["date"].max()
    page.get_by_role("tab", name="Areas").click()
    page.evaluate(f"mapapp.setDate('{before}')")
    settle(page)
    page.evaluate("""([same, moved]) => {
        window.seen = {};
        const watch = (name, node) => new MutationObserver((records) => {
            seen[name] = (seen[name] || 0) + records.length;
        }).observe(node, {attributes: true, childList: true, characterData: true, subtree: true});
        watch('same', document.querySelector(`#mapapp-areas tr[data-column="${same}"]`));
        watch('moved', document.querySelector(`#mapapp-areas tr[data-column="${moved}"]`));
        watch('prev', document.getElementById('mapapp-prev'));
        watch('next', document.getElementById('mapapp-next'));
        watch('count', document.getElementById('mapapp-events-count'));
        watch('legend', document.querySelector('.mapapp-legend-rows'));
        watch('date', document.getElementById('mapapp-date'));
        watch('cursor', document.getElementById('mapapp-chart-cursor'));
    }""", [same, moved])
    page.evaluate(f"mapapp.setDate('{after}')")
    settle(page)
    seen = page.evaluate("window.seen")
    # what the jump changed was written (the observers see writes) ...
    assert seen.get("moved") and seen.get("date") and seen.get("cursor"), seen
    # ... and nothing else
    assert not {"same", "prev", "next", "count"} & seen.keys(), seen
    if page.evaluate(f"""async () => {{ const t = {{}}; for (const d of ['{before}', '{after}']) {{
        mapapp.setDate(d); await mapapp.whenSettled();
        t[d] = [...document.querySelectorAll('.mapapp-legend-row')]
            .map(r => r.textContent).join('|'); }} return t['{before}'] === t['{after}']; }}"""):
        assert "legend" not in seen, seen  # same states shown: the legend is left alone
    assert_clean(recorder)
