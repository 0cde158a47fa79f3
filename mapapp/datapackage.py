"""The data set as a Frictionless Data Package: the files as shipped, SOURCES.md with the
licences, and a ``datapackage.json`` that describes every CSV column. Pure: no Flask.

The columns are those of each file's header, in its order; the contract's columns
(``mapapp.contract``) carry their type and meaning, any extra column is described as kept.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from mapapp.contract import (
    EVENT_COLUMNS,
    EVENT_REQUIRED_COLUMNS,
    EVENTS_FILE,
    FACTION_COLUMNS,
    FACTION_REQUIRED_COLUMNS,
    FACTIONS_FILE,
    PLACES_FILE,
    SOURCES_FILE,
    VIEW_COLUMNS,
    VIEWS_FILE,
)
from mapapp.dataset import Dataset, data_files
from mapapp.exports import provenance_of

# Type and meaning of every contract column (docs/data.md §1 says the same at length).
FIELDS: dict[str, dict[str, dict[str, Any]]] = {
    FACTIONS_FILE: {
        "id": {"type": "string", "description": "faction id (a slug)"},
        "name": {"type": "string", "description": "full name"},
        "short_name": {"type": "string", "description": "short name for labels"},
        "color": {"type": "string", "description": "map colour, #rrggbb",
                  "constraints": {"pattern": "#[0-9a-fA-F]{6}"}},
        "description": {"type": "string", "description": "who the faction is"},
        "name_ar": {"type": "string", "description": "full name in Arabic (optional)"},
        "short_name_ar": {"type": "string", "description": "short name in Arabic (optional)"},
    },
    VIEWS_FILE: {
        "id": {"type": "string", "description": "view id (a slug)"},
        "name": {"type": "string", "description": "name of the extent"},
        **{side: {"type": "number", "description": f"{side} edge, degrees (WGS84)"}
           for side in ("west", "south", "east", "north")},
    },
    EVENTS_FILE: {
        "id": {"type": "string", "description": "event id (a slug, usually <date>-<place>)"},
        "date": {"type": "date", "description": "the day the change took effect, as reported"},
        "type": {"type": "string", "description": "control (who holds a place changes) or "
                 "incident (a dated marker)",
                 "constraints": {"enum": ["control", "incident"]}},
        "place": {"type": "string", "description": "place id (Feature.id in places.geojson)"},
        "status": {"type": "string", "description": "held, contested (the holder first) or "
                   "joint; empty for incidents"},
        "factions": {"type": "string", "description": "faction ids separated by ';', the "
                     "holder first"},
        "lon": {"type": "number", "description": "longitude of an incident away from a place"},
        "lat": {"type": "number", "description": "latitude of an incident away from a place"},
        "summary": {"type": "string", "description": "one sentence, plain text"},
        "source_title": {"type": "string", "description": "title of the cited source"},
        "source_url": {"type": "string", "format": "uri", "description": "URL of the source"},
        "source_date": {"type": "date", "description": "publication date of the source"},
        "confidence": {"type": "string", "description": "confirmed (when empty), claimed "
                       "(one side's claim) or disputed (sources conflict)"},
        "notes": {"type": "string", "description": "disagreements between sources, spellings"},
    },
}
CONTRACT = {FACTIONS_FILE: FACTION_COLUMNS, VIEWS_FILE: VIEW_COLUMNS, EVENTS_FILE: EVENT_COLUMNS}
REQUIRED = {FACTIONS_FILE: FACTION_REQUIRED_COLUMNS, VIEWS_FILE: VIEW_COLUMNS,
            EVENTS_FILE: EVENT_REQUIRED_COLUMNS}
TITLES = {FACTIONS_FILE: "Factions and their map colours", VIEWS_FILE: "Named extents",
          EVENTS_FILE: "Events: control changes and incidents, each with its source",
          PLACES_FILE: "Places (control units): geometry and attributes"}


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle), [])


def _schema(name: str, header: list[str]) -> dict[str, Any]:
    fields = []
    for column in header:
        described = FIELDS[name].get(column)
        if described is None:
            fields.append({"name": column, "type": "string",
                           "description": "an extra column, kept as it is"})
            continue
        field = {"name": column, **described}
        if column in REQUIRED[name] and not (name == EVENTS_FILE and column in
                                             ("place", "status", "factions")):
            field.setdefault("constraints", {})["required"] = True
        fields.append(field)
    return {"fields": fields, "missingValues": [""],
            **({"primaryKey": ["id"]} if "id" in header else {})}


def describe(dataset: Dataset) -> dict[str, Any]:
    """The ``datapackage.json`` of a data set, as a dict."""
    directory = Path(dataset.directory)
    resources: list[dict[str, Any]] = []
    for path in data_files(directory):
        if not path.is_file():
            continue
        relative = path.relative_to(directory).as_posix()
        # Frictionless names are lower-case letters, digits and -._/
        name = re.sub(r"[^a-z0-9._/-]", "-", path.stem.lower())
        if relative.startswith("context/"):
            name = f"context-{name}"
        resource: dict[str, Any] = {"name": name, "path": relative}
        if relative in CONTRACT:
            resource.update(profile="tabular-data-resource", format="csv",
                            mediatype="text/csv", encoding="utf-8",
                            schema=_schema(relative, _header(path)))
        elif relative.endswith(".geojson"):
            resource.update(format="geojson", mediatype="application/geo+json")
        elif relative == SOURCES_FILE:
            resource.update(format="md", mediatype="text/markdown",
                            description="provenance and licence of every layer")
        if relative in TITLES:
            resource["title"] = TITLES[relative]
        elif relative.startswith("context/"):
            resource["title"] = f"Reference layer: {path.stem} (not control units)"
        resources.append(resource)
    provenance = provenance_of(dataset)
    return {
        "profile": "data-package",
        "name": "mapapp-territorial-control",
        "title": "Territorial control: who controls which place, on which day",
        "description": f"{dataset.credit}. The state of a place at a date is its latest "
                       "control event on or before it; before its first it is no data.",
        "version": dataset.version,
        "licenses": [{"name": "various", "path": SOURCES_FILE, "title": provenance.license}],
        "sources": [{"title": "SOURCES.md: the source and licence of every layer",
                     "path": SOURCES_FILE}],
        "resources": resources,
    }


def dataset_zip(dataset: Dataset) -> bytes:
    """The zip: datapackage.json, then every data file as shipped. Entries carry a fixed
    timestamp, so the same data gives the same bytes (and the same cache key)."""
    directory = Path(dataset.directory)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        add("datapackage.json", json.dumps(describe(dataset), indent=2,
                                           ensure_ascii=False).encode())
        for path in data_files(directory):
            if path.is_file():
                add(path.relative_to(directory).as_posix(), path.read_bytes())
    return out.getvalue()
