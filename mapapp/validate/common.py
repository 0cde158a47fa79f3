"""What every check shares: problems with hints, allowed values, rows' helpers."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from mapapp.errors import Problem
from mapapp.records import Feature, Row

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True)
class Finding(Problem):
    """A problem with a hint on how to fix it: a close match, or the allowed values.

    The hint is kept out of :meth:`Problem.format` so that messages stay stable; the CLI
    prints it as a compiler ``note`` and JSON carries it as ``hint``.
    """

    hint: str | None = None

    def to_dict(self) -> dict[str, object]:
        return super().to_dict() | {"hint": self.hint}



def allowed(values: Iterable[str]) -> str:
    return ", ".join(repr(v) for v in values)


def suggest(value: str, known: Iterable[str], what: str, listed: int = 12) -> str:
    """A hint for an unknown id: the close matches, and the known ids when they are few.

    Examples
    --------
    >>> suggest("harbor", ["harbour", "west-square"], "place")
    "did you mean 'harbour'? known places: 'harbour', 'west-square'"
    """
    names = sorted(known)
    parts = []
    close = difflib.get_close_matches(value, names, n=3, cutoff=0.6)
    if close:
        parts.append(f"did you mean {' or '.join(repr(c) for c in close)}?")
    if len(names) <= listed:
        parts.append(f"known {what}s: {allowed(names) or 'none'}")
    else:
        parts.append(f"{len(names)} known {what}s")
    return " ".join(parts)



# --- helpers -----------------------------------------------------------------------------


def parse_day(text: str) -> dt.date | None:
    if not DATE_RE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def missing_columns(file: str, columns: list[str], required: Iterable[str]) -> list[Problem]:
    if not columns:
        return []  # the reader already reported the missing or empty file
    # The reader keeps one value per column name, so a repeated name silently loses data.
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        return [Problem(file, f"duplicate column(s) {allowed(repeated)} in the header", line=1)]
    missing = [c for c in required if c not in columns]
    if missing:
        return [Problem(file, f"missing column(s) {allowed(missing)} in the header", line=1)]
    return []


def duplicate_ids(file: str, rows: list[Row]) -> list[Problem]:
    first: dict[str, int] = {}
    problems = []
    for r in rows:
        key = r.get("id")
        if key in first:
            problems.append(at(r, "id", f"duplicate id {key!r} (first on line {first[key]})"))
        else:
            first[key] = r.line
    return problems


def check_slug(r: Row, column: str) -> list[Problem]:
    value = r.get(column)
    if SLUG_RE.match(value):
        return []
    return [at(r, column, f"{column} {value!r} must be a slug of lower-case letters, digits "
                           "and '-'")]


def at(r: Row, column: str, message: str, severity: str = "error",
        hint: str | None = None) -> Problem:
    if hint:
        return Finding(r.file, message, line=r.line, column=column, severity=severity,
                       hint=hint)
    return Problem(r.file, message, line=r.line, column=column, severity=severity)


def feat(f: Feature, column: str, message: str, severity: str = "error",
          hint: str | None = None) -> Problem:
    feature = f.id if isinstance(f.id, str) else None
    if hint:
        return Finding(f.file, message, line=f.line, column=column, severity=severity,
                       feature=feature, hint=hint)
    return Problem(f.file, message, line=f.line, column=column, severity=severity,
                   feature=feature)
