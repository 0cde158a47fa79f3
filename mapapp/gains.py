"""Gains and losses between two dates: who took which place, and what was first reported.

One rule: a place without data at the earlier date was *first reported*, not gained. A
faction gains a place when it controls it at the later date and not at the earlier one
(the holder of a held or contested place, every faction of a joint one), and loses it the
other way round.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mapapp.errors import RequestError
from mapapp.timeline import NO_DATA, Timeline, parse_date


def controllers(status: str, factions: tuple[str, ...] | list[str]) -> set[str]:
    """Who controls a place: the holder (first faction) unless control is shared."""
    if status == "joint":
        return set(factions)
    if status in ("held", "contested") and factions:
        return {factions[0]}
    return set()


def gains_and_losses(timeline: Timeline, start: str | dt.date,
                     end: str | dt.date) -> dict[str, Any]:
    """The places whose status or factions differ between ``start`` and ``end``, each with
    its kind (``first_reported``, ``gain`` when its controllers changed, ``status``
    otherwise), and per faction the places and km² gained and lost."""
    a, b = parse_date(start, "from"), parse_date(end, "to")
    if a > b:
        raise RequestError(f"from {a} is after to {b}", "from")
    changed = timeline.changed_places(a, b)
    area = timeline.areas_km2
    factions: dict[str, dict[str, float]] = {}

    def count(faction: str, key: str, km2: float) -> None:
        row = factions.setdefault(faction, {"gained": 0, "lost": 0, "gained_km2": 0.0,
                                            "lost_km2": 0.0})
        row[key] += 1
        row[key + "_km2"] += km2

    changes = []
    first = 0
    for row in changed.itertuples():
        before = controllers(row.from_status, row.from_factions)
        after = controllers(row.to_status, row.to_factions)
        km2 = float(area.get(row.place, 0.0))
        if row.from_status == NO_DATA:
            kind = "first_reported"
            first += 1
        elif before != after:
            kind = "gain"
            for f in sorted(after - before):
                count(f, "gained", km2)
            for f in sorted(before - after):
                count(f, "lost", km2)
        else:
            kind = "status"
        changes.append({
            "place": row.place, "kind": kind,
            "before": None if row.from_status == NO_DATA else
            {"status": row.from_status, "factions": list(row.from_factions)},
            "after": {"status": row.to_status, "factions": list(row.to_factions)},
        })
    for row in factions.values():
        row["gained_km2"] = round(row["gained_km2"], 6)
        row["lost_km2"] = round(row["lost_km2"], 6)
    return {"from": a.isoformat(), "to": b.isoformat(), "changes": changes,
            "factions": factions, "first_reported": first}
