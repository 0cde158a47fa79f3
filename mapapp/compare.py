"""Comparisons of two dates derived from the engine: who gained and who lost which places.

One definition of "first reported": a place with no state at the earlier date and a state
at the later one was not taken from anyone as far as the sources say, so it is not a gain.
The API, the exports and the page all read these results rather than recount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from mapapp.contract import NO_DATA, day_number, parse_date
from mapapp.errors import RequestError
from mapapp.i18n import N_

if TYPE_CHECKING:  # pragma: no cover - typing only
    from mapapp.timeline import Timeline

# What happened to a place between two dates.
FIRST_REPORTED = "first_reported"  # no state before, a state after
GAIN = "gain"  # at least one faction controls it now that did not before
LOSS = "loss"  # a faction no longer controls it, and nobody new does (joint -> held)
STATUS_CHANGE = "status_change"  # the same controllers, another status (held -> contested)
CHANGE_KINDS = (FIRST_REPORTED, GAIN, LOSS, STATUS_CHANGE)


def check_date_range(start: dt.date | None, end: dt.date | None) -> None:
    """The one rule of a range: ``from`` may not be after ``to`` (either may be absent).

    Examples
    --------
    >>> check_date_range(dt.date(2017, 11, 3), dt.date(2017, 10, 24))
    Traceback (most recent call last):
    ...
    mapapp.errors.RequestError: from 2017-11-03 is after to 2017-10-24
    """
    if start is not None and end is not None and start > end:
        raise RequestError(f"from {start} is after to {end}", "from")


def controllers(status: str, factions: Sequence[str]) -> frozenset[str]:
    """Who controls a place: the holder (first faction) unless control is shared.

    Examples
    --------
    >>> sorted(controllers("contested", ("a", "b"))), sorted(controllers("joint", ("a", "b")))
    (['a'], ['a', 'b'])
    """
    if status == "joint":
        return frozenset(factions)
    if status in ("held", "contested") and factions:
        return frozenset(factions[:1])
    return frozenset()


def change_kind(before_status: str, before: frozenset[str], after: frozenset[str]) -> str:
    """The kind of a place's net change (see :data:`CHANGE_KINDS`)."""
    if before_status == NO_DATA:
        return FIRST_REPORTED
    if after - before:
        return GAIN
    if before - after:
        return LOSS
    return STATUS_CHANGE


@dataclass(frozen=True)
class GainsAndLosses:
    """The net changes between two dates, one row per place whose state differs.

    ``changes`` columns: ``place``, ``kind``, ``from_status``, ``from_factions``,
    ``to_status``, ``to_factions``, ``gained`` and ``lost`` (tuples of faction ids, in the
    data's faction order) and ``area_km2``. A first report gains nothing and loses nothing;
    its new controllers are in ``first_holders``.
    """

    start: dt.date
    end: dt.date
    changes: pd.DataFrame
    factions: tuple[str, ...]

    def only(self, places: Iterable[str]) -> GainsAndLosses:
        """The same comparison restricted to some places (e.g. those on a map)."""
        keep = self.changes["place"].isin(set(places))
        return GainsAndLosses(self.start, self.end,
                              self.changes[keep].reset_index(drop=True), self.factions)

    def places_by_faction(self, column: str) -> dict[str, list[str]]:
        """Faction id -> places, for ``column`` ``gained``, ``lost`` or ``first_holders``,
        in the data's faction order and the places' order."""
        table: dict[str, list[str]] = {}
        for place, fids in zip(self.changes["place"], self.changes[column], strict=True):
            for f in fids:
                table.setdefault(f, []).append(place)
        return {f: table[f] for f in self.factions if f in table}

    def tally(self) -> dict[str, dict[str, float]]:
        """Per faction: places ``gained``, ``lost``, ``first_reported`` and their km²."""
        area = dict(zip(self.changes["place"], self.changes["area_km2"], strict=True))
        out: dict[str, dict[str, float]] = {
            f: {"gained": 0, "lost": 0, "first_reported": 0, "gained_km2": 0.0,
                "lost_km2": 0.0, "first_reported_km2": 0.0} for f in self.factions}
        for column, key in (("gained", "gained"), ("lost", "lost"),
                            ("first_holders", "first_reported")):
            for f, places in self.places_by_faction(column).items():
                out[f][key] = len(places)
                out[f][f"{key}_km2"] = round(sum(area[p] for p in places), 6)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``GET /api/gains-losses``."""
        def state(status: str, factions: tuple[str, ...]) -> dict[str, Any] | None:
            return None if status == NO_DATA else {"status": status, "factions": list(factions)}

        rows = self.changes
        changes = [
            {"place": place, "kind": kind, "before": state(fs, ff), "after": state(ts, tf),
             "gained": list(g), "lost": list(lo), "area_km2": round(float(a), 6)}
            for place, kind, fs, ff, ts, tf, g, lo, a in zip(
                rows["place"], rows["kind"], rows["from_status"], rows["from_factions"],
                rows["to_status"], rows["to_factions"], rows["gained"], rows["lost"],
                rows["area_km2"], strict=True)]
        return {"from": self.start.isoformat(), "to": self.end.isoformat(),
                "changes": changes, "factions": self.tally(),
                "first_reported": int((rows["kind"] == FIRST_REPORTED).sum())}


def gains_and_losses(timeline: Timeline, start: str | dt.date,
                     end: str | dt.date) -> GainsAndLosses:
    """Compare the states at ``start`` and ``end`` (``start`` not after ``end``)."""
    a, b = parse_date(start, "from"), parse_date(end, "to")
    check_date_range(a, b)
    changed = timeline.changed_places(a, b)
    order = {f: i for i, f in enumerate(timeline.dataset.factions.index)}

    def ordered(ids: frozenset[str]) -> tuple[str, ...]:
        return tuple(sorted(ids, key=lambda f: order.get(f, len(order))))

    kinds, gained, lost, first = [], [], [], []
    for fs, ff, ts, tf in zip(changed["from_status"], changed["from_factions"],
                              changed["to_status"], changed["to_factions"], strict=True):
        before, after = controllers(fs, ff), controllers(ts, tf)
        kind = change_kind(fs, before, after)
        kinds.append(kind)
        reported = kind == FIRST_REPORTED
        first.append(ordered(after) if reported else ())
        gained.append(() if reported else ordered(after - before))
        lost.append(() if reported else ordered(before - after))
    changes = changed.drop(columns=["event_id"]).assign(
        kind=kinds, gained=_objects(gained, changed.index), lost=_objects(lost, changed.index),
        first_holders=_objects(first, changed.index),
        area_km2=timeline.areas_km2.reindex(changed["place"]).fillna(0.0).to_numpy(float))
    columns = ["place", "kind", "from_status", "from_factions", "to_status", "to_factions",
               "gained", "lost", "first_holders", "area_km2"]
    return GainsAndLosses(a, b, changes[columns], tuple(timeline.dataset.factions.index))


# an English msgid: the page shows it in its language (mapapp.i18n.PAGE_SOURCES)
AREAS_COUNT = N_("km² of places with a polygon geometry (points and places without a location "
               "count 0): a held place to its holder, a joint one split equally between its "
               "factions, contested and no-data in columns of their own")


def areas_at_change_days(timeline: Timeline) -> dict[str, Any]:
    """Area per column (each faction, ``contested``, ``no-data``) at every change date,
    for the page's chart: ``km2[k][j]`` is column ``j`` on ``days[k]``."""
    frame = timeline.area_by_faction(timeline.change_dates)
    return {"days": [day_number(parse_date(d)) for d in frame.index],
            "factions": list(frame.columns),
            "km2": [[round(float(v), 6) for v in row] for row in frame.to_numpy()],
            "unit": "km2", "counts": AREAS_COUNT}


def _objects(values: list[tuple[str, ...]], index: pd.Index) -> pd.Series:
    """A column of tuples, one per row (pandas would otherwise try to spread them)."""
    return pd.Series(values, index=index, dtype=object)
