"""Request parameters, declared once: each declaration parses a value (every failure is a
:class:`RequestError` naming the parameter, a 400 on the web) and describes itself for the
OpenAPI document and the command-line help. No Flask: the web, the CLI, the snapshot
options and the exports read parameters from any mapping of names to strings.

``None`` or a blank string means "not given".
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from mapapp.compare import check_date_range
from mapapp.contract import BBOX_COLUMNS, EVENT_TYPES, parse_date
from mapapp.errors import RequestError

Params = Mapping[str, Any]
Bbox = tuple[float, float, float, float]
MERCATOR_MAX_LAT = 85.05112878  # the maps are Web Mercator, which stops here
_TRUE, _FALSE = ("1", "on", "true", "yes"), ("0", "off", "false", "no")

# Every file format served or written, with its media type: the one table.
MEDIA_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "gif": "image/gif",
    "geojson": "application/geo+json",
    "csv": "text/csv",  # the web layer adds "; charset=utf-8"
    "gpkg": "application/geopackage+sqlite3",
}


class LatestDay(Protocol):
    """What :class:`DateOrLatest` needs of the engine."""

    @property
    def last_date(self) -> str | None: ...


def text(params: Params, name: str) -> str | None:
    """The stripped value of ``name``, or None when it is missing or blank.

    Examples
    --------
    >>> text({"title": "  Raqqa "}, "title"), text({"title": " "}, "title")
    ('Raqqa', None)
    """
    value = params.get(name)
    if value is None:
        return None
    stripped = str(value).strip()
    return stripped or None


def choice(value: str, allowed: Sequence[str], name: str) -> str:
    """``value`` if it is one of ``allowed``, else a RequestError listing them.

    Examples
    --------
    >>> choice("jpg", ("png", "svg"), "format")
    Traceback (most recent call last):
    ...
    mapapp.errors.RequestError: format 'jpg' is not one of png, svg
    """
    if value not in allowed:
        raise RequestError(f"{name} {value!r} is not one of {', '.join(allowed)}", name)
    return value


def fmt(value: str, allowed: Sequence[str]) -> str:
    """A file format (a path suffix or ``--format``), one of ``allowed``."""
    return choice(value, allowed, "format")


def media_type(format_name: str) -> str:
    """The media type of a format of :data:`MEDIA_TYPES`."""
    return MEDIA_TYPES[format_name]


@dataclass(frozen=True)
class Param:
    """A query parameter: its name, what it means, and an example for the docs."""

    name: str
    help: str
    example: str | None = None
    required: bool = False

    def describe(self) -> str:
        return self.help

    def openapi(self) -> dict[str, Any]:
        """The OpenAPI parameter object. Values are strings on purpose: the server, not
        the client's schema, judges a malformed value, and the fuzzers send anything."""
        out: dict[str, Any] = {"name": self.name, "in": "query", "required": self.required,
                               "description": self.describe(), "schema": {"type": "string"}}
        if self.example is not None:
            out["example"] = self.example
        return out

    def raw(self, params: Params) -> str | None:
        value = text(params, self.name)
        if value is None and self.required:
            raise RequestError(f"{self.name} is required", self.name)
        return value


@dataclass(frozen=True)
class Text(Param):
    """Free text; the limits of what may be drawn are the renderer's."""

    def parse(self, params: Params) -> str | None:
        return self.raw(params)


@dataclass(frozen=True)
class Flag(Param):
    default: bool = True

    def describe(self) -> str:
        return f"{self.help}: {' | '.join(_TRUE[:2])} or {' | '.join(_FALSE[:2])}"

    def parse(self, params: Params) -> bool:
        raw = self.raw(params)
        if raw is None:
            return self.default
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise RequestError(f"{self.name} {raw!r} is not on or off", self.name)


@dataclass(frozen=True)
class Integer(Param):
    low: int = 0
    high: int = 10**9
    default: int | None = None

    def describe(self) -> str:
        return f"{self.help}, a whole number from {self.low} to {self.high}"

    def parse(self, params: Params, default: int | None = None) -> int | None:
        raw = self.raw(params)
        if raw is None:
            return self.default if default is None else default
        if not re.fullmatch(r"\d{1,9}", raw):
            raise RequestError(f"{self.name} {raw!r} is not a whole number", self.name)
        value = int(raw)
        if not self.low <= value <= self.high:
            raise RequestError(f"{self.name} {value} is out of range: {self.low} to "
                               f"{self.high}", self.name)
        return value


@dataclass(frozen=True)
class Choice(Param):
    choices: tuple[str, ...] = ()
    default: str | None = None

    def describe(self) -> str:
        return f"{self.help}: {' | '.join(self.choices)}"

    def parse(self, params: Params) -> str | None:
        raw = self.raw(params)
        return self.default if raw is None else choice(raw, self.choices, self.name)


@dataclass(frozen=True)
class Date(Param):
    def describe(self) -> str:
        return f"{self.help}, ISO YYYY-MM-DD"

    def parse(self, params: Params) -> dt.date | None:
        raw = self.raw(params)
        return None if raw is None else parse_date(raw, self.name)


@dataclass(frozen=True)
class DateOrLatest(Date):
    """A date that defaults to the latest data day: the last day with an event. A data set
    without events has no such day; its map is empty at every date, and today (UTC) is
    shown."""

    def describe(self) -> str:
        return f"{self.help}, ISO YYYY-MM-DD; the latest date in the data when omitted"

    def parse_or_latest(self, params: Params, timeline: LatestDay) -> dt.date:
        return self.parse(params) or latest_day(timeline)


def latest_day(timeline: LatestDay) -> dt.date:
    """The latest data day (see :class:`DateOrLatest`)."""
    last = timeline.last_date
    return parse_date(last) if last else dt.datetime.now(dt.UTC).date()


def date_range(params: Params, start: Date, end: Date) -> tuple[dt.date | None, dt.date | None]:
    """Both ends of a range, either optional; ``from`` may not be after ``to``."""
    a, b = start.parse(params), end.parse(params)
    check_date_range(a, b)
    return a, b


# --- extents -----------------------------------------------------------------------------


def parse_bbox(raw: str, name: str = "bbox") -> Bbox:
    """``west,south,east,north`` in degrees, checked (see :func:`checked_bbox`)."""
    parts = raw.split(",")
    message = f"{name} {raw!r} must be four numbers: west,south,east,north"
    if len(parts) != 4:
        raise RequestError(message, name)
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise RequestError(message, name) from None
    return checked_bbox(values, name)


def checked_bbox(values: Sequence[float], name: str) -> Bbox:
    """A box within the Web Mercator map, west before east and south before north."""
    west, south, east, north = values
    if not all(math.isfinite(v) for v in values):
        raise RequestError(f"{name} {list(values)} has a value that is not a finite number",
                           name)
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise RequestError(f"{name} longitudes {west}, {east} must be within -180..180", name)
    if not (-MERCATOR_MAX_LAT <= south <= MERCATOR_MAX_LAT
            and -MERCATOR_MAX_LAT <= north <= MERCATOR_MAX_LAT):
        raise RequestError(f"{name} latitudes {south}, {north} must be within "
                           f"±{MERCATOR_MAX_LAT:.2f} (the Web Mercator map)", name)
    if west >= east:
        raise RequestError(f"{name} west {west} must be less than east {east}", name)
    if south >= north:
        raise RequestError(f"{name} south {south} must be less than north {north}", name)
    return west, south, east, north


def known_view(raw: str | None, views: Any, name: str = "view") -> str | None:
    """A view id of the data set's ``views`` frame, or a RequestError listing them."""
    if raw is None:
        return None
    if raw not in views.index:
        raise RequestError(f"unknown view {raw!r}; known views: "
                           f"{', '.join(views.index) or 'none'}", name)
    return raw


def view_bbox(views: Any, view: str) -> Bbox:
    row = views.loc[view]
    return checked_bbox(tuple(float(row[c]) for c in BBOX_COLUMNS), "view")


def extent(params: Params, views: Any) -> tuple[str | None, Bbox | None]:
    """``view`` or ``bbox`` (not both): the view's id and box, or (None, the box), or
    (None, None) when neither is given."""
    view, raw_bbox = VIEW.raw(params), BBOX.raw(params)
    if view is not None and raw_bbox is not None:
        raise RequestError("give either view or bbox, not both", "bbox")
    if view is not None:
        known_view(view, views)
        return view, view_bbox(views, view)
    if raw_bbox is not None:
        return None, parse_bbox(raw_bbox)
    return None, None


def known_id(raw: str | None, known: Any, what: str, name: str) -> str | None:
    """``raw`` if it is in ``known`` (ids of places, factions…); unknown is a 400."""
    if raw is None:
        return None
    if raw not in known:
        raise RequestError(f"unknown {what} {raw!r}", name)
    return raw


# --- the declarations shared by the endpoints --------------------------------------------

DATE = DateOrLatest("date", "the date", example="2017-11-01")
FROM = Date("from", "first date", example="2017-10-24")
TO = Date("to", "last date", example="2017-11-03")
FROM_REQUIRED = Date("from", "first date", example="2017-10-24", required=True)
TO_REQUIRED = Date("to", "last date", example="2017-11-03", required=True)
VIEW = Text("view", "id of a named view (see /api/views)", example="deir-ez-zor-city")
BBOX = Text("bbox", "west,south,east,north in degrees, instead of view",
            example="40.06,35.29,40.23,35.41")
PLACE = Text("place", "place id", example="kanamat")
FACTION = Text("faction", "faction id", example="isis")
EVENT_TYPE = Choice("type", "kind of event", example="control",
                    choices=EVENT_TYPES)



