"""The engine on the shipped data, exhaustively: the state of every place the day before, on
and after every change, compared with an independent reading of events.csv."""

from __future__ import annotations

import csv
import datetime as dt

import pandas as pd
import pytest

from mapapp import timeline
from mapapp.timeline import Timeline
from tests.conftest import DATA_DIR


@pytest.fixture(scope="module")
def tl(make_timeline) -> Timeline:
    return make_timeline()


def _control_rows() -> list[dict[str, str]]:
    with open(DATA_DIR / "events.csv", newline="", encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["type"] == "control"]


def _oracle(rows: list[dict[str, str]], place: str, date: str) -> tuple[str, tuple[str, ...]]:
    """The contract's rule, written as plainly as possible: the latest event on or before."""
    best = None
    for r in rows:
        if r["place"] == place and r["date"] <= date and (best is None or r["date"] > best["date"]):
            best = r
    if best is None:
        return "no-data", ()
    return best["status"], tuple(best["factions"].split(";"))


def _probe_dates() -> list[str]:
    days = sorted({r["date"] for r in _control_rows()})
    out = set()
    for d in days:
        day = dt.date.fromisoformat(d)
        for delta in (-1, 0, 1):
            out.add((day + dt.timedelta(days=delta)).isoformat())
    return sorted(out)


@pytest.mark.parametrize("date", _probe_dates())
def test_state_matches_the_contract_before_on_and_after_every_change(tl, date):
    rows = _control_rows()
    state = tl.state_at(date)
    for place in tl.place_ids:
        expected = _oracle(rows, place, date)
        got = (state.loc[place, "status"], tuple(state.loc[place, "factions"]))
        assert got == expected, f"{place} on {date}"


def test_checkpoints_give_the_same_state_as_replaying_everything(tl, monkeypatch):
    """The shipped data is smaller than one checkpoint step; force one per place-count of
    events so that later dates replay from a checkpoint, not from the start."""
    monkeypatch.setattr(timeline, "_MIN_STEP", 1)
    checkpointed = Timeline(tl.dataset)
    assert len(checkpointed._checkpoints) > 1
    for date in _probe_dates():
        pd.testing.assert_frame_equal(checkpointed.state_at(date), tl.state_at(date))


# The facts the seed article reports; if the data changes these, a journalist should look.
@pytest.mark.parametrize(
    ("place", "date", "status", "factions"),
    [
        ("kanamat", "2017-10-30", "held", ("isis",)),
        ("kanamat", "2017-10-31", "held", ("syrian-government",)),
        ("kanamat", "2017-11-01", "held", ("syrian-government",)),
        ("old-airport", "2017-10-30", "held", ("isis",)),
        ("old-airport", "2017-10-31", "held", ("syrian-government",)),
        ("hamidiyah", "2017-10-31", "contested", ("isis", "syrian-government")),
        ("sheikh-yassin", "2017-10-31", "contested", ("isis", "syrian-government")),
        ("ardhi", "2017-10-31", "contested", ("isis", "syrian-government")),
        ("ubaydi", "2017-10-30", "held", ("isis",)),
        ("ubaydi", "2017-11-01", "held", ("iraqi-government",)),
        ("al-qaim", "2017-11-02", "held", ("isis",)),
        ("al-qaim", "2017-11-03", "held", ("iraqi-government",)),
        ("al-bukamal", "2017-11-19", "held", ("syrian-government",)),
        # The reported Baghdad-Erbil deal of 30 Oct was never carried out: still KRG-held.
        ("faysh-khabur", "2017-10-30", "held", ("kurdistan-region",)),
        ("ibrahim-al-khalil", "2017-10-29", "held", ("kurdistan-region",)),
        ("ibrahim-al-khalil", "2017-10-30", "held", ("kurdistan-region",)),
        # Besieged but never lost; the first state of the city's districts comes from sources.
        ("muhajireen", "2017-09-01", "held", ("syrian-government",)),
        ("al-qaim-crossing", "2017-11-02", "held", ("isis",)),
        ("al-qaim-crossing", "2017-11-03", "held", ("iraqi-government",)),
    ],
)
def test_seed_article_facts(tl, place, date, status, factions):
    row = tl.state_at(date).loc[place]
    assert (row["status"], tuple(row["factions"])) == (status, factions)


def test_since_is_when_the_holder_took_over_not_the_latest_report(tl):
    # Workers 1 was taken on 26 Oct and only reconfirmed on 3 Nov
    row = tl.state_at("2017-11-05").loc["workers-1"]
    assert row["since"] == "2017-10-26"
    assert row["event_id"] == "2017-11-03-workers-1"


def test_every_change_cites_a_source(tl):
    events = tl.dataset.events
    assert events["source_url"].str.match(r"^https?://").all()
    assert (events["source_title"].str.len() > 0).all()


def test_areas_of_real_places_are_plausible_km2(tl):
    # Deir ez-Zor's neighbourhoods are under ~10 km²; the Ubaydi sub-district is ~1,600 km².
    assert 0.05 < tl.areas_km2["hamidiyah"] < 10
    assert 1000 < tl.areas_km2["ubaydi"] < 2000
    # Towns taken in desert sub-districts are points, so their capture paints no desert.
    for town in ("al-bukamal", "al-qaim", "faysh-khabur"):
        assert tl.areas_km2[town] == 0.0


def test_the_city_is_known_district_by_district_on_the_seed_date(tl):
    state = tl.state_at("2017-10-31")
    drawn = [p for p in tl.place_ids if tl.areas_km2[p] > 0]
    assert [p for p in drawn if state.loc[p, "status"] == "no-data"] == []
