"""Bring new data into a data set: places from a GIS file, events one at a time.

Every change is planned first: the new file is built in memory, the data set is validated
with it (the same validator the site uses), and only a change that introduces no error
may be written, atomically and in the canonical form of :mod:`mapapp.fmt`. A bad change
never reaches the files, so it never reaches the site.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mapapp.contract import EVENT_COLUMNS, EVENTS_FILE, PLACES_FILE, WGS84
from mapapp.dataset import DATA_FILES, check_directory, read_raw
from mapapp.errors import MapAppError, Problem
from mapapp.fmt import canonical_feature, dump_places, write_atomic
from mapapp.validate import allowed, validate_raw

IMPORT_MODES = ("merge", "replace")
# Properties an imported file may carry under their own names, or get from a default.
DEFAULTABLE = ("kind", "parent", "country", "geometry_quality", "geometry_source")


class ChangeRefused(MapAppError):
    """A change that cannot even be planned: unreadable input, unknown field, bad CRS."""


@dataclass
class Change:
    """A planned rewrite of one data file and the problems it would introduce."""

    path: Path
    text: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def apply(self) -> None:
        """Write the file atomically; refuses a change that introduces errors."""
        if self.errors:
            raise ChangeRefused(f"not written: {self.errors[0].format()}")
        write_atomic(self.path, self.text)


@dataclass
class PlacesChange(Change):
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


@dataclass
class EventChange(Change):
    event_id: str = ""
    line: int = 0


# --- validation of a change before it is written ------------------------------------------


def introduced_problems(directory: Path, replacements: Mapping[str, str],
                        today: dt.date | None = None) -> list[Problem]:
    """Problems the data set would have with ``replacements`` (file name → new text) that
    it does not have now. Lines of a replaced places.geojson move, so they are ignored when
    matching its problems; CSV rows are only ever appended, so their lines stay put.

    If the changed data set does not parse, validation cannot run, so nothing can be
    vouched for: then every syntax error is returned, old or new, and the change refused.

    Examples
    --------
    >>> introduced_problems(Path("data"), {"events.csv": "id\\n"})[0].message
    "missing column(s) 'date', 'type', ... in the header"
    """
    directory = Path(directory)
    before = Counter(_key(p) for p in check_directory(directory, today))
    with tempfile.TemporaryDirectory(prefix="mapapp-check-") as tmp:
        staged = Path(tmp)
        for name in DATA_FILES:
            if name in replacements:
                (staged / name).write_text(replacements[name], encoding="utf-8")
            elif (directory / name).is_file():
                _link_or_copy(directory / name, staged / name)
        raw = read_raw(staged)
        blocking = [p for p in raw.problems if p.severity == "error"]
        if blocking:
            return blocking
        after = raw.problems + validate_raw(raw, today)
    new = []
    for problem in after:
        if before[_key(problem)] > 0:
            before[_key(problem)] -= 1
        else:
            new.append(problem)
    return new


def _key(p: Problem) -> tuple[object, ...]:
    line = None if p.file == PLACES_FILE else p.line
    return (p.file, line, p.column, p.feature, p.severity, p.message)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.symlink(source.resolve(), target)  # cheap even for a large places.geojson
    except OSError:
        shutil.copyfile(source, target)


# --- places ------------------------------------------------------------------------------


def plan_places_import(
    directory: Path,
    source: Path,
    *,
    mode: str = "merge",
    from_crs: str | None = None,
    layer: str | None = None,
    id_field: str = "id",
    name_field: str = "name",
    name_ar_field: str | None = None,
    defaults: Mapping[str, str | None] | None = None,
    keep_fields: Iterable[str] = (),
    all_fields: bool = False,
) -> PlacesChange:
    """Plan the import of the features of a GeoJSON, GeoPackage or Shapefile as places.

    Parameters
    ----------
    directory
        The data directory whose places.geojson changes.
    source
        Any file pyogrio reads; reprojected to EPSG:4326 with pyproj.
    mode
        ``merge``: features with a known id update that place (geometry, and the
        properties the file provides; other properties are kept); new ids are added.
        ``replace``: the file's features become the places; refused if an event names a
        place that would disappear.
    from_crs
        The source CRS (``EPSG:32637``, a WKT or PROJ string); overrides the file's own.
    layer
        The layer of a multi-layer file (GeoPackage).
    id_field, name_field, name_ar_field
        Fields holding the place id, English name and Arabic name. Fields named like a
        contract property (``kind``, ``parent``, ``country``, ``geometry_quality``,
        ``geometry_source``, ``name_ar``) are used as such.
    defaults
        Values of those properties for features whose field is missing or empty.
    keep_fields
        Other fields to copy into the properties.
    all_fields
        Copy every field into the properties (for a round trip through QGIS).

    Returns
    -------
    PlacesChange
        The new places.geojson, the ids added, updated, unchanged and removed, and the
        problems the change would introduce; nothing is written until ``.apply()``.

    Raises
    ------
    ChangeRefused
        The file cannot be read, a field is missing, the CRS is unknown or wrong.

    Examples
    --------
    A GeoPackage in UTM zone 37N whose ids are in a ``slug`` field, into the tiny data set:

    >>> import geopandas as gpd, shapely
    >>> districts = path.with_name("districts.gpkg")
    >>> gpd.GeoDataFrame({"slug": ["far-island"], "name": ["Far Island"]}, crs="EPSG:32637",
    ...                  geometry=[shapely.box(500000, 0, 501000, 1000)]).to_file(districts)
    >>> change = plan_places_import(ds.directory, districts, id_field="slug",
    ...                             defaults={"kind": "city"})
    >>> change.added, len(change.errors)  # planned and checked; nothing written
    (['far-island'], 3)
    >>> change.errors[0].message
    "country None must be an ISO 3166-1 alpha-2 code such as 'SY'"
    """
    if mode not in IMPORT_MODES:
        raise ChangeRefused(f"mode {mode!r} is not one of {allowed(IMPORT_MODES)}")
    directory, source = Path(directory), Path(source)
    frame = _to_wgs84(_read_source(source, layer), from_crs, source)
    imported = _imported_features(frame, source, id_field, name_field, name_ar_field,
                                  defaults or {}, list(keep_fields), all_fields)
    path = directory / PLACES_FILE
    doc = _existing_places(path)
    old = [f for f in doc["features"] if isinstance(f, dict) and isinstance(f.get("id"), str)]
    old_ids = {f["id"] for f in old}
    change = PlacesChange(path=path, text="")
    if mode == "merge":
        features = []
        for feature in doc["features"]:
            fid = feature.get("id") if isinstance(feature, dict) else None
            new = imported.get(fid) if isinstance(fid, str) else None
            if new is None:
                features.append(feature)
                continue
            props = feature.get("properties")
            merged = feature | {"properties": (props if isinstance(props, dict) else {})
                                | new["properties"], "geometry": new["geometry"]}
            _sort_into(change, feature, merged)
            features.append(merged)
        for fid, new in imported.items():
            if fid not in old_ids:
                change.added.append(fid)
                features.append(new)
    else:
        by_id = {f["id"]: f for f in old}
        for fid, new in imported.items():
            if fid in by_id:
                _sort_into(change, by_id[fid], new)
            else:
                change.added.append(fid)
        change.removed = [f["id"] for f in old if f["id"] not in imported]
        _refuse_orphans(directory, change.removed)
        features = list(imported.values())
    change.text = dump_places(doc | {"features": features})
    change.problems = introduced_problems(directory, {PLACES_FILE: change.text})
    return change


def _sort_into(change: PlacesChange, old: dict[str, Any], new: dict[str, Any]) -> None:
    same = canonical_feature(old) == canonical_feature(new)
    (change.unchanged if same else change.updated).append(old["id"])


def _read_source(source: Path, layer: str | None) -> Any:
    import geopandas as gpd
    import pyogrio

    if not source.exists():
        raise ChangeRefused(f"{source}: file not found")
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(source)]
        if layer is None and len(layers) > 1:
            raise ChangeRefused(f"{source} has {len(layers)} layers: pick one with --layer "
                                f"({allowed(layers)})")
        if layer is not None and layer not in layers:
            raise ChangeRefused(f"layer {layer!r} not in {source}; its layers: "
                                f"{allowed(layers)}")
        return gpd.read_file(source, layer=layer, engine="pyogrio")
    except pyogrio.errors.DataSourceError as exc:
        raise ChangeRefused(f"{source}: cannot read it as GeoJSON, GeoPackage or Shapefile "
                            f"({exc})") from exc


def _to_wgs84(frame: Any, from_crs: str | None, source: Path) -> Any:
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    if from_crs:
        try:
            crs = CRS.from_user_input(from_crs)
        except CRSError as exc:
            raise ChangeRefused(f"--from-crs {from_crs!r} is not a CRS pyproj knows "
                                "(try an EPSG code such as 'EPSG:32637')") from exc
        frame = frame.set_crs(crs, allow_override=True)
    elif frame.crs is None:
        if _looks_projected(frame):
            raise ChangeRefused(f"{source} has no CRS and its coordinates look projected "
                                f"({_extent(frame)}): give the source CRS with --from-crs, "
                                "e.g. --from-crs EPSG:32637 for UTM zone 37N")
        frame = frame.set_crs(WGS84)
    source_crs = frame.crs
    frame = frame.to_crs(WGS84)
    if _looks_projected(frame):
        raise ChangeRefused(f"{source}: coordinates read as {source_crs.to_string()} fall "
                            f"outside lon/lat range ({_extent(frame)}); the file's CRS is "
                            "missing or wrong: give the right one with --from-crs")
    return frame


def _looks_projected(frame: Any) -> bool:
    west, south, east, north = frame.total_bounds
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        return False  # no geometry at all
    return min(west, south) < -180 or east > 180 or max(abs(south), abs(north)) > 90


def _extent(frame: Any) -> str:
    west, south, east, north = frame.total_bounds
    return f"x from {west:.6g} to {east:.6g}, y from {south:.6g} to {north:.6g}"


def _imported_features(frame: Any, source: Path, id_field: str, name_field: str,
                       name_ar_field: str | None, defaults: Mapping[str, str | None],
                       keep_fields: list[str], all_fields: bool = False
                       ) -> dict[str, dict[str, Any]]:
    from shapely import force_2d
    from shapely.geometry import mapping

    fields = [c for c in frame.columns if c != frame.geometry.name]
    for option, name in (("--id-field", id_field), ("--name-field", name_field),
                         ("--name-ar-field", name_ar_field),
                         *(("--keep-field", k) for k in keep_fields)):
        if name is not None and name not in fields:
            raise ChangeRefused(f"{option} {name!r} is not a field of {source.name}; its "
                                f"fields: {allowed(fields) or 'none'}")
    if name_ar_field is None and "name_ar" in fields:
        name_ar_field = "name_ar"
    if all_fields:
        used = {id_field, name_field, name_ar_field, *DEFAULTABLE}
        keep_fields = [c for c in fields if c not in used]
    features: dict[str, dict[str, Any]] = {}
    for index, row in enumerate(frame.to_dict("records")):
        fid = _plain(row[id_field])
        if fid in (None, ""):
            raise ChangeRefused(f"feature #{index} of {source.name} has no value in id field "
                                f"{id_field!r}")
        fid = str(fid)
        if fid in features:
            raise ChangeRefused(f"id {fid!r} appears twice in {source.name}: ids must be "
                                "unique")
        props: dict[str, Any] = {}
        name = _plain(row[name_field])
        if name is not None:
            props["name"] = str(name)
        if name_ar_field is not None:
            props["name_ar"] = _plain(row[name_ar_field])
        for key in DEFAULTABLE:
            value = _plain(row[key]) if key in fields else None
            if value in (None, "") and defaults.get(key) is not None:
                value = defaults[key]
            if key in fields or value is not None:  # a field that is there, even empty, counts
                props[key] = value
        for key in keep_fields:
            props[key] = _plain(row[key])
        geom = row[frame.geometry.name]
        geometry = None if geom is None or geom.is_empty else mapping(force_2d(geom))
        features[fid] = {"type": "Feature", "id": fid, "properties": props,
                         "geometry": geometry}
    return features


def _plain(value: Any) -> Any:
    """A JSON-ready Python value from whatever pandas or numpy hands over."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalar
    if isinstance(value, float) and value.is_integer():
        return int(value)  # integer codes come back from Shapefiles as floats
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value


def _existing_places(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {"type": "FeatureCollection", "features": []}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ChangeRefused(f"{path} does not parse ({exc}): fix it first "
                            "(`mapapp validate`)") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        raise ChangeRefused(f"{path} is not a FeatureCollection: fix it first")
    return doc


def _refuse_orphans(directory: Path, removed: list[str]) -> None:
    gone = set(removed)
    orphans = [r for r in read_raw(directory).events if r.get("place") in gone]
    if orphans:
        lines = "; ".join(f"{r.file}:{r.line}: event {r.get('id')!r} names place "
                          f"{r.get('place')!r}" for r in orphans[:10])
        more = f" (and {len(orphans) - 10} more)" if len(orphans) > 10 else ""
        raise ChangeRefused(f"--mode replace would remove {len(gone)} place(s) that events "
                            f"still name: {lines}{more}. Import them too, or use --mode merge")


# --- events ------------------------------------------------------------------------------


def plan_event(directory: Path, values: Mapping[str, str | None],
               today: dt.date | None = None) -> EventChange:
    """Plan appending one event to events.csv.

    Parameters
    ----------
    directory
        The data directory.
    values
        Column → value (contract column names: ``source_title``, ...). Empty values are
        left empty. ``id`` defaults to ``<date>-<place>``.
    today
        For the future-date check; defaults to today.

    Returns
    -------
    EventChange
        The new events.csv text, the new row's id and line, and the problems it would
        introduce; nothing is written until ``.apply()``.

    Examples
    --------
    >>> change = plan_event(Path("data"), {"date": "2017-11-03", "type": "control",
    ...     "place": "kanamat", "status": "held", "factions": "sdf", "summary": "...",
    ...     "source_title": "...", "source_url": "https://example.org/report",
    ...     "source_date": "2017-11-03"})
    >>> change.event_id, change.errors
    ('2017-11-03-kanamat', [])
    """
    directory = Path(directory)
    clean = {k: (v or "").strip() for k, v in values.items()}
    unknown = [k for k in clean if k not in EVENT_COLUMNS]
    if unknown:
        raise ChangeRefused(f"unknown column(s) {allowed(unknown)}; the columns of "
                            f"{EVENTS_FILE}: {allowed(EVENT_COLUMNS)}")
    if not clean.get("id"):
        if not (clean.get("date") and clean.get("place")):
            raise ChangeRefused("give --id: the default id <date>-<place> needs both a date "
                                "and a place")
        clean["id"] = f"{clean['date']}-{clean['place']}"
    path = directory / EVENTS_FILE
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise ChangeRefused(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise ChangeRefused(f"{path} is not valid UTF-8: fix it first") from exc
    header = next(csv.reader(io.StringIO(text, newline="")), None)
    if not header:
        raise ChangeRefused(f"{path} has no header row: fix it first")
    header = [h.strip() for h in header]
    missing = [k for k, v in clean.items() if v and k not in header]
    if missing:
        raise ChangeRefused(f"{EVENTS_FILE} has no column {allowed(missing)}: add it to the "
                            "header first")
    newline = "\r\n" if text.endswith("\r\n") else "\n"
    if text and not text.endswith("\n"):
        text += newline
    line = text.count("\n") + 1
    row = io.StringIO()
    csv.writer(row, lineterminator=newline).writerow([clean.get(h, "") for h in header])
    change = EventChange(path=path, text=text + row.getvalue(), event_id=clean["id"],
                         line=line)
    change.problems = introduced_problems(directory, {EVENTS_FILE: change.text}, today)
    return change
