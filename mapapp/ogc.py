"""OGC API – Features (Part 1: Core) over the timeline engine: parameters, collections and
their features. Pure: no Flask; ``mapapp.web.ogc`` adds the URLs and the HTTP.

Three collections, all in lon/lat (CRS84):

* ``places``: every place, its geometry and attributes; no time.
* ``events``: every event as a point (where an incident was reported, else a point inside
  its place), filtered by ``datetime`` on its date.
* ``control``: one feature per place, its state at ``datetime`` (the end of an interval;
  the latest state when absent or open-ended), as in the state export.

Dates are whole days: a date-time is reduced to its UTC date.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from mapapp import exports
from mapapp.errors import MissingResourceError, RequestError
from mapapp.timeline import Timeline, day_number, parse_date

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
# Parameters of /items; any other is a 400 (OGC API – Features, /req/core/query-param-unknown).
ITEM_PARAMETERS = ("f", "limit", "offset", "bbox", "bbox-crs", "datetime", "crs")


@dataclass(frozen=True)
class Collection:
    id: str
    title: str
    description: str
    temporal: bool


COLLECTIONS = {c.id: c for c in (
    Collection("places", "Places",
               "Every place (control unit) with its geometry and attributes.", False),
    Collection("events", "Events",
               "Every event, control changes and incidents, as a point: where an incident "
               "was reported, else a point inside its place. datetime filters on the "
               "event's date.", True),
    Collection("control", "Control at a date",
               "One feature per place: its state at datetime (an instant, or the end of an "
               "interval), the latest state when datetime is absent or open-ended.", True),
)}


@dataclass(frozen=True)
class Interval:
    """Whole days, both ends included; None is an open end."""

    start: dt.date | None
    end: dt.date | None

    def contains(self, days: np.ndarray) -> np.ndarray:
        mask = np.ones(len(days), dtype=bool)
        if self.start is not None:
            mask &= days >= day_number(self.start)
        if self.end is not None:
            mask &= days <= day_number(self.end)
        return mask


_DATE_TIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[Tt](?P<time>\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?P<zone>[Zz]|[+-]\d{2}:\d{2}))?")


def _instant(text: str) -> dt.date:
    """An RFC 3339 date or date-time, as its UTC date."""
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        raise RequestError(f"datetime {text!r} is not an RFC 3339 date or date-time "
                           "(2017-10-30 or 2017-10-30T12:00:00Z)", "datetime")
    date = parse_date(match["date"], "datetime")
    if match["time"] is None:
        return date
    zone = match["zone"].upper().replace("Z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(f"{match['date']}T{match['time']}{zone}")
    except ValueError as exc:
        raise RequestError(f"datetime {text!r} is not a valid date-time: {exc}",
                           "datetime") from None
    try:
        return moment.astimezone(dt.UTC).date()
    except OverflowError:  # 0001-01-01T00:30+01:00 is in year 0
        raise RequestError(f"datetime {text!r} is outside the years 1 to 9999",
                           "datetime") from None


def parse_datetime(raw: str | None) -> Interval | None:
    """``2017-10-30``, a date-time, or an interval ``start/end`` whose ends may be open
    (``..`` or empty). None when absent.

    Examples
    --------
    >>> parse_datetime("2017-10-01/..")
    Interval(start=datetime.date(2017, 10, 1), end=None)
    """
    if raw is None or raw == "":
        return None
    text = raw.strip()
    if "/" not in text:
        day = _instant(text)
        return Interval(day, day)
    if text.count("/") > 1:
        raise RequestError(f"datetime {raw!r} has more than one '/'", "datetime")
    first, last = text.split("/")
    ends = [None if part in ("", "..") else _instant(part) for part in (first, last)]
    if ends[0] is None and ends[1] is None and not (first == ".." or last == ".."):
        raise RequestError(f"datetime {raw!r} has no end", "datetime")
    if ends[0] and ends[1] and ends[0] > ends[1]:
        raise RequestError(f"datetime {raw!r} starts after it ends", "datetime")
    return Interval(ends[0], ends[1])


def check_crs(raw: str | None, name: str = "crs") -> None:
    """Features are served in CRS84 only (GDAL asks for it by name, OGC API – Features
    Part 2); any other CRS is a 400."""
    if raw not in (None, "", CRS84):
        raise RequestError(f"{name} {raw!r} is not supported; only {CRS84}", name)


def parse_bbox(raw: str | None, crs: str | None = None) -> tuple[float, ...] | None:
    """``west,south,east,north`` in CRS84 degrees (a 6-number box's heights are ignored).
    West may exceed east: a box across the antimeridian."""
    check_crs(crs, "bbox-crs")
    if raw is None or raw == "":
        return None
    try:
        numbers = [float(part) for part in raw.split(",")]
    except ValueError:
        raise RequestError(f"bbox {raw!r} is not four comma-separated numbers",
                           "bbox") from None
    if len(numbers) not in (4, 6) or not all(math.isfinite(n) for n in numbers):
        raise RequestError(f"bbox {raw!r} is not four (or six) finite numbers", "bbox")
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise RequestError(f"bbox {raw!r} is outside -180..180, -90..90 or has south > "
                           "north", "bbox")
    return west, south, east, north


def parse_count(raw: str | None, name: str, default: int, maximum: int | None) -> int:
    """A whole number ≥ (1 for limit, 0 for offset); a limit above the maximum is cut to it."""
    if raw is None or raw == "":
        return default
    least = 1 if name == "limit" else 0
    if not re.fullmatch(r"\d{1,30}", raw.strip()) or int(raw) < least:
        raise RequestError(f"{name} {raw!r} is not a whole number ≥ {least}", name)
    value = int(raw)
    return min(value, maximum) if maximum else value


def collection(cid: str) -> Collection:
    if cid not in COLLECTIONS:
        raise MissingResourceError(f"no collection {cid!r}; collections: "
                                   f"{', '.join(COLLECTIONS)}")
    return COLLECTIONS[cid]


def extent(timeline: Timeline, cid: str) -> dict[str, Any]:
    places = timeline.dataset.places
    geoms = places.geometry[~(places.geometry.isna() | places.geometry.is_empty)]
    out: dict[str, Any] = {}
    if len(geoms):
        out["spatial"] = {"bbox": [[round(float(v), 6) for v in np.asarray(geoms.total_bounds)]],
                          "crs": CRS84}
    if collection(cid).temporal and timeline.first_date:
        out["temporal"] = {"interval": [[f"{timeline.first_date}T00:00:00Z",
                                         f"{timeline.last_date}T23:59:59Z"]],
                           "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"}
    return out


def _latest(timeline: Timeline) -> dt.date:
    return parse_date(timeline.last_date) if timeline.last_date else dt.date.today()


def control_date(timeline: Timeline, interval: Interval | None) -> dt.date:
    """The date whose state ``control`` shows: the interval's end, else the latest."""
    if interval is None or interval.end is None:
        return _latest(timeline)
    return interval.end


def features(timeline: Timeline, cid: str, interval: Interval | None = None,
             bbox: tuple[float, ...] | None = None) -> list[dict[str, Any]]:
    """The GeoJSON features of a collection, filtered by time and box, in a stable order
    (places in data order, events by date)."""
    collection(cid)
    if cid == "events":
        frame = exports.events_frame(timeline)
        if interval is not None:
            days = np.array([day_number(parse_date(d)) for d in frame["date"]], dtype=np.int64)
            frame = frame[interval.contains(days)]
    elif cid == "control":
        frame = exports.state_frame(timeline, control_date(timeline, interval))
    else:
        frame = exports.state_frame(timeline, _latest(timeline))[
            ["id", "name", "name_ar", "kind", "parent", "country", "geometry_quality",
             "geometry_source", "area_km2", "geometry"]]
    if bbox is not None:
        frame = frame[_in_box(frame.geometry.to_numpy(), bbox)]
    return exports.geojson_features(frame)


def _in_box(geoms: np.ndarray, bbox: tuple[float, ...]) -> np.ndarray:
    west, south, east, north = bbox
    boxes = [(west, south, east, north)] if west <= east else \
        [(west, south, 180.0, north), (-180.0, south, east, north)]
    inside = np.zeros(len(geoms), dtype=bool)
    for box in boxes:
        inside |= shapely.intersects(geoms, shapely.box(*box))  # a missing geometry: False
    return inside


def feature(timeline: Timeline, cid: str, fid: str,
            interval: Interval | None = None) -> dict[str, Any]:
    for item in features(timeline, cid, None if cid == "events" else interval):
        if item["id"] == fid:
            return item
    raise MissingResourceError(f"no feature {fid!r} in collection {cid!r}")
