"""The timeline engine: who holds what at a date, what changed, how much area.

Built once per loaded data set; every query is a pure function of it. Dates are handled
as whole days since 1970-01-01 (int64, see :mod:`mapapp.contract`), which is exact and
free of time zones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import shapely

from mapapp.compare import GainsAndLosses, check_date_range, gains_and_losses
from mapapp.contract import NO_DATA, day_iso, day_number, parse_date
from mapapp.dataset import Dataset
from mapapp.errors import NotFoundError

# Cylindrical equal-area on WGS84 (NSIDC EASE-Grid 2.0): areas are exact anywhere on Earth,
# so no data set needs a projection of its own.
EQUAL_AREA_CRS = "EPSG:6933"
__all__ = ["EQUAL_AREA_CRS", "NO_DATA", "Timeline", "day_iso", "day_number", "parse_date"]
_MIN_STEP = 1024  # control events between two checkpoints of latest_rows, at least


class Timeline:
    """Indexes over one :class:`Dataset`, derived once.

    Examples
    --------
    >>> from pathlib import Path
    >>> from mapapp.dataset import load_dataset
    >>> tl = Timeline(load_dataset(Path("data")))
    >>> tl.state_at("2017-11-01").loc["kanamat", "factions"]
    ('syrian-government',)
    """

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.place_ids: list[str] = list(dataset.places.index)
        self.place_index = {pid: i for i, pid in enumerate(self.place_ids)}
        events = dataset.events
        self.control = events[events["type"] == "control"].sort_values(
            ["day", "place"], kind="stable")
        self.incidents = events[events["type"] == "incident"]
        self._index_control()
        self._index_reports()
        self.areas_km2 = _areas_km2(dataset)
        self.anchors = _anchors(dataset)

    # --- derived indexes ---------------------------------------------------------------

    def _index_control(self) -> None:
        ctl = self.control
        days = ctl["day"].to_numpy(np.int64)
        places = np.array([self.place_index[p] for p in ctl["place"]], dtype=np.int64)
        self.change_days = np.unique(days)
        self._ctl_days, self._ctl_place = days, places
        # The previous control event of the same place, for "from" states and rewinding.
        order = np.lexsort((days, places))  # by place, then day
        prev = np.full(len(ctl), -1, dtype=np.int64)
        sorted_places = places[order]
        same = np.r_[False, sorted_places[1:] == sorted_places[:-1]]
        prev[order[same]] = order[np.flatnonzero(same) - 1]
        self._prev = prev
        self._cols = {c: ctl[c].to_numpy(object) for c in
                      ("id", "date", "status", "factions", "confidence", "source_url",
                       "source_title")}
        # "Since" is when the current holder(s) took over: a later report that only
        # confirms the same status and factions must not move it.
        since = np.empty(len(ctl), dtype=np.int64)
        status, factions = self._cols["status"], self._cols["factions"]
        for row in order:  # by place, then day: each row's predecessor is already done
            p = prev[row]
            same = p >= 0 and status[p] == status[row] and factions[p] == factions[row]
            since[row] = since[p] if same else days[row]
        self.since_days = since
        self._build_checkpoints()
        self._build_state_table()

    def _build_checkpoints(self) -> None:
        """The latest row per place after every ``step`` control events, so that a query
        replays at most ``step`` events instead of searching all of them. A step of one
        event per place keeps their memory at about one int per event; the floor keeps a
        data set of few places from building thousands of checkpoints."""
        n, total = len(self.place_ids), len(self.control)
        self._step = step = max(n, _MIN_STEP)
        checkpoints = np.full((total // step + 1, n), -1, dtype=np.int64)
        for k in range(1, len(checkpoints)):
            checkpoints[k] = self._replay(checkpoints[k - 1], (k - 1) * step, k * step)
        self._checkpoints = checkpoints

    def _replay(self, rows: np.ndarray, start: int, stop: int) -> np.ndarray:
        """A copy of ``rows`` updated with control events ``start:stop``. Control is sorted
        by day, so a place's latest event is its highest row, whatever order numpy applies
        a place's several events in."""
        rows = rows.copy()
        np.maximum.at(rows, self._ctl_place[start:stop], np.arange(start, stop))
        return rows

    def _build_state_table(self) -> None:
        """Each state column as an int code per event into the distinct values of all
        columns, plus a last "no data" code. ``state_at`` then gathers small ints and a few
        cache-hot objects instead of one object per event and column scattered in memory."""
        names = {"id": "event_id", "status": "status", "factions": "factions",
                 "since": "since", "confidence": "confidence", "source_url": "source_url",
                 "source_title": "source_title"}
        no_data = {"status": NO_DATA, "factions": ()}
        self._state_columns = list(names.values())
        # Row-major, a row per event: a query reads 28 adjacent bytes per place, not seven
        # scattered values.
        codes = np.empty((len(self.control) + 1, len(names)), dtype=np.int32)
        distinct: list[object] = []
        inverse: np.ndarray | list[int]
        for j, (source, column) in enumerate(names.items()):
            if source == "since":  # at most one per day: format each day once
                days, inverse = np.unique(self.since_days, return_inverse=True)
                values = [day_iso(d) for d in days]
            else:
                inverse, values = _factorize(self._cols[source])
            codes[:-1, j] = np.asarray(inverse, dtype=np.int64) + len(distinct)
            codes[-1, j] = len(distinct) + len(values)  # where latest_rows' -1 lands
            distinct += [*values, no_data.get(column)]
        self._state_codes = codes
        self._state_values = _object_array(distinct)
        # (status, factions) alone, for areas: a code per event, the last one "no data".
        holding, self._holdings = _factorize(
            list(zip(self._cols["status"], self._cols["factions"], strict=True)))
        self._holdings.append((NO_DATA, ()))
        self._holding = np.array([*holding, len(self._holdings) - 1], dtype=np.int64)
        self._place_index = pd.Index(self.place_ids, name="id")

    def _index_reports(self) -> None:
        """Every event about a place (control or incident) as one sorted key per event,
        place * span + day: a place's latest report on or before a day is then one binary
        search per place, for all places at once."""
        events = self.dataset.events
        places = np.array([self.place_index.get(p, -1) if p else -1 for p in events["place"]],
                          dtype=np.int64)
        days = events["day"].to_numpy(np.int64)[places >= 0]
        places = places[places >= 0]
        self._report_first = int(days.min()) if len(days) else 0
        self._report_span = (int(days.max()) - self._report_first + 2) if len(days) else 2
        keys = np.sort(places * self._report_span + days - self._report_first)
        self._report_keys = keys
        offsets = keys % self._report_span
        distinct, self._report_code = np.unique(offsets, return_inverse=True)
        self._report_days = distinct + self._report_first
        self._report_iso = _object_array([day_iso(d) for d in self._report_days] + [None])

    def last_report_days(self, date: str | dt.date) -> np.ndarray:
        """For each place (in ``place_ids`` order) the day of its latest event of any kind
        on or before ``date``, or -1 when there is none yet."""
        return np.append(self._report_days, -1)[self._last_report_codes(date)]

    def _last_report_codes(self, date: str | dt.date) -> np.ndarray:
        """Per place an index into ``_report_days``, ``len(_report_days)`` for none."""
        day = day_number(parse_date(date))
        span, none = self._report_span, len(self._report_days)
        offset = min(max(day - self._report_first, -1), span - 2)
        if offset < 0 or none == 0:  # before the first report, or no report at all
            return np.full(len(self.place_ids), none, dtype=np.int64)
        wanted = np.arange(len(self.place_ids), dtype=np.int64) * span + offset
        at = np.searchsorted(self._report_keys, wanted, side="right") - 1
        found = at >= 0
        # The key found may be a lower place's: only a key of the place itself counts.
        found[found] = self._report_keys[at[found]] // span == np.flatnonzero(found)
        return np.where(found, self._report_code[np.maximum(at, 0)], none)

    @property
    def change_dates(self) -> list[str]:
        """The sorted dates on which at least one place changed hands."""
        return [day_iso(d) for d in self.change_days]

    @property
    def first_date(self) -> str | None:
        days = self.dataset.events["day"]
        return day_iso(days.min()) if len(days) else None

    @property
    def last_date(self) -> str | None:
        days = self.dataset.events["day"]
        return day_iso(days.max()) if len(days) else None

    # --- queries -----------------------------------------------------------------------

    def latest_rows(self, date: str | dt.date) -> np.ndarray:
        """For each place (in ``place_ids`` order) the row in ``control`` of its latest
        control event on or before ``date``, or -1."""
        day = day_number(parse_date(date))
        stop = int(np.searchsorted(self._ctl_days, day, side="right"))
        k = stop // self._step
        return self._replay(self._checkpoints[k], k * self._step, stop)

    def state_at(self, date: str | dt.date) -> pd.DataFrame:
        """The state of every place at ``date``: its latest control event on or before it.

        Places with no event yet are ``status == "no-data"`` (drawn neutral, never guessed).
        ``since`` is the day the current status and factions began; ``event_id`` and the
        source columns are those of the latest control event. ``last_reported`` is the day
        of the latest event of any kind about the place (None before the first): how old
        the picture is (see freshness.py).

        Examples
        --------
        >>> tl.state_at("2001-05-02").loc["west-square", "status"]  # the tiny data set
        'contested'
        """
        rows = self.latest_rows(date)
        # -1 (no event yet) picks the last code of every column: the "no data" state.
        codes = np.take(self._state_codes, rows, axis=0)
        # Column after column, as pandas stores them; flat, because numpy gathers through a
        # contiguous 1-D index far faster than through a transposed 2-D one.
        table = self._state_values[codes.T.ravel()].reshape(codes.shape[::-1])
        # object dtype keeps None as None (pandas would turn it into NaN in string columns)
        frame = pd.DataFrame(table.T, index=self._place_index, columns=self._state_columns,
                             dtype=object, copy=False)
        # A Series of objects: assigned bare, pandas would turn None into NaN.
        frame["last_reported"] = pd.Series(self._report_iso[self._last_report_codes(date)],
                                           index=self._place_index, dtype=object)
        return frame

    def changes_between(self, start: str | dt.date, end: str | dt.date) -> pd.DataFrame:
        """Control events with ``start < date <= end``, each with the state it replaced."""
        first, last = parse_date(start, "from"), parse_date(end, "to")
        check_date_range(first, last)
        a, b = day_number(first), day_number(last)
        days = self._ctl_days
        lo, hi = np.searchsorted(days, a, side="right"), np.searchsorted(days, b, side="right")
        rows = np.arange(lo, hi)
        prev = self._prev[rows]
        frame = self.control.iloc[rows][["id", "date", "place", "status", "factions",
                                         "confidence", "summary", "source_title",
                                         "source_url"]].copy()
        frame["from_status"] = [self._cols["status"][p] if p >= 0 else NO_DATA for p in prev]
        frame["from_factions"] = [self._cols["factions"][p] if p >= 0 else () for p in prev]
        return frame.reset_index(drop=True)

    def changed_places(self, start: str | dt.date, end: str | dt.date) -> pd.DataFrame:
        """Places whose status or factions differ between two dates (net change)."""
        before, after = self.state_at(start), self.state_at(end)
        differs = (before["status"] != after["status"]) | (before["factions"] != after["factions"])
        out = pd.DataFrame({
            "place": after.index[differs],
            "from_status": before["status"][differs].to_numpy(),
            "from_factions": before["factions"][differs].to_numpy(),
            "to_status": after["status"][differs].to_numpy(),
            "to_factions": after["factions"][differs].to_numpy(),
            "event_id": after["event_id"][differs].to_numpy(),
        })
        return out.reset_index(drop=True)

    def gains_and_losses(self, start: str | dt.date, end: str | dt.date) -> GainsAndLosses:
        """Who gained and who lost which places between two dates, per place and per
        faction; a place first reported in between is ``first_reported``, not a gain
        (:mod:`mapapp.compare`).

        Examples
        --------
        >>> g = tl.gains_and_losses("2001-05-01", "2001-05-03")  # the tiny data set
        >>> g.tally()["green"]["gained"], g.tally()["blue"]["lost"]
        (1, 1)
        """
        return gains_and_losses(self, start, end)

    def events_between(self, start: dt.date | None = None, end: dt.date | None = None,
                       place: str | None = None, faction: str | None = None,
                       kind: str | None = None) -> pd.DataFrame:
        """Events with ``start <= date <= end`` (either bound optional), oldest first, of
        one place, naming one faction, of one type, when given."""
        check_date_range(start, end)
        events = self.dataset.events
        days = events["day"].to_numpy(np.int64)
        mask = np.ones(len(events), dtype=bool)
        if start is not None:
            mask &= days >= day_number(start)
        if end is not None:
            mask &= days <= day_number(end)
        if place is not None:
            mask &= (events["place"] == place).to_numpy()
        if faction is not None:
            mask &= np.fromiter((faction in fs for fs in events["factions"]), bool,
                                len(events))
        if kind is not None:
            mask &= (events["type"] == kind).to_numpy()
        return events[mask]

    def history(self, place: str) -> pd.DataFrame:
        """Every event at ``place``, oldest first, control changes and incidents alike."""
        if place not in self.place_index:
            raise NotFoundError(f"unknown place {place!r}", "place")
        events = self.dataset.events
        return events[events["place"] == place].drop(columns=["line"]).reset_index(drop=True)

    def area_by_faction(self, dates: Iterable[str | dt.date]) -> pd.DataFrame:
        """Area in km² held by each faction at each date.

        ``held`` counts for its faction, ``joint`` is split equally between its factions,
        ``contested`` and ``no-data`` get columns of their own. Areas come from an
        equal-area projection (EPSG:6933), never from degrees.
        """
        area = self.areas_km2.reindex(self.place_ids).to_numpy(float)
        columns = list(self.dataset.factions.index) + ["contested", NO_DATA]
        slots = {c: i for i, c in enumerate(dict.fromkeys(columns))}
        # The share of a place's area each column gets, per distinct (status, factions).
        shares = np.zeros((len(self._holdings), len(slots)))
        for h, (status, factions) in enumerate(self._holdings):
            for slot, divisor in _shares(status, factions, slots):
                shares[h, slot] += 1 / divisor
        records = []
        labels = []
        for date in dates:
            labels.append(parse_date(date).isoformat())
            holding = self._holding[self.latest_rows(date)]
            per_holding = np.bincount(holding, weights=area, minlength=len(shares))
            records.append(dict(zip(slots, (per_holding @ shares).tolist(), strict=True)))
        return pd.DataFrame(records, index=pd.Index(labels, name="date"), columns=columns)


def _shares(status: str, factions: tuple[str, ...],
            slots: dict[str, int]) -> list[tuple[int, int]]:
    """Where a place's area goes: (column slot, divisor) pairs."""
    if status == "held":
        return [(slots[factions[0]], 1)]
    if status == "joint":
        return [(slots[faction], len(factions)) for faction in factions]
    return [(slots["contested" if status == "contested" else NO_DATA], 1)]


def _factorize(values: Iterable[Any]) -> tuple[list[int], list[Any]]:
    """Codes into the distinct values, in order of first appearance; equal values share
    one object."""
    first: dict[object, int] = {}
    codes = [first.setdefault(v, len(first)) for v in values]
    return codes, list(first)


def _object_array(values: list[object]) -> np.ndarray:
    """A 1-D object array of ``values`` as they are (numpy would unpack tuples)."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


def _anchors(dataset: Dataset) -> pd.Series:
    """A point inside each place (None without geometry): where its label and its
    incidents are drawn, on the page and in exports alike."""
    geoms = dataset.places.geometry.to_numpy()
    points = shapely.point_on_surface(geoms)  # a missing geometry stays None
    points[shapely.is_empty(points) | shapely.is_missing(points)] = None
    return pd.Series(points, index=dataset.places.index, dtype=object, name="anchor")


def _areas_km2(dataset: Dataset) -> pd.Series:
    places = dataset.places
    if places.empty:
        return pd.Series(dtype=float)
    projected = places.geometry.to_crs(EQUAL_AREA_CRS)
    return (projected.area.fillna(0.0) / 1e6).rename("area_km2")
