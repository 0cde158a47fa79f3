"""One style for page and exports: the payload declares what mapapp.style defines, and the
legend the page shows (read from the browser) says what the exports' legend says
(``mapapp.style.legend_label``), for every state of the shipped data."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapapp import freshness, style
from mapapp.contract import NO_DATA, day_number, parse_date
from mapapp.dataset import load_dataset
from mapapp.payload import build_payload
from mapapp.snapshot.paint import patch_style, style_of
from mapapp.timeline import Timeline
from tests.viewer_support import assert_clean, open_map, set_date

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def shipped() -> tuple[Timeline, dict]:
    timeline = Timeline(load_dataset(DATA))
    return timeline, build_payload(timeline)


def export_label(status: str, factions: tuple[str, ...], confidence: str | None,
                 timeline: Timeline) -> str:
    return style.legend_label(status, factions, confidence,
                              timeline.dataset.factions.to_dict("index"))


# Legend rows that are not states: shown whatever the date.
FIXED_ROWS = {style.LEGEND["derived_outline"],
              style.fill_template(style.LEGEND["incident"], days=str(style.INCIDENT_DAYS))}


@pytest.mark.browser
def test_page_legend_equals_export_legend_for_every_state(live_server, make_page, app):
    """At every change date the page's legend rows are the export labels of the states
    shown, and together the dates cover every state of the payload."""
    timeline = app.extensions["mapapp"].current().timeline
    payload = build_payload(timeline)
    every_state = {export_label(st["status"],
                                tuple(payload["factions"][i]["id"] for i in st["factions"]),
                                st["confidence"], timeline) for st in payload["states"]}
    recorder = open_map(make_page, live_server, "/?date=2017-10-31")
    page = recorder.page
    seen: set[str] = set()
    stale_row_seen = False
    for date in timeline.change_dates:
        set_date(page, date)
        rows = page.locator(".mapapp-legend-row").all_text_contents()
        shown = {r.strip() for r in rows} - FIXED_ROWS
        state = timeline.state_at(date)
        expected = {export_label(s, f, c, timeline)
                    for s, f, c in zip(state["status"], state["factions"], state["confidence"],
                                       strict=True)}
        # The stale row (mapapp.freshness) shows exactly when a place is stale by the API's rule.
        day = day_number(parse_date(date))
        if any(freshness.state_is_stale(s, None if r < 0 else day - int(r))
               for s, r in zip(state["status"], timeline.last_report_days(date), strict=True)):
            assert freshness.legend_label() in shown, date
            shown.discard(freshness.legend_label())
            stale_row_seen = True
        assert shown == expected, date
        seen |= expected
    assert every_state <= seen, every_state - seen
    assert stale_row_seen
    # the payload's states are those the data reports (the shipped events have no joint hold)
    reported = set(timeline.dataset.events.query("type == 'control'")["status"])
    assert {st["status"] for st in payload["states"]} == reported >= {"held", "contested"}
    # a held place by its faction's full name, as on the exports
    assert "Islamic State (ISIS)" in seen and "ISIS" not in seen
    assert export_label(NO_DATA, (), None, timeline) == style.LEGEND["no_data"]
    assert_clean(recorder)


def test_payload_carries_the_style_module(shipped):
    _, payload = shipped
    declared = payload["style"]
    assert declared == style.page_style()
    assert declared["fill_opacity"] == style.FILL_OPACITY
    assert declared["no_data"] == style.NO_DATA_STYLE
    assert declared["tentative"] == list(style.TENTATIVE)
    assert declared["line_darken"] == style.LINE_DARKEN
    assert declared["outline"] == style.OUTLINES
    assert declared["stripes"] == style.STRIPES
    assert declared["stale"] == style.STALE
    assert declared["legend"] == style.LEGEND
    assert declared["status_text"] == style.STATUS_TEXT
    assert declared["chart"] == style.CHART
    assert declared["incident_days"] == style.INCIDENT_DAYS


def test_export_patches_use_the_declared_opacities(shipped):
    timeline, _ = shipped
    colors = dict(zip(timeline.dataset.factions.index, timeline.dataset.factions["color"],
                      strict=True))
    fid = next(iter(colors))
    firm = patch_style(style_of("held", (fid,), "confirmed"), colors)
    pale = patch_style(style_of("held", (fid,), "claimed"), colors)
    grey = patch_style(style_of(NO_DATA, (), None), colors)
    assert firm["facecolor"][3] == style.FILL_OPACITY["firm"]
    assert pale["facecolor"][3] == style.FILL_OPACITY["tentative"]
    assert grey["facecolor"][3] == style.NO_DATA_STYLE["fill_opacity"]


@pytest.mark.browser
def _date_with(timeline: Timeline, wanted: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """The first change date at which each (status, confidence) is some place's state, and
    one such place for each."""
    for date in timeline.change_dates:
        state = timeline.state_at(date)
        found = [state.index[(state["status"] == s) & (state["confidence"] == c)]
                 for s, c in wanted]
        if all(len(f) for f in found):
            return date, [str(f[0]) for f in found]
    raise AssertionError(f"no date with every one of {wanted}")


@pytest.mark.browser
def test_popups_name_states_in_the_styles_words(live_server, make_page, shipped):
    """A popup's state and confidence read ``status_text`` and the tentative template: a
    claimed or disputed state says so, a confirmed one does not."""
    timeline, _ = shipped
    wanted = [("held", "claimed"), ("contested", "disputed"), ("held", "confirmed")]
    date, ids = _date_with(timeline, wanted)
    recorder = open_map(make_page, live_server, f"/?date={date}")
    texts = recorder.page.evaluate("""(ids) => ids.map(
        (id) => [mapapp.popupElement(id).querySelector('.mapapp-state').textContent,
                 mapapp.popupElement(id).querySelector('.mapapp-since').textContent])""", ids)
    claimed, disputed, confirmed = texts
    tentative = style.LEGEND["tentative"]
    assert claimed[0].startswith(style.STATUS_TEXT["held"] + ": ")
    assert claimed[1].endswith(style.fill_template(tentative, confidence="claimed"))
    assert disputed[0].startswith(style.STATUS_TEXT["contested"] + ": ")
    assert disputed[1].endswith(style.fill_template(tentative, confidence="disputed"))
    assert confirmed[0].startswith(style.STATUS_TEXT["held"] + ": ")
    assert not confirmed[1].endswith(style.fill_template(tentative, confidence="confirmed"))
    assert_clean(recorder)
