"""Publication-ready static maps (PNG, SVG, PDF) and GIF animations, drawn with matplotlib.

Pure: no Flask. Options are parsed and validated in one place (:func:`parse_snapshot_options`,
:func:`parse_animation_options`) so that the web layer and the CLI reject the same bad input
with the same message, before anything is drawn. matplotlib is imported lazily, with the Agg
backend, the first time something is drawn.

Places are drawn like the page draws them (``mapapp.js``): the holder's colour at opacity 0.62
(0.3 when claimed or disputed), a thin diagonal hatch of the challenger's colour when
contested, equal stripes of both colours when joint, a dashed outline when the geometry is
derived, grey when there is no data. The map is in Web Mercator, like the page.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import math
import re
import threading
import time
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from pyproj import Geod, Transformer

from mapapp import style as st
from mapapp.compare import STATUS_CHANGE
from mapapp.contract import DEFAULT_CONFIDENCE, NO_DATA, day_iso, day_number, parse_date
from mapapp.errors import BusyError, RequestError
from mapapp.timeline import Timeline

if TYPE_CHECKING:  # pragma: no cover - typing only: matplotlib is imported lazily
    import geopandas as gpd
    from matplotlib.figure import Figure

FORMATS = ("png", "svg", "pdf")
MIME_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf",
              "gif": "image/gif"}
# name -> (width px, height px, dots per inch); A4 landscape is 297 x 210 mm at 300 dpi.
PRESETS: dict[str, tuple[int, int, int]] = {
    "social": (1200, 675, 100),
    "square": (1080, 1080, 100),
    "a4": (3508, 2480, 300),
}
LANGUAGES = ("en", "ar")
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
MERCATOR_MAX_LAT = 85.05112878
DEFAULT_TITLE = "Territorial control"

# The page's palette and state styles come from mapapp.style; these are the print's own.
TEXT, MUTED = "#1a1a1a", "#555555"
CHANGE_EDGE = "#111111"
LATIN_FONT, ARABIC_FONT = "DejaVu Sans", "Noto Sans Arabic"
_TRUE, _FALSE = {"1", "on", "true", "yes"}, {"0", "off", "false", "no"}


# --- options ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SnapshotOptions:
    """Everything that decides what a snapshot shows. Build it with
    :func:`parse_snapshot_options`, which validates every field."""

    date: dt.date
    bbox: tuple[float, float, float, float]  # west, south, east, north in degrees
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


def parse_snapshot_options(params: Mapping[str, Any], timeline: Timeline,
                           fmt: str = "png") -> SnapshotOptions:
    """Validate request or command-line parameters into :class:`SnapshotOptions`.

    ``params`` maps names to strings (``None`` or ``""`` means unset): ``date``, ``view``,
    ``bbox``, ``width``, ``height``, ``preset``, ``title``, ``subtitle``, ``lang``,
    ``compare``, ``labels``. Unknown names are ignored.

    Raises
    ------
    RequestError
        Naming the parameter, the bad value and what is allowed. Nothing is drawn first.

    Examples
    --------
    >>> params = {"date": "2017-11-01", "preset": "social"}
    >>> opts = parse_snapshot_options(params, tl)  # doctest: +SKIP
    >>> (opts.width, opts.height)  # doctest: +SKIP
    (1200, 675)
    """
    fmt = _choice(fmt, FORMATS, "format")
    date = _date_or_latest(params, "date", timeline)
    compare = _optional_date(params, "compare")
    if compare is not None and compare >= date:
        raise RequestError(f"compare {compare} must be before date {date}", "compare")
    view, bbox = _extent(params, timeline)
    width, height, dpi = _size(params, DEFAULT_SIZE, MAX_SIDE)
    lang = _choice(_text(params, "lang") or "en", LANGUAGES, "lang")
    if lang == "ar" and not _font_available(ARABIC_FONT):
        raise RequestError(f"lang 'ar' needs the {ARABIC_FONT} font, which is not installed "
                           "on this server", "lang")
    title = _text(params, "title")
    if title is None:
        title = _view_name(timeline, view) or DEFAULT_TITLE
    return SnapshotOptions(
        date=date, bbox=bbox, width=width, height=height, dpi=dpi, fmt=fmt,
        title=_limited(title, MAX_TITLE, "title"),
        subtitle=_limited(_text(params, "subtitle") or "", MAX_SUBTITLE, "subtitle"),
        lang=lang, compare=compare, labels=_flag(params, "labels", True), view=view,
    )


def parse_animation_options(params: Mapping[str, Any], timeline: Timeline) -> AnimationOptions:
    """Validate the parameters of a GIF: ``from``, ``to``, ``step`` (``day`` or ``change``),
    ``delay`` (ms per frame) and the snapshot's ``view``/``bbox``/size/title/lang/labels.

    Raises
    ------
    RequestError
        Also when the range has more than ``MAX_FRAMES`` frames, before any is drawn.

    Examples
    --------
    >>> params = {"from": "2017-10-01", "to": "2017-11-30"}
    >>> anim = parse_animation_options(params, tl)  # doctest: +SKIP
    >>> len(anim.frames) <= MAX_FRAMES  # doctest: +SKIP
    True
    """
    for name in ("compare", "date"):
        if _text(params, name) is not None:
            raise RequestError(f"{name} is not used by animations: give from and to", name)
    first, last = timeline.first_date, timeline.last_date
    start = _optional_date(params, "from") or parse_date(first or dt.date.today())
    end = _optional_date(params, "to") or parse_date(last or dt.date.today())
    if start > end:
        raise RequestError(f"from {start} is after to {end}", "from")
    step = _choice(_text(params, "step") or "change", STEPS, "step")
    frames = _frame_dates(timeline, start, end, step)
    delay = _integer(params, "delay", 800 if step == "change" else 250, 20, 10_000)
    view, bbox = _extent(params, timeline)
    width, height, dpi = _size(params, DEFAULT_ANIMATION_SIZE, MAX_ANIMATION_SIDE)
    lang = _choice(_text(params, "lang") or "en", LANGUAGES, "lang")
    if lang == "ar" and not _font_available(ARABIC_FONT):
        raise RequestError(f"lang 'ar' needs the {ARABIC_FONT} font", "lang")
    title = _text(params, "title")
    base = SnapshotOptions(
        date=end, bbox=bbox, width=width, height=height, dpi=dpi, fmt="png",
        title=_limited(title if title is not None else (_view_name(timeline, view)
                                                        or DEFAULT_TITLE), MAX_TITLE, "title"),
        subtitle=_limited(_text(params, "subtitle") or "", MAX_SUBTITLE, "subtitle"),
        lang=lang, labels=_flag(params, "labels", True), view=view,
    )
    return AnimationOptions(base=base, frames=frames, step=step, delay_ms=delay)


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


def _text(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _limited(text: str, limit: int, name: str) -> str:
    if len(text) > limit:
        raise RequestError(f"{name} is {len(text)} characters long; at most {limit}", name)
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise RequestError(f"{name} contains control characters", name)
    missing = sorted({c for c in text if not c.isspace() and ord(c) not in _drawable()})
    if missing:
        # Said now, not drawn as empty boxes in a file ready to publish.
        shown = " ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:5])
        raise RequestError(f"{name} has characters the export fonts cannot draw: {shown}",
                           name)
    return text


def _choice(value: str, allowed: Sequence[str], name: str) -> str:
    if value not in allowed:
        raise RequestError(f"{name} {value!r} is not one of {', '.join(allowed)}", name)
    return value


def _flag(params: Mapping[str, Any], name: str, default: bool) -> bool:
    raw = _text(params, name)
    if raw is None:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise RequestError(f"{name} {raw!r} is not on or off", name)


def _optional_date(params: Mapping[str, Any], name: str) -> dt.date | None:
    raw = _text(params, name)
    return None if raw is None else parse_date(raw, name)


def _date_or_latest(params: Mapping[str, Any], name: str, timeline: Timeline) -> dt.date:
    date = _optional_date(params, name)
    if date is not None:
        return date
    last = timeline.last_date
    return parse_date(last) if last else dt.date.today()


def _integer(params: Mapping[str, Any], name: str, default: int, low: int, high: int) -> int:
    raw = _text(params, name)
    if raw is None:
        return default
    if not re.fullmatch(r"\d{1,9}", raw):
        raise RequestError(f"{name} {raw!r} is not a whole number", name)
    value = int(raw)
    if not low <= value <= high:
        raise RequestError(f"{name} {value} is out of range: {low} to {high}", name)
    return value


def _size(params: Mapping[str, Any], default: tuple[int, int],
          max_side: int) -> tuple[int, int, int]:
    preset = _text(params, "preset")
    width_given = _text(params, "width") is not None or _text(params, "height") is not None
    if preset is not None:
        _choice(preset, tuple(PRESETS), "preset")
        if width_given:
            raise RequestError("give either preset or width/height, not both", "preset")
        width, height, dpi = PRESETS[preset]
        if max(width, height) > max_side:
            raise RequestError(f"preset {preset!r} is larger than {max_side} px, the limit "
                               "here", "preset")
        return width, height, dpi
    width = _integer(params, "width", default[0], MIN_SIDE, max_side)
    height = _integer(params, "height", default[1], MIN_SIDE, max_side)
    return width, height, SCREEN_DPI


def _extent(params: Mapping[str, Any],
            timeline: Timeline) -> tuple[str | None, tuple[float, float, float, float]]:
    view, raw_bbox = _text(params, "view"), _text(params, "bbox")
    views = timeline.dataset.views
    if view is not None and raw_bbox is not None:
        raise RequestError("give either view or bbox, not both", "bbox")
    if view is not None:
        if view not in views.index:
            raise RequestError(f"unknown view {view!r}; known views: "
                               f"{', '.join(views.index) or 'none'}", "view")
        row = views.loc[view]
        return view, _checked_bbox(tuple(float(row[c]) for c in
                                         ("west", "south", "east", "north")), "view")
    if raw_bbox is not None:
        return None, _checked_bbox(_parse_bbox(raw_bbox), "bbox")
    if "overview" in views.index:
        row = views.loc["overview"]
        return "overview", _checked_bbox(tuple(float(row[c]) for c in
                                               ("west", "south", "east", "north")), "view")
    return None, _default_bbox(timeline)


def _parse_bbox(raw: str) -> tuple[float, ...]:
    parts = raw.split(",")
    if len(parts) != 4:
        raise RequestError(f"bbox {raw!r} must be four numbers: west,south,east,north", "bbox")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        raise RequestError(f"bbox {raw!r} must be four numbers: west,south,east,north",
                           "bbox") from None
    return values


def _checked_bbox(values: tuple[float, ...], name: str) -> tuple[float, float, float, float]:
    west, south, east, north = values
    if not all(math.isfinite(v) for v in values):
        raise RequestError(f"{name} {list(values)} has a value that is not a finite number",
                           name)
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise RequestError(f"{name} longitudes {west}, {east} must be within -180..180", name)
    if not (-MERCATOR_MAX_LAT <= south <= MERCATOR_MAX_LAT
            and -MERCATOR_MAX_LAT <= north <= MERCATOR_MAX_LAT):
        raise RequestError(f"{name} latitudes {south}, {north} must be within "
                           f"±{MERCATOR_MAX_LAT:.2f} (the Web Mercator map)", name)
    if west >= east:
        raise RequestError(f"{name} west {west} must be less than east {east}", name)
    if south >= north:
        raise RequestError(f"{name} south {south} must be less than north {north}", name)
    return west, south, east, north


def _default_bbox(timeline: Timeline) -> tuple[float, float, float, float]:
    geoms = timeline.dataset.places.geometry.dropna()
    geoms = geoms[~geoms.is_empty]
    if geoms.empty:
        return -20.0, -20.0, 20.0, 20.0
    west, south, east, north = (float(v) for v in geoms.total_bounds)
    pad = max(east - west, north - south, 0.02) * 0.08
    return _checked_bbox((max(west - pad, -180), max(south - pad, -MERCATOR_MAX_LAT),
                          min(east + pad, 180), min(north + pad, MERCATOR_MAX_LAT)), "bbox")


def _view_name(timeline: Timeline, view: str | None) -> str | None:
    if view is None or view == "overview":
        return None
    name = timeline.dataset.views.loc[view, "name"]
    return str(name) if name else None


# --- matplotlib, loaded once -----------------------------------------------------------

_MPL_LOCK = threading.Lock()
_MPL_READY = False


def _matplotlib() -> None:
    """Import matplotlib with the Agg backend and set the few process-wide settings once.

    Set globally rather than with ``rc_context`` because that context is not thread-safe:
    restoring it in one thread would change a render running in another.
    """
    global _MPL_READY
    with _MPL_LOCK:
        if _MPL_READY:
            return
        import matplotlib

        matplotlib.use("Agg", force=False)
        matplotlib.rcParams.update({
            "svg.fonttype": "none",  # SVG text stays text, editable in Illustrator/Inkscape
            "pdf.fonttype": 42,  # TrueType in PDF: editable, selectable text
            "svg.hashsalt": "mapapp",  # stable ids: the same map gives the same bytes
            "font.family": "sans-serif",
            "font.sans-serif": _font_stack(),
            "hatch.linewidth": 1.0,
        })
        _MPL_READY = True


@functools.cache
def _canvas_class() -> type:
    """Agg, minus the redraw GeoDataFrame.plot asks for after every layer: we draw once."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    class _Canvas(FigureCanvasAgg):
        def draw_idle(self, *args: Any, **kwargs: Any) -> None:
            pass

    return _Canvas


def _font_available(family: str) -> bool:
    from matplotlib import font_manager

    try:
        font_manager.findfont(font_manager.FontProperties(family=family),
                              fallback_to_default=False)
    except ValueError:
        return False
    return True


@functools.cache
def _drawable() -> frozenset[int]:
    """The code points the export fonts have glyphs for."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    points: set[int] = set()
    for family in _font_stack():
        path = font_manager.findfont(font_manager.FontProperties(family=family))
        points.update(FT2Font(path).get_charmap())
    return frozenset(points)


@functools.cache
def _font_stack() -> list[str]:
    """Latin first, Arabic as fallback, so a title in either script finds its glyphs."""
    return [f for f in (LATIN_FONT, ARABIC_FONT) if _font_available(f)] or ["DejaVu Sans"]


# --- the scene: projected geometry, built once per data version -------------------------


@dataclass
class _Scene:
    version: str
    places: gpd.GeoDataFrame  # drawable places in EPSG:3857, indexed by place id
    anchors: np.ndarray  # (n, 2) label points in EPSG:3857, aligned with ``places``
    context: dict[str, gpd.GeoDataFrame]  # EPSG:3857
    clipped: OrderedDict[tuple[Any, ...], Any] = field(default_factory=OrderedDict)


_SCENES: OrderedDict[str, _Scene] = OrderedDict()
_SCENE_LOCK = threading.Lock()
_TO_MERCATOR = Transformer.from_crs("EPSG:4326", WEB_MERCATOR, always_xy=True)
_FROM_MERCATOR = Transformer.from_crs(WEB_MERCATOR, "EPSG:4326", always_xy=True)
_GEOD = Geod(ellps="WGS84")


def _scene(timeline: Timeline) -> _Scene:
    """Projection is the slow part of a render, so it is done once per data version."""
    version = timeline.dataset.version
    with _SCENE_LOCK:
        if version in _SCENES:
            _SCENES.move_to_end(version)
            return _SCENES[version]
    ds = timeline.dataset
    places = ds.places
    drawable = places[places.geometry.notna() & ~places.geometry.is_empty
                      & (places["geometry_quality"] != "unknown")]
    # Label points are taken on the sphere's own coordinates (as the page does), then projected.
    points = shapely.point_on_surface(drawable.geometry.to_numpy())
    xs, ys = _TO_MERCATOR.transform(shapely.get_x(points), shapely.get_y(points))
    clamped = drawable.copy()
    clamped["geometry"] = drawable.geometry.clip_by_rect(-180, -MERCATOR_MAX_LAT, 180,
                                                         MERCATOR_MAX_LAT)
    scene = _Scene(
        version=version,
        places=clamped.to_crs(WEB_MERCATOR),
        anchors=np.column_stack([xs, ys]) if len(drawable) else np.zeros((0, 2)),
        context={name: _project_context(frame) for name, frame in ds.context.items()},
    )
    with _SCENE_LOCK:
        _SCENES[version] = scene
        while len(_SCENES) > 2:
            _SCENES.popitem(last=False)
    return scene


def _project_context(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.empty:
        return frame
    keep = [c for c in ("name",) if c in frame.columns] + [frame.geometry.name]
    frame = frame[keep].copy()
    frame["geometry"] = frame.geometry.clip_by_rect(-180, -MERCATOR_MAX_LAT, 180,
                                                    MERCATOR_MAX_LAT)
    frame = frame[~frame.geometry.is_empty]
    return frame.to_crs(WEB_MERCATOR)


def _context_in(scene: _Scene, name: str, extent: tuple[float, float, float, float],
                tolerance: float) -> gpd.GeoDataFrame:
    """Context clipped and simplified to the view; cached, as animation frames share it."""
    key = (name, tuple(round(v, 1) for v in extent), round(tolerance, 3))
    cached = scene.clipped.get(key)
    if cached is not None:
        return cached
    frame = scene.context[name]
    x0, y0, x1, y1 = extent
    pad_x, pad_y = (x1 - x0) * 0.02, (y1 - y0) * 0.02
    box = (x0 - pad_x, y0 - pad_y, x1 + pad_x, y1 + pad_y)
    hits = frame.sindex.query(shapely.box(*box)) if len(frame) else []
    frame = frame.iloc[np.sort(np.asarray(hits, dtype=int))].copy()
    if len(frame) and not (frame.geom_type == "Point").all():
        frame["geometry"] = frame.geometry.clip_by_rect(*box).simplify(tolerance)
        frame = frame[~frame.geometry.is_empty]
    with _SCENE_LOCK:
        scene.clipped[key] = frame
        while len(scene.clipped) > 64:
            scene.clipped.popitem(last=False)
    return frame


# --- what is shown: styles, legend entries, sources ------------------------------------


@dataclass(frozen=True)
class _Style:
    status: str
    factions: tuple[str, ...]
    tentative: bool  # claimed or disputed: drawn paler
    confidence: str = "confirmed"


def _style_of(status: str, factions: tuple[str, ...], confidence: str | None) -> _Style:
    if status == NO_DATA or not factions:
        return _Style(NO_DATA, (), False)
    conf = confidence or DEFAULT_CONFIDENCE
    return _Style(status, tuple(factions), st.is_tentative(conf), conf)


def _rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return r, g, b, alpha


def _over_white(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (1 - alpha + alpha * r, 1 - alpha + alpha * g, 1 - alpha + alpha * b, 1.0)


def _darker(color: str) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    k = st.LINE_DARKEN
    return r * k, g * k, b * k, 1.0


def _patch_style(style: _Style, colors: Mapping[str, str]) -> dict[str, Any]:
    """matplotlib keywords that draw a state the way the page does."""
    if style.status == NO_DATA:
        return {"facecolor": _rgba(st.NO_DATA_STYLE["fill"], st.NO_DATA_STYLE["fill_opacity"]),
                "edgecolor": _rgba(st.NO_DATA_STYLE["line"], 1.0)}
    alpha = st.fill_opacity(style.confidence)
    first = colors[style.factions[0]]
    out: dict[str, Any] = {"facecolor": _rgba(first, alpha), "edgecolor": _darker(first)}
    if style.status in ("contested", "joint") and len(style.factions) > 1:
        out["hatch"] = st.EXPORT_HATCH
        # Opaque, pre-blended with white: the PDF backend drops a hatch's alpha.
        out["hatchcolor"] = _over_white(colors[style.factions[1]], alpha)
        out["hatch_linewidth"] = st.EXPORT_HATCH_WIDTH[style.status]
    return out


def _style_label(style: _Style, factions: Any) -> str:
    """The legend's words for a state (:func:`mapapp.style.legend_label`)."""
    names = {f: {"name": factions.loc[f, "name"], "short_name": factions.loc[f, "short_name"]}
             for f in style.factions}
    return st.legend_label(style.status, style.factions, style.confidence, names)


def _style_order(style: _Style, faction_order: Mapping[str, int]) -> tuple[Any, ...]:
    if style.status == NO_DATA:
        return (1, 0, 0, ())
    rank = {"held": 0, "contested": 1, "joint": 2}.get(style.status, 3)
    return (0, rank, style.tentative, tuple(faction_order.get(f, 99) for f in style.factions))


# --- layout: sizes in inches, measured text ----------------------------------------------


@functools.lru_cache(maxsize=4096)
def _text_width(text: str, size: float, weight: str = "normal", arabic: bool = False) -> float:
    """Width of one line of text in inches, measured with the font that will draw it.

    Agg's hinted glyphs come out a few per cent wider than the outlines measured here, so
    the width is padded: text measured to fit does fit in every format.
    """
    from matplotlib.font_manager import FontProperties

    family = [ARABIC_FONT, LATIN_FONT] if arabic else _font_stack()
    prop = FontProperties(family=family, size=size, weight=weight)
    width, _, _ = _text_to_path().get_text_width_height_descent(text, prop, False)
    return width / 72.0 * 1.07


@functools.cache
def _text_to_path() -> Any:
    from matplotlib.textpath import TextToPath

    return TextToPath()


def _wrap(text: str, size: float, width: float, max_lines: int,
          weight: str = "normal") -> list[str]:
    """Greedy word wrap to ``width`` inches; the last line ends in … if text is cut."""
    words, lines, line = text.split(), [], ""
    for i, word in enumerate(words):
        candidate = f"{line} {word}".strip()
        if _text_width(candidate, size, weight) <= width or not line:
            line = candidate
            continue
        lines.append(line)
        line = word
        if len(lines) == max_lines:
            rest = " ".join(words[i:])
            lines[-1] = _ellipsize(lines[-1] + " " + rest, size, width, weight)
            return lines
    if line:
        lines.append(line)
    return lines


def _ellipsize(text: str, size: float, width: float, weight: str = "normal") -> str:
    if _text_width(text, size, weight) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _text_width(text[:mid].rstrip() + "…", size, weight) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip(" ,;·") + "…"


def format_long_date(date: dt.date) -> str:
    """'1 November 2017': spelled out for print, never shifted by a time zone.

    Examples
    --------
    >>> format_long_date(dt.date(2017, 11, 1))
    '1 November 2017'
    """
    return f"{date.day} {date.strftime('%B')} {date.year}"


def _sources_line(titles: Sequence[str], size: float, width: float) -> list[str]:
    """'Sources: A; B; C and 12 more' on at most two lines, most cited first."""
    if not titles:
        return []

    def attempt(shown: int) -> list[str]:
        rest = len(titles) - shown
        text = "Sources: " + "; ".join(titles[:shown])
        if rest:
            text += f" and {rest} more (see the data's SOURCES.md)"
        return _wrap(text, size, width, 2)

    # More titles means more text, so the largest count that fits is found by bisection.
    lo, hi = 1, len(titles)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if attempt(mid)[-1].endswith("…"):
            hi = mid - 1
        else:
            lo = mid
    return attempt(lo)


# --- the figure ------------------------------------------------------------------------


@dataclass
class _Text:
    text: str
    size: float
    color: str = TEXT
    weight: str = "normal"


class _MapFigure:
    """One figure: header, legend, map with context and labels, footer.

    Built once; :meth:`draw_state` draws the places of one date, so the frames of an
    animation share everything else.
    """

    def __init__(self, timeline: Timeline, options: SnapshotOptions,
                 dates: Sequence[dt.date]):
        _matplotlib()
        from matplotlib.figure import Figure

        self.timeline = timeline
        self.options = options
        self.scene = _scene(timeline)
        self.dataset = timeline.dataset
        self.colors = dict(zip(self.dataset.factions.index, self.dataset.factions["color"],
                               strict=True))
        self.width_in = options.width / options.dpi
        self.height_in = options.height / options.dpi
        # Type and line sizes follow the picture's physical size, within reason.
        self.s = float(np.clip(math.sqrt(self.width_in * self.height_in / 96.0), 0.6, 1.5))
        self.margin = 0.28 * self.s
        self.fig: Figure = Figure(figsize=(self.width_in, self.height_in), dpi=options.dpi,
                                  facecolor="white")
        self.canvas = _canvas_class()(self.fig)
        self.dynamic: list[Any] = []
        self.labelled = False
        self.towns: gpd.GeoDataFrame | None = None
        self.visible = self._visible_places()
        self.states = {d: timeline.state_at(d) for d in dates}
        self.changed = self._changes() if options.compare else None
        self._compose()

    # --- what is visible ---------------------------------------------------------------

    def _extent_3857(self) -> tuple[float, float, float, float]:
        west, south, east, north = self.options.bbox
        (x0, x1), (y0, y1) = _TO_MERCATOR.transform([west, east], [south, north])
        return x0, y0, x1, y1

    def _visible_places(self) -> np.ndarray:
        places = self.scene.places
        if places.empty:
            return np.zeros(0, dtype=bool)
        hits = places.sindex.query(shapely.box(*self._extent_3857()))
        mask = np.zeros(len(places), dtype=bool)
        mask[np.asarray(hits, dtype=int)] = True
        return mask

    def _styles_shown(self) -> list[_Style]:
        ids = self.scene.places.index[self.visible]
        seen: set[_Style] = set()
        for state in self.states.values():
            rows = state.loc[ids]
            for status, factions, conf in zip(rows["status"], rows["factions"],
                                              rows["confidence"], strict=True):
                seen.add(_style_of(status, factions, conf))
        order = {f: i for i, f in enumerate(self.dataset.factions.index)}
        return sorted(seen, key=lambda s: _style_order(s, order))

    def _source_titles(self) -> list[str]:
        ids = self.scene.places.index[self.visible]
        counts: Counter[str] = Counter()
        for state in self.states.values():
            rows = state.loc[ids]
            counts.update(t for t, s in zip(rows["source_title"], rows["status"], strict=True)
                          if s != NO_DATA and t)
        return [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def _changes(self) -> Any:
        assert self.options.compare is not None
        comparison = self.timeline.gains_and_losses(self.options.compare, self.options.date)
        shown = set(self.scene.places.index[self.visible])
        # A place without a drawable geometry is still a change worth listing.
        undrawn = set(self.timeline.place_ids) - set(self.scene.places.index)
        return comparison.only(shown | undrawn)

    # --- composition -------------------------------------------------------------------

    def _compose(self) -> None:
        o, s, m = self.options, self.s, self.margin
        inner = self.width_in - 2 * m
        top = self.height_in - m
        # Header: title, subtitle, date.
        header: list[_Text] = []
        for line in _wrap(o.title, 19 * s, inner, 2, "bold"):
            header.append(_Text(line, 19 * s, TEXT, "bold"))
        for line in _wrap(o.subtitle, 11.5 * s, inner, 3) if o.subtitle else []:
            header.append(_Text(line, 11.5 * s, "#333333"))
        top = self._stack(header, top, m)
        self.date_text = self.fig.text(m / self.width_in, (top - 13 * s / 72) / self.height_in,
                                       "", fontsize=12 * s, fontweight="bold", color="#333333",
                                       va="baseline", parse_math=False)
        top -= 12 * s * 1.45 / 72
        top = self._legend(top - 0.04 * s, inner)
        # Footer, bottom up: sources, credit, then the list of gains and losses.
        footer: list[_Text] = []
        if self.changed is not None:
            head, *rest = self._change_lines(inner)
            footer += [_Text(head, 9 * s, TEXT, "bold")]
            footer += [_Text(line, 9 * s, TEXT) for line in rest]
            footer.append(_Text("", 4 * s))  # a little air before the credits
        footer.append(_Text(f"Data: {self.dataset.credit}", 7.8 * s, MUTED))
        footer += [_Text(line, 7.8 * s, MUTED)
                   for line in _sources_line(self._source_titles(), 7.8 * s, inner)]
        footer_height = sum(t.size * 1.35 / 72 for t in footer)
        self._stack(footer, m + footer_height, m)
        bottom = m + footer_height + 0.1 * s
        self._map_axes(bottom, top - 0.08 * s)

    def _stack(self, lines: Sequence[_Text], top: float, left: float) -> float:
        """Lines of text downwards from ``top`` (inches); returns the new top."""
        for t in lines:
            top -= t.size * 1.3 / 72
            self.fig.text(left / self.width_in, (top + t.size * 0.25 / 72) / self.height_in,
                          t.text, fontsize=t.size, color=t.color, fontweight=t.weight,
                          va="baseline", parse_math=False)
        return top - 0.04 * self.s

    def _legend(self, top: float, width: float) -> float:
        """A flowing legend of the states shown, above the map, like Datawrapper's key."""
        from matplotlib.patches import Rectangle

        s, m = self.s, self.margin
        size = 9.5 * s
        sw_w, sw_h, gap = 0.26 * s, 0.16 * s, 0.08 * s
        entries: list[tuple[str, dict[str, Any]]] = []
        for style in self._styles_shown():
            kw = _patch_style(style, self.colors)
            kw["linewidth"] = 0.6
            entries.append((_style_label(style, self.dataset.factions), kw))
        derived = self.scene.places["geometry_quality"].to_numpy()[self.visible] == "derived"
        if derived.any():
            entries.append((st.LEGEND["derived_outline"],
                            {"facecolor": "none", "edgecolor": "#333333", "linewidth": 1.0,
                             "linestyle": (0, (3, 2))}))
        if self.changed is not None:
            entries.append((st.fill_template(st.LEGEND["changed_faded"],
                                             date=format_long_date(self.options.compare)),
                            {"facecolor": "none", "edgecolor": CHANGE_EDGE,
                             "linewidth": 2.0}))
        if not entries:
            return top
        row_h = size * 1.55 / 72
        x, y = m, top - row_h
        for label, kw in entries:
            label_w = _text_width(label, size)
            item_w = sw_w + gap + label_w + 0.22 * s
            if x > m and x + item_w > m + width:
                x, y = m, y - row_h
            self.fig.add_artist(Rectangle((x, y + 0.02 * s), sw_w, sw_h,
                                          transform=self.fig.dpi_scale_trans, **kw))
            self.fig.text((x + sw_w + gap) / self.width_in, (y + 0.035 * s) / self.height_in,
                          label, fontsize=size, color=TEXT, va="baseline", parse_math=False)
            x += item_w
        return y - 0.06 * s

    def _change_lines(self, width: float) -> list[str]:
        """'Government gained 3 places (12.4 km²): Kanamat, …' per faction, then losses,
        then first reports (:meth:`Timeline.gains_and_losses`: not counted as gains)."""
        assert self.changed is not None and self.options.compare is not None
        names = self.dataset.places["name"]
        factions = self.dataset.factions
        area = self.timeline.areas_km2
        comparison = self.changed
        since = format_long_date(self.options.compare)
        if comparison.changes.empty:
            return [f"No place changed hands between {since} and "
                    f"{format_long_date(self.options.date)}."]
        size = 9 * self.s
        lines = []
        for column, verb in (("gained", "gained"), ("lost", "lost"),
                             ("first_holders", "first reported holding")):
            for fid, places in comparison.places_by_faction(column).items():
                km2 = sum(float(area.get(p, 0.0)) for p in places)
                who = str(factions.loc[fid, "short_name"] or factions.loc[fid, "name"])
                head = f"{who} {verb} {len(places)} place{'s' if len(places) != 1 else ''}"
                head += f" ({_km2(km2)})" if km2 >= 0.05 else ""
                listed = ", ".join(str(names.get(p, p)) for p in places)
                lines.append(_ellipsize(f"{head}: {listed}", size, width))
        rows = comparison.changes
        other = list(rows["place"][rows["kind"] == STATUS_CHANGE])
        if other:  # e.g. held -> contested by the same holder: a change, but no gain or loss
            listed = ", ".join(str(names.get(p, p)) for p in other)
            lines.append(_ellipsize(f"Status changed without changing hands: {listed}", size,
                                    width))
        return [f"Gains and losses since {since}:"] + lines[:7]

    def _map_axes(self, bottom: float, top: float) -> None:
        m = self.margin
        left, width = m, self.width_in - 2 * m
        height = max(top - bottom, 0.5)
        ax = self.fig.add_axes((left / self.width_in, bottom / self.height_in,
                                width / self.width_in, height / self.height_in))
        self.ax = ax
        ax.set_facecolor(st.SEA)
        ax.set_xticks([])
        ax.set_yticks([])
        # GeoDataFrame.plot names the axes after the CRS ("Easting [metre]"): not on a map.
        ax.xaxis.label.set_visible(False)
        ax.yaxis.label.set_visible(False)
        for spine in ax.spines.values():
            spine.set_edgecolor("#9a9a9a")
            spine.set_linewidth(0.6)
        # Fit the view like Leaflet's fitBounds: the whole box visible, the axes filled.
        x0, y0, x1, y1 = self._extent_3857()
        w_px, h_px = width * self.options.dpi, height * self.options.dpi
        scale = max((x1 - x0) / w_px, (y1 - y0) / h_px)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        self.extent = (cx - scale * w_px / 2, cy - scale * h_px / 2,
                       cx + scale * w_px / 2, cy + scale * h_px / 2)
        dpi = self.options.dpi
        # The map's frame in image pixels, top-down like the image rows.
        self.map_px = (left * dpi, (self.height_in - bottom - height) * dpi,
                       (left + width) * dpi, (self.height_in - bottom) * dpi)
        self.px_size = scale
        ax.set_xlim(self.extent[0], self.extent[2])
        ax.set_ylim(self.extent[1], self.extent[3])
        ax.set_autoscale_on(False)
        self._draw_context()
        self._scale_bar()

    def _draw_context(self) -> None:
        s = self.s
        context = self.scene.context
        tolerance = self.px_size * 0.5  # half a pixel: invisible, and far fewer vertices
        zorders = {"countries": 1, "lakes": 2, "rivers": 6, "borders": 7}
        for name in sorted(context, key=lambda n: (n != "countries", n != "lakes", n)):
            frame = _context_in(self.scene, name, self.extent, tolerance)
            if frame.empty:
                continue
            if name == "towns" or (frame.geom_type == "Point").all():
                self.towns = frame
                town = st.TOWN_STYLE
                frame.geometry.plot(ax=self.ax, aspect=None, markersize=(3.2 * s) ** 2,
                                    color=town["fillColor"], edgecolor=town["color"],
                                    linewidth=town["weight"] * st.PX_TO_PT * s, zorder=8)
                continue
            frame.geometry.plot(ax=self.ax, aspect=None, zorder=zorders.get(name, 6),
                                **_context_kwargs(st.CONTEXT_STYLES.get(
                                    name, st.OTHER_CONTEXT_STYLE), s))

    def _pt(self, points: float) -> float:
        """A length in typographic points, in map units (metres of Web Mercator)."""
        return points / 72 * self.options.dpi * self.px_size

    def _scale_bar(self) -> None:
        """A geodesic scale bar: distances measured on the ellipsoid with pyproj.Geod."""
        from matplotlib.patches import FancyBboxPatch, Rectangle

        s, ax = self.s, self.ax
        x0, y0, x1, y1 = self.extent
        bx, by = x0 + self._pt(14 * s), y0 + self._pt(12 * s)
        lon0, lat0 = _FROM_MERCATOR.transform(bx, by)
        lon_right, _ = _FROM_MERCATOR.transform(x1, by)
        _, _, across = _GEOD.inv(lon0, lat0, lon_right, lat0)
        meters = _nice_distance(across * 0.22)
        lon1, lat1, _ = _GEOD.fwd(lon0, lat0, 90.0, meters)
        ex, _ = _TO_MERCATOR.transform(lon1, lat1)
        length = ex - bx
        bar_h, pad, text_h = self._pt(3.5 * s), self._pt(5 * s), self._pt(8 * s * 1.3)
        label = f"{meters / 1000:g} km" if meters >= 1000 else f"{meters:g} m"
        ax.add_patch(FancyBboxPatch((bx - pad, by - pad), length + 2 * pad,
                                    bar_h + text_h + 2 * pad,
                                    boxstyle=f"round,pad=0,rounding_size={pad}",
                                    facecolor=(1, 1, 1, 0.85), edgecolor="none", zorder=20))
        half = length / 2
        for i, color in enumerate(("#222222", "#ffffff")):
            ax.add_patch(Rectangle((bx + i * half, by), half, bar_h, facecolor=color,
                                   edgecolor="#222222", linewidth=0.6 * s, zorder=21))
        ax.text(bx, by + bar_h + self._pt(1.5 * s), label, fontsize=8 * s, color=TEXT,
                va="bottom", ha="left", zorder=21, parse_math=False)

    # --- per date ----------------------------------------------------------------------

    def draw_state(self, date: dt.date) -> None:
        """Draw the places as they were on ``date`` (replacing a previous date's)."""
        for artist in self.dynamic:
            artist.remove()
        self.dynamic = []
        o = self.options
        if o.compare is not None:
            self.date_text.set_text(f"Changes from {format_long_date(o.compare)} "
                                    f"to {format_long_date(date)}")
        else:
            self.date_text.set_text(f"As of {format_long_date(date)}")
        places = self.scene.places[self.visible]
        state = self.states[date].loc[places.index]
        styles = [_style_of(st, fs, cf) for st, fs, cf in
                  zip(state["status"], state["factions"], state["confidence"], strict=True)]
        is_point = places.geom_type.isin(["Point", "MultiPoint"]).to_numpy()
        derived = (places["geometry_quality"] == "derived").to_numpy()
        changed = (set(self.changed.changes["place"]) if self.changed is not None else None)
        # One collection per kind of drawing (plain or hatched, area or point), with
        # per-place colours: a few GeoSeries.plot calls whatever the number of states.
        groups: dict[tuple[float | None, bool], list[tuple[int, dict[str, Any]]]] = {}
        for i, style in enumerate(styles):
            kw = _patch_style(style, self.colors)
            if changed is not None and places.index[i] not in changed:
                kw = _faded(kw)  # a change map: what did not change steps back
            key = (kw.get("hatch_linewidth"), bool(is_point[i]))
            groups.setdefault(key, []).append((i, kw))
        s = self.s
        before = len(self.ax.collections)
        for (hatch_width, point), members in groups.items():
            rows = [i for i, _ in members]
            geoms = places.geometry.iloc[rows]
            arrays: dict[str, Any] = {
                "facecolor": [kw["facecolor"] for _, kw in members],
                "edgecolor": [kw["edgecolor"] for _, kw in members],
            }
            if hatch_width is not None:
                arrays |= {"hatch": st.EXPORT_HATCH, "hatch_linewidth": hatch_width,
                           "hatchcolor": [kw["hatchcolor"] for _, kw in members]}
            if point:
                geoms.plot(ax=self.ax, aspect=None, markersize=(9 * s) ** 2,
                           linewidth=_outline_width("point", s), zorder=5, **arrays)
            else:
                dashed = derived[rows]
                geoms.plot(ax=self.ax, aspect=None, zorder=3,
                           linewidth=np.where(dashed, _outline_width("derived", s),
                                              _outline_width("official", s)),
                           linestyle=[_DERIVED_DASH if d else "solid" for d in dashed],
                           **arrays)
        if changed:
            outline = places[places.index.isin(changed)].geometry
            polys = outline[~outline.geom_type.isin(["Point", "MultiPoint"])]
            if len(polys):
                polys.plot(ax=self.ax, aspect=None, facecolor="none", edgecolor=CHANGE_EDGE,
                           linewidth=2.0 * s, zorder=4)
        self.dynamic += self.ax.collections[before:]
        if o.labels and not self.labelled:  # names do not change with the date
            self.labelled = True
            self._labels(places, is_point, [st.status for st in styles])

    def _labels(self, places: gpd.GeoDataFrame, is_point: np.ndarray,
                statuses: Sequence[str]) -> None:
        """Place then town labels, greedily, skipping any that would overlap or overflow."""
        import matplotlib.patheffects as pe

        o, s, ax = self.options, self.s, self.ax
        vector = o.fmt in ("svg", "pdf")
        anchors = self.scene.anchors[self.visible]
        # In Arabic, a place without an Arabic name keeps its English one (left-to-right).
        arabic = [o.lang == "ar" and isinstance(a, str) and bool(a) for a in places["name_ar"]]
        names = [str(a) if ar else str(b) for a, b, ar in
                 zip(places["name_ar"], places["name"], arabic, strict=True)]
        # Places with a known state first (they are the story), larger before smaller;
        # on a change map, the places that changed before everything else.
        area = places.geometry.area.to_numpy()
        known = (np.asarray(statuses) != NO_DATA)
        rank = np.zeros(len(places))
        if self.changed is not None:
            rank -= 2 * places.index.isin(set(self.changed.changes["place"]))
        rank -= known
        order = np.lexsort((-area, rank))
        taken: list[tuple[float, float, float, float]] = []
        frame = self.map_px
        pixels = ax.transData.transform(anchors) if len(anchors) else np.zeros((0, 2))
        # Vector files keep labels as editable text: a path-effect halo would turn them into
        # outlines, so they get a light box instead.
        halo: dict[str, Any] = (
            {"bbox": {"boxstyle": "round,pad=0.12", "facecolor": (1, 1, 1, 0.72),
                      "edgecolor": "none"}} if vector else
            {"path_effects": [pe.withStroke(linewidth=2.6 * s, foreground="white")]})
        placed = 0
        for i in order:
            if placed >= MAX_LABELS:
                break
            px, py = pixels[i][0], o.height - pixels[i][1]  # top-down, like map_px
            if not (frame[0] <= px <= frame[2] and frame[1] <= py <= frame[3]):
                continue
            weight = "normal" if is_point[i] else "bold"
            # A crowded place gets a second chance in a smaller size before it is skipped.
            for size in (8.5 * s, 7 * s):
                w = _text_width(names[i], size, weight, arabic[i]) * o.dpi
                h = size * (1.6 if arabic[i] else 1.25) / 72 * o.dpi
                dx = (9 * s / 72 * o.dpi + w / 2) if is_point[i] else 0.0
                box = (px + dx - w / 2, py - h / 2, px + dx + w / 2, py + h / 2)
                if _inside(box, frame) and not any(_overlaps(box, t) for t in taken):
                    break
            else:
                continue
            taken.append(box)
            placed += 1
            x, y = anchors[i]
            text = ax.text(x + dx * self.px_size, y, names[i], fontsize=size, color=TEXT,
                           ha="center", va="center", zorder=30,
                           family=[ARABIC_FONT, LATIN_FONT] if arabic[i] else _font_stack(),
                           fontweight=weight, clip_on=True, parse_math=False, **halo)
            if arabic[i]:
                text.set_language("ar")
                text.set_gid(f"mapapp-ar-{i}")
        self._town_labels(taken, halo)

    def _town_labels(self, taken: list[tuple[float, float, float, float]],
                     halo: dict[str, Any]) -> None:
        towns = self.towns
        if towns is None or towns.empty:
            return
        o, s, ax = self.options, self.s, self.ax
        if "name" not in towns.columns:
            return
        size = 7.8 * s
        x0, y0, x1, y1 = self.map_px
        for geom, name in zip(towns.geometry, towns["name"], strict=True):
            if not isinstance(name, str) or not name:
                continue
            px, py = ax.transData.transform((geom.x, geom.y))
            py = o.height - py
            w = _text_width(name, size) * o.dpi
            h = size * 1.25 / 72 * o.dpi
            off = 5 * s / 72 * o.dpi
            box = (px + off, py - h / 2, px + off + w, py + h / 2)
            if not _inside(box, (x0, y0, x1, y1)) or any(_overlaps(box, t) for t in taken):
                continue
            taken.append(box)
            ax.text(geom.x + off * self.px_size, geom.y, name, fontsize=size,
                    color="#333333", style="italic", ha="left", va="center", zorder=29,
                    clip_on=True, parse_math=False, **halo)

    # --- output ------------------------------------------------------------------------

    def metadata(self) -> dict[str, str]:
        o = self.options
        when = (f"{o.compare.isoformat()} to {o.date.isoformat()}" if o.compare
                else o.date.isoformat())
        return {"Title": o.title, "Description": f"{o.subtitle} {when}".strip(),
                "Copyright": self.dataset.credit, "Software": "mapapp"}

    def save(self, fmt: str) -> bytes:
        buffer = io.BytesIO()
        meta = self.metadata()
        if fmt == "png":
            # The map frame and its extent travel with the image: a reader can georeference it.
            frame = {"crs": WEB_MERCATOR, "pixels": [round(v, 2) for v in self.map_px],
                     "extent": [round(v, 3) for v in self.extent]}
            meta = meta | {"Source": f"mapapp data version {self.dataset.version}",
                           "mapapp:map-frame": json.dumps(frame)}
            self.fig.savefig(buffer, format="png", dpi=self.options.dpi, metadata=meta)
        elif fmt == "svg":
            self.fig.savefig(buffer, format="svg", metadata={
                "Title": meta["Title"], "Description": meta["Description"],
                "Rights": meta["Copyright"], "Creator": "mapapp", "Date": None})
            return _svg_pixels(buffer.getvalue(), self.options)
        else:
            self.fig.savefig(buffer, format="pdf", metadata={
                "Title": meta["Title"], "Subject": meta["Description"],
                "Author": meta["Copyright"], "Creator": "mapapp", "CreationDate": None})
        return buffer.getvalue()

    def rgba(self) -> np.ndarray:
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())


# Place outlines are drawn a little finer than the page's (print is read closer).
_OUTLINE_SCALE = 0.7
# GeoSeries.plot takes one line style per shape only as names: matplotlib's "dashed" draws
# the derived outline's dash (style.OUTLINES) in print.
_DERIVED_DASH = "dashed"


def _outline_width(kind: str, scale: float) -> float:
    return st.OUTLINES[kind]["weight"] * _OUTLINE_SCALE * scale


def _context_kwargs(path: Mapping[str, Any], scale: float) -> dict[str, Any]:
    """A context layer's Leaflet path options as matplotlib keywords."""
    width = path.get("weight", 1) * st.PX_TO_PT * scale
    if "fillColor" in path:
        kw: dict[str, Any] = {"facecolor": path["fillColor"], "edgecolor": path["color"],
                              "linewidth": width}
    else:
        kw = {"color": path["color"], "linewidth": width}
        if "dashArray" in path:
            kw["linestyle"] = (0, tuple(float(v) for v in path["dashArray"].split()))
    return kw


def _faded(kw: dict[str, Any]) -> dict[str, Any]:
    out = dict(kw)
    r, g, b, a = out["facecolor"]
    out["facecolor"] = (r, g, b, a * 0.4)
    if "hatchcolor" in out:  # opaque (see _patch_style): fade it towards white instead
        r, g, b, _ = out["hatchcolor"]
        out["hatchcolor"] = (0.6 + 0.4 * r, 0.6 + 0.4 * g, 0.6 + 0.4 * b, 1.0)
    r, g, b, _ = out["edgecolor"]
    out["edgecolor"] = (r, g, b, 0.5)
    return out


def _km2(value: float) -> str:
    return f"{value:,.1f} km²" if value < 100 else f"{value:,.0f} km²"


def _nice_distance(meters: float) -> float:
    """The largest 1, 2 or 5 × 10^n metres not above ``meters``."""
    if meters <= 0 or not math.isfinite(meters):
        return 1.0
    exponent = math.floor(math.log10(meters))
    for factor in (5, 2, 1):
        if factor * 10 ** exponent <= meters:
            return float(factor * 10 ** exponent)
    return float(10 ** exponent)  # pragma: no cover - 1 × 10^n always fits


def _inside(box: tuple[float, ...], frame: tuple[float, ...]) -> bool:
    return box[0] >= frame[0] and box[1] >= frame[1] and box[2] <= frame[2] and \
        box[3] <= frame[3]


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


_SVG_ROOT = re.compile(rb'<svg([^>]*?)width="[^"]*" height="[^"]*"')


def _svg_pixels(svg: bytes, options: SnapshotOptions) -> bytes:
    """Size the SVG in pixels (matplotlib writes points) and mark Arabic labels right-to-left."""
    svg = _SVG_ROOT.sub(
        lambda m: b'<svg' + m.group(1) +
        f'width="{options.width}" height="{options.height}"'.encode(), svg, count=1)
    return re.sub(rb'<g id="(mapapp-ar-\d+)"', rb'<g id="\1" xml:lang="ar" direction="rtl"',
                  svg)


# --- public entry points -----------------------------------------------------------------


def render_snapshot(timeline: Timeline, options: SnapshotOptions) -> bytes:
    """Draw the map of ``options.date`` (or the change map since ``options.compare``).

    Parameters
    ----------
    timeline : Timeline
        The engine over the data set to draw.
    options : SnapshotOptions
        From :func:`parse_snapshot_options`; its ``fmt`` picks PNG, SVG or PDF.

    Returns
    -------
    bytes
        The file's bytes, ready to serve or write.

    Examples
    --------
    >>> opts = parse_snapshot_options({"date": "2017-11-01", "view": "deir-ez-zor-city"},
    ...                               tl)  # doctest: +SKIP
    >>> render_snapshot(tl, opts)[:4]  # doctest: +SKIP
    b'\\x89PNG'
    """
    figure = _MapFigure(timeline, options, [options.date])
    figure.draw_state(options.date)
    return figure.save(options.fmt)


def render_animation(timeline: Timeline, options: AnimationOptions,
                     time_limit: float | None = None) -> bytes:
    """Draw one frame per date of ``options.frames`` and assemble them into a looping GIF.

    The figure is composed once (legend and sources cover every frame, so the layout does
    not jump); only the places and the date change from frame to frame.

    Examples
    --------
    >>> params = {"from": "2017-10-01", "to": "2017-11-30"}
    >>> anim = parse_animation_options(params, tl)  # doctest: +SKIP
    >>> render_animation(tl, anim)[:6]  # doctest: +SKIP
    b'GIF89a'
    """
    from PIL import Image

    figure = _MapFigure(timeline, options.base, list(options.frames))
    images = []
    # A request has a time budget: gunicorn's threaded workers never kill a slow request.
    deadline = None if time_limit is None else time.monotonic() + time_limit
    for date in options.frames:
        if deadline is not None and time.monotonic() > deadline:
            raise BusyError(f"the animation took longer than {time_limit:.0f} s to draw; ask for "
                            "fewer frames, a smaller size, or step=change", retry_after=30)
        figure.draw_state(date)
        images.append(Image.fromarray(figure.rgba()[..., :3]))
    # One palette for all frames, so colours do not flicker between them; it is taken from
    # a strip of a few frames spread over the animation so every state's colours are in it.
    sample = images[:: max(1, len(images) // 5)][:6] + [images[-1]]
    strip = Image.new("RGB", (sample[0].width, sample[0].height * len(sample)))
    for k, image in enumerate(sample):
        strip.paste(image, (0, k * image.height))
    palette = strip.quantize(colors=255, method=Image.Quantize.MEDIANCUT)
    frames = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    durations = [options.delay_ms] * len(frames)
    durations[-1] = max(options.delay_ms, 2000)  # hold the last state before looping
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:],
                   duration=durations, loop=0, optimize=False, disposal=1,
                   comment=f"{options.base.title}. Data: {timeline.dataset.credit}".encode())
    return buffer.getvalue()

