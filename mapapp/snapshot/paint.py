"""States in matplotlib terms, from :mod:`mapapp.style`: fills, hatches, outlines, legend words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mapapp import style as st
from mapapp.contract import DEFAULT_CONFIDENCE, NO_DATA, STATUSES
from mapapp.i18n import ENGLISH, Translator

if TYPE_CHECKING:  # pragma: no cover - typing only: matplotlib is imported lazily
    pass


# The print's own colours; the states' come from mapapp.style.
TEXT, MUTED = "#1a1a1a", "#555555"
CHANGE_EDGE = "#111111"


# --- what is shown: styles, legend entries, sources ------------------------------------


@dataclass(frozen=True)
class StateStyle:
    status: str
    factions: tuple[str, ...]
    tentative: bool  # claimed or disputed: drawn paler
    confidence: str = "confirmed"


def style_of(status: str, factions: tuple[str, ...], confidence: str | None) -> StateStyle:
    if status == NO_DATA or not factions:
        return StateStyle(NO_DATA, (), False)
    conf = confidence or DEFAULT_CONFIDENCE
    return StateStyle(status, tuple(factions), st.is_tentative(conf), conf)


def rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return r, g, b, alpha


def over_white(color: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (1 - alpha + alpha * r, 1 - alpha + alpha * g, 1 - alpha + alpha * b, 1.0)


def darker(color: str) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    k = st.LINE_DARKEN
    return r * k, g * k, b * k, 1.0


def patch_style(style: StateStyle, colors: Mapping[str, str]) -> dict[str, Any]:
    """matplotlib keywords that draw a state the way the page does."""
    if style.status == NO_DATA:
        return {"facecolor": rgba(st.NO_DATA_STYLE["fill"], st.NO_DATA_STYLE["fill_opacity"]),
                "edgecolor": rgba(st.NO_DATA_STYLE["line"], 1.0)}
    alpha = st.fill_opacity(style.confidence)
    first = colors[style.factions[0]]
    out: dict[str, Any] = {"facecolor": rgba(first, alpha), "edgecolor": darker(first)}
    if style.status in ("contested", "joint") and len(style.factions) > 1:
        out["hatch"] = st.EXPORT_HATCH
        # Opaque, pre-blended with white: the PDF backend drops a hatch's alpha.
        out["hatchcolor"] = over_white(colors[style.factions[1]], alpha)
        out["hatch_linewidth"] = st.EXPORT_HATCH_WIDTH[style.status]
    if style.tentative:
        # Status by pattern as well as paleness: horizontal lines, white on a held place,
        # the challenger's on stripes (a patch has one hatch colour).
        out["hatch"] = out.get("hatch", "") + st.EXPORT_TENTATIVE_HATCH
        out.setdefault("hatchcolor", (1.0, 1.0, 1.0, 1.0))
        out.setdefault("hatch_linewidth", st.EXPORT_HATCH_WIDTH["contested"])
    return out


def style_label(style: StateStyle, factions: Any, tr: Translator = ENGLISH) -> str:
    """The legend's words for a state (:func:`mapapp.style.legend_label`)."""
    names = {f: {"name": factions.loc[f, "name"], "short_name": factions.loc[f, "short_name"]}
             for f in style.factions}
    return st.legend_label(style.status, style.factions, style.confidence, names, tr)


def style_order(style: StateStyle, faction_order: Mapping[str, int]) -> tuple[Any, ...]:
    if style.status == NO_DATA:
        return (1, 0, 0, ())
    rank = {s: i for i, s in enumerate(STATUSES)}.get(style.status, len(STATUSES))
    return (0, rank, style.tentative, tuple(faction_order.get(f, 99) for f in style.factions))



# Place outlines are drawn a little finer than the page's (print is read closer).
OUTLINE_SCALE = 0.7
# GeoSeries.plot takes one line style per shape only as names: matplotlib's "dashed" draws
# the derived outline's dash (style.OUTLINES) in print.
DERIVED_DASH = "dashed"


def outline_width(kind: str, scale: float) -> float:
    return st.OUTLINES[kind]["weight"] * OUTLINE_SCALE * scale


def context_kwargs(path: Mapping[str, Any], scale: float) -> dict[str, Any]:
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


def faded(kw: dict[str, Any]) -> dict[str, Any]:
    out = dict(kw)
    r, g, b, a = out["facecolor"]
    out["facecolor"] = (r, g, b, a * 0.4)
    if "hatchcolor" in out:  # opaque (see patch_style): fade it towards white instead
        r, g, b, _ = out["hatchcolor"]
        out["hatchcolor"] = (0.6 + 0.4 * r, 0.6 + 0.4 * g, 0.6 + 0.4 * b, 1.0)
    r, g, b, _ = out["edgecolor"]
    out["edgecolor"] = (r, g, b, 0.5)
    return out
