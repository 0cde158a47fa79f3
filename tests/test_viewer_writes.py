"""A date step rewrites only what it changed outside the map too: the legend keeps the rows
of the states still shown (new ones added, gone ones removed, in order), and the places
list rewrites the state text of the places that changed, not their rows. What is not
rewritten is not laid out or painted again in the task after the map's frame."""

from __future__ import annotations

import pytest

from tests.viewer_support import open_map, set_date

pytestmark = pytest.mark.browser

LEGEND_ROWS = ".mapapp-legend-rows > .mapapp-legend-row"
# Each legend row and each place's state text is tagged with its text: a node still tagged
# after a step is the same node, not a new one with the same words.
TAG = """(sel) => document.querySelectorAll(sel).forEach((n) => {
                   n.dataset.was = n.textContent; })"""
READ = """(sel) => Array.from(document.querySelectorAll(sel),
                         (n) => ({ text: n.textContent, was: n.dataset.was || null }))"""


def _legend_at(page, iso: str) -> list[str]:
    set_date(page, iso)
    return [row["text"] for row in page.evaluate(READ, LEGEND_ROWS)]


def _two_legends(page, dates: list[str]) -> tuple[str, str]:
    """Consecutive change dates whose legends differ but share rows."""
    before = _legend_at(page, dates[0])
    for a, b in zip(dates, dates[1:], strict=False):
        after = _legend_at(page, b)
        if after != before and set(after) & set(before):
            return a, b
        before = after
    raise AssertionError("no step of the shipped data changes the legend")


def test_a_step_keeps_the_legend_rows_of_the_states_still_shown(live_server, make_page,
                                                                timeline):
    page = open_map(make_page, live_server, "/").page
    a, b = _two_legends(page, timeline.change_dates)
    # What a new page shows at each date: the order and words the kept rows must match.
    fresh = {iso: _legend_at(open_map(make_page, live_server, f"/?date={iso}").page, iso)
             for iso in (a, b)}
    assert fresh[a] != fresh[b]
    assert _legend_at(page, a) == fresh[a]
    page.evaluate(TAG, LEGEND_ROWS)
    set_date(page, b)
    rows = page.evaluate(READ, LEGEND_ROWS)
    assert [row["text"] for row in rows] == fresh[b]
    kept = [row for row in rows if row["text"] in fresh[a]]
    assert kept and all(row["was"] == row["text"] for row in kept)  # the same nodes
    assert all(row["was"] is None for row in rows if row["text"] not in fresh[a])
    assert _legend_at(page, a) == fresh[a]  # and back: removed rows come back in order


def test_a_step_rewrites_only_the_state_texts_of_the_places_list(live_server, make_page,
                                                                 timeline):
    dates = timeline.change_dates
    a, b = dates[len(dates) // 2 - 1], dates[len(dates) // 2]
    page = open_map(make_page, live_server, f"/?date={a}").page
    states = ".mapapp-places-list .mapapp-place-state"
    set_date(page, a)
    page.evaluate(TAG, states)
    set_date(page, b)
    rows = page.evaluate(READ, states)
    expected = open_map(make_page, live_server, f"/?date={b}").page.evaluate(READ, states)
    assert [row["text"] for row in rows] == [row["text"] for row in expected]
    changed = [row for row in rows if row["was"] != row["text"]]
    assert changed, f"no place in the list changed between {a} and {b}"
    assert all(row["was"] is not None for row in rows)  # no state text was made anew


def test_the_legend_names_the_compared_date_once(live_server, make_page):
    rows = ".mapapp-legend-row:has(.mapapp-swatch-changed)"
    page = open_map(make_page, live_server, "/?date=2017-11-20&cmp=2017-10-20").page
    assert page.locator(rows).all_inner_texts() == [
        page.locator(rows).first.inner_text()]
    assert "20 Oct 2017" in page.locator(rows).first.inner_text()
    set_date(page, "2017-11-25")  # another set of states: the row follows, still once
    assert len(page.locator(rows).all_inner_texts()) == 1
    assert "20 Oct 2017" in page.locator(rows).first.inner_text()
