"""Folium's TimeSliderChoropleth on the same data, built the way its documentation shows.

``styledict`` maps each feature id to ``{timestamp: {"color", "opacity"}}``. Two variants:

* ``sparse``: an entry only where a place's state changes. The plugin keeps the old fill of a
  place without an entry at the new timestamp, so this one shows wrong states after any
  backward or skipping jump; it is measured because it is what a careful user would try.
* ``dense``: an entry for every place at every timestamp (what DESIGN.md §3 measured, and
  what the plugin needs to be correct): a places x dates table in the HTML.

The page loads its scripts from our loopback static server, never from Folium's CDNs.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import folium
import numpy as np
from folium.plugins import TimeSliderChoropleth
from xstatic.pkg import leaflet as xstatic_leaflet

from mapapp.timeline import Timeline, day_iso

NPM_DIR = Path(__file__).resolve().parent / "node_modules"
LEAFLET_DIR = Path(xstatic_leaflet.BASE_DIR)
# URL prefixes of the static server -> directories.
MOUNTS = {"/vendor/leaflet": LEAFLET_DIR, "/vendor/npm": NPM_DIR}
# Only what this page uses; Folium's Bootstrap, awesome-markers and glyphicons are dropped,
# which favours TimeSliderChoropleth slightly.
MAP_JS = [("leaflet", "/vendor/leaflet/leaflet.js"),
          ("jquery", "/vendor/npm/jquery/dist/jquery.min.js")]
MAP_CSS = [("leaflet_css", "/vendor/leaflet/leaflet.css")]
# The versions the plugin asks for: d3 v4 and moment 2.18.1 (bench/package.json).
PLUGIN_JS = [("d3v4", "/vendor/npm/d3/build/d3.min.js"),
             ("moment", "/vendor/npm/moment/min/moment.min.js")]
NO_DATA = {"color": "#bdbdbd", "opacity": 0.35}
VARIANTS = ("sparse", "dense")


def missing_assets() -> str | None:
    """Why the page cannot be served offline, or None when every script is here."""
    for _, url in MAP_JS + MAP_CSS + PLUGIN_JS:
        path = local_path(url)
        if path is None or not path.is_file():
            return (f"{url} not found: run `npm install --prefix bench` "
                    "(d3@4.13.0, moment@2.18.1, jquery@3.7.1)")
    return None


def install_assets(timeout_s: float = 300) -> str | None:
    """``npm ci`` the pinned scripts into bench/node_modules when they are missing; returns
    why the page still cannot be served, or None. Only the benchmark needs them."""
    if missing_assets() is None:
        return None
    npm = shutil.which("npm")
    if npm is None:
        return missing_assets() + "; npm is not installed"
    try:
        subprocess.run([npm, "ci", "--prefix", str(NPM_DIR.parent), "--no-audit", "--no-fund"],
                       check=True, capture_output=True, timeout=timeout_s)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{missing_assets()}; npm ci failed: {type(exc).__name__}"
    return missing_assets()


def local_path(url: str) -> Path | None:
    for prefix, directory in MOUNTS.items():
        if url.startswith(prefix + "/"):
            return directory / url[len(prefix) + 1:]
    return None


@dataclass
class Plan:
    """What a variant would contain, known before building it."""

    variant: str
    features: int
    timestamps: int
    entries: int
    geometry_json: str
    est_bytes: int


def make_plan(timeline: Timeline, variant: str) -> Plan:
    places = _polygons(timeline)
    geometry = places[["name", "geometry"]].to_json()
    features = len(places)
    timestamps = len(timeline.change_days)
    if variant == "dense":
        entries = features * timestamps
    else:
        entries = int(timeline.control["place"].isin(places.index).sum())
    # One entry is about '"1420070400":{"color":"#d62728","opacity":0.62}, ' in the page.
    per_entry = len(json.dumps({"1420070400": {"color": "#d62728", "opacity": 0.62}})) + 1
    est = len(geometry) + entries * per_entry + features * 30 + 20_000
    return Plan(variant, features, timestamps, entries, geometry, est)


def build_page(timeline: Timeline, plan: Plan) -> tuple[str, dict[str, float]]:
    """The page's HTML and how long each step took (seconds)."""
    started = time.perf_counter()
    styledict = _styledict(timeline, plan.variant)
    styled = time.perf_counter()
    m = folium.Map(location=_center(timeline), zoom_start=7, tiles=None)
    m.default_js, m.default_css = MAP_JS, MAP_CSS  # instance lists shadow the CDN ones
    layer = TimeSliderChoropleth(plan.geometry_json, styledict=styledict, init_timestamp=-1,
                                 name="Control")
    layer.default_js = PLUGIN_JS
    layer.add_to(m)
    view = _overview(timeline)
    if view:
        m.fit_bounds(view)
    html = m.get_root().render()
    done = time.perf_counter()
    return html, {"styledict_s": styled - started, "render_s": done - styled,
                  "build_s": done - started}


def slider_index(timeline: Timeline, day: int) -> int:
    """The slider position that shows ``day``: the last timestamp on or before it."""
    return max(0, int(np.searchsorted(timeline.change_days, day, side="right")) - 1)


def usable_condition(features: int) -> str:
    """JS: the slider exists and every feature has its SVG path."""
    return ('!!document.querySelector("div[id^=slider_] > input[type=range]") && '
            f'document.querySelectorAll("path.leaflet-interactive").length >= {features}')


# --- helpers -----------------------------------------------------------------------------


def _polygons(timeline: Timeline) -> Any:
    # The plugin sets an id on each layer's SVG path: markers (points) have none and would
    # throw, null geometries are never drawn.
    places = timeline.dataset.places
    keep = places.geometry.notna() & places.geom_type.isin(["Polygon", "MultiPolygon"])
    return places[keep]


def _style_table(timeline: Timeline) -> list[dict[str, Any]]:
    """One shared style object per control event row, like the page's colours."""
    colors = timeline.dataset.factions["color"].to_dict()
    out = []
    for factions, confidence in zip(timeline.control["factions"], timeline.control["confidence"],
                                    strict=True):
        tentative = confidence in ("claimed", "disputed")
        out.append({"color": colors[factions[0]], "opacity": 0.3 if tentative else 0.62})
    return out


def _styledict(timeline: Timeline, variant: str) -> dict[str, dict[str, Any]]:
    styles = _style_table(timeline)
    ids = list(_polygons(timeline).index)
    stamps = [str(int(d) * 86400) for d in timeline.change_days]
    if variant == "sparse":
        out: dict[str, dict[str, Any]] = {pid: {} for pid in ids}
        for row, (pid, day) in enumerate(zip(timeline.control["place"],
                                             timeline.control["day"], strict=True)):
            if pid in out:
                out[pid][str(int(day) * 86400)] = styles[row]
        return out
    # dense: the state of every place at every timestamp, one column per timestamp.
    position = np.array([timeline.place_index[pid] for pid in ids], dtype=np.int64)
    table = np.stack([timeline.latest_rows(day_iso(d))[position]
                      for d in timeline.change_days], axis=1) if stamps else \
        np.empty((len(ids), 0), dtype=np.int64)
    lookup = [*styles, NO_DATA]  # -1 (no event yet) picks NO_DATA
    return {pid: {ts: lookup[r] for ts, r in zip(stamps, table[k].tolist(), strict=True)}
            for k, pid in enumerate(ids)}


def _center(timeline: Timeline) -> list[float]:
    west, south, east, north = _polygons(timeline).total_bounds
    return [(south + north) / 2, (west + east) / 2]


def _overview(timeline: Timeline) -> list[list[float]] | None:
    views = timeline.dataset.views
    if "overview" not in views.index:
        return None
    v = views.loc["overview"]
    return [[float(v["south"]), float(v["west"])], [float(v["north"]), float(v["east"])]]
