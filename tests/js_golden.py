"""Golden files for the page's engine and style (tests/js/*.test.mjs): the payload of a data
set, the state of every place the Python ``Timeline`` gives at every change day (with the
day of its latest report and whether it is stale), the export legend's label
(``mapapp.style.legend_label``) of every state in the payload, and the stale rule's words.

``make test`` writes them before node runs, so they cannot go stale::

    python -m tests.js_golden tests/js/golden
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from mapapp.contract import day_iso
from mapapp.dataset import load_dataset
from mapapp.freshness import STALE_AFTER_DAYS, age_text, page_settings, state_is_stale
from mapapp.payload import build_payload
from mapapp.style import legend_label
from mapapp.timeline import Timeline
from tests.tiny_dataset import write_tiny_dataset

SHIPPED_DATA = Path(__file__).resolve().parent.parent / "data"


def golden(timeline: Timeline) -> dict[str, Any]:
    """The payload, and per day (the day before the first change, every change day, the
    last day) each place's [status, factions, since, event id, confidence]."""
    days = list(dict.fromkeys([int(timeline.change_days[0]) - 1, *map(int, timeline.change_days),
                               *([] if timeline.last_date is None else [
                                   int(timeline.change_days[-1]) + 1])]))
    expected, reported = {}, {}
    for day in days:
        state = timeline.state_at(day_iso(day)).reindex(timeline.place_ids)
        expected[str(day)] = [
            [row.status, list(row.factions), row.since, row.event_id,
             None if row.status == "no-data" else row.confidence]
            for row in state.itertuples()]
        last = timeline.last_report_days(day_iso(day))
        reported[str(day)] = [
            [row.last_reported,
             state_is_stale(row.status, None if d < 0 else day - int(d), STALE_AFTER_DAYS)]
            for row, d in zip(state.itertuples(), last, strict=True)]
    payload = build_payload(timeline)
    names = timeline.dataset.factions.to_dict("index")
    legend = [legend_label(st["status"], [payload["factions"][i]["id"] for i in st["factions"]],
                           st["confidence"], names) for st in payload["states"]]
    return {"payload": payload, "days": days, "place_ids": list(timeline.place_ids),
            "expected": expected, "legend": legend, "reported": reported,
            "freshness": page_settings(STALE_AFTER_DAYS),
            "ages": {str(d): age_text(d) for d in (0, 1, 30, 59, 60, 91, 729, 730, 1100)}}


def write_goldens(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        sets = {"tiny": write_tiny_dataset(Path(tmp) / "tiny"), "shipped": SHIPPED_DATA}
        for name, directory in sets.items():
            path = out / f"{name}.json"
            body = golden(Timeline(load_dataset(directory)))
            path.write_text(json.dumps(body, separators=(",", ":"), default=str) + "\n",
                            encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/js/golden")
    for written_path in write_goldens(target):
        print(f"wrote {written_path}")
