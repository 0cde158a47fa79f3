"""Exceptions of the domain core. Nothing here knows about HTTP."""

from __future__ import annotations

from dataclasses import dataclass


class MapAppError(Exception):
    """Base class of every error mapapp raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One finding of the validator, located like a compiler message."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    severity: str = "error"  # "error" or "warning"
    feature: str | None = None  # GeoJSON feature id, when the problem is in one

    def format(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.column:
            where += f":{self.column}"
        prefix = f"feature {self.feature!r}: " if self.feature else ""
        return f"{where}: {self.severity}: {prefix}{self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "feature": self.feature,
            "severity": self.severity,
            "message": self.message,
        }


class DataError(MapAppError):
    """A data set that breaks the contract; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = [p for p in problems if p.severity == "error"] or problems
        first = self.problems[0].format() if self.problems else "invalid data"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)


class RequestError(MapAppError):
    """A request parameter the core cannot work with (bad date, unknown id, ...)."""

    def __init__(self, message: str, parameter: str | None = None):
        self.parameter = parameter
        super().__init__(message)


class NotFoundError(RequestError):
    """A well-formed id that names nothing in the data set."""


class MissingResourceError(MapAppError):
    """A path that names nothing, such as a chunk of event texts past the last: 404 (an
    unknown id in a query string is a :class:`NotFoundError`, 400)."""


class BusyError(MapAppError):
    """Too much work queued already: the client should retry after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int = 5):
        self.retry_after = retry_after
        super().__init__(message)
