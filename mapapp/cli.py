"""The ``mapapp`` command: validate, format, import, edit and compare data sets.

Exit codes scripts can trust: 0 done (warnings allowed), 1 refused or errors found
(``diff``: 0 no difference, 1 differences, 2 a side is not valid data).
Every command that writes validates first and writes atomically, so a running site never
sees a broken file from it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import click

from mapapp.datadiff import DataDiff, diff_timelines, format_text
from mapapp.dataset import check_directory, load_dataset
from mapapp.errors import DataError, Problem, RequestError
from mapapp.fmt import FormatError, format_directory
from mapapp.importer import Change, ChangeRefused, plan_event, plan_places_import
from mapapp.timeline import Timeline

__all__ = ["check_directory", "main"]

DATA_ENV = "MAPAPP_DATA_DIR"
DIRECTORY = click.Path(file_okay=False, path_type=Path)


@click.group()
def main() -> None:
    """mapapp: who controls which place, on which day."""


def _echo_problems(problems: Iterable[Problem], directory: Path, err: bool = False) -> None:
    """Compiler-style lines, paths relative to the working directory so editors and
    terminals can jump to them; a hint follows its problem as a ``note``."""
    for problem in problems:
        located = problem
        if problem.file != str(directory):
            located = replace(problem, file=str(directory / problem.file))
        click.echo(located.format(), err=err)
        hint = getattr(problem, "hint", None)
        if hint:
            click.echo(replace(located, severity="note", message=hint, feature=None).format(),
                       err=err)


def _counts(problems: list[Problem]) -> tuple[int, int]:
    errors = sum(p.severity == "error" for p in problems)
    return errors, len(problems) - errors


@main.command()
@click.argument("directory", default="data", envvar=DATA_ENV, type=DIRECTORY)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help="Output format.")
def validate(directory: Path, output_format: str) -> None:
    """Check DIRECTORY against the data contract; exit 1 if there are errors.

    Prints one line per problem, like a compiler: file:line:column: error|warning: message.
    """
    problems = check_directory(directory)
    errors, warnings = _counts(problems)
    if output_format == "json":
        click.echo(json.dumps({"directory": str(directory), "errors": errors,
                               "warnings": warnings,
                               "problems": [p.to_dict() | {"hint": getattr(p, "hint", None)}
                                            for p in problems]},
                              indent=2, ensure_ascii=False))
    else:
        _echo_problems(problems, directory)
        click.echo(f"{directory}: {errors} error(s), {warnings} warning(s)", err=True)
    raise SystemExit(1 if errors else 0)


@main.command("fmt")
@click.argument("directory", default="data", envvar=DATA_ENV, type=DIRECTORY)
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 if a file is not in canonical form (for CI).")
def fmt_command(directory: Path, check: bool) -> None:
    """Rewrite the data files of DIRECTORY in canonical form, for clean git diffs.

    factions.csv, places.geojson, events.csv and views.csv: columns and keys in contract
    order, one place per line, coordinates to 6 decimals, RFC 7946 winding. Rows keep
    their order. Nothing is dropped; formatting twice changes nothing.
    """
    try:
        changed = format_directory(directory, check=check)
    except FormatError as exc:
        _echo_problems(exc.problems, directory)
        raise click.ClickException(f"{directory} does not parse: nothing formatted. Fix the "
                                   "syntax first (`mapapp validate`)") from exc
    verb = "would reformat" if check else "reformatted"
    for name in changed:
        click.echo(f"{verb} {directory / name}")
    click.echo(f"{directory}: {len(changed)} file(s) "
               f"{'would be reformatted' if check else 'reformatted'}", err=True)
    raise SystemExit(1 if check and changed else 0)


@main.command("import-places")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--data", "directory", default="data", envvar=DATA_ENV, type=DIRECTORY,
              show_default=True, help="The data directory to change.")
@click.option("--mode", type=click.Choice(["merge", "replace"]), default="merge",
              show_default=True,
              help="merge: update known ids, add new ones. replace: the file becomes the "
                   "places (refused if events name a place that would disappear).")
@click.option("--from-crs", help="Source CRS (e.g. EPSG:32637); overrides the file's own.")
@click.option("--layer", help="Layer of a multi-layer file (GeoPackage).")
@click.option("--id-field", default="id", show_default=True, help="Field with the place id.")
@click.option("--name-field", default="name", show_default=True,
              help="Field with the English name.")
@click.option("--name-ar-field", help="Field with the Arabic name.")
@click.option("--kind", help="Default kind (city, neighbourhood, ...).")
@click.option("--country", help="Default ISO 3166-1 alpha-2 country code.")
@click.option("--parent", help="Default parent place id.")
@click.option("--geometry-quality",
              help="Default geometry_quality (official, derived, point, unknown).")
@click.option("--geometry-source", help="Default geometry_source: where the shapes come from.")
@click.option("--keep-field", "keep_fields", multiple=True,
              help="Another field to copy into the properties (repeatable).")
@click.option("--all-fields", is_flag=True,
              help="Copy every field into the properties (a round trip through QGIS).")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
def import_places(source: Path, directory: Path, mode: str, from_crs: str | None,
                  layer: str | None, id_field: str, name_field: str,
                  name_ar_field: str | None, kind: str | None, country: str | None,
                  parent: str | None, geometry_quality: str | None,
                  geometry_source: str | None, keep_fields: tuple[str, ...],
                  all_fields: bool, dry_run: bool) -> None:
    """Import the features of SOURCE (GeoJSON, GeoPackage, Shapefile) as places.

    Reprojects to EPSG:4326, validates the result with the rest of the data set and
    writes places.geojson atomically in canonical form.
    """
    defaults = {"kind": kind, "country": country, "parent": parent,
                "geometry_quality": geometry_quality, "geometry_source": geometry_source}
    try:
        change = plan_places_import(directory, source, mode=mode, from_crs=from_crs,
                                    layer=layer, id_field=id_field, name_field=name_field,
                                    name_ar_field=name_ar_field, defaults=defaults,
                                    keep_fields=keep_fields, all_fields=all_fields)
    except ChangeRefused as exc:
        raise click.ClickException(str(exc)) from exc
    for label in ("added", "updated", "unchanged", "removed"):
        ids = getattr(change, label)
        shown = ", ".join(ids[:20]) + (f", … and {len(ids) - 20} more" if len(ids) > 20 else "")
        click.echo(f"{label}: {len(ids)}" + (f" ({shown})" if ids else ""))
    _finish(change, directory, dry_run, f"wrote {change.path}")


@main.command("add-event")
@click.option("--data", "directory", default="data", envvar=DATA_ENV, type=DIRECTORY,
              show_default=True, help="The data directory to change.")
@click.option("--id", "event_id", help="Event id; default <date>-<place>.")
@click.option("--date", required=True, help="YYYY-MM-DD, the day the change took effect.")
@click.option("--type", "event_type", default="control", show_default=True,
              help="control or incident.")
@click.option("--place", help="Place id.")
@click.option("--status", help="held, contested or joint (control events).")
@click.option("--factions", help="Faction ids separated by ';' (the holder first).")
@click.option("--summary", required=True, help="One sentence, plain text.")
@click.option("--source-title", required=True)
@click.option("--source-url", required=True)
@click.option("--source-date", required=True, help="YYYY-MM-DD publication date.")
@click.option("--confidence", help="confirmed (default), claimed or disputed.")
@click.option("--notes")
@click.option("--lon", help="Longitude of an incident away from a place.")
@click.option("--lat", help="Latitude of an incident away from a place.")
@click.option("--dry-run", is_flag=True, help="Check the event; write nothing.")
def add_event(directory: Path, event_id: str | None, date: str, event_type: str,
              place: str | None, status: str | None, factions: str | None, summary: str,
              source_title: str, source_url: str, source_date: str, confidence: str | None,
              notes: str | None, lon: str | None, lat: str | None, dry_run: bool) -> None:
    """Append one event to events.csv after validating it with the existing data."""
    values = {"id": event_id, "date": date, "type": event_type, "place": place,
              "status": status, "factions": factions, "lon": lon, "lat": lat,
              "summary": summary, "source_title": source_title, "source_url": source_url,
              "source_date": source_date, "confidence": confidence, "notes": notes}
    try:
        change = plan_event(directory, values)
    except ChangeRefused as exc:
        raise click.ClickException(str(exc)) from exc
    _finish(change, directory, dry_run,
            f"added event {change.event_id!r} at {change.path}:{change.line}")


def _finish(change: Change, directory: Path, dry_run: bool, done: str) -> None:
    """Print what the change would introduce; write it unless refused or a dry run."""
    _echo_problems(change.problems, directory)
    if change.errors:
        click.echo(f"refused: {len(change.errors)} error(s); {change.path} not changed",
                   err=True)
        raise SystemExit(1)
    if dry_run:
        click.echo("dry run: nothing written", err=True)
        return
    change.apply()
    click.echo(done)


@main.command("diff")
@click.argument("directories", nargs=-1, type=DIRECTORY, metavar="[OLD NEW | DIR]")
@click.option("--git", "rev", metavar="REV",
              help="Compare the data directory at git revision REV with the working tree.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True, help="Output format.")
@click.option("--png", "png_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a change map (PNG) of the most affected date.")
@click.option("--date", help="The date of the change map (default: the most affected).")
@click.option("--view", help="A view id for the change map (default: around the changes).")
def diff_command(directories: tuple[Path, ...], rev: str | None, output_format: str,
                 png_out: Path | None, date: str | None, view: str | None) -> None:
    """What a data change does to the map: OLD NEW, or --git REV [DIRECTORY].

    Per place, the date ranges whose state (status, factions, confidence) differs, before
    and after, with the control events responsible on each side; places, events, factions
    and views added, removed or edited. Exit 0: no difference; 1: differences; 2: a side
    is not valid data (its problems on stderr, file:line: reason).
    """
    if rev is None and len(directories) != 2:
        raise click.UsageError("give two data directories, OLD and NEW, or --git REV")
    if rev is not None and len(directories) > 1:
        raise click.UsageError("with --git give at most one data directory (the working tree)")
    with tempfile.TemporaryDirectory(prefix="mapapp-diff-") as tmp:
        if rev is None:
            sides = [(d, d) for d in directories]
        else:
            current = directories[0] if directories else Path(os.environ.get(DATA_ENV, "data"))
            sides = [(_git_checkout(current, rev, Path(tmp)), Path(f"{rev}:{current}")),
                     (current, current)]
        old, new = (_diff_side(path, label) for path, label in sides)
        result = diff_timelines(old, new)
        labels = [str(label) for _, label in sides]
        if output_format == "json":
            click.echo(json.dumps({"old": labels[0], "new": labels[1]} | result.to_dict(),
                                  indent=2, ensure_ascii=False))
        else:
            click.echo(format_text(result, *labels), nl=False)
        if png_out is not None:
            _diff_map(old, new, result, png_out, date, view)
    raise SystemExit(1 if result.changed else 0)


def _diff_side(directory: Path, label: Path) -> Timeline:
    try:
        return Timeline(load_dataset(directory))
    except DataError as exc:
        _echo_problems(exc.problems, label, err=True)
        click.echo(f"{label} is not valid data: nothing compared", err=True)
        raise SystemExit(2) from None


def _git_checkout(directory: Path, rev: str, into: Path) -> Path:
    """The files of ``directory`` as they are at ``rev``, written under ``into``."""
    def git(*args: str, where: Path = directory) -> bytes:
        done = subprocess.run(["git", "-C", str(where), *args], capture_output=True,
                              check=False)
        if done.returncode:
            message = done.stderr.decode(errors="replace").strip()
            click.echo(f"git {' '.join(args)}: {message}", err=True)
            raise SystemExit(2)
        return done.stdout

    prefix = git("rev-parse", "--show-prefix").decode().strip()
    top = Path(git("rev-parse", "--show-toplevel").decode().strip())
    tree = f"{rev}:{prefix}" if prefix else f"{rev}^{{tree}}"
    # From the top: in a subdirectory git archive would also filter by that subdirectory.
    archive = git("archive", "--format=tar", tree, where=top)
    target = into / "old"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def _diff_map(old: Timeline, new: Timeline, result: DataDiff, out: Path, date: str | None,
              view: str | None) -> None:
    from mapapp.diffmap import render_change_map  # draws with matplotlib: loaded when asked

    if not result.changed and date is None:
        click.echo("no difference: no change map written", err=True)
        return
    try:
        body = render_change_map(old, new, result, date, view)
    except RequestError as exc:
        raise click.UsageError(f"{exc} (--{exc.parameter})") from None
    out.write_bytes(body)
    click.echo(f"wrote {out} ({len(body):,} bytes)", err=True)


@main.command("build-site")
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--data", "directory", default="data", envvar=DATA_ENV, type=DIRECTORY,
              show_default=True, help="The data directory to publish.")
@click.option("--base-url", default="/", show_default=True,
              help="Where the site will be served, e.g. https://example.org/war/ (absolute "
                   "links in the feed and exports) or just its path, /war/.")
def build_site_command(out: Path, directory: Path, base_url: str) -> None:
    """Write the map as static files into OUT, for any static host (see docs/deploy.md)."""
    from mapapp.web.site import build_site  # renders with Flask and matplotlib: when asked

    try:
        report = build_site(out, directory, base_url)
    except (DataError, FileExistsError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"wrote {report.files} files, {report.bytes:,} bytes, to {report.out}")


def _register_exports() -> None:
    # The export commands live in their own module; they import the renderer lazily.
    from mapapp.cli_exports import register

    register(main)


_register_exports()
