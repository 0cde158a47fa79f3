"""Pure checks of a raw data set against the data contract (DESIGN.md §1).

Each check returns problems; none raises, none reads files. Used by the loader, the CLI
and the hot reload alike.

Modules: ``common`` (problems and helpers), ``tables`` (factions, views), ``places``
(properties, geometry, overlaps), ``events`` (events, references) and ``colours`` (can
every reader tell the factions apart).
"""

from __future__ import annotations

import datetime as dt

from mapapp.errors import Problem
from mapapp.records import RawDataset
from mapapp.validate.colours import check_colours
from mapapp.validate.common import Finding, allowed, suggest
from mapapp.validate.events import check_events, check_references
from mapapp.validate.places import Shapes, build_shapes, check_overlaps, check_places, ring_area
from mapapp.validate.tables import check_factions, check_views

__all__ = ["Finding", "Shapes", "allowed", "build_shapes", "check_colours", "check_events",
           "check_factions", "check_overlaps", "check_places", "check_references", "check_views",
           "ring_area", "suggest", "validate_raw"]


def validate_raw(raw: RawDataset, today: dt.date | None = None,
                 shapes: Shapes | None = None) -> list[Problem]:
    """Every contract check on a parsed data set, errors and warnings together.

    Examples
    --------
    >>> from mapapp.records import RawDataset
    >>> [p.message for p in validate_raw(RawDataset(directory="x"))][:1]
    ['no factions defined']
    """
    today = today or dt.date.today()
    if shapes is None:
        shapes = build_shapes(raw.places)
    problems: list[Problem] = []
    problems += check_factions(raw.factions, raw.faction_columns)
    problems += check_places(raw.places, raw.places_document, shapes)
    problems += check_overlaps(raw.places, shapes=shapes)
    problems += check_views(raw.views, raw.view_columns)
    faction_ids = {r.get("id") for r in raw.factions}
    place_ids = {f.id for f in raw.places if isinstance(f.id, str)}
    problems += check_events(raw.events, raw.event_columns, place_ids, faction_ids, today)
    problems += check_references(raw.places, raw.events)
    problems += check_colours(raw.factions, raw.events)
    return problems


