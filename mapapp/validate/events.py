"""Checks of events.csv and of the references between events and places."""

from __future__ import annotations

import datetime as dt
import re

from mapapp.contract import (
    CONFIDENCES,
    EVENT_REQUIRED_COLUMNS,
    EVENT_TYPES,
    EVENTS_FILE,
    STATUSES,
)
from mapapp.errors import Problem
from mapapp.records import Feature, Row
from mapapp.validate.common import (
    allowed,
    at,
    check_slug,
    duplicate_ids,
    feat,
    missing_columns,
    number,
    parse_day,
    suggest,
)

# --- events ------------------------------------------------------------------------------


def check_events(rows: list[Row], columns: list[str], place_ids: set[str],
                 faction_ids: set[str], today: dt.date) -> list[Problem]:
    problems = missing_columns(EVENTS_FILE, columns, EVENT_REQUIRED_COLUMNS)
    if problems:
        return problems
    problems += duplicate_ids(EVENTS_FILE, rows)
    first_on: dict[tuple[str, str], Row] = {}
    for r in rows:
        problems += _check_event(r, place_ids, faction_ids, today)
        if r.get("type") == "control" and r.get("place") and r.get("date"):
            key = (r.get("place"), r.get("date"))
            if key in first_on:
                problems.append(at(r, "date", f"second control event for place {key[0]!r} on "
                                               f"{key[1]} (the first is on line "
                                               f"{first_on[key].line})"))
            else:
                first_on[key] = r
    return problems


def _check_event(r: Row, place_ids: set[str], faction_ids: set[str],
                 today: dt.date) -> list[Problem]:
    problems = check_slug(r, "id")
    date = parse_day(r.get("date"))
    if date is None:
        problems.append(at(r, "date", f"date {r.get('date')!r} is not a valid YYYY-MM-DD date"))
    elif date > today:
        problems.append(at(r, "date", f"date {r.get('date')} is in the future",
                            severity="warning"))
    kind = r.get("type")
    if kind not in EVENT_TYPES:
        problems.append(at(r, "type", f"type {kind!r} is not one of {allowed(EVENT_TYPES)}"))
    place = r.get("place")
    if place and place not in place_ids:
        problems.append(at(r, "place", f"unknown place {place!r}",
                            hint=suggest(place, place_ids, "place")))
    factions = [f.strip() for f in r.get("factions").split(";") if f.strip()]
    for faction in factions:
        if faction not in faction_ids:
            problems.append(at(r, "factions", f"unknown faction {faction!r}",
                                hint=suggest(faction, faction_ids, "faction")))
    if len(set(factions)) != len(factions):
        problems.append(at(r, "factions", f"faction listed twice in {r.get('factions')!r}"))
    if kind == "control":
        problems += _check_control(r, place, factions)
    elif kind == "incident" and r.get("status"):
        problems.append(at(r, "status", f"status {r.get('status')!r} is ignored on an incident: "
                                         "use type 'control' for a change of control",
                            severity="warning"))
    problems += _check_location(r)
    if not r.get("summary"):
        problems.append(at(r, "summary", "summary is empty: say what happened"))
    problems += _check_source(r)
    source_date = parse_day(r.get("source_date"))
    if date is not None and source_date is not None and source_date < date:
        problems.append(at(r, "source_date", f"source_date {source_date} is before the event "
                                              f"date {date}: a report cannot confirm a change "
                                              "that had not happened yet", severity="warning"))
    confidence = r.get("confidence")
    if confidence and confidence not in CONFIDENCES:
        problems.append(at(r, "confidence", f"confidence {confidence!r} is not one of "
                                             f"{allowed(CONFIDENCES)}"))
    return problems


def _check_control(r: Row, place: str, factions: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    if not place:
        problems.append(at(r, "place", "a control event needs a place"))
    status = r.get("status")
    if status not in STATUSES:
        problems.append(at(r, "status", f"status {status!r} is not one of {allowed(STATUSES)}"))
    elif status == "held" and len(factions) != 1:
        problems.append(at(r, "factions", f"status 'held' needs exactly one faction, got "
                                           f"{len(factions)} ({r.get('factions')!r})"))
    elif status in ("contested", "joint") and len(factions) < 2:
        problems.append(at(r, "factions", f"status {status!r} needs two or more factions, "
                                           f"got {len(factions)} ({r.get('factions')!r})"))
    return problems


def _check_location(r: Row) -> list[Problem]:
    lon, lat = r.get("lon"), r.get("lat")
    if not lon and not lat:
        return []
    if not lon or not lat:
        return [at(r, "lon" if not lon else "lat", "give both lon and lat, or neither")]
    lon_v, lat_v = number(lon), number(lat)
    if lon_v is None or not -180 <= lon_v <= 180:
        return [at(r, "lon", f"lon {lon!r} is not a longitude in [-180, 180]")]
    if lat_v is None or not -90 <= lat_v <= 90:
        return [at(r, "lat", f"lat {lat!r} is not a latitude in [-90, 90]")]
    return []


def _check_source(r: Row) -> list[Problem]:
    problems: list[Problem] = []
    if not r.get("source_title"):
        problems.append(at(r, "source_title", "source_title is empty: every event cites a "
                                               "source"))
    url = r.get("source_url")
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", url):
        problems.append(at(r, "source_url", f"source_url {url!r} is not an http(s) URL"))
    if parse_day(r.get("source_date")) is None:
        problems.append(at(r, "source_date", f"source_date {r.get('source_date')!r} is not a "
                                              "valid YYYY-MM-DD date"))
    return problems


def check_references(features: list[Feature], rows: list[Row]) -> list[Problem]:
    """Warn about places that no event mentions: they would only ever show 'no data'."""
    used = {r.get("place") for r in rows}
    return [
        feat(f, "id", f"place {f.id!r} is never referenced by an event", severity="warning")
        for f in features
        if isinstance(f.id, str) and f.id not in used
    ]
