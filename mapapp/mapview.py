"""The Folium map: offline assets, context layers, the places layer, legend and slider."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template
from folium.utilities import JsCode

from mapapp.i18n import ENGLISH, N_, Translator
from mapapp.slider import TimeSlider, ViewerPanel
from mapapp.style import CONTEXT_STYLES, INCIDENT_DAYS, OTHER_CONTEXT_STYLE, TOWN_STYLE
from mapapp.timeline import Timeline

EMPTY_COLLECTION: dict[str, Any] = {"type": "FeatureCollection", "features": []}

# The page's ES modules start here (main.js imports the rest, docs/viewer.md); mapapp.js and
# the renderer-*.js and renderer.js are classic scripts because Folium's inline script calls
# them as it runs.
ENTRY_MODULE = "main.js"
# Classic scripts loaded after mapapp.js that follow the page through its hooks.
HOOKED_SCRIPTS = ("updates.js",)

# Context layers (styled by mapapp.style), all under the places: these first, and always
# shown (no switch in the layer control); then the others, by name.
CONTEXT_BELOW = ("countries", "lakes")
BELOW_PANE = "mapappBelow"
CONTEXT_TITLES = {"countries": N_("Countries"), "lakes": N_("Lakes"), "rivers": N_("Rivers"),
                  "borders": N_("International borders"), "towns": N_("Towns")}


@dataclass(frozen=True)
class AssetUrls:
    """Where the page loads its scripts and styles from; all on our own origin."""

    leaflet_js: str
    leaflet_css: str
    app_js: str
    app_css: str


class Legend(MacroElement):
    """Hands the map to the page's legend (static/legend.js), whose entries come from the
    data and are set as text."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        mapapp.legendOn({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


def build_map(timeline: Timeline, assets: AssetUrls, tile_url: str | None = None,
              tile_attribution: str = "", tr: Translator = ENGLISH) -> folium.Map:
    """The page's map. Everything that changes with the date is done in the browser."""
    m = folium.Map(location=_center(timeline), zoom_start=7, tiles=None, prefer_canvas=True,
                   zoom_snap=0.25, zoom_delta=0.5,
                   # renderer.js; Folium types options as JSON but renders a JsCode as code
                   renderer=JsCode("mapapp.batchedCanvas()"))  # type: ignore[arg-type]
    # Instance attributes shadow Folium's CDN lists: only Leaflet and our own files load.
    m.default_js = [("leaflet", assets.leaflet_js), ("mapapp_js", assets.app_js),
                    ("mapapp_raster", _sibling(assets.app_js, "renderer-raster.js")),
                    ("mapapp_layers", _sibling(assets.app_js, "renderer-layers.js")),
                    ("mapapp_renderer", _sibling(assets.app_js, "renderer.js"))] + [
        (f"mapapp_{name.removesuffix('.js')}", _sibling(assets.app_js, name))
        for name in HOOKED_SCRIPTS
    ]
    # Modules run after the document is parsed, so after Folium's inline script.
    module = Element(f'<script type="module" src="{_sibling(assets.app_js, ENTRY_MODULE)}">'
                     '</script>')
    root = m.get_root()
    assert isinstance(root, Figure)  # a Map's root is always its Figure
    root.header.add_child(module, name="mapapp_main")
    m.default_css = [("leaflet_css", assets.leaflet_css), ("mapapp_css", assets.app_css)]
    context = timeline.dataset.context
    # The context layers in a pane under the places (the overlay pane is at 400), drawn
    # as SVG (mapapp.paneSvg): painted once per pan or zoom and kept by the compositor,
    # where a canvas would be copied again in every frame of a date change.
    folium.map.CustomPane(BELOW_PANE, z_index=399, pointer_events=False).add_to(m)
    for name in CONTEXT_BELOW:
        if name in context:
            _context_layer(name, context[name], tr).add_to(m)
    places = folium.GeoJson(
        EMPTY_COLLECTION,
        name=tr.gettext("Control areas"),
        marker=folium.CircleMarker(radius=7),
        on_each_feature=JsCode("mapapp.onEachPlace"),
    )
    places.add_to(m)
    for name in sorted(context):
        if name not in CONTEXT_BELOW:
            _context_layer(name, context[name], tr).add_to(m)
    incidents = folium.FeatureGroup(name=tr.nmessage("Incidents (last {n} day)",
                                                  "Incidents (last {n} days)", INCIDENT_DAYS))
    incidents.add_to(m)
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr=tile_attribution, name=tr.gettext("Online map tiles"),
                         overlay=True, show=False, control=True, max_zoom=18).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    m.add_child(Legend())
    m.add_child(TimeSlider(places, incidents, tr))
    m.add_child(ViewerPanel(tr))
    return m


def _sibling(url: str, name: str) -> str:
    """The URL of another file in the directory of ``url`` (keeps any prefix and mount)."""
    return url.rsplit("/", 1)[0] + "/" + name


# Folium's own viewport forbids zooming (WCAG 1.4.4); templates/page.html has one that allows it.
_FOLIUM_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


def render_parts(m: folium.Map) -> dict[str, str]:
    """The map's head, body and script, for embedding in our own page template."""
    root = m.get_root()
    assert isinstance(root, Figure)  # a Map's root is always its Figure
    root.render()
    header = _FOLIUM_VIEWPORT.sub("", root.header.render())
    return {"header": header, "body": root.html.render(),
            "script": root.script.render()}


def _context_layer(name: str, frame: Any, tr: Translator) -> folium.GeoJson:
    # A layer the catalogue does not name keeps its file's name (data, not interface).
    title = (tr.gettext(CONTEXT_TITLES[name]) if name in CONTEXT_TITLES
             else name.replace("_", " ").capitalize())
    data = frame.__geo_interface__ if len(frame) else EMPTY_COLLECTION
    svg = JsCode(f"mapapp.paneSvg({json.dumps(BELOW_PANE)})")
    if name == "towns" or (len(frame) and frame.geom_type.isin(["Point"]).all()):
        marker = folium.CircleMarker(
            radius=TOWN_STYLE["radius"], color=TOWN_STYLE["color"], weight=TOWN_STYLE["weight"],
            fill=True, fill_color=TOWN_STYLE["fillColor"],
            fill_opacity=TOWN_STYLE["fillOpacity"])
        # Folium keeps only the style keys of a marker's options: the rest set here.
        marker.options.update(pane=BELOW_PANE, interactive=False)
        marker.options["renderer"] = svg  # type: ignore[assignment]
        return folium.GeoJson(data, name=title, marker=marker,
                              on_each_feature=JsCode("mapapp.onEachTown"),
                              pane=BELOW_PANE, interactive=False, renderer=svg)
    style = CONTEXT_STYLES.get(name, OTHER_CONTEXT_STYLE)
    return folium.GeoJson(data, name=title, style_function=lambda _f, s=style: s,
                          control=name not in CONTEXT_BELOW, pane=BELOW_PANE,
                          interactive=False, renderer=svg)


def _center(timeline: Timeline) -> list[float]:
    places = timeline.dataset.places
    if places.geometry.isna().all():
        return [0.0, 0.0]
    west, south, east, north = places.total_bounds  # missing shapes are skipped
    return [(south + north) / 2, (west + east) / 2]
