"""The compact client payload: geometry sent once, control events as columns.

The browser applies or rewinds only the events between two slider positions, so the page
never carries a places x dates table (DESIGN.md §3).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping

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
    anchors = _anchors(places.geometry)
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
            "kind": _strings(places["kind"]),
            "quality": _strings(places["geometry_quality"]),
            "geometry_source": _strings(places["geometry_source"]),
            # 6 decimals (1 m²): the area chart sums these and must match /api/areas.
            "area_km2": [round(float(a), 6) for a in timeline.areas_km2.reindex(places.index)],
            "anchor": anchors,
        },
        "geometry": {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "id": pid, "properties": {"i": i},
                 "geometry": _rounded(mapping(geom))}
                for i, (pid, geom) in enumerate(zip(places.index, places.geometry, strict=True))
                if geom is not None and not geom.is_empty
            ],
        },
        "states": [
            {"status": status, "factions": list(factions), "confidence": confidence}
            for (status, factions, confidence) in states
        ],
        "control": {
            "id": list(control["id"]),
            "day": control["day"].astype(int).tolist(),
            "place": [timeline.place_index[p] for p in control["place"]],
            "state": state_ids,
            "prev": [int(p) for p in timeline._prev],
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
    """Texts and citations of each event, in the payload's order: loaded after first paint."""
    def columns(frame: Any) -> dict[str, list[Any]]:
        return {
            "id": list(frame["id"]),
            "date": list(frame["date"]),
            "summary": list(frame["summary"]),
            "source_title": list(frame["source_title"]),
            "source_url": list(frame["source_url"]),
            "source_date": list(frame["source_date"]),
            "notes": _strings(frame["notes"]),
        }
    return {"version": timeline.dataset.version, "control": columns(timeline.control),
            "incidents": columns(timeline.incidents)}


def _strings(series: Any) -> list[str | None]:
    return [None if (v is None or (isinstance(v, float) and math.isnan(v)) or v == "") else str(v)
            for v in series]


def _num(value: float) -> float | None:
    return None if value is None or np.isnan(value) else round(float(value), COORDINATE_DECIMALS)


def _anchors(geometries: Any) -> list[list[float] | None]:
    """A point inside each place, where its incidents and labels are drawn."""
    out: list[list[float] | None] = []
    for geom in geometries:
        if geom is None or geom.is_empty:
            out.append(None)
            continue
        point = shapely.point_on_surface(geom)
        out.append([round(point.x, COORDINATE_DECIMALS), round(point.y, COORDINATE_DECIMALS)])
    return out


def _rounded(geometry: dict[str, Any]) -> dict[str, Any]:
    def walk(coords: Any) -> Any:
        if isinstance(coords, (tuple, list)) and coords and isinstance(coords[0], (int, float)):
            return [round(c, COORDINATE_DECIMALS) for c in coords]
        return [walk(c) for c in coords]
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


__all__ = ["build_payload", "build_event_details", "format_day_label", "day_iso"]
