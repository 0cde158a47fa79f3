"""JSON API: state at a date, events, places, factions, health."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pandas as pd
from flask import Blueprint, Response, current_app, jsonify, request

from mapapp import params
from mapapp.contract import EVENT_COLUMNS, FACTION_COLUMNS, day_number
from mapapp.dataset import missing_as_none
from mapapp.errors import RequestError
from mapapp.freshness import state_is_stale
from mapapp.store import DataVersion
from mapapp.timeline import parse_date
from mapapp.web.params import date_or_latest, date_range, known_id, snapshot

bp = Blueprint("api", __name__)

EVENT_FIELDS = EVENT_COLUMNS


def _clean(value: Any) -> Any:
    """JSON-safe: tuples become lists, and every kind of missing value becomes null."""
    return list(value) if isinstance(value, tuple) else missing_as_none(value)


def _event_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    # to_dict is one pass in C; iterrows builds a Series per row (slow at 100,000 events)
    records = cast("list[dict[str, Any]]", frame[list(EVENT_FIELDS)].to_dict("records"))
    return [{f: _clean(v) for f, v in row.items()} for row in records]


@bp.get("/api/state")
def state() -> Response:
    snap = snapshot()
    date = date_or_latest(snap)
    states = snap.timeline.state_at(date)
    after_days = current_app.config["MAPAPP_SETTINGS"].stale_after_days
    ages = day_number(date) - snap.timeline.last_report_days(date)
    features = []
    columns = (states[c] for c in ("status", "factions", "since", "event_id", "confidence",
                                   "source_title", "source_url", "last_reported"))
    for base, age, *row in zip(snap.place_geojson, ages.tolist(), *columns, strict=True):
        status, factions, since, event_id, confidence, title, url, last = row
        features.append({**base, "properties": {
            **base["properties"], "status": status, "factions": list(factions),
            "since": since, "event_id": event_id, "confidence": confidence,
            "source_title": title, "source_url": url, "last_reported": last,
            "stale": state_is_stale(status, None if last is None else age, after_days)}})
    return jsonify({"type": "FeatureCollection", "date": date.isoformat(),
                    "version": snap.version, "features": features})


@bp.get("/api/events")
def events() -> Response:
    snap = snapshot()
    start, end = date_range()
    place = known_id(params.PLACE.parse(request.args), snap.dataset.places.index, "place",
                     "place")
    faction = known_id(params.FACTION.parse(request.args), snap.dataset.factions.index,
                       "faction", "faction")
    kind = params.EVENT_TYPE.parse(request.args)
    rows = _event_rows(snap.timeline.events_between(start, end, place, faction, kind))
    return jsonify({"count": len(rows), "events": rows})


@bp.get("/api/places")
def places() -> Response:
    snap = snapshot()
    frame = snap.dataset.places
    extra = zip(frame["parent"], frame["country"], frame["geometry_source"],
                snap.timeline.areas_km2.reindex(frame.index), strict=True)
    features = [
        {**base, "properties": {**base["properties"], "parent": _clean(parent),
                                "country": country, "geometry_source": _clean(source),
                                "area_km2": round(float(area), 4)}}
        for base, (parent, country, source, area) in zip(snap.place_geojson, extra, strict=True)
    ]
    return jsonify({"type": "FeatureCollection", "features": features})


@bp.get("/api/places/<place_id>/history")
def history(place_id: str) -> Response:
    snap = snapshot()
    frame = snap.timeline.history(place_id)
    rows = _event_rows(frame)
    return jsonify({"place": place_id, "events": rows})


@bp.get("/api/factions")
def factions() -> Response:
    snap = snapshot()
    return jsonify({"factions": [
        {k: row[k] for k in FACTION_COLUMNS}
        for _, row in snap.dataset.factions.iterrows()
    ]})


@bp.get("/api/views")
def views() -> Response:
    snap = snapshot()
    return jsonify({"views": [
        {"id": vid, "name": row["name"],
         "bbox": [row["west"], row["south"], row["east"], row["north"]]}
        for vid, row in snap.dataset.views.iterrows()
    ]})


# Each date costs one state_at over every place: a request may name this many at most.
MAX_AREA_DATES = 400


@bp.get("/api/areas")
def areas() -> Response:
    """km² held by each faction, contested and without data, at each change date (or at
    the ``date`` parameters given), from the engine's equal-area areas."""
    snap = snapshot()
    raw = request.args.getlist("date")
    if len(raw) > MAX_AREA_DATES:
        raise RequestError(f"{len(raw)} dates given; at most {MAX_AREA_DATES}", "date")
    if raw:
        body = _areas_body(snap, [parse_date(d, "date").isoformat() for d in raw])
    else:
        cache: dict[str, dict[str, Any]] = current_app.extensions.setdefault("mapapp_areas", {})
        if snap.version not in cache:
            cache.clear()
            cache[snap.version] = _areas_body(snap, snap.timeline.change_dates)
        body = cache[snap.version]
    return jsonify(body)


def _areas_body(snap: DataVersion, dates: list[str]) -> dict[str, Any]:
    frame = snap.timeline.area_by_faction(dates)
    return {
        "version": snap.version,
        "unit": "km2",
        "columns": list(frame.columns),
        "dates": list(frame.index),
        "areas": {c: [round(float(v), 6) for v in frame[c]] for c in frame.columns},
    }


@bp.get("/api/changes")
def changes() -> Response:
    snap = snapshot()
    start, end = _required_range()
    frame = snap.timeline.changes_between(start, end)
    rows = [{k: _clean(v) for k, v in r.items()} for r in frame.to_dict("records")]
    return jsonify({"from": start.isoformat(), "to": end.isoformat(), "changes": rows})


@bp.get("/api/gains-losses")
def gains_losses() -> Response:
    """Net changes between two dates per place, and places gained and lost per faction;
    a place first reported in between is counted as ``first_reported``, not as a gain."""
    snap = snapshot()
    start, end = _required_range()
    return jsonify(snap.timeline.gains_and_losses(start, end).to_dict())


def _required_range() -> tuple[dt.date, dt.date]:
    start, end = params.date_range(request.args, params.FROM_REQUIRED, params.TO_REQUIRED)
    assert start is not None and end is not None  # required: parse raised otherwise
    return start, end


@bp.get("/healthz")
def healthz() -> Response:
    store = current_app.extensions["mapapp"]
    snap = store.current()
    problems = [p.to_dict() for p in store.problems]
    body = {
        "status": "degraded" if problems else "ok",
        "version": snap.version,
        "places": len(snap.dataset.places),
        "events": len(snap.dataset.events),
        "problems": problems,
        # A saved copy when the files were broken as this worker started (see deploy.md).
        "source": str(store.source),
        "previous_versions": store.previous_versions(),
    }
    return jsonify(body)
