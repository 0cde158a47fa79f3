"""A data set whose every string tries to run script: names, Arabic names, summaries, source
titles, faction names, the credit line, town labels. Nothing of it may execute anywhere."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.tiny_dataset import write_tiny_dataset

PAYLOADS = [
    '<script>window.__pwned = "script"</script>',
    '<img src=x onerror="window.__pwned = \'img\'">',
    '"><svg onload="window.__pwned = \'svg\'">',
    "javascript:window.__pwned='js'",
    "'; window.__pwned = 'quote'; '",
]


def hostile(i: int) -> str:
    return f"Name {i} {PAYLOADS[i % len(PAYLOADS)]}"


def _read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_hostile_dataset(directory: Path) -> Path:
    write_tiny_dataset(directory)
    places = json.loads((directory / "places.geojson").read_text(encoding="utf-8"))
    for i, feature in enumerate(places["features"]):
        feature["properties"]["name"] = hostile(i)
        feature["properties"]["name_ar"] = "عربي " + hostile(i + 1)
        feature["properties"]["geometry_source"] = hostile(i + 2)
    (directory / "places.geojson").write_text(json.dumps(places), encoding="utf-8")

    rows = _read_rows(directory / "factions.csv")
    for i, row in enumerate(rows):
        row["name"] = hostile(i + 3)
        row["short_name"] = hostile(i)
        row["description"] = hostile(i + 1)
        row["name_ar"] = "عربي " + hostile(i + 2)  # shown on Arabic pages and exports
        row["short_name_ar"] = "عربي " + hostile(i + 4)
    with open(directory / "factions.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    events = _read_rows(directory / "events.csv")
    for i, row in enumerate(events):
        row["summary"] = hostile(i)
        row["source_title"] = hostile(i + 1)
        row["notes"] = hostile(i + 2)
        # still http(s), as the validator demands, but trying to break out of the attribute
        row["source_url"] = f'https://example.org/{i}"><script>window.__pwned="url"</script>'
    with open(directory / "events.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(events[0]))
        writer.writeheader()
        writer.writerows(events)

    (directory / "SOURCES.md").write_text(
        f"# Sources\n\nCredit: {hostile(1)} {hostile(0)}\n", encoding="utf-8")
    context = directory / "context"
    context.mkdir(exist_ok=True)
    towns = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": hostile(1)},
         "geometry": {"type": "Point", "coordinates": [10.15, 50.15]}}]}
    (context / "towns.geojson").write_text(json.dumps(towns), encoding="utf-8")
    return directory
