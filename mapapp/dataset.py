"""Read a data directory into a validated :class:`Dataset`.

The only module that knows file formats and coordinate reference systems.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import shape

from mapapp.contract import (
    BBOX_COLUMNS,
    CONTEXT_DIR,
    DEFAULT_CONFIDENCE,
    EVENT_COLUMNS,
    EVENTS_FILE,
    FACTION_COLUMNS,
    FACTIONS_FILE,
    PLACE_PROPERTIES,
    PLACES_FILE,
    SOURCES_FILE,
    VIEW_COLUMNS,
    VIEWS_FILE,
    WGS84,
)
from mapapp.errors import DataError, Problem
from mapapp.records import Feature, RawDataset, Row
from mapapp.validate import build_shapes, validate_raw

DATA_FILES = (FACTIONS_FILE, PLACES_FILE, EVENTS_FILE, VIEWS_FILE, SOURCES_FILE)


@dataclass(frozen=True)
class Dataset:
    """A loaded, valid data set. Frames are indexed by their ``id`` column."""

    directory: Path
    factions: pd.DataFrame
    places: gpd.GeoDataFrame
    events: pd.DataFrame
    views: pd.DataFrame
    context: dict[str, gpd.GeoDataFrame]
    credit: str
    version: str
    warnings: list[Problem] = field(default_factory=list)
    sources_text: str = ""  # SOURCES.md as loaded, served with the data it describes


def data_files(directory: Path) -> list[Path]:
    """The files that make up a data set, for change detection and hashing."""
    directory = Path(directory)
    files = [directory / name for name in DATA_FILES]
    context = directory / CONTEXT_DIR
    if context.is_dir():
        files += sorted(context.glob("*.geojson"))
    return files


def fingerprint(directory: Path) -> str:
    """A short hash of every data file's bytes: the data set's version."""
    digest = hashlib.sha256()
    for path in data_files(directory):
        digest.update(path.name.encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()[:16]


def read_raw(directory: Path) -> RawDataset:
    """Parse every file of a data directory without judging its content.

    Syntax errors (unreadable CSV or JSON, missing files) are recorded as problems.
    """
    directory = Path(directory)
    raw = RawDataset(directory=str(directory))
    if not directory.is_dir():
        raw.problems.append(Problem(str(directory), "data directory not found"))
        return raw
    raw.faction_columns, raw.factions = _read_csv(directory / FACTIONS_FILE, raw.problems)
    raw.event_columns, raw.events = _read_csv(directory / EVENTS_FILE, raw.problems)
    raw.view_columns, raw.views = _read_csv(directory / VIEWS_FILE, raw.problems)
    raw.places_document, raw.places = _read_places(directory / PLACES_FILE, raw.problems)
    context = directory / CONTEXT_DIR
    if context.is_dir():
        for path in sorted(context.glob("*.geojson")):
            doc = _read_json(path, raw.problems)
            if doc is not None:
                raw.context[path.stem] = doc
    sources = directory / SOURCES_FILE
    if sources.is_file():
        raw.sources_text = sources.read_text(encoding="utf-8", errors="replace")
    else:
        raw.problems.append(Problem(SOURCES_FILE, "file is missing: provenance is required"))
    return raw


def check_directory(directory: Path, today: dt.date | None = None) -> list[Problem]:
    """Every problem of a data directory, errors and warnings; never raises.

    Validation only runs once every file parses: fix the syntax first.

    Examples
    --------
    >>> [p.format() for p in check_directory(Path("nowhere"))]
    ['nowhere: error: data directory not found']
    """
    raw = read_raw(directory)
    problems = list(raw.problems)
    if not any(p.severity == "error" for p in problems):
        problems += validate_raw(raw, today)
    return problems


def load_dataset(directory: Path) -> Dataset:
    """Read, validate and index a data directory.

    Raises
    ------
    DataError
        With every problem found, each naming file, line or feature, column and value.

    Examples
    --------
    >>> ds = load_dataset(Path("data"))
    >>> ds.places.loc["kanamat", "name"]
    'Kanamat'
    """
    directory = Path(directory)
    version = fingerprint(directory)
    raw = read_raw(directory)
    problems = list(raw.problems)
    shapes = build_shapes(raw.places)  # once, for the checks and for the places frame
    if not any(p.severity == "error" for p in problems):
        problems += validate_raw(raw, shapes=shapes)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise DataError(problems)
    return Dataset(
        directory=directory,
        factions=_factions_frame(raw.factions),
        places=_places_frame(raw.places, shapes.geoms),
        events=_events_frame(raw.events),
        views=_views_frame(raw.views),
        context={name: _context_frame(doc) for name, doc in raw.context.items()},
        credit=credit_line(raw.sources_text),
        sources_text=raw.sources_text,
        version=version,
        warnings=[p for p in problems if p.severity == "warning"],
    )


def missing_as_none(value: Any) -> Any:
    """Every way a frame says "no value" (None, NaN, pd.NA, an empty cell) as ``None``.

    Examples
    --------
    >>> missing_as_none(float("nan")) is None and missing_as_none("") is None
    True
    """
    if value is None or value is pd.NA or (isinstance(value, str) and value == ""):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def credit_line(sources_text: str) -> str:
    """The ``Credit:`` line of SOURCES.md, shown on the map and on every export."""
    for line in sources_text.splitlines():
        stripped = line.strip().lstrip("*_ ")
        if stripped.lower().startswith("credit:"):
            return stripped.split(":", 1)[1].strip().rstrip("*_ ")
    return "Data: see SOURCES.md"


# --- readers -----------------------------------------------------------------------------


def _read_csv(path: Path, problems: list[Problem]) -> tuple[list[str], list[Row]]:
    if not path.is_file():
        problems.append(Problem(path.name, "file is missing"))
        return [], []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        problems.append(Problem(path.name, f"not valid UTF-8 ({exc.reason})", line=line))
        return [], []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] = []  # stays empty if the header row itself is malformed
    rows: list[Row] = []
    try:
        first = next(reader, None)
        if first is None:
            problems.append(Problem(path.name, "file is empty: a header row is required", line=1))
            return [], []
        header = [h.strip() for h in first]
        start = reader.line_num + 1
        for record in reader:
            line = start
            start = reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue  # blank lines are harmless
            if len(record) != len(header):
                problems.append(
                    Problem(
                        path.name,
                        f"expected {len(header)} fields as in the header, found {len(record)}",
                        line=line,
                    )
                )
                continue
            rows.append(Row(path.name, line, dict(zip(header, record, strict=True))))
    except csv.Error as exc:
        problems.append(Problem(path.name, f"CSV syntax: {exc}", line=reader.line_num))
    return header, rows


def _read_json(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    name = f"{CONTEXT_DIR}/{path.name}" if path.parent.name == CONTEXT_DIR else path.name
    if not path.is_file():
        problems.append(Problem(name, "file is missing"))
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, f"not valid UTF-8 ({exc.reason})"))
        return None
    except json.JSONDecodeError as exc:
        problems.append(Problem(name, f"JSON syntax: {exc.msg}", line=exc.lineno,
                                column=str(exc.colno)))
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        problems.append(Problem(name, "top level must be a GeoJSON FeatureCollection", line=1))
        return None
    return doc


def _read_places(path: Path, problems: list[Problem]) -> tuple[dict[str, Any], list[Feature]]:
    doc = _read_json(path, problems)
    if doc is None:
        return {}, []
    features = doc.get("features")
    if not isinstance(features, list):
        problems.append(Problem(path.name, "'features' must be a list", line=1))
        return doc, []
    text = path.read_text(encoding="utf-8")
    id_lines = _id_lines(text)
    feature_lines = _feature_lines(text)
    out = []
    for i, item in enumerate(features):
        if not isinstance(item, dict):
            problems.append(Problem(path.name, f"feature #{i} is not an object"))
            continue
        fid = item.get("id")
        props = item.get("properties")
        out.append(
            Feature(
                file=path.name,
                index=i,
                id=fid,
                properties=props if isinstance(props, dict) else {},
                geometry=item.get("geometry"),
                line=feature_lines[i] if i < len(feature_lines)
                else id_lines.get(fid) if isinstance(fid, str) else None,
            )
        )
    return doc, out


_ID_RE = re.compile(r'"id"\s*:\s*"([^"\\]*)"')
_MEMBER_ID_RE = re.compile(r'"id"\s*:')
_WHITESPACE_RE = re.compile(r"[ \t\n\r]*")


def _feature_lines(text: str) -> list[int]:
    """The line of each element of the top-level ``features`` array, in order.

    The line of a feature's ``"id"`` member when it has one, else of its opening brace.
    Walks the top-level object with json's C decoder, so a duplicate id or a feature
    without one still gets its own line, and large files stay fast. Returns [] for
    anything unexpected; callers fall back to :func:`_id_lines`.
    """
    decoder = json.JSONDecoder()

    def skip(i: int) -> int:
        return _WHITESPACE_RE.match(text, i).end()  # type: ignore[union-attr]

    spans: list[tuple[int, int]] = []
    try:
        i = skip(0)
        if text[i] != "{":
            return []
        i = skip(i + 1)
        while text[i] != "}":
            key, i = decoder.raw_decode(text, i)
            i = skip(skip(i) + 1)  # past the ':'
            if key == "features" and text[i] == "[":
                spans = []
                i = skip(i + 1)
                while text[i] != "]":
                    _, end = decoder.raw_decode(text, i)
                    spans.append((i, end))
                    i = skip(end)
                    if text[i] == ",":
                        i = skip(i + 1)
                i += 1
            else:
                _, i = decoder.raw_decode(text, i)
            i = skip(i)
            if text[i] == ",":
                i = skip(i + 1)
    except (ValueError, IndexError):
        return []
    lines: list[int] = []
    line, counted = 1, 0
    for start, end in spans:
        match = _MEMBER_ID_RE.search(text, start, end)
        offset = match.start() if match else start
        line += text.count("\n", counted, offset)
        counted = offset
        lines.append(line)
    return lines


def _id_lines(text: str) -> dict[str, int]:
    """Map each feature id to the first line it appears on, so messages can cite a line."""
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _ID_RE.finditer(line):
            found.setdefault(match.group(1), number)
    return found


# --- frames ------------------------------------------------------------------------------


def _factions_frame(rows: list[Row]) -> pd.DataFrame:
    # Every contract column, absent ones empty, so a data set without the optional Arabic
    # names reads like one whose Arabic cells are blank.
    frame = pd.DataFrame([{c: r.get(c) for c in FACTION_COLUMNS} for r in rows],
                         columns=FACTION_COLUMNS)
    frame["color"] = frame["color"].str.lower()
    return frame.set_index("id", drop=False)


def faction_names(factions: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The factions with ``name`` and ``short_name`` in ``lang``: the Arabic columns for
    ``"ar"`` where a faction has them, else the English ones. An Arabic name without an
    Arabic short name leaves the short name empty, so labels show the Arabic name rather
    than the English short one (a missing short name falls back to the name).

    Examples
    --------
    >>> f = pd.DataFrame({"name": ["Alpha Front", "Beta"], "short_name": ["Alpha", "B"],
    ...                   "name_ar": ["جبهة ألفا", None], "short_name_ar": [None, None]})
    >>> faction_names(f, "ar")[["name", "short_name"]].values.tolist()
    [['جبهة ألفا', None], ['Beta', 'B']]
    >>> faction_names(f, "en")["name"].tolist()
    ['Alpha Front', 'Beta']
    """
    if lang != "ar":
        return factions
    out = factions.copy()
    names, shorts = [], []
    for name, short, name_ar, short_ar in zip(out["name"], out["short_name"], out["name_ar"],
                                              out["short_name_ar"], strict=True):
        name_ar, short_ar = missing_as_none(name_ar), missing_as_none(short_ar)
        names.append(name_ar or name)
        shorts.append(short_ar or (None if name_ar else short))
    out["name"] = pd.Series(names, index=out.index, dtype=object)
    out["short_name"] = pd.Series(shorts, index=out.index, dtype=object)
    return out


def place_names(places: pd.DataFrame, lang: str = "en") -> pd.Series:
    """Each place's name in ``lang``: ``name_ar`` for ``"ar"`` where the place has one,
    else ``name``.

    >>> p = pd.DataFrame({"name": ["Kanamat", "Badr"], "name_ar": ["الكنامات", None]})
    >>> place_names(p, "ar").tolist(), place_names(p, "en").tolist()
    (['الكنامات', 'Badr'], ['Kanamat', 'Badr'])
    """
    if lang != "ar":
        return places["name"]
    return pd.Series([missing_as_none(ar) or name
                      for name, ar in zip(places["name"], places["name_ar"], strict=True)],
                     index=places.index, dtype=object)


def _places_frame(features: list[Feature], geoms: list[Any] | None = None) -> gpd.GeoDataFrame:
    """``geoms``: the shapes validation built, one per feature, reused rather than rebuilt."""
    records = []
    for i, f in enumerate(features):
        record: dict[str, Any] = {"id": f.id}
        for key in PLACE_PROPERTIES:
            value = f.properties.get(key)
            record[key] = None if value in ("", None) else str(value)
        extras = {k: v for k, v in f.properties.items() if k not in PLACE_PROPERTIES}
        record["extra"] = extras
        geom = geoms[i] if geoms is not None else None
        if geom is None and f.geometry:
            geom = shape(f.geometry)
        record["geometry"] = geom if f.geometry else None
        records.append(record)
    frame = gpd.GeoDataFrame(pd.DataFrame(records, dtype=object), geometry="geometry",
                             crs=WGS84)
    return frame.set_index("id", drop=False)


def _events_frame(rows: list[Row]) -> pd.DataFrame:
    records = []
    for r in rows:
        lon, lat = r.get("lon"), r.get("lat")
        records.append(
            {
                "id": r.get("id"),
                "date": r.get("date"),
                "type": r.get("type"),
                "place": r.get("place") or None,
                "status": r.get("status") or None,
                "factions": tuple(f.strip() for f in r.get("factions").split(";") if f.strip()),
                "lon": float(lon) if lon else np.nan,
                "lat": float(lat) if lat else np.nan,
                "summary": r.get("summary"),
                "source_title": r.get("source_title"),
                "source_url": r.get("source_url"),
                "source_date": r.get("source_date"),
                "confidence": r.get("confidence") or DEFAULT_CONFIDENCE,
                "notes": r.get("notes"),
                "line": r.line,
            }
        )
    frame = pd.DataFrame(records, columns=[*EVENT_COLUMNS, "line"], dtype=object)
    frame["lon"] = frame["lon"].astype(float)
    frame["lat"] = frame["lat"].astype(float)
    frame["line"] = frame["line"].astype(np.int64)
    # Days since 1970-01-01 as int64: exact, time-zone free, and fine before 1970.
    frame["day"] = pd.to_datetime(frame["date"], format="%Y-%m-%d").to_numpy(
        "datetime64[D]").astype(np.int64) if len(frame) else pd.Series(dtype=np.int64)
    frame = frame.sort_values(["day", "type", "place", "id"], kind="stable", na_position="first")
    return frame.set_index("id", drop=False)


def _views_frame(rows: list[Row]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [{"id": r.get("id"), "name": r.get("name"),
          **{c: float(r.get(c)) for c in BBOX_COLUMNS}} for r in rows],
        columns=list(VIEW_COLUMNS),
    )
    return frame.set_index("id", drop=False)


def _context_frame(doc: dict[str, Any]) -> gpd.GeoDataFrame:
    features = [f for f in doc.get("features", []) if isinstance(f, dict) and f.get("geometry")]
    if not features:
        return gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=WGS84)
    return gpd.GeoDataFrame.from_features(features, crs=WGS84)
