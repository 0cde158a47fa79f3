"""What a snapshot or an animation shows, validated before anything is drawn.

The parameters are declared once (:mod:`mapapp.params`): the web layer and the CLI reject
the same bad input with the same message, and the OpenAPI document lists the same limits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

import shapely

from mapapp import i18n
from mapapp import params as p
from mapapp.compare import check_date_range
from mapapp.contract import day_iso, day_number, parse_date
from mapapp.errors import RequestError
from mapapp.i18n import N_
from mapapp.params import MERCATOR_MAX_LAT, Bbox
from mapapp.snapshot.fonts import ARABIC_FONT, drawable, font_available
from mapapp.timeline import Timeline

FORMATS = ("png", "svg", "pdf")
ANIMATION_FORMATS = ("gif",)
MIME_TYPES = {f: p.media_type(f) for f in FORMATS + ANIMATION_FORMATS}
# name -> (width px, height px, dots per inch); A4 landscape is 297 x 210 mm at 300 dpi.
PRESETS: dict[str, tuple[int, int, int]] = {
    "social": (1200, 675, 100),
    "square": (1080, 1080, 100),
    "a4": (3508, 2480, 300),
}
# The built-in interface languages (one catalogue each, mapapp/i18n.py): words, dates and
# place names. A deployment's own folder (MAPAPP_TRANSLATIONS_DIR) may hold more: the
# parsers below take the folder.
LANGUAGES = i18n.languages()
STEPS = ("day", "change")
SCREEN_DPI = 100
DEFAULT_SIZE = (1200, 800)
DEFAULT_ANIMATION_SIZE = (800, 500)
MIN_SIDE, MAX_SIDE = 200, 4000
MAX_ANIMATION_SIDE = 1600
MAX_FRAMES = 120
MAX_TITLE, MAX_SUBTITLE = 200, 300
MAX_LABELS = 150  # more would not be readable, and each costs a few ms to draw
WEB_MERCATOR = "EPSG:3857"
DEFAULT_TITLE = N_("Territorial control")

# --- the parameters ----------------------------------------------------------------------
COMPARE = p.Date("compare", "earlier date to compare with: a change map")
WIDTH = p.Integer("width", "pixels", example="1200", low=MIN_SIDE, high=MAX_SIDE)
HEIGHT = p.Integer("height", "pixels", example="675", low=MIN_SIDE, high=MAX_SIDE)
ANIMATION_WIDTH = p.Integer("width", "pixels", example="800", low=MIN_SIDE,
                            high=MAX_ANIMATION_SIDE)
ANIMATION_HEIGHT = p.Integer("height", "pixels", example="500", low=MIN_SIDE,
                             high=MAX_ANIMATION_SIDE)
PRESET = p.Choice("preset", "size preset, instead of width and height", example="social",
                  choices=tuple(PRESETS))
TITLE = p.Text("title", f"title drawn on the image, at most {MAX_TITLE} characters")
SUBTITLE = p.Text("subtitle", f"subtitle drawn on the image, at most {MAX_SUBTITLE} characters")
LANG = p.Choice("lang", "language of the words, dates and place names", example="en",
                choices=LANGUAGES,
                default="en")
LABELS = p.Flag("labels", "draw place labels", example="on", default=True)
STEP = p.Choice("step", "a frame per day, or per date with a change", example="change",
                choices=STEPS, default="change")
DELAY = p.Integer("delay", "milliseconds per frame", example="800", low=20, high=10_000)

SNAPSHOT_PARAMS: tuple[p.Param, ...] = (p.DATE, p.VIEW, p.BBOX, WIDTH, HEIGHT, PRESET, TITLE,
                                        SUBTITLE, LANG, LABELS, COMPARE)
ANIMATION_PARAMS: tuple[p.Param, ...] = (p.FROM, p.TO, STEP, p.VIEW, p.BBOX, ANIMATION_WIDTH,
                                         ANIMATION_HEIGHT, PRESET, TITLE, SUBTITLE, LANG,
                                         LABELS, DELAY)


@dataclass(frozen=True)
class SnapshotOptions:
    """Everything that decides what a snapshot shows. Build it with
    :func:`parse_snapshot_options`, which validates every field."""

    date: dt.date
    bbox: Bbox  # west, south, east, north in degrees
    width: int = DEFAULT_SIZE[0]
    height: int = DEFAULT_SIZE[1]
    dpi: int = SCREEN_DPI
    fmt: str = "png"
    title: str = DEFAULT_TITLE
    subtitle: str = ""
    lang: str = "en"
    compare: dt.date | None = None
    labels: bool = True
    view: str | None = None
    translations: Path = i18n.TRANSLATIONS  # the folder of lang's catalogue

    @property
    def slug(self) -> str:
        """A file name stem that says what is on the image."""
        parts = ["mapapp", self.date.isoformat()]
        if self.compare:
            parts.insert(1, f"{self.compare.isoformat()}-to")
        if self.view:
            parts.append(self.view)
        return "-".join(parts)


@dataclass(frozen=True)
class AnimationOptions:
    """A GIF: one frame per date, each drawn with the snapshot renderer."""

    base: SnapshotOptions
    frames: tuple[dt.date, ...]
    step: str = "change"
    delay_ms: int = 800

    @property
    def slug(self) -> str:
        stem = f"mapapp-{self.frames[0].isoformat()}-to-{self.frames[-1].isoformat()}"
        return stem + (f"-{self.base.view}" if self.base.view else "")


def parse_snapshot_options(params: Mapping[str, Any], timeline: Timeline, fmt: str = "png",
                           translations: Path = i18n.TRANSLATIONS) -> SnapshotOptions:
    """Validate request or command-line parameters into :class:`SnapshotOptions`.

    ``params`` maps names to strings (``None`` or ``""`` means unset): ``date``, ``view``,
    ``bbox``, ``width``, ``height``, ``preset``, ``title``, ``subtitle``, ``lang``,
    ``compare``, ``labels`` (see :data:`SNAPSHOT_PARAMS`). Unknown names are ignored.
    ``lang`` is one of the catalogues in ``translations``.

    Raises
    ------
    RequestError
        Naming the parameter, the bad value and what is allowed. Nothing is drawn first.

    Examples
    --------
    >>> params = {"date": "2001-05-02", "preset": "social"}
    >>> opts = parse_snapshot_options(params, tl)
    >>> (opts.width, opts.height)
    (1200, 675)
    """
    fmt = p.fmt(fmt, FORMATS)
    date = p.DATE.parse_or_latest(params, timeline)
    compare = COMPARE.parse(params)
    if compare is not None and compare >= date:
        raise RequestError(f"compare {compare} must be before date {date}", "compare")
    view, bbox = _extent(params, timeline)
    width, height, dpi = _size(params, DEFAULT_SIZE, WIDTH, HEIGHT)
    return SnapshotOptions(
        date=date, bbox=bbox, width=width, height=height, dpi=dpi, fmt=fmt,
        **_words(params, timeline, view, translations), compare=compare,
        labels=LABELS.parse(params), view=view,
    )


def parse_animation_options(params: Mapping[str, Any], timeline: Timeline,
                            translations: Path = i18n.TRANSLATIONS) -> AnimationOptions:
    """Validate the parameters of a GIF (:data:`ANIMATION_PARAMS`): ``from``, ``to``,
    ``step`` (``day`` or ``change``), ``delay`` (ms per frame) and the snapshot's
    ``view``/``bbox``/size/title/lang/labels. ``from`` defaults to the first data day,
    ``to`` to the latest.

    Raises
    ------
    RequestError
        Also when the range has more than ``MAX_FRAMES`` frames, before any is drawn.

    Examples
    --------
    >>> anim = parse_animation_options({"from": "2001-05-01", "to": "2001-05-03"}, tl)
    >>> [d.isoformat() for d in anim.frames]  # one frame per day with a change
    ['2001-05-01', '2001-05-02', '2001-05-03']
    """
    for name in ("compare", "date"):
        if p.text(params, name) is not None:
            raise RequestError(f"{name} is not used by animations: give from and to", name)
    first = timeline.first_date
    start, end = p.date_range(params, p.FROM, p.TO)
    start = start or (parse_date(first) if first else p.latest_day(timeline))
    end = end or p.latest_day(timeline)
    check_date_range(start, end)
    step = STEP.parse(params) or "change"
    frames = _frame_dates(timeline, start, end, step)
    delay = DELAY.parse(params, default=800 if step == "change" else 250)
    assert delay is not None
    view, bbox = _extent(params, timeline)
    width, height, dpi = _size(params, DEFAULT_ANIMATION_SIZE, ANIMATION_WIDTH,
                               ANIMATION_HEIGHT)
    base = SnapshotOptions(
        date=end, bbox=bbox, width=width, height=height, dpi=dpi, fmt="png",
        **_words(params, timeline, view, translations), labels=LABELS.parse(params),
        view=view,
    )
    return AnimationOptions(base=base, frames=frames, step=step, delay_ms=delay)


class _Words(TypedDict):
    title: str
    subtitle: str
    lang: str
    translations: Path


def _words(params: Mapping[str, Any], timeline: Timeline, view: str | None,
           translations: Path) -> _Words:
    """Title, subtitle and language, checked against the fonts that will draw them."""
    lang_param = dataclasses.replace(LANG, choices=i18n.languages(translations))
    lang = lang_param.parse(params) or "en"
    if lang == "ar" and not font_available(ARABIC_FONT):
        raise RequestError(f"lang 'ar' needs the {ARABIC_FONT} font, which is not installed "
                           "on this server", "lang")
    title = TITLE.parse(params)
    if title is None:
        title = (_view_name(timeline, view)
                 or i18n.translator(lang, translations).gettext(DEFAULT_TITLE))
    return {"title": _limited(title, MAX_TITLE, "title"),
            "subtitle": _limited(SUBTITLE.parse(params) or "", MAX_SUBTITLE, "subtitle"),
            "lang": lang, "translations": translations}


def _frame_dates(timeline: Timeline, start: dt.date, end: dt.date,
                 step: str) -> tuple[dt.date, ...]:
    a, b = day_number(start), day_number(end)
    if step == "day":
        count = b - a + 1
        if count > MAX_FRAMES:
            raise RequestError(
                f"{count} frames from {start} to {end} by day; at most {MAX_FRAMES}: "
                "use step=change or a shorter range", "to")
        days = list(range(a, b + 1))
    else:
        changes = [int(d) for d in timeline.change_days if a < d <= b]
        days = [a] + changes
        if len(days) > MAX_FRAMES:
            raise RequestError(
                f"{len(days)} frames (dates with changes) from {start} to {end}; at most "
                f"{MAX_FRAMES}: choose a shorter range", "to")
    return tuple(parse_date(day_iso(d)) for d in days)


def _limited(text: str, limit: int, name: str) -> str:
    if len(text) > limit:
        raise RequestError(f"{name} is {len(text)} characters long; at most {limit}", name)
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise RequestError(f"{name} contains control characters", name)
    missing = sorted({c for c in text if not c.isspace() and ord(c) not in drawable()})
    if missing:
        # Said now, not drawn as empty boxes in a file ready to publish.
        shown = " ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:5])
        raise RequestError(f"{name} has characters the export fonts cannot draw: {shown}",
                           name)
    return text


def _size(params: Mapping[str, Any], default: tuple[int, int], width_param: p.Integer,
          height_param: p.Integer) -> tuple[int, int, int]:
    preset = PRESET.parse(params)
    width_given = width_param.raw(params) is not None or height_param.raw(params) is not None
    max_side = width_param.high
    if preset is not None:
        if width_given:
            raise RequestError("give either preset or width/height, not both", "preset")
        width, height, dpi = PRESETS[preset]
        if max(width, height) > max_side:
            raise RequestError(f"preset {preset!r} is larger than {max_side} px, the limit "
                               "here", "preset")
        return width, height, dpi
    given_width = width_param.parse(params, default=default[0])
    given_height = height_param.parse(params, default=default[1])
    assert given_width is not None and given_height is not None
    return given_width, given_height, SCREEN_DPI


def _extent(params: Mapping[str, Any], timeline: Timeline) -> tuple[str | None, Bbox]:
    """``view`` or ``bbox``; else the ``overview`` view if the data has one; else the
    places' bounds with a margin."""
    views = timeline.dataset.views
    view, bbox = p.extent(params, views)
    if bbox is not None:
        return view, bbox
    if "overview" in views.index:
        return "overview", p.view_bbox(views, "overview")
    return None, _default_bbox(timeline)


def _default_bbox(timeline: Timeline) -> Bbox:
    shapes = [g for g in timeline.dataset.places.geometry if g is not None and not g.is_empty]
    if not shapes:
        return -20.0, -20.0, 20.0, 20.0
    west, south, east, north = (float(v) for v in shapely.total_bounds(shapes))
    pad = max(east - west, north - south, 0.02) * 0.08
    return p.checked_bbox((max(west - pad, -180), max(south - pad, -MERCATOR_MAX_LAT),
                           min(east + pad, 180), min(north + pad, MERCATOR_MAX_LAT)), "bbox")


def _view_name(timeline: Timeline, view: str | None) -> str | None:
    if view is None or view == "overview":
        return None
    name = timeline.dataset.views.loc[view, "name"]
    return str(name) if name else None
