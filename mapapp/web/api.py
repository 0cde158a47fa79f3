"""JSON API: state at a date, events, places, factions, health."""

from __future__ import annotations

from typing import Any

import pandas as pd
from flask import Blueprint, Response, current_app, jsonify, request

from mapapp.dataset import missing_as_none
from mapapp.errors import RequestError
from mapapp.freshness import is_stale
from mapapp.timeline import day_number, parse_date
from mapapp.web.params import date_or_latest, known_id, optional_date, snapshot

bp = Blueprint("api", __name__)

EVENT_FIELDS = ("id", "date", "type", "place", "status", "factions", "lon", "lat", "summary",
                "source_title", "source_url", "source_date", "confidence", "notes")


def _clean(value: Any) -> Any:
    """JSON-safe: tuples become lists, and every kind of missing value becomes null."""
    return list(value) if isinstance(value, tuple) else missing_as_none(value)


def _event_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    # to_dict is one pass in C; iterrows builds a Series per row (slow at 100,000 events)
    return [{f: _clean(v) for f, v in row.items()}
            for row in frame[list(EVENT_FIELDS)].to_dict("records")]


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
            "stale": is_stale(None if last is None else age, after_days)}})
    return jsonify({"type": "FeatureCollection", "date": date.isoformat(),
                    "version": snap.version, "features": features})


@bp.get("/api/events")
def events() -> Response:
    snap = snapshot()
    start, end = optional_date("from"), optional_date("to")
    if start and end and start > end:
        raise RequestError(f"from {start} is after to {end}", "from")
    place = known_id(request.args.get("place"), snap.dataset.places.index, "place", "place")
    faction = known_id(request.args.get("faction"), snap.dataset.factions.index, "faction",
                       "faction")
    kind = request.args.get("type") or None
    if kind not in (None, "control", "incident"):
        raise RequestError(f"type {kind!r} is not 'control' or 'incident'", "type")
    frame = snap.dataset.events
    mask = pd.Series(True, index=frame.index)
    if start:
        mask &= frame["date"] >= start.isoformat()
    if end:
        mask &= frame["date"] <= end.isoformat()
    if place:
        mask &= frame["place"] == place
    if faction:
        mask &= frame["factions"].map(lambda fs: faction in fs)
    if kind:
        mask &= frame["type"] == kind
    selected = frame[mask]
    rows = _event_rows(selected)
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
        {k: row[k] for k in ("id", "name", "short_name", "color", "description")}
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


def _areas_body(snap: Any, dates: list[str]) -> dict[str, Any]:
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
    start = parse_date(request.args.get("from", ""), "from")
    end = parse_date(request.args.get("to", ""), "to")
    frame = snap.timeline.changes_between(start, end)
    rows = [{k: _clean(v) for k, v in r.items()} for r in frame.to_dict("records")]
    return jsonify({"from": start.isoformat(), "to": end.isoformat(), "changes": rows})


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
    }
    return jsonify(body)
