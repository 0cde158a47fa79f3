"""The canonical form of a data set's files, for clean git diffs.

``factions.csv``, ``events.csv``, ``views.csv``: columns in contract order, extra columns
after them in their own order; rows kept in their order (events are *not* sorted: a
formatter that moves rows would change every line number a reviewer cites); cells
stripped of surrounding blanks; minimal quoting; ``\\n`` line endings; UTF-8 without BOM.

``places.geojson``: one feature per line, so a problem can cite a feature's line::

    {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": "west-square", "properties": {...}, "geometry": {...}},
    ...
    ]}

Keys in a stable order (contract properties first, then the others sorted), coordinates
rounded to 6 decimals (about 0.1 m), polygons wound as RFC 7946 asks (exterior rings
counterclockwise, holes clockwise). Nothing is ever dropped: every member, property,
column and row survives.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from shapely.geometry import shape

from mapapp.contract import (
    EVENT_COLUMNS,
    EVENTS_FILE,
    FACTION_COLUMNS,
    FACTIONS_FILE,
    PLACE_PROPERTIES,
    PLACES_FILE,
    VIEW_COLUMNS,
    VIEWS_FILE,
)
from mapapp.dataset import read_raw
from mapapp.errors import MapAppError, Problem
from mapapp.validate import ring_area

COORDINATE_DECIMALS = 6
CSV_FILES = {FACTIONS_FILE: FACTION_COLUMNS, EVENTS_FILE: EVENT_COLUMNS,
             VIEWS_FILE: VIEW_COLUMNS}
FORMATTED_FILES = (FACTIONS_FILE, PLACES_FILE, EVENTS_FILE, VIEWS_FILE)


class FormatError(MapAppError):
    """A file that cannot be formatted without losing or changing what it says."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.format() for p in problems) or "cannot format")


# --- a whole directory -------------------------------------------------------------------


def format_directory(directory: Path, check: bool = False) -> list[str]:
    """Rewrite the data files of ``directory`` in canonical form.

    Parameters
    ----------
    directory
        A data directory (DESIGN.md §1).
    check
        Only report: write nothing.

    Returns
    -------
    list of str
        Names of the files that changed (or, with ``check``, would change).

    Raises
    ------
    FormatError
        When a file does not parse; nothing is written then.

    Examples
    --------
    >>> format_directory(Path("data"), check=True)  # the shipped data is canonical
    []
    """
    directory = Path(directory)
    raw = read_raw(directory)
    blocking = [p for p in raw.problems if p.severity == "error"
                and (p.file in FORMATTED_FILES or p.file == str(directory))]
    if blocking:
        raise FormatError(blocking)
    # Format everything before writing anything, so a failure leaves every file untouched.
    outputs: dict[Path, str] = {}
    for name in FORMATTED_FILES:
        path = directory / name
        original = path.read_bytes().decode("utf-8-sig")
        if name == PLACES_FILE:
            canonical = format_places(original)
        else:
            canonical = format_csv(original, CSV_FILES[name], name)
        if canonical.encode("utf-8") != path.read_bytes():
            outputs[path] = canonical
    if not check:
        for path, text in outputs.items():
            write_atomic(path, text)
    return [path.name for path in outputs]


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) so that readers see the old or the new file,
    never a half-written one: a temporary file in the same directory, then os.replace."""
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)  # mkstemp makes 0600 files; keep the original permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- CSV -----------------------------------------------------------------------------------


def format_csv(text: str, contract: Sequence[str], name: str = "file.csv") -> str:
    """The canonical form of one CSV file of the contract.

    Examples
    --------
    >>> format_csv("name, id ,extra\\r\\nBlue ,blue,x\\r\\n", ["id", "name"])
    'id,name,extra\\nblue,Blue,x\\n'
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        start = 1
        for record in reader:
            records.append((start, record))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FormatError([Problem(name, f"CSV syntax: {exc}", line=reader.line_num)]) from exc
    if not records:
        raise FormatError([Problem(name, "file is empty: a header row is required", line=1)])
    header = [h.strip() for h in records[0][1]]
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise FormatError([Problem(name, f"duplicate column(s) {duplicates} in the header",
                                   line=1)])
    order = [header.index(c) for c in contract if c in header]
    order += [i for i, h in enumerate(header) if h not in contract]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header[i] for i in order])
    for line, record in records[1:]:
        if not any(cell.strip() for cell in record):
            continue  # blank lines carry nothing; the reader skips them too
        if len(record) != len(header):
            raise FormatError([Problem(name, f"expected {len(header)} fields as in the header, "
                                             f"found {len(record)}", line=line)])
        writer.writerow([_clean_cell(record[i]) for i in order])
    return out.getvalue()


def _clean_cell(cell: str) -> str:
    return cell.strip().replace("\r\n", "\n")


# --- GeoJSON -------------------------------------------------------------------------------


def format_places(text: str, name: str = PLACES_FILE) -> str:
    """The canonical form of a places.geojson text (see the module docstring).

    Examples
    --------
    >>> print(format_places('{"features": [{"id": "a", "type": "Feature", "geometry": '
    ...                     '{"coordinates": [1, 2.12345678], "type": "Point"}}], '
    ...                     '"type": "FeatureCollection"}'), end="")
    {"type": "FeatureCollection", "features": [
    {"type": "Feature", "id": "a", "geometry": {"type": "Point", "coordinates": [1.0, 2.123457]}}
    ]}
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError([Problem(name, f"JSON syntax: {exc.msg}", line=exc.lineno,
                                   column=str(exc.colno))]) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("features"), list):
        raise FormatError([Problem(name, "top level must be a GeoJSON FeatureCollection with "
                                         "a 'features' list", line=1)])
    return dump_places(doc, name)


def dump_places(doc: dict[str, Any], name: str = PLACES_FILE) -> str:
    """Write a FeatureCollection dict in canonical form; refuses if rounding the
    coordinates would make a valid geometry invalid."""
    head = {"type": doc.get("type", "FeatureCollection")}
    head |= {k: doc[k] for k in sorted(doc) if k not in ("type", "features")}
    opening = _dumps(head)[:-1] + (", " if len(head) else "") + '"features": ['
    lines = [opening]
    problems: list[Problem] = []
    features = doc["features"]
    for index, feature in enumerate(features):
        canonical = canonical_feature(feature)
        problems += _rounding_damage(feature, canonical, name, index)
        lines.append(_dumps(canonical) + ("," if index < len(features) - 1 else ""))
    if problems:
        raise FormatError(problems)
    lines.append("]}")
    return "\n".join(lines) + "\n"


def canonical_feature(feature: Any) -> Any:
    """A feature with its members in canonical order and its geometry canonical."""
    if not isinstance(feature, dict):
        return feature
    out: dict[str, Any] = {}
    for key in ("type", "id", "properties", "geometry"):
        if key in feature:
            out[key] = feature[key]
    props = feature.get("properties")
    if isinstance(props, dict):
        ordered = {k: props[k] for k in PLACE_PROPERTIES if k in props}
        out["properties"] = ordered | {k: props[k] for k in sorted(props) if k not in ordered}
    if isinstance(feature.get("geometry"), dict):
        out["geometry"] = canonical_geometry(feature["geometry"])
    out |= {k: feature[k] for k in sorted(feature) if k not in out}
    return out


def canonical_geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    """Members in order, coordinates rounded, polygon rings wound as RFC 7946 asks.

    Examples
    --------
    >>> canonical_geometry({"coordinates": [[[0, 0], [0, 1], [1, 0], [0, 0]]],
    ...                     "type": "Polygon"})["coordinates"]
    [[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]]
    """
    kind = geometry.get("type")
    out: dict[str, Any] = {"type": kind} if "type" in geometry else {}
    if "coordinates" in geometry:
        coords = _round(geometry["coordinates"])
        if kind == "Polygon":
            coords = _wind_polygon(coords)
        elif kind == "MultiPolygon" and isinstance(coords, list):
            coords = [_wind_polygon(p) for p in coords]
        out["coordinates"] = coords
    if isinstance(geometry.get("geometries"), list):
        out["geometries"] = [canonical_geometry(g) if isinstance(g, dict) else g
                             for g in geometry["geometries"]]
    out |= {k: geometry[k] for k in sorted(geometry) if k not in out}
    return out


def _wind_polygon(rings: Any) -> Any:
    if not isinstance(rings, list):
        return rings
    out = []
    for i, ring in enumerate(rings):
        area = ring_area(ring)
        wrong = area < 0 if i == 0 else area > 0  # exterior counterclockwise, holes clockwise
        out.append(list(reversed(ring)) if wrong else ring)
    return out


def _round(coords: Any) -> Any:
    if isinstance(coords, bool):
        return coords
    if isinstance(coords, (int, float)):
        value = float(coords)
        # + 0.0 turns -0.0 into 0.0 so that the same point is always written the same way
        return round(value, COORDINATE_DECIMALS) + 0.0 if math.isfinite(value) else value
    if isinstance(coords, (list, tuple)):
        return [_round(c) for c in coords]
    return coords


def _rounding_damage(before: Any, after: Any, name: str, index: int) -> list[Problem]:
    """Rounding can collapse a thin part of a shape; then the author must decide, not fmt."""
    try:
        old, new = shape(before["geometry"]), shape(after["geometry"])
    except Exception:  # malformed or null geometry: validate reports it, fmt leaves it be
        return []
    if not old.is_valid or new.is_valid:
        return []
    fid = before.get("id")
    return [Problem(name, f"rounding feature #{index} to {COORDINATE_DECIMALS} decimals makes "
                          "its geometry invalid; simplify or fix the shape first",
                    feature=fid if isinstance(fid, str) else None)]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
