"""The compact client payload: geometry sent once, control events as columns.

The browser applies or rewinds only the events between two slider positions, so the page
never carries a places x dates table (DESIGN.md §3).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping

from mapapp.compare import areas_at_change_days
from mapapp.contract import day_date, day_iso
from mapapp.dataset import missing_as_none
from mapapp.errors import MissingResourceError
from mapapp.style import page_style
from mapapp.timeline import Timeline

# 5 decimals of a degree is about 1 m: finer than any source geometry we ship.
COORDINATE_DECIMALS = 5
# Event texts (summaries, notes, citations) travel in chunks of this many events, each
# fetched when the page first shows one of its events: at 30,000 events the texts are two
# thirds of the page's bytes, and a reader looks at a few dozen of them.
DETAILS_CHUNK = 1000
DETAIL_KINDS = ("control", "incidents")


def format_day_label(day: int) -> str:
    """'31 Oct 2017': labels are made here, not by the browser, so no time zone can shift them."""
    date = day_date(day)
    return f"{date.day} {date.strftime('%b')} {date.year}"


def build_payload(timeline: Timeline, details_chunk: int = DETAILS_CHUNK) -> dict[str, Any]:
    """Everything the slider needs, as plain JSON-ready data; ``details`` says how the event
    texts are chunked (see :func:`build_detail_chunk`)."""
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
             "name_ar": missing_as_none(row["name_ar"]),
             "short_name_ar": missing_as_none(row["short_name_ar"]), "color": row["color"]}
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
        "details": {"chunk": details_chunk, **detail_chunk_counts(timeline, details_chunk)},
        # How states are drawn and named (mapapp.style): the page reads it, hard-codes none.
        "style": page_style(),
        # km² per faction at every change date, from the engine: the chart draws these.
        "areas": areas_at_change_days(timeline),
    }


def detail_chunk_counts(timeline: Timeline, size: int = DETAILS_CHUNK) -> dict[str, int]:
    """How many chunks of ``size`` events the texts of each kind make."""
    if size < 1:
        raise ValueError(f"a chunk of event texts holds at least one event, not {size}")
    return {kind: -(-len(_detail_frame(timeline, kind)) // size) for kind in DETAIL_KINDS}


def build_detail_chunk(timeline: Timeline, kind: str, n: int,
                       size: int = DETAILS_CHUNK) -> dict[str, Any]:
    """Texts and citations of the events ``n * size`` to ``(n + 1) * size - 1`` of ``kind``
    ("control" or "incidents"), in the payload's order.

    Control events' ids and dates are already in the payload; incidents carry theirs. A
    source cited by several events of the chunk is sent once (``sources`` rows of title,
    URL, publication date; ``source`` indexes them). An unknown kind or a chunk past the
    last is a :class:`MissingResourceError`.
    """
    if kind not in DETAIL_KINDS:
        raise MissingResourceError(
            f"no event texts of kind {kind!r}: the kinds are {', '.join(DETAIL_KINDS)}")
    frame = _detail_frame(timeline, kind)
    count = detail_chunk_counts(timeline, size)[kind]
    if not 0 <= n < count:
        raise MissingResourceError(f"no {kind} chunk {n}: the {kind} event texts make "
                                   f"{count} chunk{'' if count == 1 else 's'} of {size}")
    start = n * size
    rows = frame.iloc[start:start + size]
    sources: dict[tuple[str, str, str], int] = {}
    cited = [sources.setdefault((t, u, d), len(sources)) for t, u, d in
             zip(rows["source_title"], rows["source_url"], rows["source_date"], strict=True)]
    out: dict[str, Any] = {"version": timeline.dataset.version, "kind": kind, "start": start,
                           "summary": list(rows["summary"]), "notes": _strings(rows["notes"]),
                           "source": cited, "sources": [list(key) for key in sources]}
    if kind == "incidents":
        out |= {"id": list(rows["id"]), "date": list(rows["date"])}
    return out


def _detail_frame(timeline: Timeline, kind: str) -> Any:
    """The events of a kind in the payload's order (control sorted by day, as sent)."""
    return timeline.control if kind == "control" else timeline.incidents


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
    rest as differences: a third of the bytes of decimal GeoJSON, decoded by static/engine.js."""
    features = []
    for i, geom in enumerate(places.geometry):
        if geom is None or geom.is_empty:
            continue
        # Exteriors counter-clockwise, holes clockwise: the page fills places of one style
        # as one path with the non-zero rule, which then keeps holes and never punches
        # a hole where two places overlap.
        shape = mapping(shapely.orient_polygons(geom))
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


__all__ = ["DETAILS_CHUNK", "DETAIL_KINDS", "build_detail_chunk", "build_payload",
           "detail_chunk_counts", "format_day_label", "day_iso"]
