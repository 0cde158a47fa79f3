"""The map page in Arabic, in Chromium: right to left, every interface word Arabic, the
panel and controls mirrored, the announcement and the keys, dates equal to Python's."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mapapp import i18n
from tests.viewer_support import CITY, current_date, open_map, wait_for_date

pytestmark = pytest.mark.browser

AR_PAGE = f"/?{CITY}&date=2017-10-31&lang=ar"

# Visible text and accessible names of the page's chrome, one entry per text node or
# attribute; hidden nodes (display:none, hidden, closed <details>) are left out.
VISIBLE_TEXTS = """() => {
  const out = [];
  const shown = (el) => el && el.checkVisibility && el.checkVisibility();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const parent = n.parentElement;
    if (!parent || /^(SCRIPT|STYLE|TEXTAREA)$/.test(parent.tagName)) continue;
    if (n.textContent.trim() && shown(parent)) out.push(n.textContent.trim());
  }
  for (const el of document.querySelectorAll("[aria-label], [title], [placeholder]")) {
    if (!shown(el)) continue;
    for (const a of ["aria-label", "title", "placeholder"]) {
      if (el.getAttribute(a)) out.push(el.getAttribute(a));
    }
  }
  return out;
}"""
# Latin words that are no English: formats, key names, the language switch's "EN".
NOT_ENGLISH = {"EN", "PNG", "SVG", "PDF", "GIF", "CSV", "GeoJSON", "GeoPackage", "Shift",
               "A4", "SOURCES", "md"}


def _data_strings(app) -> list[str]:
    """What the data set says (names, sources, summaries, credit): shown as it is written."""
    snap = app.extensions["mapapp"].current()
    ds = snap.dataset
    found: set[str] = set()
    for frame, columns in ((ds.places, ("name", "name_ar", "kind", "admin_level")),
                           # A faction's English names are data only where it has no
                           # Arabic name: the shipped factions all have one, so English
                           # faction names left on the page are a defect.
                           (ds.factions[ds.factions["name_ar"] == ""], ("name", "short_name")),
                           (ds.views, ("name", "id")),
                           (ds.events, ("summary", "notes", "source_title", "source_url",
                                        "type"))):
        for column in columns:
            if column in frame:
                found.update(str(v) for v in frame[column].dropna() if str(v).strip())
    for frame in ds.context.values():  # town labels and the like
        for column in frame.columns:
            if column != "geometry" and frame[column].dtype != "int64":
                found.update(str(v) for v in frame[column].dropna() if str(v).strip())
    found.add(ds.credit)
    found.update(line.strip() for line in ds.credit.split(";"))
    return sorted(found, key=len, reverse=True)


def _english_left(texts: list[str], data: list[str]) -> list[str]:
    """Texts with an English word once the data's own strings are taken out."""
    left = []
    for text in texts:
        rest = text
        for value in data:
            if value and value in rest:
                rest = rest.replace(value, " ")
        words = [w for w in re.findall(r"[A-Za-z]{2,}", rest) if w not in NOT_ENGLISH]
        if words:
            left.append(f"{text!r} → {words}")
    return left


def test_no_english_interface_word_is_left_in_arabic(live_server, make_page, app):
    recorder = open_map(make_page, live_server, AR_PAGE)
    page = recorder.page
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == \
        ["ar", "rtl"]
    data = _data_strings(app)
    seen: dict[str, list[str]] = {}
    seen["events"] = page.evaluate(VISIBLE_TEXTS)
    page.locator("#mapapp-tab-compare").click()
    page.locator("#mapapp-compare-week").click()
    page.locator("#mapapp-compare-list li").first.wait_for()
    page.locator("#mapapp-compare-gains li").first.wait_for()
    seen["compare"] = page.evaluate(VISIBLE_TEXTS)
    page.locator("#mapapp-tab-areas").click()
    page.locator("#mapapp-chart svg").wait_for()
    seen["areas"] = page.evaluate(VISIBLE_TEXTS)
    page.locator("#mapapp-find").fill("كنامات")
    page.locator("#mapapp-find").press("Enter")
    page.locator(".leaflet-popup-content .mapapp-popup").wait_for()
    seen["popup"] = page.evaluate(VISIBLE_TEXTS)
    page.locator(".mapapp-history-btn").click()
    page.locator("#mapapp-place .mapapp-history").wait_for()
    seen["place"] = page.evaluate(VISIBLE_TEXTS)
    page.locator(".mapapp-share-button").click()
    page.locator("#mapapp-share").wait_for()
    seen["share"] = page.evaluate(VISIBLE_TEXTS)
    found = {state: _english_left(texts, data) for state, texts in seen.items()}
    assert all(not v for v in found.values()), "\n".join(
        f"{state}: {line}" for state, lines in found.items() for line in lines)
    # and the walk does read the chrome: Arabic words of each part are there
    assert "مفتاح الخريطة" in seen["events"] and "الخط الزمني" in seen["events"]
    assert "مشاركة أو تصدير" in seen["share"]
    assert recorder.errors == []


def test_english_is_found_by_the_same_walk(live_server, make_page, app):
    """The check above can fail: on the English page it finds the interface's words."""
    recorder = open_map(make_page, live_server, f"/?{CITY}&date=2017-10-31")
    left = _english_left(recorder.page.evaluate(VISIBLE_TEXTS), _data_strings(app))
    assert any("Legend" in line for line in left) and any("Timeline" in line for line in left)


def _box(page, selector: str) -> dict[str, float]:
    return page.locator(selector).first.bounding_box()


def test_panel_and_controls_are_mirrored_but_not_the_map(live_server, make_page):
    english = open_map(make_page, live_server, f"/?{CITY}&date=2017-10-31", texts=False).page
    arabic = open_map(make_page, live_server, AR_PAGE, texts=False).page
    for page, panel_first in ((english, False), (arabic, True)):
        panel, mapbox = _box(page, "#mapapp-panel"), _box(page, ".leaflet-container")
        find, layers = _box(page, "#mapapp-find"), _box(page, ".leaflet-control-layers")
        assert (panel["x"] < mapbox["x"]) is panel_first  # the panel at the end of the line
        assert (find["x"] > layers["x"]) is panel_first  # the search at the start
        # Leaflet's own panes are not mirrored: west stays on the left
        west, east = page.evaluate("""() => {
          const m = window.mapapp.core.S.map, b = m.getBounds();
          return [m.latLngToContainerPoint([b.getCenter().lat, b.getWest()]).x,
                  m.latLngToContainerPoint([b.getCenter().lat, b.getEast()]).x];
        }""")
        assert west < east
    # the slider runs right to left: its thumb is right of the middle early in the range
    arabic.evaluate("mapapp.setDate('2017-09-10')")
    wait_for_date(arabic, "2017-09-10")
    slider = _box(arabic, "#mapapp-slider")
    start = _box(arabic, "#mapapp-range-start")
    assert start["x"] > slider["x"] + slider["width"] / 2  # the first date at the right


def test_arrow_keys_follow_the_direction_of_time(live_server, make_page):
    recorder = open_map(make_page, live_server, AR_PAGE, texts=False)
    page = recorder.page
    page.locator("#mapapp-date").click()  # focus outside any field
    page.keyboard.press("ArrowLeft")
    wait_for_date(page, "2017-11-01")  # left is later, right to left
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    wait_for_date(page, "2017-10-30")
    page.locator("#mapapp-slider").focus()  # the range input's own keys, under dir=rtl
    page.keyboard.press("ArrowLeft")
    wait_for_date(page, "2017-10-31")
    assert page.locator("#mapapp-next").get_attribute("aria-keyshortcuts") == "Shift+ArrowLeft"
    assert recorder.errors == []


def test_a_date_change_is_announced_in_arabic(live_server, make_page):
    recorder = open_map(make_page, live_server, f"/?{CITY}&date=2017-10-30&lang=ar",
                        texts=False)
    page = recorder.page
    page.locator("#mapapp-date").click()
    page.keyboard.press("ArrowLeft")
    wait_for_date(page, "2017-10-31")
    page.wait_for_function("() => document.getElementById('mapapp-announce').textContent")
    said = page.locator("#mapapp-announce").text_content()
    assert said.startswith("31 أكتوبر 2017: انتقلت السيطرة على "), said
    assert "الكنامات إلى" in said
    assert not re.search(r"\b(places?|changed|hands|to)\b", said)


@pytest.mark.parametrize("iso", ["2017-09-09", "2017-10-31", "2017-11-24"])
def test_the_page_writes_dates_as_python_does(live_server, make_page, iso):
    """Intl in the page and Babel on the server, both from CLDR, same digits."""
    recorder = open_map(make_page, live_server, f"/?{CITY}&date={iso}&lang=ar", texts=False)
    page = recorder.page
    assert current_date(page) == iso
    shown = page.locator("#mapapp-date").text_content()
    assert shown == i18n.translator("ar").format_day(dt.date.fromisoformat(iso))
    assert page.locator("#mapapp-slider").get_attribute("aria-valuetext") == shown
