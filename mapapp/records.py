"""Raw records of a data set as read from disk, before validation (the names of files
and columns are in :mod:`mapapp.contract`).

Every record remembers where it came from so that problems can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mapapp.errors import Problem


@dataclass(frozen=True)
class Row:
    """One CSV record; ``line`` is the line on which it starts (the header is line 1)."""

    file: str
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


@dataclass(frozen=True)
class Feature:
    """One GeoJSON feature; ``line`` is where its id appears, when that can be found."""

    file: str
    index: int
    id: Any
    properties: dict[str, Any]
    geometry: dict[str, Any] | None
    line: int | None = None


@dataclass
class RawDataset:
    """Everything read from one data directory, plus problems found while parsing."""

    directory: str
    factions: list[Row] = field(default_factory=list)
    faction_columns: list[str] = field(default_factory=list)
    places: list[Feature] = field(default_factory=list)
    places_document: dict[str, Any] = field(default_factory=dict)
    events: list[Row] = field(default_factory=list)
    event_columns: list[str] = field(default_factory=list)
    views: list[Row] = field(default_factory=list)
    view_columns: list[str] = field(default_factory=list)
    context: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources_text: str = ""
    problems: list[Problem] = field(default_factory=list)
