"""The page's legend says what the exported maps say: for every state of the shipped data
the label on the page equals the export's (a held place by its faction's full name)."""

from __future__ import annotations

import pytest

from mapapp.snapshot import _style_label, _style_of
from tests.viewer_support import assert_clean, open_map

pytestmark = pytest.mark.browser

FIXED_ROWS = {"Approximate outline", "Incident, last 7 days"}


@pytest.fixture(scope="module")
def timeline(app):
    return app.extensions["mapapp"].current().timeline


def test_page_legend_equals_export_legend_at_every_change_date(live_server, make_page,
                                                               timeline):
    recorder = open_map(make_page, live_server, "/?date=2017-10-31")
    page = recorder.page
    factions = timeline.dataset.factions
    seen = set()
    for date in timeline.change_dates:
        page.evaluate("(d) => mapapp.setDate(d)", date)
        rows = page.locator(".mapapp-legend-row").all_text_contents()
        shown = {r.strip() for r in rows} - FIXED_ROWS
        state = timeline.state_at(date)
        expected = {_style_label(_style_of(s, f, c), factions)
                    for s, f, c in zip(state["status"], state["factions"], state["confidence"],
                                       strict=True)}
        assert shown == expected, date
        seen |= expected
    # the check covered held, contested and joint states, and a full faction name
    assert any(label.startswith("Contested: ") for label in seen)
    assert "Islamic State (ISIS)" in seen and "ISIS" not in seen
    assert_clean(recorder)
