"""What is drawn on the map frame: context layers, the places of a date, labels, the scale bar."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from mapapp import style as st
from mapapp.contract import NO_DATA
from mapapp.dataset import place_names

if TYPE_CHECKING:  # pragma: no cover - typing only: matplotlib is imported lazily
    import geopandas as gpd

    from mapapp.snapshot.figure import MapFigure

from mapapp.snapshot.fonts import ARABIC_FONT, LATIN_FONT, font_stack, format_long_date, text_width
from mapapp.snapshot.options import MAX_LABELS
from mapapp.snapshot.paint import (
    CHANGE_EDGE,
    DERIVED_DASH,
    TEXT,
    context_kwargs,
    faded,
    outline_width,
    patch_style,
    style_of,
)
from mapapp.snapshot.scene import FROM_MERCATOR, GEOD, TO_MERCATOR, context_in

if TYPE_CHECKING:  # pragma: no cover
    pass


def draw_context(fig: MapFigure) -> None:
    s = fig.s
    context = fig.scene.context
    tolerance = fig.px_size * 0.5  # half a pixel: invisible, and far fewer vertices
    zorders = {"countries": 1, "lakes": 2, "rivers": 6, "borders": 7}
    for name in sorted(context, key=lambda n: (n != "countries", n != "lakes", n)):
        frame = context_in(fig.scene, name, fig.extent, tolerance)
        if frame.empty:
            continue
        if name == "towns" or (frame.geom_type == "Point").all():
            fig.towns = frame
            town = st.TOWN_STYLE
            frame.geometry.plot(ax=fig.ax, aspect=None, markersize=(3.2 * s) ** 2,
                                color=town["fillColor"], edgecolor=town["color"],
                                linewidth=town["weight"] * st.PX_TO_PT * s, zorder=8)
            continue
        frame.geometry.plot(ax=fig.ax, aspect=None, zorder=zorders.get(name, 6),
                            **context_kwargs(st.CONTEXT_STYLES.get(
                                name, st.OTHER_CONTEXT_STYLE), s))


def scale_bar(fig: MapFigure) -> None:
    """A geodesic scale bar: distances measured on the ellipsoid with pyproj.Geod."""
    from matplotlib.patches import FancyBboxPatch, Rectangle

    s, ax = fig.s, fig.ax
    x0, y0, x1, y1 = fig.extent
    bx, by = x0 + fig.pt(14 * s), y0 + fig.pt(12 * s)
    lon0, lat0 = FROM_MERCATOR.transform(bx, by)
    lon_right, _ = FROM_MERCATOR.transform(x1, by)
    _, _, across = GEOD.inv(lon0, lat0, lon_right, lat0)
    meters = _nice_distance(across * 0.22)
    lon1, lat1, _ = GEOD.fwd(lon0, lat0, 90.0, meters)
    ex, _ = TO_MERCATOR.transform(lon1, lat1)
    length = ex - bx
    bar_h, pad, text_h = fig.pt(3.5 * s), fig.pt(5 * s), fig.pt(8 * s * 1.3)
    label = (fig.tr.message("{n} km", n=f"{meters / 1000:g}") if meters >= 1000
             else fig.tr.message("{n} m", n=f"{meters:g}"))
    ax.add_patch(FancyBboxPatch((bx - pad, by - pad), length + 2 * pad,
                                bar_h + text_h + 2 * pad,
                                boxstyle=f"round,pad=0,rounding_size={pad}",
                                facecolor=(1, 1, 1, 0.85), edgecolor="none", zorder=20))
    half = length / 2
    for i, color in enumerate(("#222222", "#ffffff")):
        ax.add_patch(Rectangle((bx + i * half, by), half, bar_h, facecolor=color,
                               edgecolor="#222222", linewidth=0.6 * s, zorder=21))
    text = ax.text(bx, by + bar_h + fig.pt(1.5 * s), label, fontsize=8 * s, color=TEXT,
                   va="bottom", ha="left", zorder=21, parse_math=False)
    fig.mark_script(text, label)



def draw_state(fig: MapFigure, date: dt.date) -> None:
    """Draw the places as they were on ``date`` (replacing a previous date's)."""
    for artist in fig.dynamic:
        artist.remove()
    fig.dynamic = []
    o = fig.options
    if o.compare is not None:
        fig.date_text.set_text(fig.tr.message("Changes from {from} to {to}",
                                            **{"from": format_long_date(o.compare, fig.tr),
                                               "to": format_long_date(date, fig.tr)}))
    else:
        fig.date_text.set_text(fig.tr.message("As of {date}", date=format_long_date(date, fig.tr)))
    fig.mark_script(fig.date_text, fig.date_text.get_text())
    places = fig.scene.places[fig.visible]
    state = fig.states[date].loc[places.index]
    styles = [style_of(st, fs, cf) for st, fs, cf in
              zip(state["status"], state["factions"], state["confidence"], strict=True)]
    is_point = places.geom_type.isin(["Point", "MultiPoint"]).to_numpy()
    derived = (places["geometry_quality"] == "derived").to_numpy()
    changed = (set(fig.changed.changes["place"]) if fig.changed is not None else None)
    # One collection per kind of drawing (plain or hatched, area or point), with
    # per-place colours: a few GeoSeries.plot calls whatever the number of states.
    groups: dict[tuple[str | None, float | None, bool], list[tuple[int, dict[str, Any]]]] = {}
    for i, style in enumerate(styles):
        kw = patch_style(style, fig.colors)
        if changed is not None and places.index[i] not in changed:
            kw = faded(kw)  # a change map: what did not change steps back
        key = (kw.get("hatch"), kw.get("hatch_linewidth"), bool(is_point[i]))
        groups.setdefault(key, []).append((i, kw))
    s = fig.s
    before = len(fig.ax.collections)
    for (hatch, hatch_width, point), members in groups.items():
        rows = [i for i, _ in members]
        geoms = places.geometry.iloc[rows]
        arrays: dict[str, Any] = {
            "facecolor": [kw["facecolor"] for _, kw in members],
            "edgecolor": [kw["edgecolor"] for _, kw in members],
        }
        if hatch is not None:
            arrays |= {"hatch": hatch, "hatch_linewidth": hatch_width,
                       "hatchcolor": [kw["hatchcolor"] for _, kw in members]}
        if point:
            geoms.plot(ax=fig.ax, aspect=None, markersize=(9 * s) ** 2,
                       linewidth=outline_width("point", s), zorder=5, **arrays)
        else:
            dashed = derived[rows]
            geoms.plot(ax=fig.ax, aspect=None, zorder=3,
                       linewidth=np.where(dashed, outline_width("derived", s),
                                          outline_width("official", s)),
                       linestyle=[DERIVED_DASH if d else "solid" for d in dashed],
                       **arrays)
    if changed:
        outline = places[places.index.isin(changed)].geometry
        polys = outline[~outline.geom_type.isin(["Point", "MultiPoint"])]
        if len(polys):
            polys.plot(ax=fig.ax, aspect=None, facecolor="none", edgecolor=CHANGE_EDGE,
                       linewidth=2.0 * s, zorder=4)
    fig.dynamic += fig.ax.collections[before:]
    if o.labels and not fig.labelled:  # names do not change with the date
        fig.labelled = True
        labels(fig, places, is_point, [st.status for st in styles])

def labels(fig: MapFigure, places: gpd.GeoDataFrame, is_point: np.ndarray,
            statuses: Sequence[str]) -> None:
    """Place then town labels, greedily, skipping any that would overlap or overflow."""
    import matplotlib.patheffects as pe

    o, s, ax = fig.options, fig.s, fig.ax
    vector = o.fmt in ("svg", "pdf")
    anchors = fig.scene.anchors[fig.visible]
    # In Arabic, a place without an Arabic name keeps its English one (left-to-right).
    arabic = [o.lang == "ar" and isinstance(a, str) and bool(a) for a in places["name_ar"]]
    names = [str(n) for n in place_names(places, o.lang)]
    # Places with a known state first (they are the story), larger before smaller;
    # on a change map, the places that changed before everything else.
    area = places.geometry.area.to_numpy()
    known = (np.asarray(statuses) != NO_DATA)
    rank = np.zeros(len(places))
    if fig.changed is not None:
        rank -= 2 * places.index.isin(set(fig.changed.changes["place"]))
    rank -= known
    order = np.lexsort((-area, rank))
    taken: list[tuple[float, float, float, float]] = []
    frame = fig.map_px
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
            w = text_width(names[i], size, weight, arabic[i]) * o.dpi
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
        text = ax.text(x + dx * fig.px_size, y, names[i], fontsize=size, color=TEXT,
                       ha="center", va="center", zorder=30,
                       family=[ARABIC_FONT, LATIN_FONT] if arabic[i] else font_stack(),
                       fontweight=weight, clip_on=True, parse_math=False, **halo)
        if arabic[i]:
            text.set_language("ar")
            text.set_gid(f"mapapp-ar-{i}")
    town_labels(fig, taken, halo)

def town_labels(fig: MapFigure, taken: list[tuple[float, float, float, float]],
                 halo: dict[str, Any]) -> None:
    towns = fig.towns
    if towns is None or towns.empty:
        return
    o, s, ax = fig.options, fig.s, fig.ax
    if "name" not in towns.columns:
        return
    size = 7.8 * s
    x0, y0, x1, y1 = fig.map_px
    for geom, name in zip(towns.geometry, towns["name"], strict=True):
        if not isinstance(name, str) or not name or not isinstance(geom, shapely.Point):
            continue
        px, py = ax.transData.transform((geom.x, geom.y))
        py = o.height - py
        w = text_width(name, size) * o.dpi
        h = size * 1.25 / 72 * o.dpi
        off = 5 * s / 72 * o.dpi
        box = (px + off, py - h / 2, px + off + w, py + h / 2)
        if not _inside(box, (x0, y0, x1, y1)) or any(_overlaps(box, t) for t in taken):
            continue
        taken.append(box)
        ax.text(geom.x + off * fig.px_size, geom.y, name, fontsize=size,
                color="#333333", style="italic", ha="left", va="center", zorder=29,
                clip_on=True, parse_math=False, **halo)



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
