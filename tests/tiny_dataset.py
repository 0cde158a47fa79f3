"""A tiny, obviously synthetic data set written by tests: two squares, one point, one war
that never happened. It proves nothing in the code is specific to the shipped data."""

from __future__ import annotations

import csv
import json
from pathlib import Path

FACTIONS = [
    {"id": "blue", "name": "Blue League", "short_name": "Blue", "color": "#1f5fbf",
     "description": "test faction"},
    {"id": "green", "name": "Green Union", "short_name": "Green", "color": "#2e8b57",
     "description": "test faction"},
]

# The optional Arabic columns, for one faction only: the other keeps its English names.
FACTIONS_AR = {"blue": {"name_ar": "رابطة الأزرق", "short_name_ar": "الأزرق"}}

EVENTS = [
    # id, date, type, place, status, factions, summary
    ("1965-03-01-west", "1965-03-01", "control", "west-square", "held", "blue",
     "Blue holds the west square (before 1970, on purpose)."),
    ("2001-05-01-west", "2001-05-01", "control", "west-square", "contested", "blue;green",
     "Green attacks the west square."),
    ("2001-05-03-west", "2001-05-03", "control", "west-square", "held", "green",
     "Green takes the west square."),
    ("2001-05-02-east", "2001-05-02", "control", "east-square", "joint", "blue;green",
     "Both share the east square."),
    ("2001-05-02-harbour", "2001-05-02", "control", "harbour", "held", "blue",
     "Blue holds the harbour."),
    ("2001-05-02-strike", "2001-05-02", "incident", "harbour", "", "green",
     "A strike near the harbour."),
]


def _square(west: float, south: float, size: float) -> dict[str, object]:
    ring = [[west, south], [west + size, south], [west + size, south + size],
            [west, south + size], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def write_tiny_dataset(directory: Path, arabic_factions: bool = False) -> Path:
    """``arabic_factions``: factions.csv with the optional name_ar/short_name_ar columns
    (:data:`FACTIONS_AR`); without, the columns are absent, as in older data sets."""
    directory.mkdir(parents=True, exist_ok=True)
    factions = FACTIONS
    if arabic_factions:
        blank = {"name_ar": "", "short_name_ar": ""}
        factions = [{**f, **FACTIONS_AR.get(str(f["id"]), blank)} for f in FACTIONS]
    with open(directory / "factions.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(factions[0]))
        writer.writeheader()
        writer.writerows(factions)
    features = [
        {"type": "Feature", "id": "west-square", "geometry": _square(10.0, 50.0, 0.1),
         "properties": {"name": "West Square", "name_ar": None, "kind": "district",
                        "parent": None, "country": "XX", "geometry_quality": "official",
                        "geometry_source": "test square"}},
        {"type": "Feature", "id": "east-square", "geometry": _square(10.2, 50.0, 0.1),
         "properties": {"name": "East Square", "name_ar": "المربع الشرقي", "kind": "district",
                        "parent": None, "country": "XX", "geometry_quality": "derived",
                        "geometry_source": "test square, derived"}},
        {"type": "Feature", "id": "harbour",
         "geometry": {"type": "Point", "coordinates": [10.35, 50.05]},
         "properties": {"name": "Harbour", "name_ar": None, "kind": "port", "parent": None,
                        "country": "XX", "geometry_quality": "point",
                        "geometry_source": "test point"}},
        {"type": "Feature", "id": "lost-village", "geometry": None,
         "properties": {"name": "Lost Village", "name_ar": None, "kind": "village",
                        "parent": None, "country": "XX", "geometry_quality": "unknown",
                        "geometry_source": "no location known"}},
    ]
    (directory / "places.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    with open(directory / "events.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "date", "type", "place", "status", "factions", "lon", "lat",
                         "summary", "source_title", "source_url", "source_date", "confidence",
                         "notes"])
        for eid, date, kind, place, status, factions, summary in EVENTS:
            writer.writerow([eid, date, kind, place, status, factions, "", "", summary,
                             f"Test report {eid}", f"https://example.org/{eid}", date,
                             "confirmed", ""])
    with open(directory / "views.csv", "w", newline="", encoding="utf-8") as fh:
        fh.write("id,name,west,south,east,north\n")
        fh.write("overview,Everything,9.9,49.9,10.5,50.2\n")
        fh.write("west,West square,9.98,49.98,10.12,50.12\n")
    (directory / "SOURCES.md").write_text(
        "# Sources\n\nCredit: Tiny test data, no real places\n", encoding="utf-8")
    return directory
