"""Data exports of a state or of events: GeoJSON, CSV and GeoPackage, with attribution.

Pure: no Flask. Each writer returns the file's bytes. Attribution and licence travel inside
the file, where a GIS or spreadsheet user will see them:

* GeoJSON: top-level ``attribution``, ``license`` and ``sources`` members (foreign members,
  allowed by RFC 7946), next to ``date``;
* CSV: an ``attribution`` column on every row (a comment line would break CSV readers);
* GeoPackage: the layers' description in ``gpkg_contents`` (shown by QGIS as the layer's
  abstract) and dataset metadata (``attribution``, ``license``).

Column meanings are the same in every format; ``factions`` is ``;``-separated as in
``events.csv``, holder first.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from mapapp import params
from mapapp.contract import EVENT_COLUMNS as CONTRACT_EVENT_COLUMNS
from mapapp.contract import FACTION_COLUMNS, NO_DATA, SOURCES_FILE, WGS84, parse_date
from mapapp.csvsafe import spreadsheet_safe
from mapapp.dataset import Dataset, missing_as_none
from mapapp.params import media_type
from mapapp.timeline import Timeline

STATE_FORMATS = ("geojson", "csv", "gpkg")
EVENT_FORMATS = ("csv", "geojson")
MIME_TYPES = {f: media_type(f) for f in STATE_FORMATS}
# 6 decimals of a degree is about 10 cm: finer than any geometry we ship.
COORDINATE_DECIMALS = 6
STATE_COLUMNS = (
    "id", "name", "name_ar", "kind", "parent", "country", "geometry_quality",
    "geometry_source", "date", "status", "holder", "factions", "color", "since", "event_id",
    "confidence", "source_title", "source_url", "area_km2",
)
# The data file's columns, with the place's name after its id, and where the row's point
# comes from instead of lon/lat (the point is the row's geometry).
EVENT_COLUMNS = tuple(c for column in CONTRACT_EVENT_COLUMNS if column not in ("lon", "lat")
                      for c in ((column, "place_name") if column == "place" else (column,))
                      ) + ("location",)
DEFAULT_LICENSE = f"See {SOURCES_FILE} of the data set: the licence of every layer is listed there"


@dataclass(frozen=True)
class Provenance:
    """Who to credit and under which terms; written into every export."""

    attribution: str
    license: str
    sources: str = SOURCES_FILE

    def as_text(self) -> str:
        if self.license == DEFAULT_LICENSE:
            return f"{self.attribution}. Licences: see {self.sources}"
        return f"{self.attribution}. Licence: {self.license}. Sources: {self.sources}"


def provenance_of(dataset: Dataset, sources_url: str | None = None) -> Provenance:
    """The credit line and licence of a data set.

    The licence is the ``Licence:`` (or ``License:``) line of the SOURCES.md loaded with the
    data (``dataset.sources_text``), like the credit is its ``Credit:`` line: an export
    always credits the version of the data it was made from.

    Examples
    --------
    >>> provenance_of(ds).attribution
    'Tiny test data, no real places'
    """
    licence = _licence_line(dataset.sources_text) or DEFAULT_LICENSE
    return Provenance(attribution=dataset.credit, license=licence,
                      sources=sources_url or SOURCES_FILE)


def _licence_line(sources_text: str) -> str | None:
    for line in sources_text.splitlines():
        stripped = line.strip().lstrip("*_ ")
        if stripped.lower().startswith(("licence:", "license:")):
            return stripped.split(":", 1)[1].strip().rstrip("*_ ") or None
    return None


def check_format(fmt: str, allowed: Sequence[str]) -> str:
    """Raise :class:`RequestError` unless ``fmt`` is one of ``allowed``
    (:func:`mapapp.params.fmt`)."""
    return params.fmt(fmt, allowed)


# --- frames ------------------------------------------------------------------------------


def state_frame(timeline: Timeline, date: str | dt.date) -> gpd.GeoDataFrame:
    """Every place with its state at ``date``, one row per place, in lon/lat (EPSG:4326).

    Examples
    --------
    >>> frame = state_frame(tl, "2001-05-02")
    >>> frame.loc["west-square", ["status", "holder", "factions"]].tolist()
    ['contested', 'blue', 'blue;green']
    """
    date = parse_date(date)
    ds = timeline.dataset
    places = ds.places
    state = timeline.state_at(date).reindex(places.index)
    colors = ds.factions["color"]
    holders = [fs[0] if fs else None for fs in state["factions"]]
    frame = pd.DataFrame({
        "id": places.index,
        **{c: [missing_as_none(v) for v in places[c]] for c in
           ("name", "name_ar", "kind", "parent", "country", "geometry_quality",
            "geometry_source")},
        "date": date.isoformat(),
        "status": state["status"].to_numpy(),
        "holder": holders,
        "factions": [";".join(fs) if fs else None for fs in state["factions"]],
        "color": [colors.get(h) if h else None for h in holders],
        "since": [missing_as_none(v) for v in state["since"]],
        "event_id": [missing_as_none(v) for v in state["event_id"]],
        "confidence": [missing_as_none(v) for v in state["confidence"]],
        "source_title": [missing_as_none(v) for v in state["source_title"]],
        "source_url": [missing_as_none(v) for v in state["source_url"]],
        "area_km2": np.round(timeline.areas_km2.reindex(places.index).fillna(0.0)
                             .to_numpy(float), 4),
    }, index=places.index, dtype=object)  # object: a missing string stays None, not NaN
    frame["area_km2"] = frame["area_km2"].astype(float)
    frame.loc[frame["status"] == NO_DATA, "confidence"] = None
    geometry = _geometries(g if g is not None and not g.is_empty else None
                           for g in places.geometry)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=places.crs)


def events_frame(timeline: Timeline, start: str | dt.date | None = None,
                 end: str | dt.date | None = None) -> gpd.GeoDataFrame:
    """Events with ``start <= date <= end`` (either bound optional), oldest first.

    Each row has a point: where an incident was reported, otherwise a point inside its place
    (``location`` says which), or none.

    Examples
    --------
    >>> events_frame(tl, "2001-05-02", "2001-05-02")["id"].tolist()
    ['2001-05-02-east', '2001-05-02-harbour', '2001-05-02-strike']
    """
    first = parse_date(start, "from") if start else None
    last = parse_date(end, "to") if end else None
    ds = timeline.dataset
    rows = timeline.events_between(first, last)  # already sorted by date
    anchors = timeline.anchors
    names = ds.places["name"]
    points: list[BaseGeometry | None] = []
    located: list[str | None] = []
    for lon, lat, place in zip(rows["lon"], rows["lat"], rows["place"], strict=True):
        if math.isfinite(lon) and math.isfinite(lat):
            points.append(shapely.Point(lon, lat))
            located.append("reported")
        elif place and anchors.get(place) is not None:
            points.append(anchors[place])
            located.append("place")
        else:
            points.append(None)
            located.append(None)
    frame = pd.DataFrame({
        "id": rows["id"].to_numpy(),
        "date": rows["date"].to_numpy(),
        "type": rows["type"].to_numpy(),
        "place": [missing_as_none(p) for p in rows["place"]],
        "place_name": [missing_as_none(names.get(p)) if p else None for p in rows["place"]],
        "status": [missing_as_none(s) for s in rows["status"]],
        "factions": [";".join(fs) if fs else None for fs in rows["factions"]],
        **{c: [missing_as_none(v) for v in rows[c]] for c in
           ("summary", "source_title", "source_url", "source_date", "confidence", "notes")},
        "location": located,
    }, columns=list(EVENT_COLUMNS), dtype=object)
    return gpd.GeoDataFrame(frame, geometry=_geometries(points), crs=WGS84)


def _geometries(shapes: Iterable[BaseGeometry | None]) -> np.ndarray[Any, np.dtype[np.object_]]:
    """A geometry column that may hold None (no location)."""
    return np.array(list(shapes), dtype=object)


# --- writers -----------------------------------------------------------------------------


def to_geojson(frame: gpd.GeoDataFrame, provenance: Provenance,
               extra: dict[str, Any] | None = None) -> bytes:
    """An RFC 7946 FeatureCollection: lon/lat, no ``crs``, exterior rings counterclockwise,
    feature ``id`` = the row's ``id``, with attribution and licence as top-level members.

    Examples
    --------
    >>> doc = json.loads(to_geojson(state_frame(tl, "2001-05-02"), prov))
    >>> doc["attribution"], "crs" in doc
    ('Tiny test data, no real places', False)
    """
    doc: dict[str, Any] = {"type": "FeatureCollection", **(extra or {}),
                           "attribution": provenance.attribution,
                           "license": provenance.license, "sources": provenance.sources,
                           "features": geojson_features(frame)}
    return json.dumps(doc, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode()


def geojson_features(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Each row as an RFC 7946 Feature: ``id`` from the ``id`` column, the other columns as
    properties, rounded lon/lat coordinates (None without a geometry)."""
    properties = [c for c in frame.columns if c not in ("id", frame.geometry.name)]
    features = []
    # to_dict is one pass in C, and keeps column names that are not identifiers
    for values in cast("list[dict[str, Any]]", frame.to_dict("records")):
        geom = values.pop(str(frame.geometry.name))
        features.append({
            "type": "Feature",
            "id": values["id"],
            "geometry": None if geom is None else _rfc7946(geom),
            "properties": {c: _json_value(values[c]) for c in properties},
        })
    return features


def _rfc7946(geom: Any) -> dict[str, Any]:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        geom = shapely.orient_polygons(geom, exterior_cw=False)  # RFC 7946 §3.1.6
    return _rounded(mapping(geom))


def _rounded(geometry: dict[str, Any]) -> dict[str, Any]:
    def walk(coords: Any) -> Any:
        if isinstance(coords, (tuple, list)) and coords and isinstance(coords[0], (int, float)):
            return [round(float(c), COORDINATE_DECIMALS) for c in coords]
        return [walk(c) for c in coords]
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def _json_value(value: Any) -> Any:
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    return missing_as_none(value)


def to_csv(frame: gpd.GeoDataFrame, provenance: Provenance) -> bytes:
    """CSV (RFC 4180, UTF-8) with ``lon``/``lat`` of a point inside each row's geometry.

    A spreadsheet cannot hold polygons usefully (WKT overflows a cell), so the outline is
    left to GeoJSON and GeoPackage; the point is the one the page labels. Text that a
    spreadsheet would run as a formula is neutralised (mapapp.csvsafe).
    """
    columns = [c for c in frame.columns if c != frame.geometry.name]
    points = [None if g is None or g.is_empty else shapely.point_on_surface(g)
              for g in frame.geometry]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*columns, "lon", "lat", "attribution"])
    for values, point in zip(frame[columns].itertuples(index=False), points, strict=True):
        row = ["" if missing_as_none(v) is None else v for v in values]
        lonlat = ["", ""] if point is None else [round(point.x, COORDINATE_DECIMALS),
                                                 round(point.y, COORDINATE_DECIMALS)]
        writer.writerow([spreadsheet_safe(v) for v in (*row, *lonlat, provenance.as_text())])
    return out.getvalue().encode("utf-8")


def state_gpkg(timeline: Timeline, date: str | dt.date, provenance: Provenance) -> bytes:
    """A GeoPackage of the state at ``date``, readable by QGIS, ArcGIS and GDAL.

    Layers: ``control_areas`` (MultiPolygon), ``control_points`` (places known only as a
    point), ``places_without_location`` (no geometry) and ``factions`` (names, colours), so
    that no layer mixes geometry types. Every layer's description carries the attribution.

    Examples
    --------
    >>> import pyogrio
    >>> _ = path.write_bytes(state_gpkg(tl, "2001-05-02", prov))
    >>> [name for name, _ in pyogrio.list_layers(path)]
    ['control_areas', 'control_points', 'places_without_location', 'factions']
    """
    date = parse_date(date)
    frame = state_frame(timeline, date)
    kinds = frame.geometry.geom_type.fillna("None").to_numpy()
    areas = frame[np.isin(kinds, ("Polygon", "MultiPolygon"))].copy()
    areas["geometry"] = gpd.GeoSeries(
        [g if isinstance(g, shapely.MultiPolygon)
         else shapely.MultiPolygon([cast(shapely.Polygon, g)]) for g in areas.geometry],
        index=areas.index, crs=areas.crs)
    points = frame[np.isin(kinds, ("Point",))]
    rest = frame[~np.isin(kinds, ("Polygon", "MultiPolygon", "Point"))]
    factions = timeline.dataset.factions[list(FACTION_COLUMNS)]
    what = f"Territorial control on {date.isoformat()}"
    layers: list[tuple[str, pd.DataFrame, str]] = [
        ("control_areas", areas, f"{what}: areas"),
        ("control_points", points, f"{what}: places known only as a point"),
        ("places_without_location", pd.DataFrame(rest.drop(columns="geometry")),
         f"{what}: places without a known location"),
        ("factions", pd.DataFrame(factions), "Factions and their map colours"),
    ]
    return _write_gpkg(layers, provenance)


def _write_gpkg(layers: Iterable[tuple[str, pd.DataFrame, str]],
                provenance: Provenance) -> bytes:
    import pyogrio

    # GDAL writes to a path, not a stream: a private temporary directory, removed after.
    with tempfile.TemporaryDirectory(prefix="mapapp-gpkg-") as tmp:
        path = Path(tmp) / "export.gpkg"
        for i, (name, frame, description) in enumerate(layers):
            geometric = isinstance(frame, gpd.GeoDataFrame)
            options = {"DESCRIPTION": f"{description}. {provenance.as_text()}",
                       "IDENTIFIER": description}
            kwargs: dict[str, Any] = {}
            if geometric:
                kwargs["geometry_type"] = ("MultiPolygon" if name == "control_areas"
                                           else "Point")
                kwargs["promote_to_multi"] = False
            pyogrio.write_dataframe(
                _strings_as_object(frame), path, layer=name, driver="GPKG",
                append=i > 0, layer_options=options,
                dataset_metadata={"attribution": provenance.attribution,
                                  "license": provenance.license,
                                  "sources": provenance.sources} if i == 0 else None,
                layer_metadata={"attribution": provenance.attribution,
                                "license": provenance.license},
                **kwargs,
            )
        return path.read_bytes()


def _strings_as_object(frame: pd.DataFrame) -> pd.DataFrame:
    """GDAL wants plain object columns, with None (not NaN) for a missing string."""
    out = frame.copy()
    for column in out.columns:
        if column == getattr(out, "_geometry_column_name", None):
            continue
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


# --- the public one-liners used by the web and the CLI -----------------------------------


def export_state(timeline: Timeline, date: str | dt.date, fmt: str,
                 provenance: Provenance) -> bytes:
    """The state at ``date`` as ``geojson``, ``csv`` or ``gpkg`` bytes.

    Examples
    --------
    >>> export_state(tl, "2001-05-02", "csv", prov).splitlines()[0]
    b'id,name,name_ar,kind,...,lon,lat,attribution'
    """
    check_format(fmt, STATE_FORMATS)
    date = parse_date(date)
    if fmt == "gpkg":
        return state_gpkg(timeline, date, provenance)
    frame = state_frame(timeline, date)
    if fmt == "csv":
        return to_csv(frame, provenance)
    return to_geojson(frame, provenance, {"date": date.isoformat(),
                                          "version": timeline.dataset.version})


def export_events(timeline: Timeline, start: str | dt.date | None,
                  end: str | dt.date | None, fmt: str, provenance: Provenance) -> bytes:
    """Events between two dates (inclusive, either optional) as ``csv`` or ``geojson``."""
    check_format(fmt, EVENT_FORMATS)
    frame = events_frame(timeline, start, end)
    if fmt == "csv":
        return to_csv(frame, provenance)
    extra = {"from": parse_date(start, "from").isoformat() if start else None,
             "to": parse_date(end, "to").isoformat() if end else None,
             "version": timeline.dataset.version}
    return to_geojson(frame, provenance, extra)
