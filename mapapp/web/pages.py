"""The map page and the files it loads."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from xstatic.pkg import leaflet as xstatic_leaflet

from mapapp import params
from mapapp.errors import MissingResourceError
from mapapp.freshness import page_settings
from mapapp.mapview import AssetUrls, build_map, render_parts
from mapapp.store import Snapshot
from mapapp.web.params import optional_date, snapshot, view_id
from mapapp.web.security import csp_nonce, with_nonce

bp = Blueprint("pages", __name__)

CONTROLS = params.Choice("controls", "keep the timeline controls in the embed", example="0",
                         choices=("0", "1"), default="0")

LEAFLET_DIR = xstatic_leaflet.BASE_DIR


def _asset_urls() -> AssetUrls:
    return AssetUrls(
        leaflet_js=url_for("pages.leaflet_asset", filename="leaflet.js"),
        leaflet_css=url_for("pages.leaflet_asset", filename="leaflet.css"),
        app_js=url_for("static", filename="mapapp.js"),
        app_css=url_for("static", filename="mapapp.css"),
    )


def page_parts(snap: Snapshot) -> dict[str, str]:
    """The Folium page is built once per data version; the date and view come from config."""
    cache: dict[str, dict[str, str]] = current_app.extensions.setdefault("mapapp_pages", {})
    key = snap.version
    if key not in cache:
        settings = current_app.config["MAPAPP_SETTINGS"]
        tiles = settings.tile_url if settings.offer_online_tiles else None
        m = build_map(snap.timeline, _asset_urls(), tiles, settings.tile_attribution)
        cache.clear()
        cache[key] = render_parts(m)
    return cache[key]


def page_config(snap: Snapshot) -> dict[str, object]:
    """What the page's script needs to start: the requested date and view (validated here,
    400 when malformed), and the versioned data URLs. Shared by the map and the embed."""
    date = optional_date("date")
    view = view_id(snap) or ("overview" if "overview" in snap.dataset.views.index else None)
    views = snap.dataset.views
    return {
        "date": date.isoformat() if date else None,
        "view": None if view is None else {
            "id": view,
            "bounds": [float(views.loc[view, c]) for c in ("west", "south", "east", "north")],
        },
        "data_url": url_for("pages.payload", version=snap.version),
        "details_url": details_base_url(snap.version),
        "sources_url": url_for("pages.sources"),
        "credit": snap.dataset.credit,
        "version": snap.version,
        "freshness": page_settings(current_app.config["MAPAPP_SETTINGS"].stale_after_days),
    }


@bp.get("/")
def index() -> Response:
    snap = snapshot()
    config = page_config(snap)
    html = render_template("map.html", parts=page_parts(snap), config=config,
                           title="Territorial control map")
    return Response(with_nonce(html, csp_nonce()), mimetype="text/html")


def _immutable_json(body: bytes, version: str, requested: str) -> Response:
    response = Response(body, mimetype="application/json")
    if requested == version:
        # The URL names the data version, so its content never changes.
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"
    response.set_etag(version)
    return response.make_conditional(request)


@bp.get("/data/<version>/timeline.json")
def payload(version: str) -> Response:
    snap = snapshot()
    return _immutable_json(snap.payload_json, snap.version, version)


# "control-12.json": a kind and a chunk number without leading zeros (one URL per chunk).
CHUNK_NAME = re.compile(r"(?P<kind>[a-z]+)-(?P<n>0|[1-9][0-9]{0,8})\.json")


def details_base_url(version: str) -> str:
    """The folder of a version's chunks of event texts, through url_for so that a prefix
    the app is mounted under is kept; the page appends "<kind>-<n>.json"."""
    return url_for("pages.detail_chunk", version=version, name="control-0.json") \
        .rsplit("/", 1)[0] + "/"


@bp.get("/data/<version>/events/<name>")
def detail_chunk(version: str, name: str) -> Response:
    """One chunk of event texts (payload.build_detail_chunk); 404 for any other name."""
    match = CHUNK_NAME.fullmatch(name)
    if match is None:
        raise MissingResourceError(f"no event texts at {name!r}: chunks are named "
                                   "control-<n>.json and incidents-<n>.json")
    snap = snapshot()
    body = snap.detail_chunk_json(match["kind"], int(match["n"]))
    return _immutable_json(body, snap.version, version)


@bp.get("/sources")
def sources() -> Response:
    return Response(snapshot().dataset.sources_text, mimetype="text/plain")


@bp.get("/vendor/leaflet/<path:filename>")
def leaflet_asset(filename: str) -> Response:
    return send_from_directory(LEAFLET_DIR, filename, max_age=86400)


@bp.get("/favicon.ico")
def favicon() -> Response:
    return Response(status=204)


@bp.get("/embed")
def embed() -> Response:
    """The map without its page furniture, for an iframe. Pinned to ``date`` when given,
    else the latest state; ``controls=1`` keeps the timeline; postMessage sets the date."""
    snap = snapshot()
    controls = CONTROLS.parse(request.args)
    config = page_config(snap)
    view = config["view"]["id"] if config["view"] else None  # type: ignore[index]
    full_map = url_for("pages.index", **{k: v for k, v in
                                         (("date", config["date"]), ("view", view)) if v})
    html = render_template("embed.html", parts=page_parts(snap), config=config,
                           controls=controls == "1", full_map=full_map,
                           title="Territorial control map")
    # Framing by other sites is allowed here only (see mapapp.web.security).
    return Response(with_nonce(html, csp_nonce()), mimetype="text/html")
