"""Pure checks of a raw data set against the data contract (DESIGN.md §1).

Each check returns problems; none raises, none reads files. Used by the loader, the CLI
and the hot reload alike.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import shape
from shapely.geometry.polygon import orient
from shapely.validation import explain_validity

from mapapp.errors import Problem
from mapapp.records import (
    EVENT_REQUIRED_COLUMNS,
    EVENTS_FILE,
    FACTION_COLUMNS,
    FACTIONS_FILE,
    PLACES_FILE,
    VIEW_COLUMNS,
    VIEWS_FILE,
    Feature,
    RawDataset,
    Row,
)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")

EVENT_TYPES = ("control", "incident")
STATUSES = ("held", "contested", "joint")
CONFIDENCES = ("confirmed", "claimed", "disputed")
GEOMETRY_QUALITIES = ("official", "derived", "point", "unknown")
GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                  "MultiPolygon")
# Projected coordinates are metres, far beyond any degree value; 1000 leaves room for
# plain typos (lon 310) to get the plainer "outside lon/lat range" message.
PROJECTED_LIMIT = 1000.0
# Neighbouring shapes digitised separately overlap by slivers; only report real overlaps.
OVERLAP_TOLERANCE_KM2 = 0.01
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class Finding(Problem):
    """A problem with a hint on how to fix it: a close match, or the allowed values.

    The hint is kept out of :meth:`Problem.format` so that messages stay stable; the CLI
    prints it as a compiler ``note`` and JSON carries it as ``hint``.
    """

    hint: str | None = None

    def to_dict(self) -> dict[str, object]:
        return super().to_dict() | {"hint": self.hint}


@dataclass(frozen=True)
class Shapes:
    """Each place's shape, built once for every check (and for the loader's frame).

    ``geoms[i]`` is None where feature i has no geometry of an allowed type or shapely
    cannot build it; ``in_range[i]`` is whether all its coordinates are lon/lat.
    """

    geoms: list[Any]
    in_range: list[bool]


def build_shapes(features: list[Feature]) -> Shapes:
    geoms = [_try_shape(f.geometry) for f in features]
    return Shapes(geoms, _in_lon_lat_range(geoms))


def _try_shape(g: Any) -> Any:
    if not isinstance(g, dict) or g.get("type") not in GEOMETRY_TYPES:
        return None
    try:
        return shape(g)
    except Exception:  # malformed: the checks build it again to say why
        return None


def _in_lon_lat_range(geoms: list[Any]) -> list[bool]:
    """Whether every coordinate of each shape is in lon/lat range (NaN is not), for all
    shapes in one numpy pass."""
    array = np.empty(len(geoms), dtype=object)
    array[:] = geoms
    xy, owner = shapely.get_coordinates(array, return_index=True)
    x, y = xy[:, 0], xy[:, 1]
    ok = (x >= -180) & (x <= 180) & (y >= -90) & (y <= 90)
    in_range = np.ones(len(geoms), dtype=bool)
    in_range[owner[~ok]] = False
    return in_range.tolist()


def validate_raw(raw: RawDataset, today: dt.date | None = None,
                 shapes: Shapes | None = None) -> list[Problem]:
    """Every contract check on a parsed data set, errors and warnings together.

    Examples
    --------
    >>> from mapapp.records import RawDataset
    >>> [p.message for p in validate_raw(RawDataset(directory="x"))][:1]
    ['no factions defined']
    """
    today = today or dt.date.today()
    if shapes is None:
        shapes = build_shapes(raw.places)
    problems: list[Problem] = []
    problems += check_factions(raw.factions, raw.faction_columns)
    problems += check_places(raw.places, raw.places_document, shapes)
    problems += check_overlaps(raw.places, shapes=shapes)
    problems += check_views(raw.views, raw.view_columns)
    faction_ids = {r.get("id") for r in raw.factions}
    place_ids = {f.id for f in raw.places if isinstance(f.id, str)}
    problems += check_events(raw.events, raw.event_columns, place_ids, faction_ids, today)
    problems += check_references(raw.places, raw.events)
    return problems


def allowed(values: Iterable[str]) -> str:
    return ", ".join(repr(v) for v in values)


def suggest(value: str, known: Iterable[str], what: str, listed: int = 12) -> str:
    """A hint for an unknown id: the close matches, and the known ids when they are few.

    Examples
    --------
    >>> suggest("harbor", ["harbour", "west-square"], "place")
    "did you mean 'harbour'? known places: 'harbour', 'west-square'"
    """
    names = sorted(known)
    parts = []
    close = difflib.get_close_matches(value, names, n=3, cutoff=0.6)
    if close:
        parts.append(f"did you mean {' or '.join(repr(c) for c in close)}?")
    if len(names) <= listed:
        parts.append(f"known {what}s: {allowed(names) or 'none'}")
    else:
        parts.append(f"{len(names)} known {what}s")
    return " ".join(parts)


# --- factions ----------------------------------------------------------------------------


def check_factions(rows: list[Row], columns: list[str]) -> list[Problem]:
    problems = _missing_columns(FACTIONS_FILE, columns, FACTION_COLUMNS)
    if problems:
        return problems
    if not rows:
        return [Problem(FACTIONS_FILE, "no factions defined")]
    problems += _duplicate_ids(FACTIONS_FILE, rows)
    first_with: dict[str, Row] = {}
    for r in rows:
        problems += _check_slug(r, "id")
        if not r.get("name"):
            problems.append(_at(r, "name", "name is empty"))
        color = r.get("color")
        if not COLOR_RE.match(color):
            problems.append(_at(r, "color", f"color {color!r} is not of the form #rrggbb"))
        elif color.lower() in first_with:
            # Two factions drawn alike cannot be told apart on the map.
            other = first_with[color.lower()]
            problems.append(_at(r, "color", f"color {color!r} is also the color of faction "
                                            f"{other.get('id')!r} (line {other.line})",
                                severity="warning"))
        else:
            first_with[color.lower()] = r
    return problems


# --- places ------------------------------------------------------------------------------


def check_places(features: list[Feature], document: dict[str, Any],
                 shapes: Shapes | None = None) -> list[Problem]:
    if shapes is None:
        shapes = build_shapes(features)
    problems: list[Problem] = []
    if "crs" in document:
        problems.append(Problem(PLACES_FILE, "the 'crs' member is not allowed by RFC 7946: "
                                "write lon/lat WGS84 and remove it", line=1, column="crs"))
    if not features and document:
        problems.append(Problem(PLACES_FILE, "no places defined"))
    seen: Counter[str] = Counter()
    ids = {f.id for f in features if isinstance(f.id, str)}
    raw_members = document.get("features")
    members = raw_members if isinstance(raw_members, list) else []
    for f, geom, in_range in zip(features, shapes.geoms, shapes.in_range, strict=True):
        member_type = members[f.index].get("type") if f.index < len(members) else "Feature"
        if member_type != "Feature":
            problems.append(_feat(f, "type", f"feature #{f.index}: type {member_type!r} must "
                                             "be 'Feature'"))
        problems += _check_place(f, ids, geom, in_range)
        if isinstance(f.id, str):
            seen[f.id] += 1
            if seen[f.id] == 2:
                problems.append(_feat(f, "id", f"duplicate place id {f.id!r}"))
    problems += _check_parent_cycles(features)
    return problems


def _check_parent_cycles(features: list[Feature]) -> list[Problem]:
    """A parent chain that loops would send any walk up the hierarchy round forever."""
    parent_of = {f.id: parent for f in features
                 if isinstance(f.id, str) and isinstance(parent := f.properties.get("parent"), str)}
    problems: list[Problem] = []
    reported: set[str] = set()
    for f in features:
        if not isinstance(f.id, str) or f.id in reported:
            continue
        chain = [f.id]
        while (parent := parent_of.get(chain[-1])) in parent_of and parent not in chain:
            chain.append(parent)
        if parent == f.id:
            reported.update(chain)
            loop = " -> ".join([*chain, f.id])
            problems.append(_feat(f, "parent", f"parent chain loops: {loop}"))
    return problems


def _check_place(f: Feature, ids: set[str], geom: Any, in_range: bool) -> list[Problem]:
    problems: list[Problem] = []
    props = f.properties
    if not isinstance(f.id, str) or not SLUG_RE.match(f.id):
        hint = None
        if f.id is None and props.get("id") is not None:
            # what QGIS/GDAL write unless told ID_FIELD=id
            hint = (f"the property 'id' is {props['id']!r}: make it the Feature's id (export "
                    "with the GDAL layer option ID_FIELD=id, or use `mapapp import-places`)")
        problems.append(_feat(f, "id", f"feature #{f.index}: id {f.id!r} must be a slug "
                                       "of lower-case letters, digits and '-'", hint=hint))
    if not str(props.get("name") or "").strip():
        problems.append(_feat(f, "name", "property 'name' is required"))
    if not str(props.get("kind") or "").strip():
        problems.append(_feat(f, "kind", "property 'kind' is required"))
    country = props.get("country")
    if not isinstance(country, str) or not COUNTRY_RE.match(country):
        problems.append(_feat(f, "country", f"country {country!r} must be an ISO 3166-1 "
                                            "alpha-2 code such as 'SY'"))
    parent = props.get("parent")
    if parent not in (None, "") and (not isinstance(parent, str) or parent not in ids):
        problems.append(_feat(f, "parent", f"parent {parent!r} is not a place id",
                              hint=suggest(str(parent), ids, "place")))
    quality = props.get("geometry_quality")
    if quality not in GEOMETRY_QUALITIES:
        problems.append(_feat(f, "geometry_quality", f"geometry_quality {quality!r} is not one "
                                                     f"of {allowed(GEOMETRY_QUALITIES)}"))
    if not str(props.get("geometry_source") or "").strip() and quality != "unknown":
        problems.append(_feat(f, "geometry_source", "property 'geometry_source' is required: "
                                                    "say where the shape comes from"))
    if f.geometry is None:
        if quality in GEOMETRY_QUALITIES and quality != "unknown":
            problems.append(_feat(f, "geometry", f"geometry is null but geometry_quality is "
                                                 f"{quality!r} (use 'unknown')"))
        return problems
    if quality == "unknown":
        problems.append(_feat(f, "geometry", "geometry_quality 'unknown' requires a null "
                                             "geometry"))
    problems += _check_geometry(f, geom, in_range)
    if quality == "point" and isinstance(f.geometry, dict) and \
            f.geometry.get("type") not in ("Point", "MultiPoint"):
        problems.append(_feat(f, "geometry", "geometry_quality 'point' requires a Point"))
    return problems


def _check_geometry(f: Feature, geom: Any, in_range: bool) -> list[Problem]:
    """``geom`` is the shape already built (None if shapely could not build it) and
    ``in_range`` whether its coordinates are lon/lat: the common case, a good shape,
    then costs no walk over its positions in Python."""
    g = f.geometry
    if not isinstance(g, dict) or g.get("type") not in GEOMETRY_TYPES:
        kind = g.get("type") if isinstance(g, dict) else type(g).__name__
        return [_feat(f, "geometry", f"geometry type {kind!r} is not one of "
                                     f"{allowed(GEOMETRY_TYPES)}")]
    if geom is None or not in_range:
        # Name the first position out of range in the order written, as read.
        problems = _check_positions(f, g)
        if problems:
            return problems
    polygons = _polygons(g)
    ring_problems = [_feat(f, "geometry", message) for message in _check_rings(polygons)]
    if ring_problems:
        return ring_problems
    if geom is None:
        try:
            geom = shape(g)
        except Exception as exc:  # shapely raises several types for malformed input
            return [_feat(f, "geometry", f"malformed geometry: {exc}")]
    if geom.is_empty:
        return [_feat(f, "geometry", "geometry is empty")]
    if not geom.is_valid:
        return [_feat(f, "geometry", f"invalid geometry: {explain_validity(geom)}")]
    return [_feat(f, "geometry", message, severity="warning") for message in _winding(polygons)]


def _check_positions(f: Feature, g: dict[str, Any]) -> list[Problem]:
    positions = list(_positions(g.get("coordinates")))
    if positions and max(max(abs(x), abs(y)) for x, y in positions) > PROJECTED_LIMIT:
        lon, lat = next((x, y) for x, y in positions if max(abs(x), abs(y)) > PROJECTED_LIMIT)
        return [_feat(f, "geometry", f"coordinate ({lon}, {lat}) is outside lon/lat range and "
                                     "looks projected (metres, not degrees); RFC 7946 wants "
                                     "WGS84 longitude, latitude: re-import the shapes with "
                                     "`mapapp import-places FILE --from-crs EPSG:<code>`")]
    for lon, lat in positions:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return [_feat(f, "geometry", f"coordinate ({lon}, {lat}) is outside lon/lat range; "
                                         "RFC 7946 wants WGS84 longitude, latitude")]
    return []


def _polygons(g: dict[str, Any] | None) -> list[Any]:
    """The polygons (lists of rings) of a Polygon or MultiPolygon, else []."""
    coords = g.get("coordinates") if g else None
    if g is None or not isinstance(coords, list):
        return []
    if g.get("type") == "Polygon":
        return [coords]
    if g.get("type") == "MultiPolygon":
        return list(coords)
    return []


def _check_rings(polygons: list[Any]) -> list[str]:
    """RFC 7946 §3.1.6: every ring is closed and has at least four positions."""
    for p, rings in enumerate(polygons, start=1):
        for r, ring in enumerate(rings if isinstance(rings, list) else [], start=1):
            where = f"ring {r} of polygon {p}"
            if not isinstance(ring, list):
                return [f"{where} is not a list of positions"]
            if len(ring) < 4:
                return [f"{where} has {len(ring)} positions; a closed ring needs at least 4"]
            if ring[0] != ring[-1]:
                return [f"{where} is not closed: it starts at {ring[0]} and ends at "
                        f"{ring[-1]} (repeat the first position at the end)"]
    return []


def _winding(polygons: list[Any]) -> list[str]:
    """RFC 7946 wants exterior rings counterclockwise, holes clockwise; readers must still
    accept either, so a wrong winding is a warning that ``mapapp fmt`` fixes."""
    for p, rings in enumerate(polygons, start=1):
        for r, ring in enumerate(rings, start=1):
            area = ring_area(ring)
            if r == 1 and area < 0:
                return [f"exterior ring of polygon {p} is clockwise; RFC 7946 wants exterior "
                        "rings counterclockwise and holes clockwise (`mapapp fmt` fixes this)"]
            if r > 1 and area > 0:
                return [f"hole {r - 1} of polygon {p} is counterclockwise; RFC 7946 wants "
                        "exterior rings counterclockwise and holes clockwise "
                        "(`mapapp fmt` fixes this)"]
    return []


def ring_area(ring: Any) -> float:
    """Signed planar area of a ring (shoelace): > 0 counterclockwise, < 0 clockwise,
    0 for anything degenerate or malformed.

    Examples
    --------
    >>> ring_area([[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]])
    1.0
    """
    if not isinstance(ring, list) or len(ring) < 3:
        return 0.0
    total = 0.0
    try:
        for (x1, y1, *_), (x2, y2, *_) in zip(ring, ring[1:] + ring[:1], strict=True):
            total += x1 * y2 - x2 * y1
    except (TypeError, ValueError):
        return 0.0
    return total / 2.0 if math.isfinite(total) else 0.0


def check_overlaps(features: list[Feature], tolerance_km2: float = OVERLAP_TOLERANCE_KM2,
                   shapes: Shapes | None = None) -> list[Problem]:
    """Warn when two places of the same kind overlap by more than ``tolerance_km2``.

    Areas are geodesic (WGS84 ellipsoid), so the tolerance means the same everywhere.
    Each overlap is reported once, on the later feature.

    Examples
    --------
    >>> from mapapp.records import Feature
    >>> def square(i, west):
    ...     ring = [[west, 0], [west + 1, 0], [west + 1, 1], [west, 1], [west, 0]]
    ...     return Feature("places.geojson", i, f"p{i}", {"kind": "city"},
    ...                    {"type": "Polygon", "coordinates": [ring]}, line=i + 2)
    >>> [p.message for p in check_overlaps([square(0, 0), square(1, 0.5)])]
    ["overlaps place 'p0' (both of kind 'city') by 6154.27 km² around (0.7500, 0.5000)"]
    """
    if shapes is None:
        shapes = build_shapes(features)
    found = [(f, geom) for f, geom in zip(features, shapes.geoms, strict=True)
             if geom is not None and _polygons(f.geometry) and not _check_rings(
                 _polygons(f.geometry)) and geom.is_valid and not geom.is_empty]
    if len(found) < 2:
        return []
    problems: list[Problem] = []
    for i, j in _overlapping_pairs([g for _, g in found]):
        (fa, ga), (fb, gb) = found[i], found[j]
        kind = fa.properties.get("kind")
        if kind != fb.properties.get("kind"):
            continue
        # touching borders intersect as lines and points: only the polygons have an area
        parts = [p for p in shapely.get_parts(ga.intersection(gb)) if p.geom_type == "Polygon"]
        # orient: pyproj's area is signed, and a hole subtracts only when wound the other way
        area_km2 = sum(abs(_GEOD.geometry_area_perimeter(orient(p))[0]) for p in parts) / 1e6
        if area_km2 <= tolerance_km2:
            continue
        point = shapely.union_all(parts).representative_point()
        problems.append(_feat(fb, "geometry", f"overlaps place {fa.id!r} (both of kind "
                                              f"{kind!r}) by {area_km2:.2f} km² around "
                                              f"({point.x:.4f}, {point.y:.4f})",
                              severity="warning"))
    return problems


def _overlapping_pairs(geoms: list[Any]) -> list[tuple[int, int]]:
    """The pairs (i, j), i < j, of polygons whose interiors meet, ordered by j then i.

    Of the polygons that intersect, those that only touch share no area: that is most
    pairs in a tessellation (three neighbours per place), and one vectorised ``touches``
    rules them out far faster than intersecting each pair.
    """
    array = np.empty(len(geoms), dtype=object)
    array[:] = geoms
    left, right = shapely.STRtree(array).query(array, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    meet = ~shapely.touches(array[left], array[right])
    left, right = left[meet], right[meet]
    order = np.lexsort((left, right))
    return list(zip(left[order].tolist(), right[order].tolist(), strict=True))


def _positions(coords: Any) -> Iterable[tuple[float, float]]:
    """Yield every position of a coordinates array; malformed arrays yield nothing."""
    if isinstance(coords, list) and len(coords) >= 2 and all(
        isinstance(c, (int, float)) for c in coords[:2]
    ):
        yield float(coords[0]), float(coords[1])
    elif isinstance(coords, list):
        for item in coords:
            yield from _positions(item)


# --- views -------------------------------------------------------------------------------


def check_views(rows: list[Row], columns: list[str]) -> list[Problem]:
    problems = _missing_columns(VIEWS_FILE, columns, VIEW_COLUMNS)
    if problems:
        return problems
    problems += _duplicate_ids(VIEWS_FILE, rows)
    for r in rows:
        problems += _check_slug(r, "id")
        numbers: dict[str, float] = {}
        for column in ("west", "south", "east", "north"):
            value = _number(r.get(column))
            if value is None:
                problems.append(_at(r, column, f"{column} {r.get(column)!r} is not a number"))
            else:
                numbers[column] = value
        if len(numbers) < 4:
            continue
        if not (-180 <= numbers["west"] < numbers["east"] <= 180):
            problems.append(_at(r, "west", "need -180 <= west < east <= 180, got "
                                           f"west={numbers['west']}, east={numbers['east']}"))
        if not (-90 <= numbers["south"] < numbers["north"] <= 90):
            problems.append(_at(r, "south", "need -90 <= south < north <= 90, got "
                                            f"south={numbers['south']}, north={numbers['north']}"))
    return problems


# --- events ------------------------------------------------------------------------------


def check_events(rows: list[Row], columns: list[str], place_ids: set[str],
                 faction_ids: set[str], today: dt.date) -> list[Problem]:
    problems = _missing_columns(EVENTS_FILE, columns, EVENT_REQUIRED_COLUMNS)
    if problems:
        return problems
    problems += _duplicate_ids(EVENTS_FILE, rows)
    first_on: dict[tuple[str, str], Row] = {}
    for r in rows:
        problems += _check_event(r, place_ids, faction_ids, today)
        if r.get("type") == "control" and r.get("place") and r.get("date"):
            key = (r.get("place"), r.get("date"))
            if key in first_on:
                problems.append(_at(r, "date", f"second control event for place {key[0]!r} on "
                                               f"{key[1]} (the first is on line "
                                               f"{first_on[key].line})"))
            else:
                first_on[key] = r
    return problems


def _check_event(r: Row, place_ids: set[str], faction_ids: set[str],
                 today: dt.date) -> list[Problem]:
    problems = _check_slug(r, "id")
    date = _parse_date(r.get("date"))
    if date is None:
        problems.append(_at(r, "date", f"date {r.get('date')!r} is not a valid YYYY-MM-DD date"))
    elif date > today:
        problems.append(_at(r, "date", f"date {r.get('date')} is in the future",
                            severity="warning"))
    kind = r.get("type")
    if kind not in EVENT_TYPES:
        problems.append(_at(r, "type", f"type {kind!r} is not one of {allowed(EVENT_TYPES)}"))
    place = r.get("place")
    if place and place not in place_ids:
        problems.append(_at(r, "place", f"unknown place {place!r}",
                            hint=suggest(place, place_ids, "place")))
    factions = [f.strip() for f in r.get("factions").split(";") if f.strip()]
    for faction in factions:
        if faction not in faction_ids:
            problems.append(_at(r, "factions", f"unknown faction {faction!r}",
                                hint=suggest(faction, faction_ids, "faction")))
    if len(set(factions)) != len(factions):
        problems.append(_at(r, "factions", f"faction listed twice in {r.get('factions')!r}"))
    if kind == "control":
        problems += _check_control(r, place, factions)
    elif kind == "incident" and r.get("status"):
        problems.append(_at(r, "status", f"status {r.get('status')!r} is ignored on an incident: "
                                         "use type 'control' for a change of control",
                            severity="warning"))
    problems += _check_location(r)
    if not r.get("summary"):
        problems.append(_at(r, "summary", "summary is empty: say what happened"))
    problems += _check_source(r)
    source_date = _parse_date(r.get("source_date"))
    if date is not None and source_date is not None and source_date < date:
        problems.append(_at(r, "source_date", f"source_date {source_date} is before the event "
                                              f"date {date}: a report cannot confirm a change "
                                              "that had not happened yet", severity="warning"))
    confidence = r.get("confidence")
    if confidence and confidence not in CONFIDENCES:
        problems.append(_at(r, "confidence", f"confidence {confidence!r} is not one of "
                                             f"{allowed(CONFIDENCES)}"))
    return problems


def _check_control(r: Row, place: str, factions: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    if not place:
        problems.append(_at(r, "place", "a control event needs a place"))
    status = r.get("status")
    if status not in STATUSES:
        problems.append(_at(r, "status", f"status {status!r} is not one of {allowed(STATUSES)}"))
    elif status == "held" and len(factions) != 1:
        problems.append(_at(r, "factions", f"status 'held' needs exactly one faction, got "
                                           f"{len(factions)} ({r.get('factions')!r})"))
    elif status in ("contested", "joint") and len(factions) < 2:
        problems.append(_at(r, "factions", f"status {status!r} needs two or more factions, "
                                           f"got {len(factions)} ({r.get('factions')!r})"))
    return problems


def _check_location(r: Row) -> list[Problem]:
    lon, lat = r.get("lon"), r.get("lat")
    if not lon and not lat:
        return []
    if not lon or not lat:
        return [_at(r, "lon" if not lon else "lat", "give both lon and lat, or neither")]
    lon_v, lat_v = _number(lon), _number(lat)
    if lon_v is None or not -180 <= lon_v <= 180:
        return [_at(r, "lon", f"lon {lon!r} is not a longitude in [-180, 180]")]
    if lat_v is None or not -90 <= lat_v <= 90:
        return [_at(r, "lat", f"lat {lat!r} is not a latitude in [-90, 90]")]
    return []


def _check_source(r: Row) -> list[Problem]:
    problems: list[Problem] = []
    if not r.get("source_title"):
        problems.append(_at(r, "source_title", "source_title is empty: every event cites a "
                                               "source"))
    url = r.get("source_url")
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", url):
        problems.append(_at(r, "source_url", f"source_url {url!r} is not an http(s) URL"))
    if _parse_date(r.get("source_date")) is None:
        problems.append(_at(r, "source_date", f"source_date {r.get('source_date')!r} is not a "
                                              "valid YYYY-MM-DD date"))
    return problems


def check_references(features: list[Feature], rows: list[Row]) -> list[Problem]:
    """Warn about places that no event mentions: they would only ever show 'no data'."""
    used = {r.get("place") for r in rows}
    return [
        _feat(f, "id", f"place {f.id!r} is never referenced by an event", severity="warning")
        for f in features
        if isinstance(f.id, str) and f.id not in used
    ]


# --- helpers -----------------------------------------------------------------------------


def _parse_date(text: str) -> dt.date | None:
    if not DATE_RE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _missing_columns(file: str, columns: list[str], required: Iterable[str]) -> list[Problem]:
    if not columns:
        return []  # the reader already reported the missing or empty file
    # The reader keeps one value per column name, so a repeated name silently loses data.
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        return [Problem(file, f"duplicate column(s) {allowed(repeated)} in the header", line=1)]
    missing = [c for c in required if c not in columns]
    if missing:
        return [Problem(file, f"missing column(s) {allowed(missing)} in the header", line=1)]
    return []


def _duplicate_ids(file: str, rows: list[Row]) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for r in rows:
        key = r.get("id")
        if key in first:
            problems.append(_at(r, "id", f"duplicate id {key!r} (first on line {first[key]})"))
        else:
            first[key] = r.line
    return problems


def _check_slug(r: Row, column: str) -> list[Problem]:
    value = r.get(column)
    if SLUG_RE.match(value):
        return []
    return [_at(r, column, f"{column} {value!r} must be a slug of lower-case letters, digits "
                           "and '-'")]


def _at(r: Row, column: str, message: str, severity: str = "error",
        hint: str | None = None) -> Problem:
    if hint:
        return Finding(r.file, message, line=r.line, column=column, severity=severity,
                       hint=hint)
    return Problem(r.file, message, line=r.line, column=column, severity=severity)


def _feat(f: Feature, column: str, message: str, severity: str = "error",
          hint: str | None = None) -> Problem:
    feature = f.id if isinstance(f.id, str) else None
    if hint:
        return Finding(f.file, message, line=f.line, column=column, severity=severity,
                       feature=feature, hint=hint)
    return Problem(f.file, message, line=f.line, column=column, severity=severity,
                   feature=feature)
