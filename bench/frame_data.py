"""The data the reference pages draw (bench/pages): the project's polygons and each place's
colour at every jump date, written once per size next to the generated data set.

Colours follow the project's style (mapapp.style): the holder's faction colour at the fill
opacity of its confidence, no data in the no-data fill, each blended over white in advance,
so a reference page fills opaque colours (the cheapest a page can draw) and needs no
stripes, outlines or alpha. One character per place ("A" + colour index) keeps a jump of
20,000 places a 20 kB string.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from mapapp.style import FILL_OPACITY, NO_DATA_STYLE, TENTATIVE
from mapapp.timeline import Timeline, day_iso


def _blend(hex_colour: str, alpha: float) -> str:
    rgb = [int(hex_colour[k:k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(255 + alpha * (c - 255)):02x}" for c in rgb)


def polygon_places(timeline: Timeline) -> Any:
    """The places drawn as polygons, in the timeline's place order (points have no area)."""
    places = timeline.dataset.places.loc[timeline.place_ids]
    keep = places.geometry.notna() & places.geom_type.isin(["Polygon", "MultiPolygon"])
    return places[keep]


def palette_of(timeline: Timeline) -> tuple[list[str], np.ndarray]:
    """The colours, and the colour index of each control event row (last: no data)."""
    factions = timeline.dataset.factions["color"].to_dict()
    keys: dict[tuple[str, bool], int] = {}
    rows = np.empty(len(timeline.control), dtype=np.int64)
    for r, (held_by, confidence) in enumerate(zip(timeline.control["factions"],
                                                  timeline.control["confidence"], strict=True)):
        rows[r] = keys.setdefault((factions[held_by[0]], confidence in TENTATIVE), len(keys))
    palette = [_blend(colour, FILL_OPACITY["tentative" if tentative else "firm"])
               for colour, tentative in keys]
    palette.append(_blend(NO_DATA_STYLE["fill"], NO_DATA_STYLE["fill_opacity"]))
    return palette, rows


def write_page_data(timeline: Timeline, days: list[int], directory: Path) -> Path:
    """places.geojson (feature property ``i`` = index among the polygons) and jumps.json."""
    directory.mkdir(parents=True, exist_ok=True)
    places = polygon_places(timeline)
    positions = np.array([timeline.place_index[p] for p in places.index], dtype=np.int64)
    features = [{"type": "Feature", "properties": {"i": i},
                 "geometry": json.loads(json.dumps(geom.__geo_interface__))}
                for i, geom in enumerate(places.geometry)]
    (directory / "places.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")))
    palette, row_colour = palette_of(timeline)
    no_data = len(palette) - 1
    lookup = np.append(row_colour, no_data)  # row -1 (no event yet) picks the last entry

    def encode(day: int) -> str:
        colours = lookup[timeline.latest_rows(day_iso(day))[positions]]
        return (65 + colours).astype(np.uint8).tobytes().decode("ascii")

    last = int(timeline.control["day"].max())
    (directory / "jumps.json").write_text(json.dumps({
        "palette": palette, "bounds": [float(v) for v in places.total_bounds],
        "dates": [day_iso(d) for d in days], "initial": encode(last),
        "jumps": [encode(d) for d in days]}))
    return directory
