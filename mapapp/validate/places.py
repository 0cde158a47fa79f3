"""Checks of places.geojson: properties, geometry, winding, overlaps."""

from __future__ import annotations

import math
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

from mapapp.contract import (
    GEOMETRY_QUALITIES,
    PLACES_FILE,
)
from mapapp.errors import Problem
from mapapp.records import Feature
from mapapp.validate.common import COUNTRY_RE, SLUG_RE, allowed, feat, suggest

GEOMETRY_TYPES = ("Point", "MultiPoint", "LineString", "MultiLineString", "Polygon",
                  "MultiPolygon")
# Projected coordinates are metres, far beyond any degree value; 1000 leaves room for
# plain typos (lon 310) to get the plainer "outside lon/lat range" message.
PROJECTED_LIMIT = 1000.0
# Neighbouring shapes digitised separately overlap by slivers; only report real overlaps.
OVERLAP_TOLERANCE_KM2 = 0.01
_GEOD = Geod(ellps="WGS84")


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
            problems.append(feat(f, "type", f"feature #{f.index}: type {member_type!r} must "
                                             "be 'Feature'"))
        problems += _check_place(f, ids, geom, in_range)
        if isinstance(f.id, str):
            seen[f.id] += 1
            if seen[f.id] == 2:
                problems.append(feat(f, "id", f"duplicate place id {f.id!r}"))
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
            problems.append(feat(f, "parent", f"parent chain loops: {loop}"))
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
        problems.append(feat(f, "id", f"feature #{f.index}: id {f.id!r} must be a slug "
                                       "of lower-case letters, digits and '-'", hint=hint))
    if not str(props.get("name") or "").strip():
        problems.append(feat(f, "name", "property 'name' is required"))
    if not str(props.get("kind") or "").strip():
        problems.append(feat(f, "kind", "property 'kind' is required"))
    country = props.get("country")
    if not isinstance(country, str) or not COUNTRY_RE.match(country):
        problems.append(feat(f, "country", f"country {country!r} must be an ISO 3166-1 "
                                            "alpha-2 code such as 'SY'"))
    parent = props.get("parent")
    if parent not in (None, "") and (not isinstance(parent, str) or parent not in ids):
        problems.append(feat(f, "parent", f"parent {parent!r} is not a place id",
                              hint=suggest(str(parent), ids, "place")))
    quality = props.get("geometry_quality")
    if quality not in GEOMETRY_QUALITIES:
        problems.append(feat(f, "geometry_quality", f"geometry_quality {quality!r} is not one "
                                                     f"of {allowed(GEOMETRY_QUALITIES)}"))
    if not str(props.get("geometry_source") or "").strip() and quality != "unknown":
        problems.append(feat(f, "geometry_source", "property 'geometry_source' is required: "
                                                    "say where the shape comes from"))
    if f.geometry is None:
        if quality in GEOMETRY_QUALITIES and quality != "unknown":
            problems.append(feat(f, "geometry", f"geometry is null but geometry_quality is "
                                                 f"{quality!r} (use 'unknown')"))
        return problems
    if quality == "unknown":
        problems.append(feat(f, "geometry", "geometry_quality 'unknown' requires a null "
                                             "geometry"))
    problems += _check_geometry(f, geom, in_range)
    if quality == "point" and isinstance(f.geometry, dict) and \
            f.geometry.get("type") not in ("Point", "MultiPoint"):
        problems.append(feat(f, "geometry", "geometry_quality 'point' requires a Point"))
    return problems


def _check_geometry(f: Feature, geom: Any, in_range: bool) -> list[Problem]:
    """``geom`` is the shape already built (None if shapely could not build it) and
    ``in_range`` whether its coordinates are lon/lat: the common case, a good shape,
    then costs no walk over its positions in Python."""
    g = f.geometry
    if not isinstance(g, dict) or g.get("type") not in GEOMETRY_TYPES:
        kind = g.get("type") if isinstance(g, dict) else type(g).__name__
        return [feat(f, "geometry", f"geometry type {kind!r} is not one of "
                                     f"{allowed(GEOMETRY_TYPES)}")]
    if geom is None or not in_range:
        # Name the first position out of range in the order written, as read.
        problems = _check_positions(f, g)
        if problems:
            return problems
    polygons = _polygons(g)
    ring_problems = [feat(f, "geometry", message) for message in _check_rings(polygons)]
    if ring_problems:
        return ring_problems
    if geom is None:
        try:
            geom = shape(g)
        except Exception as exc:  # shapely raises several types for malformed input
            return [feat(f, "geometry", f"malformed geometry: {exc}")]
    if geom.is_empty:
        return [feat(f, "geometry", "geometry is empty")]
    if not geom.is_valid:
        return [feat(f, "geometry", f"invalid geometry: {explain_validity(geom)}")]
    return [feat(f, "geometry", message, severity="warning") for message in _winding(polygons)]


def _check_positions(f: Feature, g: dict[str, Any]) -> list[Problem]:
    positions = list(_positions(g.get("coordinates")))
    if positions and max(max(abs(x), abs(y)) for x, y in positions) > PROJECTED_LIMIT:
        lon, lat = next((x, y) for x, y in positions if max(abs(x), abs(y)) > PROJECTED_LIMIT)
        return [feat(f, "geometry", f"coordinate ({lon}, {lat}) is outside lon/lat range and "
                                     "looks projected (metres, not degrees); RFC 7946 wants "
                                     "WGS84 longitude, latitude: re-import the shapes with "
                                     "`mapapp import-places FILE --from-crs EPSG:<code>`")]
    for lon, lat in positions:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return [feat(f, "geometry", f"coordinate ({lon}, {lat}) is outside lon/lat range; "
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
        problems.append(feat(fb, "geometry", f"overlaps place {fa.id!r} (both of kind "
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
