"""The data contract in one place: file names, columns, the values a column may take, and
how dates are counted.

Every other module takes these names from here (validation, loading, formatting, the
engine, the API, the exports), so a column or a status is added in one line.
"""

from __future__ import annotations

import datetime as dt
import re

from mapapp.errors import RequestError

# --- files of a data directory -----------------------------------------------------------
FACTIONS_FILE = "factions.csv"
PLACES_FILE = "places.geojson"
EVENTS_FILE = "events.csv"
VIEWS_FILE = "views.csv"
SOURCES_FILE = "SOURCES.md"
CONTEXT_DIR = "context"

# --- columns, in the order the files are written -----------------------------------------
FACTION_COLUMNS = ("id", "name", "short_name", "color", "description", "name_ar",
                   "short_name_ar")
# The Arabic names are optional: a data set without them shows the English ones.
FACTION_REQUIRED_COLUMNS = FACTION_COLUMNS[:5]
VIEW_COLUMNS = ("id", "name", "west", "south", "east", "north")
BBOX_COLUMNS = VIEW_COLUMNS[2:]  # west, south, east, north
PLACE_PROPERTIES = ("name", "name_ar", "kind", "parent", "country", "geometry_quality",
                    "geometry_source")
EVENT_COLUMNS = (
    "id", "date", "type", "place", "status", "factions", "lon", "lat", "summary",
    "source_title", "source_url", "source_date", "confidence", "notes",
)
EVENT_REQUIRED_COLUMNS = (
    "id", "date", "type", "place", "status", "factions", "summary",
    "source_title", "source_url", "source_date",
)
EVENT_SOURCE_COLUMNS = ("source_title", "source_url", "source_date")

# --- values ------------------------------------------------------------------------------
EVENT_TYPES = ("control", "incident")
STATUSES = ("held", "contested", "joint")
CONFIDENCES = ("confirmed", "claimed", "disputed")
DEFAULT_CONFIDENCE = CONFIDENCES[0]
# The state of a place with no control event yet: drawn neutral, never guessed.
NO_DATA = "no-data"
GEOMETRY_QUALITIES = ("official", "derived", "point", "unknown")
# Coordinates in every file and every export are longitude/latitude on WGS 84.
WGS84 = "EPSG:4326"

# --- dates -------------------------------------------------------------------------------
# Dates are whole days since this epoch (int64): exact, free of time zones, and negative
# before 1970. The browser counts the same way.
EPOCH = dt.date(1970, 1, 1)
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(value: str | dt.date, parameter: str = "date") -> dt.date:
    """Parse an ISO ``YYYY-MM-DD`` date or raise :class:`RequestError` saying why.

    Examples
    --------
    >>> parse_date("2017-10-31")
    datetime.date(2017, 10, 31)
    """
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not _DATE_RE.match(text):
        raise RequestError(f"{parameter} {value!r} is not a date of the form YYYY-MM-DD",
                           parameter)
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise RequestError(f"{parameter} {value!r} is not a valid date: {exc}", parameter) from None


def day_number(date: dt.date) -> int:
    """Days from 1970-01-01 to ``date``: the engine's and the browser's unit of time.

    Examples
    --------
    >>> day_number(dt.date(1970, 1, 2)), day_number(dt.date(1969, 12, 31))
    (1, -1)
    """
    return (date - EPOCH).days


def day_iso(day: int) -> str:
    """The ISO date of a day number, the inverse of :func:`day_number`.

    Examples
    --------
    >>> day_iso(17470)
    '2017-10-31'
    """
    return (EPOCH + dt.timedelta(days=int(day))).isoformat()


def day_date(day: int) -> dt.date:
    """The :class:`datetime.date` of a day number.

    Examples
    --------
    >>> day_date(0)
    datetime.date(1970, 1, 1)
    """
    return EPOCH + dt.timedelta(days=int(day))
