"""The ``mapapp`` command: validate a data set, and more to come."""

from __future__ import annotations

import json
from pathlib import Path

import click

from mapapp.dataset import read_raw
from mapapp.errors import Problem
from mapapp.validate import validate_raw


def check_directory(directory: Path) -> list[Problem]:
    """Parse then validate; validation only runs on files that parsed."""
    raw = read_raw(directory)
    problems = list(raw.problems)
    if not any(p.severity == "error" for p in problems):
        problems += validate_raw(raw)
    return problems


@click.group()
def main() -> None:
    """mapapp: who controls which place, on which day."""


@main.command()
@click.argument("directory", default="data",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help="Output format.")
def validate(directory: Path, output_format: str) -> None:
    """Check DIRECTORY against the data contract; exit 1 if there are errors."""
    problems = check_directory(directory)
    errors = [p for p in problems if p.severity == "error"]
    if output_format == "json":
        click.echo(json.dumps({"directory": str(directory), "errors": len(errors),
                               "warnings": len(problems) - len(errors),
                               "problems": [p.to_dict() for p in problems]}, indent=2))
    else:
        for problem in problems:
            click.echo(problem.format())
        click.echo(f"{directory}: {len(errors)} error(s), {len(problems) - len(errors)} "
                   "warning(s)", err=True)
    raise SystemExit(1 if errors else 0)
