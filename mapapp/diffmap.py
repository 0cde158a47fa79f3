"""The change map of a data diff: the new data drawn on one date, the places the change
redraws outlined.

The map itself is the snapshot renderer's (``render_snapshot`` on the new timeline); the
outlines are drawn over the PNG with Pillow, placed by the map frame every snapshot PNG
carries (``mapapp:map-frame``: its pixel box and Web Mercator extent).
"""

from __future__ import annotations

import io
import json
from typing import Any

import shapely
from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo
from pyproj import Transformer

from mapapp.datadiff import DataDiff, RangeChange, state_text
from mapapp.snapshot import MAX_SUBTITLE, parse_snapshot_options, render_snapshot
from mapapp.timeline import Timeline

OUTLINE = "#d0006f"  # no faction's colour: the outline must read as "changed", not as a holder
_TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def ranges_on(diff: DataDiff, date: str) -> list[RangeChange]:
    """The changed ranges that cover ``date`` (ISO), one per place."""
    return [r for r in diff.ranges if r.start <= date and (r.end is None or date <= r.end)]


def render_change_map(old: Timeline, new: Timeline, diff: DataDiff, date: str | None = None,
                      view: str | None = None) -> bytes:
    """A PNG of the new data on ``date`` (default: the most affected date), with every place
    drawn differently from the old data outlined. A RequestError for a bad date or view."""
    date = date or diff.most_affected or new.last_date or "1970-01-01"
    changed = ranges_on(diff, date)
    geoms = [_geometry(r.place, old, new) for r in changed]
    params: dict[str, Any] = {"date": date, "title": f"Data change: {len(changed)} place"
                              f"{'s' if len(changed) != 1 else ''} drawn differently",
                              "subtitle": _subtitle(changed, diff)}
    if view:
        params["view"] = view
    else:
        box = _around([g for g in geoms if g is not None])
        if box:
            params["bbox"] = ",".join(f"{v:.6f}" for v in box)
    options = parse_snapshot_options(params, new, "png")
    image = Image.open(io.BytesIO(render_snapshot(new, options)))
    image.load()
    frame = json.loads(image.info["mapapp:map-frame"])
    canvas = image.convert("RGBA")
    draw = ImageDraw.Draw(canvas)
    width = max(2, round(3 * options.dpi / 100))
    for geom in geoms:
        if geom is not None:
            _outline(draw, geom, frame, width)
    info = PngInfo()
    for key, value in image.info.items():
        if isinstance(value, str):
            info.add_text(str(key), value)
    out = io.BytesIO()
    canvas.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _subtitle(changed: list[RangeChange], diff: DataDiff) -> str:
    names = diff.faction_names
    parts = [f"{r.name}: {state_text(r.old.status, r.old.factions, r.old.confidence, names)}"
             f" → {state_text(r.new.status, r.new.factions, r.new.confidence, names)}"
             for r in changed]
    text = "Outlined, before → after: " + "; ".join(parts)
    return text if len(text) <= MAX_SUBTITLE else text[:MAX_SUBTITLE - 1] + "…"


def _geometry(place: str, old: Timeline, new: Timeline) -> Any:
    for timeline in (new, old):  # a removed place is outlined where it was
        places = timeline.dataset.places
        if place in places.index:
            geom = places.geometry.loc[place]
            if geom is not None and not geom.is_empty:
                return geom
    return None


def _around(geoms: list[Any]) -> tuple[float, float, float, float] | None:
    """The changed places and some of their surroundings, in degrees."""
    if not geoms:
        return None
    west, south, east, north = shapely.total_bounds(geoms)
    pad = max(east - west, north - south, 0.05) * 0.6
    return (max(west - pad, -180.0), max(south - pad, -85.0), min(east + pad, 180.0),
            min(north + pad, 85.0))


def _outline(draw: ImageDraw.ImageDraw, geom: Any, frame: dict[str, Any], width: int) -> None:
    left, top, right, bottom = frame["pixels"]
    x0, y0, x1, y1 = frame["extent"]

    def pixels(coords: Any) -> list[tuple[float, float]]:
        xs, ys = _TO_MERCATOR.transform([c[0] for c in coords], [c[1] for c in coords])
        return [(left + (x - x0) / (x1 - x0) * (right - left),
                 top + (y1 - y) / (y1 - y0) * (bottom - top)) for x, y in zip(xs, ys,
                                                                              strict=True)]

    for part in getattr(geom, "geoms", [geom]):
        if part.geom_type == "Point":
            (x, y), r = pixels(part.coords)[0], 5 * width
            draw.ellipse((x - r, y - r, x + r, y + r), outline=OUTLINE, width=width)
        elif part.geom_type == "Polygon":
            for ring in (part.exterior, *part.interiors):
                draw.line(pixels(ring.coords), fill=OUTLINE, width=width, joint="curve")
