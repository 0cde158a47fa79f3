"""The viewer's panel in a real Chromium on the shipped data: the event list synced with the
slider, a place's history with sources, comparing two dates, the area chart (checked
against the engine through /api/areas), the views and layers, and Arabic place names."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from tests.viewer_support import (
    CITY,
    ROW_IN_VIEW,
    assert_clean,
    click_place,
    current_date,
    day_number,
    event_rows,
    format_km2,
    open_map,
    reveal_event,
    wait_for_date,
    wait_for_url,
    wait_until_still,
)

pytestmark = pytest.mark.browser


# --- the event list ---------------------------------------------------------------------

def test_event_list_is_in_date_order_with_sources_and_follows_the_slider(live_server,
                                                                         make_page, timeline):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    events = timeline.dataset.events
    dates = sorted(events["date"])  # the list's order: by date
    labels = [_day_label(d) for d in dates]
    rows = event_rows(page)
    # the list holds a run of the events around the date, in date order, each row saying
    # where it stands in the whole list
    assert 0 < len(rows) < len(events)
    assert [r["pos"] for r in rows] == list(range(rows[0]["pos"], rows[0]["pos"] + len(rows)))
    assert {r["size"] for r in rows} == {len(events)}
    assert [r["date"] for r in rows] == labels[rows[0]["pos"] - 1:rows[-1]["pos"]]
    ids = [r["id"] for r in rows]
    assert set(ids) <= set(events["id"]) and len(set(ids)) == len(ids)
    # every event shown cites its source as a safe http(s) link
    links = page.locator("#mapapp-events .mapapp-source a")
    assert links.count() == len(rows)
    for k in range(links.count()):
        link = links.nth(k)
        assert link.get_attribute("href").startswith(("http://", "https://"))
        assert link.get_attribute("rel") == "noopener noreferrer nofollow"

    # the date's events are highlighted and the first of them in view; later ones dimmed
    page.wait_for_function(ROW_IN_VIEW, arg="#mapapp-events > li.is-today")
    first_today = dates.index("2017-10-31") + 1
    for r in event_rows(page):
        date = dates[r["pos"] - 1]
        assert r["today"] == (date == "2017-10-31") and r["future"] == (date > "2017-10-31")
        assert r["current"] == ("date" if r["today"] else None)
    assert page.locator("#mapapp-events > li.is-today").first.get_attribute(
        "aria-posinset") == str(first_today)

    # the slider, spanning all the data, moves to the last date: the list scrolls to the
    # last events
    page.get_by_label("Range").select_option("all")
    page.locator("#mapapp-slider").focus()
    page.keyboard.press("End")
    wait_for_date(page, max(events["date"]))
    last = f"#mapapp-events > li[aria-posinset='{dates.index(max(dates)) + 1}']"
    page.wait_for_function(ROW_IN_VIEW, arg=last)
    assert "is-today" in page.locator(last).get_attribute("class")
    rows = event_rows(page)
    assert rows[-1]["pos"] == len(events) and rows[-1]["today"]
    assert not any(r["future"] for r in rows)
    assert_clean(recorder)


def _day_label(iso: str) -> str:
    """The list's date label (the payload's day_labels): "31 Oct 2017"."""
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d.strftime('%b %Y')}"


def test_choosing_an_event_jumps_to_its_date_and_flies_to_its_place(live_server, make_page):
    recorder = open_map(make_page, live_server, "/?date=2017-10-20&view=overview")
    page = recorder.page
    assert page.evaluate("mapapp.getView().zoom") < 9
    reveal_event(page, "2017-10-31-kanamat")
    page.locator("li[data-event='2017-10-31-kanamat'] .mapapp-ev-jump").click()
    wait_for_date(page, "2017-10-31")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Kanamat" in popup.inner_text()
    page.wait_for_function("() => mapapp.getView().zoom >= 12")  # arrived (or arriving)
    view = page.evaluate("mapapp.getView()")
    assert abs(view["lat"] - 35.33) < 0.05 and abs(view["lon"] - 40.15) < 0.05
    # an incident flies to where it happened and opens its popup
    reveal_event(page, "2017-10-31-al-bukamal-kalibr-strike")
    page.locator("li[data-event='2017-10-31-al-bukamal-kalibr-strike'] .mapapp-ev-jump").click()
    page.wait_for_function("""() => {  // al-Bukamal is a point: the map centres on it
        const S = mapapp.core.S;
        return S.layers[S.placeIndex['al-bukamal']].getLatLng()
            .distanceTo(S.map.getCenter()) < 1000;
    }""")
    page.wait_for_function("""() => [...document.querySelectorAll('.leaflet-popup-content')]
        .some(n => n.innerText.includes('Incident, 31 Oct 2017'))""")
    assert_clean(recorder)


# --- a place's history -----------------------------------------------------------------

def test_place_history_lists_every_change_oldest_first_with_sources(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-11-05&{CITY}")
    page = recorder.page
    click_place(page, "ardhi")
    page.locator(".leaflet-popup-content").wait_for()
    page.get_by_role("button", name="History (").click()
    assert page.get_by_role("tab", name="Place").get_attribute("aria-selected") == "true"
    rows = page.locator("#mapapp-place .mapapp-hist")
    api = page.request.get(f"{live_server.url}/api/places/ardhi/history").json()["events"]
    assert [rows.nth(k).get_attribute("data-event") for k in range(rows.count())] == [
        e["id"] for e in api]
    texts = [rows.nth(k).inner_text() for k in range(rows.count())]
    assert texts[0].startswith("14 Jul 2014") and "Islamic State (ISIS)" in texts[0]
    assert texts[1].startswith("31 Oct 2017") and "Contested" in texts[1]
    assert texts[2].startswith("3 Nov 2017") and "Syrian government" in texts[2]
    for k in range(rows.count()):
        link = rows.nth(k).locator(".mapapp-source a")
        assert link.get_attribute("href").startswith(("http://", "https://"))
        assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    # the change in force is marked and follows the slider
    assert "is-in-force" in rows.nth(2).get_attribute("class")
    rows.nth(1).get_by_role("button").click()  # its date: go there
    wait_for_date(page, "2017-10-31")
    assert "is-in-force" in rows.nth(1).get_attribute("class")
    assert "is-future" in rows.nth(2).get_attribute("class")
    assert_clean(recorder)


# --- compare ---------------------------------------------------------------------------

def test_compare_outlines_and_lists_what_changed_hands(live_server, make_page, timeline):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    page.get_by_role("tab", name="Compare").click()
    page.get_by_label("Second date").fill("2017-10-24")
    wait_for_url(page, "cmp=2017-10-24")

    expected = timeline.changed_places("2017-10-24", "2017-10-31")
    assert sorted(page.evaluate("mapapp.changedPlaces()")) == sorted(expected["place"])
    hands = int((expected["from_status"] != "no-data").sum())
    first = len(expected) - hands
    summary = page.locator("#mapapp-compare-summary").text_content()
    assert summary.startswith(f"{hands} places changed hands between 24 Oct 2017 and "
                              f"31 Oct 2017; {first} more were first reported")
    rows = page.locator("#mapapp-compare-list li")
    assert rows.count() == len(expected)
    kanamat = rows.filter(has_text="Kanamat")
    assert kanamat.locator(".mapapp-cmp-change").text_content() == "ISIS → Syrian govt"
    # per faction, the engine's gains and losses (fetched): a first report is not a gain
    page.wait_for_function("() => document.querySelector('#mapapp-compare-gains')"
                           ".children.length > 0")
    gains = page.locator("#mapapp-compare-gains").inner_text()
    assert "Syrian government gained" in gains and "Islamic State (ISIS) lost" in gains
    engine = timeline.gains_and_losses("2017-10-24", "2017-10-31").to_dict()
    assert engine["first_reported"] == first > 0
    names = timeline.dataset.factions["name"]
    for faction, row in engine["factions"].items():
        if row["gained"]:
            n = row["gained"]
            assert f"{names[faction]} gained {n} place{'' if n == 1 else 's'}" in gains
    only_first = [f for f, row in engine["factions"].items()
                  if row["first_reported"] and not row["gained"] and not row["lost"]]
    assert only_first, "a faction that was only first reported somewhere"
    for faction in only_first:
        n = engine["factions"][faction]["first_reported"]
        line = next(r for r in gains.splitlines() if names[faction] in r)
        assert f"first reported holding {n} place{'' if n == 1 else 's'}" in line
        assert "gained" not in line

    # on the map: a thick outline in the gainer's colour, only on changed places
    style = page.evaluate("""() => {
        const P = mapapp.core.S.places, i = id => mapapp.core.S.placeIndex[id];
        const o = id => P.highlights[i(id)] || P.baseLine[i(id)];
        return {kanamat: [o('kanamat').weight, o('kanamat').color],
                jourah: [o('jourah').weight, o('jourah').color]};
    }""")
    gainer = timeline.state_at("2017-10-31").loc["kanamat", "factions"][0]
    assert style["kanamat"][0] >= 4
    assert style["kanamat"][1] == timeline.dataset.factions.loc[gainer, "color"]
    assert style["jourah"][0] < 2
    # the comparison follows the slider: back to 24 Oct nothing has changed
    page.evaluate("mapapp.setDate('2017-10-24')")
    assert page.evaluate("mapapp.changedPlaces()") == []
    # the list is redrawn on the next animation frame, not inside setDate
    page.wait_for_function("() => document.querySelector('#mapapp-compare-summary')"
                           ".textContent.startsWith('The two dates are the same')")
    page.evaluate("mapapp.setDate('2017-10-31')")
    # the outline can be switched off while the list stays
    page.get_by_label("Outline on the map").uncheck()
    assert page.evaluate("mapapp.core.S.places.highlights[mapapp.core.S.placeIndex.kanamat]"
                         " === null")
    assert rows.count() == len(expected)
    page.get_by_role("button", name="Clear").click()
    assert page.evaluate("mapapp.getCompareDate()") is None
    assert rows.count() == 0
    assert_clean(recorder)


# --- the area chart ----------------------------------------------------------------------

def test_areas_api_is_the_engine(client, timeline):
    doc = client.get("/api/areas").get_json()
    assert doc["unit"] == "km2" and doc["dates"] == timeline.change_dates
    frame = timeline.area_by_faction(timeline.change_dates)
    assert doc["columns"] == list(frame.columns)
    for column in frame.columns:
        assert doc["areas"][column] == pytest.approx(list(frame[column]), abs=1e-6)
    one = client.get("/api/areas?date=2017-10-31").get_json()
    assert one["dates"] == ["2017-10-31"]
    assert one["areas"]["iraqi-government"][0] == pytest.approx(1611.185, abs=1e-3)
    bad = client.get("/api/areas?date=2017-02-30")
    assert bad.status_code == 400 and bad.get_json()["error"]["parameter"] == "date"


def test_area_chart_shows_the_engines_numbers_and_sets_the_date(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    api = page.request.get(f"{live_server.url}/api/areas").json()
    # the chart's numbers at every change date are the engine's
    for k, date in enumerate(api["dates"]):
        mine = page.evaluate(f"mapapp.areasAt('{date}')")
        for column in api["columns"]:
            assert math.isclose(mine[column], api["areas"][column][k], abs_tol=1e-5), (date,
                                                                                        column)
    page.get_by_role("tab", name="Areas").click()
    chart = page.locator("#mapapp-chart svg")
    chart.wait_for()
    assert chart.get_attribute("role") == "img" and "km²" in chart.get_attribute("aria-label")
    assert page.locator("#mapapp-areas caption").text_content() == "Area held on 31 Oct 2017"
    k = api["dates"].index("2017-10-31")
    row = page.locator("#mapapp-areas tr[data-column='iraqi-government']")
    assert row.locator("td").first.text_content() == format_km2(
        api["areas"]["iraqi-government"][k])
    assert page.locator("#mapapp-areas tr[data-column='syrian-government'] td").first \
        .text_content() == format_km2(api["areas"]["syrian-government"][k])

    # the cursor follows the slider; a click on the chart sets the date
    def cursor_x() -> float:
        return float(page.locator("#mapapp-chart-cursor").get_attribute("x1"))

    before = cursor_x()
    page.locator("#mapapp-slider").focus()
    page.keyboard.press("ArrowRight")
    page.evaluate("mapapp.whenSettled()")  # the chart follows after the map's frame
    assert cursor_x() > before
    # zoomed to six weeks around the date, a pixel of chart is less than a day
    page.get_by_label("Range").select_option("around")
    box = chart.bounding_box()
    lo = int(page.locator("#mapapp-slider").get_attribute("min"))
    hi = int(page.locator("#mapapp-slider").get_attribute("max"))
    target = day_number("2017-11-08")
    x0, x1 = float(chart.get_attribute("data-x0")), float(chart.get_attribute("data-x1"))
    x = box["x"] + x0 + (target - lo) / (hi - lo) * (x1 - x0)
    page.mouse.click(x, box["y"] + box["height"] / 2)
    wait_for_date(page, "2017-11-08")
    assert abs(cursor_x() - (x - box["x"])) < 1.5
    assert "Area held on 8 Nov 2017" == page.locator("#mapapp-areas caption").text_content()
    assert_clean(recorder)


# --- views, layers, language -------------------------------------------------------------

def test_view_selector_lists_the_named_views(live_server, make_page, timeline):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    select = page.get_by_label("Map view")
    page.wait_for_function("() => document.querySelectorAll('#mapapp-view option').length > 1")
    values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert values[1:] == list(timeline.dataset.views.index)
    assert select.input_value() == "deir-ez-zor-city"
    select.select_option(label="Faysh Khabur and Ibrahim al-Khalil crossings")
    page.wait_for_function("() => mapapp.getView().view === 'faysh-khabur'")
    page.wait_for_function("() => Math.abs(mapapp.getView().lon - 42.47) < 0.1")
    assert_clean(recorder)


def test_layer_control_hides_incidents(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    assert page.locator(".mapapp-incident").count() > 0
    toggle = page.locator(".leaflet-control-layers-toggle").bounding_box()
    # Leaflet opens the list when the mouse comes over its button
    page.mouse.move(toggle["x"] + toggle["width"] / 2, toggle["y"] + toggle["height"] / 2)
    box = page.locator(".leaflet-control-layers-list")
    assert box.is_visible()
    labels = box.inner_text()
    for name in ("Control areas", "Incidents (last 7 days)", "Rivers", "Online map tiles"):
        assert name in labels
    box.get_by_text("Incidents (last 7 days)").click()
    assert page.locator(".mapapp-incident").count() == 0
    assert_clean(recorder)


def test_place_names_switch_to_arabic(live_server, make_page):
    """The switch loads the page in Arabic at the same date and view (the interface is
    rendered in its language, docs/i18n.md); place names follow, marked lang/dir."""
    recorder = open_map(make_page, live_server, f"/?date=2017-10-31&{CITY}")
    page = recorder.page
    page.locator("#mapapp-lang").click()
    wait_for_url(page, "lang=ar")
    page.wait_for_function("() => document.documentElement.dir === 'rtl' && "
                           "document.documentElement.dataset.mapappReady === 'true'")
    toggle = page.locator("#mapapp-lang")
    assert toggle.get_attribute("aria-pressed") == "true"
    # the event list
    reveal_event(page, "2017-10-31-kanamat")
    name = page.locator("li[data-event='2017-10-31-kanamat'] .mapapp-ev-place")
    assert name.text_content() == "الكنامات"
    assert name.get_attribute("lang") == "ar" and name.get_attribute("dir") == "rtl"
    # a place without an Arabic name keeps its English one, not marked as Arabic
    reveal_event(page, "2017-10-31-badr")
    badr = page.locator("li[data-event='2017-10-31-badr'] .mapapp-ev-place")
    assert badr.text_content() == "Badr" and badr.get_attribute("lang") is None
    # the tooltip, on hover
    wait_until_still(page)
    x, y = page.evaluate("mapapp.placeScreenPoint('kanamat')")
    page.mouse.move(x, y)
    tooltip = page.locator(".leaflet-tooltip [lang=ar]")
    tooltip.wait_for()
    assert tooltip.text_content() == "الكنامات" and tooltip.get_attribute("dir") == "rtl"
    # the popup, with the English name under it
    page.mouse.click(x, y)
    title = page.locator(".leaflet-popup-content .mapapp-popup-title")
    title.wait_for()
    assert title.text_content() == "الكنامات" and title.get_attribute("dir") == "rtl"
    assert page.locator(".leaflet-popup-content .mapapp-alt-name").text_content() == "Kanamat"
    # the history (its button in Arabic: "السجل (n أحداث)")
    page.get_by_role("button", name="السجل (").click()
    heading = page.locator("#mapapp-place .mapapp-popup-title")
    assert heading.text_content() == "الكنامات" and heading.get_attribute("lang") == "ar"
    # and back to English, at the same date
    page.locator("#mapapp-lang").click()
    page.wait_for_function("() => !location.search.includes('lang=') && "
                           "document.documentElement.dir === 'ltr' && "
                           "document.documentElement.dataset.mapappReady === 'true'")
    assert name.text_content() == "Kanamat"
    assert current_date(page) == "2017-10-31"
    assert_clean(recorder)


def test_close_incidents_share_a_marker_that_lists_them(live_server, make_page, timeline):
    """Incidents drawn within a touch target of each other share one marker, so no marker
    covers another, and the markers' popups together list every incident of the week."""
    date = "2017-11-01"
    start = (dt.date.fromisoformat(date) - dt.timedelta(days=7)).isoformat()
    events = timeline.dataset.events
    week = events[(events["type"] == "incident") & (events["date"] > start)
                  & (events["date"] <= date)]
    recorder = open_map(make_page, live_server, f"/?date={date}", texts=False)
    page = recorder.page
    # the markers are regrouped after a zoom: read them all at once, with no zoom under way
    page.wait_for_function("() => !document.querySelector('.leaflet-zoom-anim')")
    boxes = page.evaluate("""() => [...document.querySelectorAll('.mapapp-incident')].map(
        (n) => { const r = n.getBoundingClientRect();
                 return {x: r.x, y: r.y, width: r.width, height: r.height}; })""")
    assert 0 < len(boxes) < len(week)  # the border crossings' incidents share markers
    for a in range(len(boxes)):
        for b in range(a + 1, len(boxes)):
            p, q = boxes[a], boxes[b]
            assert (abs(p["x"] - q["x"]) >= p["width"] - 0.5
                    or abs(p["y"] - q["y"]) >= p["height"] - 0.5), (p, q)
    listed = page.evaluate("""() => {
        const out = [];
        mapapp.core.S.map.eachLayer((l) => {
          if (!l.getPopup || !l.getPopup() || !l.getElement || !l.getElement()
              || !l.getElement().classList.contains('mapapp-incident')) return;
          l.openPopup();
          const node = l.getPopup().getElement();
          out.push(...[...node.querySelectorAll('.mapapp-popup-title')].map(n => n.textContent));
          l.closePopup();
        });
        return out;
    }""")
    assert len(listed) == len(week) and all(t.startswith("Incident, ") for t in listed)
    assert_clean(recorder)
