"""matplotlib set up once, the export fonts, and text measured and wrapped in inches."""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only: matplotlib is imported lazily
    pass


from mapapp.i18n import ENGLISH, Translator

LATIN_FONT, ARABIC_FONT = "DejaVu Sans", "Noto Sans Arabic"

# --- matplotlib, loaded once -----------------------------------------------------------

_MPL_LOCK = threading.Lock()
_MPL_READY = False


def load_matplotlib() -> None:
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
            "font.sans-serif": font_stack(),
            "hatch.linewidth": 1.0,
        })
        _MPL_READY = True


@functools.cache
def canvas_class() -> type:
    """Agg, minus the redraw GeoDataFrame.plot asks for after every layer: we draw once."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    class _Canvas(FigureCanvasAgg):
        def draw_idle(self, *args: Any, **kwargs: Any) -> None:
            pass

    return _Canvas


def font_available(family: str) -> bool:
    from matplotlib import font_manager

    try:
        font_manager.findfont(font_manager.FontProperties(family=family),
                              fallback_to_default=False)
    except ValueError:
        return False
    return True


@functools.cache
def drawable() -> frozenset[int]:
    """The code points the export fonts have glyphs for."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    points: set[int] = set()
    for family in font_stack():
        path = font_manager.findfont(font_manager.FontProperties(family=family))
        points.update(FT2Font(path).get_charmap())
    return frozenset(points)


@functools.cache
def font_stack() -> list[str]:
    """Latin first, Arabic as fallback, so a title in either script finds its glyphs."""
    return [f for f in (LATIN_FONT, ARABIC_FONT) if font_available(f)] or ["DejaVu Sans"]



# --- layout: sizes in inches, measured text ----------------------------------------------


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float, weight: str = "normal", arabic: bool = False) -> float:
    """Width of one line of text in inches, measured with the font that will draw it.

    Agg's hinted glyphs come out a few per cent wider than the outlines measured here, so
    the width is padded: text measured to fit does fit in every format.
    """
    from matplotlib.font_manager import FontProperties

    family = [ARABIC_FONT, LATIN_FONT] if arabic else font_stack()
    prop = FontProperties(family=family, size=size, weight=weight)
    width, _, _ = _text_to_path().get_text_width_height_descent(text, prop, False)
    return width / 72.0 * 1.07


@functools.cache
def _text_to_path() -> Any:
    from matplotlib.textpath import TextToPath

    return TextToPath()


def wrap(text: str, size: float, width: float, max_lines: int,
          weight: str = "normal") -> list[str]:
    """Greedy word wrap to ``width`` inches; the last line ends in … if text is cut."""
    words, lines, line = text.split(), [], ""
    for i, word in enumerate(words):
        candidate = f"{line} {word}".strip()
        if text_width(candidate, size, weight) <= width or not line:
            line = candidate
            continue
        lines.append(line)
        line = word
        if len(lines) == max_lines:
            rest = " ".join(words[i:])
            lines[-1] = ellipsize(lines[-1] + " " + rest, size, width, weight)
            return lines
    if line:
        lines.append(line)
    return lines


def ellipsize(text: str, size: float, width: float, weight: str = "normal") -> str:
    if text_width(text, size, weight) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text_width(text[:mid].rstrip() + "…", size, weight) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip(" ,;·") + "…"


def format_long_date(date: dt.date, tr: Translator = ENGLISH) -> str:
    """'1 November 2017': spelled out for print, never shifted by a time zone.

    Examples
    --------
    >>> format_long_date(dt.date(2017, 11, 1))
    '1 November 2017'
    """
    return tr.format_long_day(date)


def is_arabic(text: str) -> bool:
    """Whether a text has Arabic letters (drawn with the Arabic font, marked in SVG)."""
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)


def sources_line(titles: Sequence[str], size: float, width: float,
                 tr: Translator = ENGLISH) -> list[str]:
    """'Sources: A; B; C and 12 more' on at most two lines, most cited first."""
    if not titles:
        return []

    def attempt(shown: int) -> list[str]:
        rest = len(titles) - shown
        text = tr.message("Sources: {list}", list="; ".join(titles[:shown]))
        if rest:
            text += tr.nmessage(" and {n} more (see the data's SOURCES.md)",
                             " and {n} more (see the data's SOURCES.md)", rest)
        return wrap(text, size, width, 2)

    # More titles means more text, so the largest count that fits is found by bisection.
    lo, hi = 1, len(titles)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if attempt(mid)[-1].endswith("…"):
            hi = mid - 1
        else:
            lo = mid
    return attempt(lo)
