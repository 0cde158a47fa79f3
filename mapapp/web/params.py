"""Parsing of query parameters into core values; every failure is a RequestError (400)."""

from __future__ import annotations

import datetime as dt

from flask import current_app, g, request

from mapapp.errors import RequestError
from mapapp.store import DataVersion
from mapapp.timeline import parse_date


def snapshot() -> DataVersion:
    version = current_app.extensions["mapapp"].current()
    g.data_version = version.version  # sent as X-Data-Version (pages.install_version_header)
    return version


def optional_date(name: str = "date") -> dt.date | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    return parse_date(raw, name)


def date_or_latest(snap: DataVersion, name: str = "date") -> dt.date:
    date = optional_date(name)
    if date is not None:
        return date
    last = snap.timeline.last_date
    return parse_date(last) if last else dt.date.today()


def view_id(snap: DataVersion, name: str = "view") -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in snap.dataset.views.index:
        known = ", ".join(snap.dataset.views.index)
        raise RequestError(f"unknown view {raw!r}; known views: {known}", name)
    return raw


def known_id(raw: str | None, known: object, what: str, name: str) -> str | None:
    if raw is None or raw == "":
        return None
    if raw not in known:  # type: ignore[operator]
        raise RequestError(f"unknown {what} {raw!r}", name)
    return raw
