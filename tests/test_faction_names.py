"""Faction names in the page's language: the Arabic columns of factions.csv on the Arabic
page and in Arabic exports, the English names elsewhere and where a data set has none."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from mapapp import i18n
from mapapp.dataset import faction_names
from mapapp.snapshot import parse_snapshot_options, render_snapshot
from mapapp.snapshot.paint import StateStyle, style_label
from tests.viewer_support import CITY, open_map

SVG = "{http://www.w3.org/2000/svg}"
# Kanamat on 31 October 2017: taken by the government that day (data/events.csv).
GOVERNMENT = {"en": "Syrian government", "ar": "الحكومة السورية"}
SEARCH = {"en": "Kanamat", "ar": "كنامات"}


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["ar", "en"])
def test_popup_legend_and_search_name_factions_in_the_page_language(live_server, make_page,
                                                                   lang):
    query = "&lang=ar" if lang == "ar" else ""
    recorder = open_map(make_page, live_server, f"/?{CITY}&date=2017-10-31{query}")
    page = recorder.page
    other = GOVERNMENT["en" if lang == "ar" else "ar"]
    legend = page.locator(".mapapp-legend-rows").inner_text()
    page.locator("#mapapp-find").fill(SEARCH[lang])
    option = page.locator(".mapapp-find-option").first
    option.wait_for()
    found = option.inner_text()
    page.locator("#mapapp-find").press("Enter")
    popup = page.locator(".leaflet-popup-content .mapapp-popup")
    popup.wait_for()
    for shown in (legend, found, popup.inner_text()):
        assert GOVERNMENT[lang] in shown
        assert other not in shown
    assert recorder.errors == []


def test_a_data_set_without_arabic_faction_names_shows_the_english_ones(tiny_timeline,
                                                                        tiny_client,
                                                                        tiny_app):
    factions = tiny_timeline.dataset.factions  # tiny factions.csv has no Arabic columns
    arabic = faction_names(factions, "ar")
    assert list(arabic["name"]) == ["Blue League", "Green Union"]
    assert list(arabic["short_name"]) == ["Blue", "Green"]
    version = tiny_app.extensions["mapapp"].current().version
    payload = tiny_client.get(f"/data/{version}/timeline.json").get_json()
    assert [(f["name_ar"], f["short_name_ar"]) for f in payload["factions"]] == \
        [(None, None), (None, None)]
    label = style_label(StateStyle("contested", ("blue", "green"), False), arabic,
                        i18n.translator("ar"))
    assert "Blue" in label and "Green" in label


def test_arabic_names_are_used_where_given_and_english_where_not(tiny_ar_timeline):
    arabic = faction_names(tiny_ar_timeline.dataset.factions, "ar")
    assert list(arabic["name"]) == ["رابطة الأزرق", "Green Union"]
    assert list(arabic["short_name"]) == ["الأزرق", "Green"]
    english = faction_names(tiny_ar_timeline.dataset.factions, "en")
    assert list(english["name"]) == ["Blue League", "Green Union"]


def _svg_texts(body: bytes) -> str:
    return " ".join("".join(t.itertext()) for t in ET.fromstring(body).iter(f"{SVG}text"))


@pytest.mark.parametrize(("lang", "shown", "not_shown"), [
    ("ar", "رابطة الأزرق", ("Blue League", "Blue")),  # nor the English short name
    ("en", "Blue League", ("رابطة الأزرق", "الأزرق")),
])
def test_svg_export_names_factions_in_its_language(tiny_ar_timeline, lang, shown, not_shown):
    # 3 May 2001: Blue holds the harbour, shares the east square (a short name) and lost
    # the west square since 1 May (the change list, short names too)
    opts = parse_snapshot_options({"date": "2001-05-03", "compare": "2001-05-01",
                                   "lang": lang}, tiny_ar_timeline, "svg")
    texts = _svg_texts(render_snapshot(tiny_ar_timeline, opts))
    assert shown in texts
    assert not any(name in texts for name in not_shown), texts


@pytest.mark.parametrize(("lang", "shown", "not_shown"), [
    ("ar", "الكنامات", "Kanamat"),
    ("en", "Kanamat", "الكنامات"),
])
def test_the_change_list_names_places_in_its_language(make_timeline, lang, shown, not_shown):
    # The army took Kanamat from ISIS on 31 Oct 2017: it is in the change list of 1 Nov
    # against 30 Oct, under the government's gains.
    from mapapp.snapshot.figure import MapFigure

    timeline = make_timeline()
    opts = parse_snapshot_options({"date": "2017-11-01", "compare": "2017-10-30",
                                   "lang": lang}, timeline, "svg")
    figure = MapFigure(timeline, opts, [opts.date])
    lines = " ".join(figure._change_lines(width=100.0))
    assert shown in lines and not_shown not in lines, lines
