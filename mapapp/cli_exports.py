"""Command-line exports: ``snapshot``, ``animation``, ``export-state``, ``export-events``.

The options are parsed by the same declarations as the web's query parameters
(:mod:`mapapp.params`), so a command and a URL with the same values give the same file and
the same error messages. :func:`register` adds the commands to the ``mapapp`` group.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from mapapp import exports, snapshot
from mapapp.dataset import load_dataset
from mapapp.errors import DataError, RequestError
from mapapp.params import DATE
from mapapp.snapshot.options import MAX_ANIMATION_SIDE, MAX_SIDE, MIN_SIDE
from mapapp.timeline import Timeline

DATA_OPTION = click.option(
    "--data", "data_dir", default="data", envvar="MAPAPP_DATA_DIR", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="Data set directory.")
OUT_OPTION = click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False, allow_dash=True,
                                                   path_type=Path),
    help="File to write, or - for standard output.")


def _timeline(data_dir: Path) -> Timeline:
    try:
        return Timeline(load_dataset(data_dir))
    except DataError as exc:
        lines = "\n".join(p.format() for p in exc.problems[:20])
        raise click.ClickException(f"{data_dir} is not a valid data set:\n{lines}") from None


def _run(make: Callable[[], bytes], out: Path) -> None:
    try:
        body = make()
    except RequestError as exc:
        option = f" (--{exc.parameter})" if exc.parameter else ""
        raise click.ClickException(f"{exc}{option}") from None
    if str(out) == "-":
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
        return
    out.write_bytes(body)
    click.echo(f"wrote {out} ({len(body):,} bytes)", err=True)


def _format_of(fmt: str | None, out: Path, allowed: tuple[str, ...]) -> str:
    """--format, else the file's suffix: `--out map.svg` means SVG."""
    chosen = fmt or out.suffix.lstrip(".").lower()
    if chosen not in allowed:
        raise click.UsageError(f"give --format ({', '.join(allowed)}) or an --out file "
                               "ending in one of them")
    return chosen


def _params(**values: Any) -> dict[str, str | None]:
    """Click values as the strings the shared parser reads (None = not given)."""
    out: dict[str, str | None] = {}
    for key, value in values.items():
        if isinstance(value, bool):
            out[key] = "on" if value else "off"
        else:
            out[key] = None if value is None else str(value)
    return out


def _image_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed([
        click.option("--view", help="A view id from views.csv."),
        click.option("--bbox", help="west,south,east,north in degrees (instead of --view)."),
        click.option("--width", type=int, help=f"Width in pixels, {MIN_SIDE} to {MAX_SIDE} "
                     f"({MAX_ANIMATION_SIDE} for animations)."),
        click.option("--height", type=int, help=f"Height in pixels, {MIN_SIDE} to {MAX_SIDE} "
                     f"({MAX_ANIMATION_SIDE} for animations)."),
        click.option("--preset", type=click.Choice(list(snapshot.PRESETS)),
                     help="social 1200x675, square 1080x1080, a4 landscape at 300 dpi."),
        click.option("--title", help="Title on the image (default: the view's name)."),
        click.option("--subtitle", help="A line under the title."),
        click.option("--lang", type=click.Choice(list(snapshot.LANGUAGES)), default="en",
                     show_default=True, help="Language of the place labels."),
        click.option("--labels/--no-labels", default=True, show_default=True,
                     help="Place labels."),
    ]):
        f = option(f)
    return f


@click.command("snapshot")
@click.option("--date", help="YYYY-MM-DD (default: the latest date in the data).")
@click.option("--compare", help="An earlier date: draw the changes between it and --date.")
@_image_options
@click.option("--format", "fmt", type=click.Choice(list(snapshot.FORMATS)),
              help="png, svg or pdf (default: from the --out suffix).")
@OUT_OPTION
@DATA_OPTION
def snapshot_command(date: str | None, compare: str | None, view: str | None,
                     bbox: str | None, width: int | None, height: int | None,
                     preset: str | None, title: str | None, subtitle: str | None, lang: str,
                     labels: bool, fmt: str | None, out: Path, data_dir: Path) -> None:
    """Draw a publication-ready map of one date (PNG, SVG or PDF).

    Example: mapapp snapshot --date 2017-11-01 --view deir-ez-zor-city --out map.png
    """
    fmt = _format_of(fmt, out, snapshot.FORMATS)
    timeline = _timeline(data_dir)
    params = _params(date=date, compare=compare, view=view, bbox=bbox, width=width,
                     height=height, preset=preset, title=title, subtitle=subtitle, lang=lang,
                     labels=labels)
    _run(lambda: snapshot.render_snapshot(
        timeline, snapshot.parse_snapshot_options(params, timeline, fmt)), out)


@click.command("animation")
@click.option("--from", "start", help="First frame, YYYY-MM-DD (default: the first date).")
@click.option("--to", "end", help="Last frame, YYYY-MM-DD (default: the latest date).")
@click.option("--step", type=click.Choice(list(snapshot.STEPS)), default="change",
              show_default=True, help="A frame per day, or per date with a change.")
@click.option("--delay", type=int, help="Milliseconds per frame.")
@_image_options
@OUT_OPTION
@DATA_OPTION
def animation_command(start: str | None, end: str | None, step: str, delay: int | None,
                      view: str | None, bbox: str | None, width: int | None,
                      height: int | None, preset: str | None, title: str | None,
                      subtitle: str | None, lang: str, labels: bool, out: Path,
                      data_dir: Path) -> None:
    """Draw an animated GIF of the changes between two dates."""
    timeline = _timeline(data_dir)
    params = _params(step=step, delay=delay, view=view, bbox=bbox, width=width,
                     height=height, preset=preset, title=title, subtitle=subtitle, lang=lang,
                     labels=labels)
    params |= {"from": start, "to": end}
    _run(lambda: snapshot.render_animation(
        timeline, snapshot.parse_animation_options(params, timeline)), out)


@click.command("export-state")
@click.option("--date", help="YYYY-MM-DD (default: the latest date in the data).")
@click.option("--format", "fmt", type=click.Choice(list(exports.STATE_FORMATS)),
              help="geojson, csv or gpkg (default: from the --out suffix).")
@OUT_OPTION
@DATA_OPTION
def export_state_command(date: str | None, fmt: str | None, out: Path,
                         data_dir: Path) -> None:
    """Write who held every place on a date, as GeoJSON, CSV or GeoPackage."""
    fmt = _format_of(fmt, out, exports.STATE_FORMATS)
    timeline = _timeline(data_dir)

    def make() -> bytes:
        when = DATE.parse_or_latest({"date": date}, timeline)
        return exports.export_state(timeline, when, fmt,
                                    exports.provenance_of(timeline.dataset))
    _run(make, out)


@click.command("export-events")
@click.option("--from", "start", help="First date, YYYY-MM-DD (inclusive; default: all).")
@click.option("--to", "end", help="Last date, YYYY-MM-DD (inclusive; default: all).")
@click.option("--format", "fmt", type=click.Choice(list(exports.EVENT_FORMATS)),
              help="csv or geojson (default: from the --out suffix).")
@OUT_OPTION
@DATA_OPTION
def export_events_command(start: str | None, end: str | None, fmt: str | None, out: Path,
                          data_dir: Path) -> None:
    """Write the dated events, with their sources, as CSV or GeoJSON."""
    fmt = _format_of(fmt, out, exports.EVENT_FORMATS)
    timeline = _timeline(data_dir)
    _run(lambda: exports.export_events(timeline, start, end, fmt,
                                       exports.provenance_of(timeline.dataset)), out)


COMMANDS = (snapshot_command, animation_command, export_state_command, export_events_command)


def register(group: click.Group) -> None:
    """Add the export commands to ``group`` (the ``mapapp`` command).

    Examples
    --------
    >>> group = click.Group("mapapp")
    >>> register(group)
    >>> sorted(group.commands)
    ['animation', 'export-events', 'export-state', 'snapshot']
    """
    for command in COMMANDS:
        group.add_command(command)
