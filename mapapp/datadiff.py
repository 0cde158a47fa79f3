"""What a change to the data does to the map: two :class:`Timeline`\\ s compared.

A place's state (status, factions, confidence) only changes on the days of control events,
so the two timelines are compared once per day on which either has one, not day by day:
between two such days both states are constant. Each run of days on which a place's old and
new states differ is one :class:`RangeChange`, with the control events in force on each side
(the events responsible). Places, events, factions and views added, removed or edited are
listed too, so an edit that moves no state (a better source, a typo) still shows.

Pure: no Flask, no files. ``mapapp diff`` (cli.py) loads the two sides; diffmap.py draws one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from mapapp.contract import FACTION_COLUMNS, NO_DATA, PLACE_PROPERTIES, day_iso
from mapapp.dataset import missing_as_none
from mapapp.timeline import Timeline

EVENT_FIELDS = ("date", "type", "place", "status", "factions", "lon", "lat", "summary",
                "source_title", "source_url", "source_date", "confidence", "notes")
FACTION_FIELDS = FACTION_COLUMNS[1:]  # all but the id, Arabic names included
VIEW_FIELDS = ("name", "west", "south", "east", "north")
State = tuple[str, tuple[str, ...], str | None]  # status, factions, confidence
NO_STATE: State = (NO_DATA, (), None)


@dataclass(frozen=True)
class EventRef:
    """A control event in force over a range: the one responsible for that side's state."""

    id: str
    date: str
    source_title: str


@dataclass(frozen=True)
class Side:
    """One side's state over a range, and the events it comes from (none for no data)."""

    status: str
    factions: tuple[str, ...]
    confidence: str | None
    events: tuple[EventRef, ...]


@dataclass(frozen=True)
class RangeChange:
    """Days ``start``..``end`` (inclusive; ``end`` None: onwards) on which ``place`` is
    drawn as ``old`` before the change and as ``new`` after it."""

    place: str
    name: str
    start: str
    end: str | None
    old: Side
    new: Side


@dataclass(frozen=True)
class Edit:
    """A record (place, event, faction, view) present on both sides with fields changed."""

    id: str
    fields: tuple[str, ...]


@dataclass
class DataDiff:
    ranges: list[RangeChange] = field(default_factory=list)
    places_added: list[str] = field(default_factory=list)
    places_removed: list[str] = field(default_factory=list)
    places_edited: list[Edit] = field(default_factory=list)
    events_added: list[str] = field(default_factory=list)
    events_removed: list[str] = field(default_factory=list)
    events_edited: list[Edit] = field(default_factory=list)
    factions_changed: list[str] = field(default_factory=list)
    views_changed: list[str] = field(default_factory=list)
    # The first day with the most places drawn differently (ties: the larger area).
    most_affected: str | None = None
    most_affected_places: list[str] = field(default_factory=list)
    most_affected_km2: float = 0.0
    faction_names: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def changed(self) -> bool:
        return any([self.ranges, self.places_added, self.places_removed, self.places_edited,
                    self.events_added, self.events_removed, self.events_edited,
                    self.factions_changed, self.views_changed])

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        del out["faction_names"]
        out["changed"] = self.changed
        out["places_changed"] = sorted({r.place for r in self.ranges})
        return out


def diff_timelines(old: Timeline, new: Timeline) -> DataDiff:
    """Everything that differs between two loaded data sets.

    Examples
    --------
    >>> d = diff_timelines(Timeline(load_dataset(a)), Timeline(load_dataset(b)))  # doctest: +SKIP
    >>> [(r.place, r.start, r.end) for r in d.ranges]  # doctest: +SKIP
    [('kanamat', '2017-10-30', '2017-10-31')]
    """
    out = DataDiff(faction_names={
        **{str(k): str(v) for k, v in old.dataset.factions["name"].items()},
        **{str(k): str(v) for k, v in new.dataset.factions["name"].items()}})
    _records(out, old, new)
    _ranges(out, old, new)
    return out


# --- records -------------------------------------------------------------------------------


def _records(out: DataDiff, old: Timeline, new: Timeline) -> None:
    a, b = old.dataset, new.dataset
    out.places_added, out.places_removed, out.places_edited = _compare(
        a.places, b.places, (*PLACE_PROPERTIES, "geometry"))
    out.events_added, out.events_removed, out.events_edited = _compare(
        a.events, b.events, EVENT_FIELDS)
    out.factions_changed = _summary(*_compare(a.factions, b.factions, FACTION_FIELDS))
    out.views_changed = _summary(*_compare(a.views, b.views, VIEW_FIELDS))


def _compare(old: pd.DataFrame, new: pd.DataFrame, fields: tuple[str, ...],
             ) -> tuple[list[str], list[str], list[Edit]]:
    """Ids added and removed (in file order), and the ids on both sides whose fields differ."""
    x = dict(zip(old.index, zip(*(old[f] for f in fields), strict=True), strict=True))
    y = dict(zip(new.index, zip(*(new[f] for f in fields), strict=True), strict=True))
    added = [str(i) for i in y if i not in x]
    removed = [str(i) for i in x if i not in y]
    edited = []
    for rid, values in y.items():
        before = x.get(rid)
        if before is None:
            continue
        differ = tuple(f for f, u, v in zip(fields, before, values, strict=True)
                       if not _same(u, v))
        if differ:
            edited.append(Edit(str(rid), differ))
    return added, removed, edited


def _summary(added: list[str], removed: list[str], edited: list[Edit]) -> list[str]:
    """'+id' added, '-id' removed, '~id (fields)' edited: one line each."""
    return [f"+{i}" for i in added] + [f"-{i}" for i in removed] + \
        [f"~{e.id} ({', '.join(e.fields)})" for e in edited]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, BaseGeometry) or isinstance(b, BaseGeometry):
        if a is None or b is None:
            return a is b
        return bool(a.equals_exact(b, 0.0) or a.equals(b))
    return missing_as_none(a) == missing_as_none(b)


# --- state ranges --------------------------------------------------------------------------


class _Side:
    """One timeline's control events as codes into a table of states shared by both sides,
    and its place columns in the order of the union of both sides' places."""

    def __init__(self, timeline: Timeline, places: list[str], table: dict[State, int]):
        self.timeline = timeline
        ctl = timeline.control
        self.rows_code = np.array([
            table.setdefault((s, tuple(f), c), len(table)) for s, f, c in
            zip(ctl["status"], ctl["factions"], ctl["confidence"], strict=True)],
            dtype=np.int64)
        self.ids = ctl["id"].to_numpy(object)
        self.dates = ctl["date"].to_numpy(object)
        self.titles = ctl["source_title"].to_numpy(object)
        # Union column -> this side's place index, -1 where it has no such place.
        self.column = np.array([timeline.place_index.get(p, -1) for p in places],
                               dtype=np.int64)

    def rows_at(self, day: int) -> np.ndarray:
        """The control row in force per union place at ``day``, -1 for none."""
        latest = self.timeline.latest_rows(dt.date(1970, 1, 1) + dt.timedelta(days=day))
        return np.where(self.column >= 0, latest[np.maximum(self.column, 0)], -1)

    def codes(self, rows: np.ndarray, no_data: int) -> np.ndarray:
        return np.where(rows >= 0, self.rows_code[np.maximum(rows, 0)], no_data)

    def ref(self, row: int) -> EventRef:
        return EventRef(str(self.ids[row]), str(self.dates[row]), str(self.titles[row] or ""))


@dataclass
class _Run:
    start: int
    old_code: int
    new_code: int
    old_rows: list[int]
    new_rows: list[int]


def _ranges(out: DataDiff, old: Timeline, new: Timeline) -> None:
    places = list(dict.fromkeys([*old.place_ids, *new.place_ids]))
    table: dict[State, int] = {NO_STATE: 0}
    a, b = _Side(old, places, table), _Side(new, places, table)
    states = list(table)
    names = _names(old, new, places)
    area = _union_areas(old, new, places)
    days = np.union1d(old.change_days, new.change_days)
    runs: dict[int, _Run] = {}
    best = (0, 0.0)

    def close(p: int, end: int | None) -> None:
        run = runs.pop(p)
        out.ranges.append(RangeChange(
            place=places[p], name=names[p], start=day_iso(run.start),
            end=None if end is None else day_iso(end),
            old=_side(states[run.old_code], run.old_rows, a),
            new=_side(states[run.new_code], run.new_rows, b)))

    for day in days:
        rows_a, rows_b = a.rows_at(int(day)), b.rows_at(int(day))
        code_a, code_b = a.codes(rows_a, 0), b.codes(rows_b, 0)
        differ = np.flatnonzero(code_a != code_b)
        for p in [p for p in runs if code_a[p] == code_b[p]]:
            close(p, int(day) - 1)
        for p in differ.tolist():
            run = runs.get(p)
            if run is not None and (run.old_code, run.new_code) != (code_a[p], code_b[p]):
                close(p, int(day) - 1)
                run = None
            if run is None:
                run = runs[p] = _Run(int(day), int(code_a[p]), int(code_b[p]), [], [])
            _add(run.old_rows, int(rows_a[p]))
            _add(run.new_rows, int(rows_b[p]))
        score = (len(differ), float(area[differ].sum()))
        if score > best:
            best = score
            out.most_affected = day_iso(int(day))
            out.most_affected_places = [places[p] for p in differ]
            out.most_affected_km2 = round(score[1], 3)
    for p in list(runs):
        close(p, None)
    order = {p: i for i, p in enumerate(places)}
    out.ranges.sort(key=lambda r: (order[r.place], r.start))


def _add(rows: list[int], row: int) -> None:
    if row >= 0 and (not rows or rows[-1] != row):
        rows.append(row)


def _side(state: State, rows: list[int], side: _Side) -> Side:
    status, factions, confidence = state
    return Side(status, factions, confidence, tuple(side.ref(r) for r in rows))


def _names(old: Timeline, new: Timeline, places: list[str]) -> list[str]:
    names = {**old.dataset.places["name"].to_dict(), **new.dataset.places["name"].to_dict()}
    return [str(names.get(p) or p) for p in places]


def _union_areas(old: Timeline, new: Timeline, places: list[str]) -> np.ndarray:
    areas = {**old.areas_km2.to_dict(), **new.areas_km2.to_dict()}
    return np.array([float(areas.get(p, 0.0)) for p in places])


# --- the text report -----------------------------------------------------------------------


def format_text(diff: DataDiff, old_label: str, new_label: str) -> str:
    """The report ``mapapp diff`` prints: per place its changed ranges, old → new, with the
    events in force on each side; then the records changed and a summary line."""
    lines = [f"Comparing {_clean(old_label)} (before) with {_clean(new_label)} (after)"]
    if not diff.changed:
        return "\n".join([*lines, "No differences."]) + "\n"
    shown = None
    for r in diff.ranges:
        if r.place != shown:
            shown = r.place
            lines += ["", f"{_clean(r.name)} ({_clean(r.place)})"]
        span = f"from {r.start} on" if r.end is None else \
            r.start if r.end == r.start else f"{r.start} to {r.end}"
        lines.append(f"  {span}: {_state_text(r.old, diff)} → {_state_text(r.new, diff)}")
        for label, side in (("before", r.old), ("after", r.new)):
            for e in side.events or ():
                lines.append(f"    {label}: {_clean(e.id)} ({e.date}) \"{_clean(e.source_title)}\"")
            if not side.events:
                lines.append(f"    {label}: no control event")
    records = [("places added", diff.places_added), ("places removed", diff.places_removed),
               ("places edited", [_edit(e) for e in diff.places_edited]),
               ("events added", diff.events_added), ("events removed", diff.events_removed),
               ("events edited", [_edit(e) for e in diff.events_edited]),
               ("factions changed", diff.factions_changed),
               ("views changed", diff.views_changed)]
    listed = [(label, ids) for label, ids in records if ids]
    if listed:
        lines.append("")
    for label, ids in listed:
        lines.append(f"{label.capitalize()} ({len(ids)}): {_clean(', '.join(ids))}")
    places = len({r.place for r in diff.ranges})
    summary = (f"{places} place{'s' if places != 1 else ''} drawn differently on "
               f"{len(diff.ranges)} date range{'s' if len(diff.ranges) != 1 else ''}")
    if diff.most_affected:
        n = len(diff.most_affected_places)
        summary += (f"; most affected date {diff.most_affected} ({n} "
                    f"place{'s' if n != 1 else ''}, {diff.most_affected_km2:,.1f} km²)")
    return "\n".join([*lines, "", summary + "."]) + "\n"


def state_text(status: str, factions: tuple[str, ...], confidence: str | None,
               names: dict[str, str]) -> str:
    """'held by ISIS', 'contested: A vs B (claimed)', 'joint: A + B', 'no data'."""
    if status == NO_DATA:
        return "no data"
    who = [names.get(f, f) for f in factions]
    text = {"held": f"held by {who[0] if who else '?'}",
            "contested": "contested: " + " vs ".join(who),
            "joint": "joint: " + " + ".join(who)}.get(status, status)
    return text + (f" ({confidence})" if confidence and confidence != "confirmed" else "")


def _state_text(side: Side, diff: DataDiff) -> str:
    return _clean(state_text(side.status, side.factions, side.confidence, diff.faction_names))


def _edit(edit: Edit) -> str:
    return f"{edit.id} ({', '.join(edit.fields)})"


def _clean(text: str) -> str:
    """Data shown on a terminal: control characters as escapes, never sent raw."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))
