"""The map page and the files it loads."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from xstatic.pkg import leaflet as xstatic_leaflet

from mapapp import i18n, params
from mapapp.errors import MissingResourceError
from mapapp.freshness import page_settings
from mapapp.mapview import AssetUrls, build_map, render_parts
from mapapp.store import DataStore, DataVersion, Served
from mapapp.web.params import optional_date, snapshot, translator, view_id
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


def page_parts(snap: DataVersion, tr: i18n.Translator) -> dict[str, str]:
    """The Folium page is built once per data version and language; the date and view
    come from config."""
    cache: dict[tuple[str, str], dict[str, str]] = \
        current_app.extensions.setdefault("mapapp_pages", {})
    key = (snap.version, tr.lang)
    if key not in cache:
        settings = current_app.config["MAPAPP_SETTINGS"]
        tiles = settings.tile_url if settings.offer_online_tiles else None
        m = build_map(snap.timeline, _asset_urls(), tiles, settings.tile_attribution, tr)
        for old in [k for k in cache if k[0] != snap.version]:
            del cache[old]
        cache[key] = render_parts(m)
    return cache[key]


def page_texts(tr: i18n.Translator) -> dict[str, Any]:
    """What every page template is given for its language: the translator (``_`` in the
    templates), and the page's catalogue for static/i18n.js."""
    directory = current_app.config["MAPAPP_SETTINGS"].translations_dir
    return {"tr": tr, "_": tr.gettext, "catalogue": tr.page_catalogue(),
            "languages": language_choices(i18n.languages(directory))}


def language_choices(langs: tuple[str, ...], pages: dict[str, str] | None = None
                     ) -> list[dict[str, str | None]]:
    """The language switch's entries: code, own name, and the page of that language when
    it is another file (a static site) rather than ``?lang=`` (the server)."""
    return [{"code": lang, "name": i18n.language_name(lang),
             "page": pages[lang] if pages else None} for lang in langs]


def page_config(snap: DataVersion) -> dict[str, Any]:
    """What the page's script needs to start: the requested date and view (validated here,
    400 when malformed), and the versioned data URLs. Shared by the map and the embed."""
    date = optional_date("date")
    view = view_id(snap) or ("overview" if "overview" in snap.dataset.views.index else None)
    views = snap.dataset.views
    return {
        "date": date.isoformat() if date else None,
        "view": None if view is None else {
            "id": view,
            "bounds": views.loc[view, ["west", "south", "east", "north"]].to_numpy(float).tolist(),
        },
        "data_url": url_for("pages.payload", version=snap.version),
        "details_url": details_base_url(snap.version),
        "sources_url": url_for("pages.sources"),
        "credit": snap.dataset.credit,
        "version": snap.version,
        "version_url": url_for("pages.current_version"),
        "freshness": page_settings(current_app.config["MAPAPP_SETTINGS"].stale_after_days),
    }


@bp.get("/")
def index() -> Response:
    snap = snapshot()
    tr = translator()
    config = page_config(snap)
    texts = page_texts(tr)
    config.update(lang=tr.lang, languages=texts["languages"])
    html = render_template("map.html", parts=page_parts(snap, tr), config=config,
                           title=tr.gettext("Territorial control map"), **texts)
    return revalidated_page(html)


def revalidated_page(html: str) -> Response:
    """A page every cache asks for again (``no-cache``), answered 304 when it has not
    changed. The tag is of the page without its per-request CSP nonce, hence weak."""
    response = Response(with_nonce(html, csp_nonce()), mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    response.set_etag(hashlib.sha256(html.encode()).hexdigest()[:32], weak=True)
    response.make_conditional(request)  # in place: werkzeug's stubs lose the Flask type
    return response


def _store() -> DataStore:
    return current_app.extensions["mapapp"]


def _versioned_json(version: str, body_of: Callable[[Served], bytes]) -> Response:
    """A versioned data URL: the bytes of that version while it is kept (the current one
    or an earlier one within its grace period), cacheable forever. A version not kept gets
    the current data marked ``no-cache``, so no cache keeps it under that URL."""
    served = _store().served(version)
    if served is None:
        current = snapshot()
        response = Response(body_of(current), mimetype="application/json")
        response.headers["Cache-Control"] = "no-cache"
        response.set_etag(current.version)
    else:
        g.data_version = served.version
        response = Response(body_of(served), mimetype="application/json")
        # The URL names the data version, so its content never changes.
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.set_etag(served.version)
    response.make_conditional(request)  # in place: werkzeug's stubs lose the Flask type
    return response


@bp.get("/data/<version>/timeline.json")
def payload(version: str) -> Response:
    return _versioned_json(version, lambda served: served.payload_json)


# Seconds a cache may keep /data/version.json: how long a page may take to learn of an
# update beyond its own polling interval (updates.js).
VERSION_MAX_AGE = 10


@bp.get("/data/version.json")
def current_version() -> Response:
    """The version being served, polled by open pages to offer a reload after an update."""
    response = jsonify({"version": snapshot().version})
    response.headers["Cache-Control"] = f"public, max-age={VERSION_MAX_AGE}"
    return response


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
    kind, n = match["kind"], int(match["n"])
    return _versioned_json(version, lambda served: served.detail_chunk_json(kind, n))


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
    tr = translator()
    controls = CONTROLS.parse(request.args)
    config = page_config(snap)
    texts = page_texts(tr)
    config.update(lang=tr.lang, languages=texts["languages"])
    view = config["view"]["id"] if config["view"] else None
    lang = None if tr.lang == i18n.SOURCE_LANGUAGE else tr.lang
    query: dict[str, str] = {k: v for k, v in (("date", config["date"]), ("view", view),
                                               ("lang", lang)) if v}
    full_map = url_for("pages.index", **query)  # type: ignore[arg-type]  # values are str
    html = render_template("embed.html", parts=page_parts(snap, tr), config=config,
                           controls=controls == "1", full_map=full_map,
                           title=tr.gettext("Territorial control map"), **texts)
    # Framing by other sites is allowed here only (see mapapp.web.security).
    return revalidated_page(html)


def install_version_header(app: Flask) -> None:
    """Every response built from the data says which data version it was built from: a
    client or a cache can tell a response of one version from one of another."""

    @app.after_request
    def version_header(response: Response) -> Response:
        if "data_version" in g:
            response.headers["X-Data-Version"] = g.data_version
        return response
