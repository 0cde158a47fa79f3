"""The compact client payload: geometry sent once, control events as columns.

The browser applies or rewinds only the events between two slider positions, so the page
never carries a places x dates table (DESIGN.md §3).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from shapely.geometry import mapping

from mapapp.dataset import missing_as_none
from mapapp.timeline import Timeline, day_iso

# 5 decimals of a degree is about 1 m: finer than any source geometry we ship.
COORDINATE_DECIMALS = 5


def format_day_label(day: int) -> str:
    """'31 Oct 2017': labels are made here, not by the browser, so no time zone can shift them."""
    date = dt.date(1970, 1, 1) + dt.timedelta(days=int(day))
    return f"{date.day} {date.strftime('%b')} {date.year}"


def build_payload(timeline: Timeline) -> dict[str, Any]:
    """Everything the slider needs, as plain JSON-ready data."""
    ds = timeline.dataset
    faction_index = {fid: i for i, fid in enumerate(ds.factions.index)}
    events = ds.events
    first = int(events["day"].min()) if len(events) else 0
    last = int(events["day"].max()) if len(events) else 0
    states: dict[tuple[Any, ...], int] = {}
    control = timeline.control
    state_ids = []
    for status, factions, confidence in zip(control["status"], control["factions"],
                                            control["confidence"], strict=True):
        key = (status, tuple(faction_index[f] for f in factions), confidence)
        state_ids.append(states.setdefault(key, len(states)))
    incidents = timeline.incidents
    places = ds.places
    anchors = [None if point is None else
               [round(point.x, COORDINATE_DECIMALS), round(point.y, COORDINATE_DECIMALS)]
               for point in timeline.anchors.reindex(places.index)]
    return {
        "version": ds.version,
        "first_day": first,
        "last_day": last,
        "day_labels": [format_day_label(d) for d in range(first, last + 1)],
        "change_days": [int(d) for d in timeline.change_days],
        "factions": [
            {"id": fid, "name": row["name"], "short_name": row["short_name"],
             "color": row["color"]}
            for fid, row in ds.factions.iterrows()
        ],
        "places": {
            "id": list(places.index),
            "name": _strings(places["name"]),
            "name_ar": _strings(places["name_ar"]),
            # Few distinct values, repeated per place: sent once, indexed.
            "kind": _indexed(_strings(places["kind"])),
            "quality": _indexed(_strings(places["geometry_quality"])),
            "geometry_source": _indexed(_strings(places["geometry_source"])),
            # 6 decimals (1 m²): the area chart sums these and must match /api/areas.
            "area_km2": [round(float(a), 6) for a in timeline.areas_km2.reindex(places.index)],
            "anchor": anchors,
        },
        "geometry": _encoded_geometry(places),
        "states": [
            {"status": status, "factions": list(factions), "confidence": confidence}
            for (status, factions, confidence) in states
        ],
        # Sorted by day, so days travel as differences; the previous event of each place is
        # recomputed by the browser in one pass; ids of the usual "<date>-<place>" form are 0.
        "control": {
            "id": _elided_ids(control),
            "day_delta": np.diff(control["day"].to_numpy(np.int64), prepend=first).tolist(),
            "place": [timeline.place_index[p] for p in control["place"]],
            "state": state_ids,
        },
        "incidents": {
            "day": incidents["day"].astype(int).tolist(),
            "place": [timeline.place_index.get(p, -1) if p else -1 for p in incidents["place"]],
            "lon": [_num(v) for v in incidents["lon"]],
            "lat": [_num(v) for v in incidents["lat"]],
            "factions": [[faction_index[f] for f in fs] for fs in incidents["factions"]],
        },
    }


def build_event_details(timeline: Timeline) -> dict[str, Any]:
    """Texts and citations of each event, in the payload's order: loaded after first paint.

    Control events' ids and dates are already in the payload; a source cited by several
    events is sent once (``sources`` rows of title, URL, publication date).
    """
    sources: dict[tuple[str, str, str], int] = {}

    def columns(frame: Any, with_ids: bool) -> dict[str, list[Any]]:
        cited = [sources.setdefault((t, u, d), len(sources)) for t, u, d in
                 zip(frame["source_title"], frame["source_url"], frame["source_date"],
                     strict=True)]
        out: dict[str, list[Any]] = {"summary": list(frame["summary"]), "source": cited,
                                     "notes": _strings(frame["notes"])}
        if with_ids:
            out |= {"id": list(frame["id"]), "date": list(frame["date"])}
        return out

    control = columns(timeline.control, with_ids=False)
    incidents = columns(timeline.incidents, with_ids=True)
    return {"version": timeline.dataset.version, "control": control, "incidents": incidents,
            "sources": [list(key) for key in sources]}


def _indexed(values: list[str | None]) -> dict[str, list[Any]]:
    table: dict[str | None, int] = {}
    index = [table.setdefault(v, len(table)) for v in values]
    return {"values": list(table), "index": index}


def _elided_ids(control: Any) -> list[str | int]:
    return [0 if eid == f"{date}-{place}" else eid
            for eid, date, place in zip(control["id"], control["date"], control["place"],
                                        strict=True)]


def _encoded_geometry(places: Any) -> dict[str, Any]:
    """Coordinates as integers of 1e-5 degree, each ring's first position absolute and the
    rest as differences: a third of the bytes of decimal GeoJSON, decoded by mapapp.js."""
    features = []
    for i, geom in enumerate(places.geometry):
        if geom is None or geom.is_empty:
            continue
        shape = mapping(geom)
        features.append([i, shape["type"], _encode(shape["coordinates"])])
    return {"scale": 10 ** COORDINATE_DECIMALS, "features": features}


def _encode(coords: Any) -> Any:
    """A position becomes [x, y]; a list of positions becomes one flat delta list."""
    scale = 10 ** COORDINATE_DECIMALS
    if coords and isinstance(coords[0], (int, float)):
        return [round(coords[0] * scale), round(coords[1] * scale)]
    if coords and isinstance(coords[0], (tuple, list)) and coords[0] and \
            isinstance(coords[0][0], (int, float)):
        ints = np.rint(np.asarray(coords, dtype=float)[:, :2] * scale).astype(np.int64)
        return np.diff(ints, axis=0, prepend=np.zeros((1, 2), np.int64)).ravel().tolist()
    return [_encode(c) for c in coords]


def _strings(series: Any) -> list[str | None]:
    return [None if missing_as_none(v) is None else str(v) for v in series]


def _num(value: float) -> float | None:
    return None if value is None or np.isnan(value) else round(float(value), COORDINATE_DECIMALS)


__all__ = ["build_payload", "build_event_details", "format_day_label", "day_iso"]
