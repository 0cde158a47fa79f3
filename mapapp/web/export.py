"""Exports for journalists: snapshots, animations and data files.

Thin: parameters are validated by the core parsers (every bad value is a RequestError, a
400, raised before anything is drawn), the core renders, this module shapes the response.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import quote

from flask import Blueprint, Response, request, url_for

from mapapp import exports, params, snapshot
from mapapp.errors import BusyError
from mapapp.store import DataVersion
from mapapp.web.params import date_or_latest, date_range, translations_dir
from mapapp.web.params import snapshot as current_snapshot

bp = Blueprint("export", __name__)

# matplotlib is not thread-safe, and renders are CPU-bound anyway: one at a time per worker.
_RENDER_LOCK = threading.Lock()
# Renders running or waiting in this worker; beyond this a client gets 503 + Retry-After
# instead of a thread (and its memory) parked behind the lock.
MAX_QUEUED_RENDERS = 4
RENDER_WAIT_SECONDS = 20.0
_RENDER_SLOTS = threading.BoundedSemaphore(MAX_QUEUED_RENDERS)
# Seconds one GIF may take to draw (snapshots take well under one second on the shipped data).
ANIMATION_TIME_LIMIT = 45.0
# Rendered files by (data version, URL): embeds and social cards ask for the same few again.
_CACHE: OrderedDict[tuple[str, str], bytes] = OrderedDict()
_CACHE_LOCK = threading.Lock()
_CACHE_BYTES = 64 * 1024 * 1024


def _cached(snap: DataVersion, render: Callable[[], bytes]) -> bytes:
    # The whole URL, host included: data exports name the sources page absolutely.
    key = (snap.version, request.url)
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    body = _render_bounded(render)
    with _CACHE_LOCK:
        _CACHE[key] = body
        while sum(len(b) for b in _CACHE.values()) > _CACHE_BYTES and len(_CACHE) > 1:
            _CACHE.popitem(last=False)
    return body


def _render_bounded(render: Callable[[], bytes]) -> bytes:
    if not _RENDER_SLOTS.acquire(blocking=False):
        raise BusyError(f"{MAX_QUEUED_RENDERS} renders are already running or waiting; "
                        "try again in a few seconds")
    try:
        if not _RENDER_LOCK.acquire(timeout=RENDER_WAIT_SECONDS):
            raise BusyError("the renderer is busy; try again in a few seconds")
        try:
            return render()
        finally:
            _RENDER_LOCK.release()
    finally:
        _RENDER_SLOTS.release()


def _header_safe(text: str) -> str:
    """HTTP headers are Latin-1: anything else is percent-encoded rather than lost."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return quote(text, safe=" ,.;:()/&+-'©")
    return text


def _file(snap: DataVersion, body: bytes, mimetype: str, filename: str,
          inline: bool = False) -> Response:
    response = Response(body, mimetype=mimetype)
    disposition = "inline" if inline else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Attribution for whoever fetches the file with a script; the files carry it too.
    response.headers["X-Attribution"] = _header_safe(snap.dataset.credit)
    response.headers["Link"] = f'<{url_for("pages.sources")}>; rel="license"'
    response.headers["Cache-Control"] = "public, max-age=300"
    response.set_etag(hashlib.sha256(f"{snap.version}{request.url}".encode())
                      .hexdigest()[:32])
    response.make_conditional(request)  # in place: werkzeug's stubs lose the Flask type
    return response


@bp.get("/export/snapshot.<fmt>")
def snapshot_file(fmt: str) -> Response:
    snap = current_snapshot()
    options = snapshot.parse_snapshot_options(request.args, snap.timeline,
                                              params.fmt(fmt, snapshot.FORMATS),
                                              translations_dir())
    body = _cached(snap, lambda: snapshot.render_snapshot(snap.timeline, options))
    return _file(snap, body, params.media_type(fmt), f"{options.slug}.{fmt}", inline=True)


@bp.get("/export/animation.<fmt>")
def animation_file(fmt: str) -> Response:
    snap = current_snapshot()
    params.fmt(fmt, snapshot.ANIMATION_FORMATS)
    options = snapshot.parse_animation_options(request.args, snap.timeline, translations_dir())
    body = _cached(snap, lambda: snapshot.render_animation(snap.timeline, options,
                                                           time_limit=ANIMATION_TIME_LIMIT))
    return _file(snap, body, params.media_type(fmt), f"{options.slug}.{fmt}", inline=True)


@bp.get("/export/state.<fmt>")
def state_file(fmt: str) -> Response:
    snap = current_snapshot()
    params.fmt(fmt, exports.STATE_FORMATS)
    date = date_or_latest(snap)
    provenance = exports.provenance_of(snap.dataset, url_for("pages.sources", _external=True))
    body = _cached(snap, lambda: exports.export_state(snap.timeline, date, fmt, provenance))
    return _file(snap, body, params.media_type(fmt), f"mapapp-state-{date.isoformat()}.{fmt}")


@bp.get("/export/events.<fmt>")
def events_file(fmt: str) -> Response:
    snap = current_snapshot()
    params.fmt(fmt, exports.EVENT_FORMATS)
    start, end = date_range()
    provenance = exports.provenance_of(snap.dataset, url_for("pages.sources", _external=True))
    body = exports.export_events(snap.timeline, start, end, fmt, provenance)
    span = "-".join(d.isoformat() for d in (start, end) if d) or "all"
    return _file(snap, body, params.media_type(fmt), f"mapapp-events-{span}.{fmt}")
