"""A data set whose names, summaries, titles, notes and credit line start like spreadsheet
formulas: every CSV export must carry them as text, never as something a spreadsheet runs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.tiny_dataset import write_tiny_dataset

# One of each start that spreadsheets read as a formula (tab and CR hide one).
FORMULAS = [
    "=1+2",
    "+SUM(1;1)",
    "-2+3",
    '@HYPERLINK("https://example.org/leak";"click")',
    "\t=1+1",
    "\r=2+2",
    "'=3+3",  # already quoted: must come back with its apostrophe
]
CREDIT = "=HYPERLINK(\"https://example.org/credit\";\"credit\")"


def formula(i: int) -> str:
    return FORMULAS[i % len(FORMULAS)]


def write_formula_dataset(directory: Path) -> Path:
    write_tiny_dataset(directory)
    places = json.loads((directory / "places.geojson").read_text(encoding="utf-8"))
    for i, feature in enumerate(places["features"]):
        feature["properties"]["name"] = formula(i) + f" place {i}"
        feature["properties"]["geometry_source"] = formula(i + 1)
    (directory / "places.geojson").write_text(json.dumps(places), encoding="utf-8")
    with open(directory / "events.csv", newline="", encoding="utf-8") as fh:
        events = list(csv.DictReader(fh))
    for i, row in enumerate(events):
        row["summary"] = formula(i) + f" summary {i}"
        row["source_title"] = formula(i + 2) + f" title {i}"
        row["notes"] = formula(i + 3)
    with open(directory / "events.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(events[0]))
        writer.writeheader()
        writer.writerows(events)
    (directory / "SOURCES.md").write_text(f"# Sources\n\nCredit: {CREDIT}\n", encoding="utf-8")
    return directory
