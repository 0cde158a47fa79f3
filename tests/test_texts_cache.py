"""Event texts come in chunks of 1,000 events (static/texts.js): a visit through years of
data keeps the texts of at most KEPT_EVENTS events, the chunks read last, and shows the
texts of the date it is at, loading again a chunk it had let go."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.generate import Spec, generate

pytestmark = pytest.mark.browser

KEPT_EVENTS = int(re.search(r"KEPT_EVENTS = (\d+)", (Path(__file__).parent.parent / "mapapp" /
                                                     "static" / "texts.js").read_text()).group(1))
MAX_CHUNKS = KEPT_EVENTS // 1000  # chunks of the default 1,000 events
KEPT = """() => { const t = mapapp.core.S.texts;
    return t.chunks.control.filter(Boolean).length + t.chunks.incidents.filter(Boolean).length; }"""
SHOWN = """(date) => mapapp.getDate() === date && mapapp.detailsLoaded === true &&
    [...document.querySelectorAll('#mapapp-events li.mapapp-ev')].some(
        (li) => li.querySelector('.mapapp-ev-summary'))"""


def test_a_long_visit_keeps_the_texts_it_shows_not_all_it_showed(tmp_path, map_of):
    events = (MAX_CHUNKS + 6) * 1000
    data = generate(tmp_path / "long", Spec(places=200, events=events, days=events // 40))
    with map_of(data, "/") as (app, recorder):
        page = recorder.page
        days = app.extensions["mapapp"].current().timeline.change_dates
        dates = [days[round(k * (len(days) - 1) / (MAX_CHUNKS + 5))] for k in range(MAX_CHUNKS + 6)]
        seen = 0
        for date in dates + dates[:2]:  # then back to where the visit began
            page.evaluate(f"mapapp.setDate('{date}')")
            page.wait_for_function(SHOWN, arg=date)
            kept = page.evaluate(KEPT)
            assert kept <= MAX_CHUNKS, (date, kept)
            seen = max(seen, kept)
        assert seen == MAX_CHUNKS  # the cap was reached, and the first dates loaded again
        assert recorder.errors == []
