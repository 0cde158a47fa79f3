"""Checks of the small tables: factions.csv and views.csv."""

from __future__ import annotations

from mapapp.contract import (
    FACTION_REQUIRED_COLUMNS,
    FACTIONS_FILE,
    VIEW_COLUMNS,
    VIEWS_FILE,
)
from mapapp.errors import Problem
from mapapp.records import Row
from mapapp.validate.common import COLOR_RE, at, check_slug, duplicate_ids, missing_columns, number

# --- factions ----------------------------------------------------------------------------


def check_factions(rows: list[Row], columns: list[str]) -> list[Problem]:
    problems = missing_columns(FACTIONS_FILE, columns, FACTION_REQUIRED_COLUMNS)
    if problems:
        return problems
    if not rows:
        return [Problem(FACTIONS_FILE, "no factions defined")]
    problems += duplicate_ids(FACTIONS_FILE, rows)
    first_with: dict[str, Row] = {}
    for r in rows:
        problems += check_slug(r, "id")
        if not r.get("name"):
            problems.append(at(r, "name", "name is empty"))
        color = r.get("color")
        if not COLOR_RE.match(color):
            problems.append(at(r, "color", f"color {color!r} is not of the form #rrggbb"))
        elif color.lower() in first_with:
            # Two factions drawn alike cannot be told apart on the map.
            other = first_with[color.lower()]
            problems.append(at(r, "color", f"color {color!r} is also the color of faction "
                                            f"{other.get('id')!r} (line {other.line})",
                                severity="warning"))
        else:
            first_with[color.lower()] = r
    return problems




# --- views -------------------------------------------------------------------------------


def check_views(rows: list[Row], columns: list[str]) -> list[Problem]:
    problems = missing_columns(VIEWS_FILE, columns, VIEW_COLUMNS)
    if problems:
        return problems
    problems += duplicate_ids(VIEWS_FILE, rows)
    for r in rows:
        problems += check_slug(r, "id")
        numbers: dict[str, float] = {}
        for column in ("west", "south", "east", "north"):
            value = number(r.get(column))
            if value is None:
                problems.append(at(r, column, f"{column} {r.get(column)!r} is not a number"))
            else:
                numbers[column] = value
        if len(numbers) < 4:
            continue
        if not (-180 <= numbers["west"] < numbers["east"] <= 180):
            problems.append(at(r, "west", "need -180 <= west < east <= 180, got "
                                           f"west={numbers['west']}, east={numbers['east']}"))
        if not (-90 <= numbers["south"] < numbers["north"] <= 90):
            problems.append(at(r, "south", "need -90 <= south < north <= 90, got "
                                            f"south={numbers['south']}, north={numbers['north']}"))
    return problems
