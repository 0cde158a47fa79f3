"""OGC API – Features at /ogc: the landing page, conformance, the API document,
collections and their items, as JSON (GeoJSON) and as HTML for people.

Thin: ``mapapp.ogc`` parses and selects; this module adds links and negotiates the format
(``f=json|html``, else the Accept header; JSON by default).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from mapapp import ogc
from mapapp.errors import RequestError
from mapapp.openapi import build_ogc_openapi
from mapapp.web.params import snapshot

bp = Blueprint("ogc", __name__, url_prefix="/ogc")

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
REL_CONFORMANCE = "http://www.opengis.net/def/rel/ogc/1.0/conformance"
REL_DATA = "http://www.opengis.net/def/rel/ogc/1.0/data"


def _format(allowed: tuple[str, ...] = ("f",)) -> str:
    """'json' or 'html'; unknown parameters are refused here, before any work."""
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        raise RequestError(f"unknown parameter {unknown[0]!r}; this resource takes "
                           f"{', '.join(allowed)}", unknown[0])
    f = request.args.get("f")
    if f:
        if f not in ("json", "html"):
            raise RequestError(f"f {f!r} is not json or html", "f")
        return f
    best = request.accept_mimetypes.best_match([GEOJSON, JSON, HTML], default=JSON)
    return "html" if best == HTML else "json"


def _url(endpoint: str, f: str | None = None, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values, **({"f": f} if f else {}))


def _self_links(endpoint: str, json_type: str = JSON, **values: Any) -> list[dict[str, str]]:
    return [
        {"href": _url(endpoint, "json", **values), "rel": "self", "type": json_type,
         "title": "this document"},
        {"href": _url(endpoint, "html", **values), "rel": "alternate", "type": HTML,
         "title": "this document as HTML"},
    ]


def _respond(doc: dict[str, Any], f: str, kind: str, title: str,
             mimetype: str = JSON) -> Response:
    if f == "html":
        html = render_template("ogc.html", doc=doc, kind=kind, title=title,
                               json_url=_current_url(f="json"))
        return Response(html, mimetype=HTML)
    body = json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body, mimetype=mimetype)


def _current_url(**changes: Any) -> str:
    args = request.args.to_dict()
    args.update({k: str(v) for k, v in changes.items()})
    return url_for(request.endpoint or "ogc.landing", _external=True,
                   **(request.view_args or {}), **args)


@bp.get("", strict_slashes=False)
def landing() -> Response:
    f = _format()
    snap = snapshot()
    doc = {
        "title": "mapapp: territorial control",
        "description": f"Who controls which place, on which day. {snap.dataset.credit}",
        "links": [
            *_self_links("ogc.landing"),
            {"href": _url("ogc.api"), "rel": "service-desc", "type": OPENAPI,
             "title": "the API definition"},
            {"href": _url("ogc.conformance"), "rel": "conformance", "type": JSON,
             "title": "conformance classes"},
            {"href": _url("ogc.conformance"), "rel": REL_CONFORMANCE, "type": JSON,
             "title": "conformance classes"},
            {"href": _url("ogc.collections"), "rel": "data", "type": JSON,
             "title": "the collections"},
            {"href": _url("ogc.collections"), "rel": REL_DATA, "type": JSON,
             "title": "the collections"},
            {"href": url_for("pages.sources", _external=True), "rel": "license",
             "type": "text/plain", "title": "sources and licences"},
        ],
    }
    return _respond(doc, f, "landing", str(doc["title"]))


@bp.get("/conformance")
def conformance() -> Response:
    f = _format()
    doc = {"links": _self_links("ogc.conformance"), "conformsTo": ogc.CONFORMANCE}
    return _respond(doc, f, "conformance", "Conformance classes")


@bp.get("/api")
def api() -> Response:
    _format()
    server = url_for("ogc.landing", _external=True).rstrip("/")
    body = json.dumps(build_ogc_openapi(server), ensure_ascii=False)
    return Response(body, mimetype=OPENAPI)


def _collection_doc(cid: str) -> dict[str, Any]:
    meta = ogc.collection(cid)
    return {
        "id": meta.id, "title": meta.title, "description": meta.description,
        "extent": ogc.extent(snapshot().timeline, cid), "itemType": "feature",
        "crs": [ogc.CRS84], "storageCrs": ogc.CRS84,
        "links": [
            {"href": _url("ogc.collection", "json", cid=cid), "rel": "self", "type": JSON,
             "title": meta.title},
            {"href": _url("ogc.items", "json", cid=cid), "rel": "items", "type": GEOJSON,
             "title": f"{meta.title} as GeoJSON"},
            {"href": _url("ogc.items", "html", cid=cid), "rel": "items", "type": HTML,
             "title": f"{meta.title} as HTML"},
        ],
    }


@bp.get("/collections")
def collections() -> Response:
    f = _format()
    doc = {"links": _self_links("ogc.collections"),
           "collections": [_collection_doc(cid) for cid in ogc.COLLECTIONS]}
    return _respond(doc, f, "collections", "Collections")


@bp.get("/collections/<cid>")
def collection(cid: str) -> Response:
    f = _format()
    doc = _collection_doc(cid)
    return _respond(doc, f, "collection", doc["title"])


@bp.get("/collections/<cid>/items")
def items(cid: str) -> Response:
    f = _format(ogc.ITEM_PARAMETERS)
    meta = ogc.collection(cid)
    args = request.args
    limit = ogc.parse_count(args.get("limit"), "limit", ogc.DEFAULT_LIMIT, ogc.MAX_LIMIT)
    offset = ogc.parse_count(args.get("offset"), "offset", 0, None)
    bbox = ogc.parse_bbox(args.get("bbox"), args.get("bbox-crs"))
    ogc.check_crs(args.get("crs"))
    interval = ogc.parse_datetime(args.get("datetime"))
    timeline = snapshot().timeline
    selected = ogc.features(timeline, cid, interval if meta.temporal else None, bbox)
    page = selected[offset:offset + limit]
    links = [
        {"href": _current_url(f="json"), "rel": "self", "type": GEOJSON, "title": "this page"},
        {"href": _current_url(f="html"), "rel": "alternate", "type": HTML,
         "title": "this page as HTML"},
        {"href": _url("ogc.collection", "json", cid=cid), "rel": "collection", "type": JSON,
         "title": meta.title},
    ]
    if offset + limit < len(selected):
        links.append({"href": _current_url(f=f, offset=offset + limit), "rel": "next",
                      "type": GEOJSON if f == "json" else HTML, "title": "next page"})
    if offset > 0:
        links.append({"href": _current_url(f=f, offset=max(0, offset - limit)),
                      "rel": "prev", "type": GEOJSON if f == "json" else HTML,
                      "title": "previous page"})
    doc: dict[str, Any] = {"type": "FeatureCollection", "features": page}
    if cid == "control":
        doc["date"] = ogc.control_date(timeline, interval).isoformat()
    doc.update({
        "numberMatched": len(selected), "numberReturned": len(page),
        "timeStamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "links": links,
    })
    return _respond(doc, f, "items", meta.title, GEOJSON)


@bp.get("/collections/<cid>/items/<fid>")
def item(cid: str, fid: str) -> Response:
    f = _format(("f", "datetime", "crs"))
    ogc.check_crs(request.args.get("crs"))
    meta = ogc.collection(cid)
    interval = ogc.parse_datetime(request.args.get("datetime"))
    doc = dict(ogc.feature(snapshot().timeline, cid, fid, interval))
    doc["links"] = [
        {"href": _current_url(f="json"), "rel": "self", "type": GEOJSON, "title": "this feature"},
        {"href": _current_url(f="html"), "rel": "alternate", "type": HTML,
         "title": "this feature as HTML"},
        {"href": _url("ogc.collection", "json", cid=cid), "rel": "collection", "type": JSON,
         "title": meta.title},
    ]
    return _respond(doc, f, "item", f"{meta.title}: {fid}", GEOJSON)
