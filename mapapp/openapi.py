"""The OpenAPI 3 description of the JSON and export endpoints, served at /api/openapi.json.

Query parameters come from the declarations that parse them (:mod:`mapapp.params`), so the
limits described are the limits enforced. They are described as plain strings on purpose:
the server, not the client's schema, is the judge of a malformed value, and the fuzzers
throw anything at it.
"""

from __future__ import annotations

from typing import Any

from mapapp import exports, params
from mapapp.ogc import MAX_LIMIT
from mapapp.snapshot import options as snapshot_options

ERROR = {"$ref": "#/components/responses/Error"}


# The parameters of each endpoint, from the declarations that parse them.
DATE, FROM, TO = params.DATE.openapi(), params.FROM.openapi(), params.TO.openapi()
FROM_REQUIRED, TO_REQUIRED = params.FROM_REQUIRED.openapi(), params.TO_REQUIRED.openapi()
SNAPSHOT = [q.openapi() for q in snapshot_options.SNAPSHOT_PARAMS]
ANIMATION = [q.openapi() for q in snapshot_options.ANIMATION_PARAMS]
AREA_DATES = {**params.Date("date", "a date; may be repeated", example="2017-11-01").openapi()}


def _media(formats: tuple[str, ...]) -> list[str]:
    return [params.media_type(f) for f in formats]


def _json_op(summary: str, params: list[dict[str, Any]], schema: dict[str, Any] | None = None,
             media: str = "application/json") -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {"description": "OK",
                        "content": {media: {"schema": schema or {"type": "object"}}}},
                "400": ERROR,
            },
        }
    }


def _file_op(summary: str, params: list[dict[str, Any]], media: list[str],
             path_param: tuple[str, list[str]] | None = None) -> dict[str, Any]:
    parameters = list(params)
    if path_param:
        name, values = path_param
        parameters.insert(0, {"name": name, "in": "path", "required": True,
                              "schema": {"type": "string", "enum": values}})
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": {"description": "the file",
                        "content": {m: {"schema": {"type": "string", "format": "binary"}}
                                    for m in media}},
                "400": ERROR,
                "503": {"description": "too many renders at once; retry after the "
                                       "Retry-After header's seconds"},
            },
        }
    }


def build_openapi() -> dict[str, Any]:
    """The description as a dict, ready for ``jsonify``."""
    error_schema = {
        "type": "object",
        "required": ["error"],
        "properties": {"error": {"type": "object", "required": ["status", "message"],
                                 "properties": {"status": {"type": "integer"},
                                                "message": {"type": "string"},
                                                "parameter": {"type": "string"}}}},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "mapapp", "version": "1",
                 "description": "Who controls which place, on which day. Every malformed "
                                "parameter is a 400 with a JSON message."},
        "paths": {
            "/api/state": _json_op("State of every place at a date (GeoJSON)", [DATE]),
            "/api/events": _json_op("Events, filtered", [
                FROM, TO, params.PLACE.openapi(), params.FACTION.openapi(),
                params.EVENT_TYPE.openapi()]),
            "/api/changes": _json_op("Control changes in (from, to]",
                                     [FROM_REQUIRED, TO_REQUIRED]),
            "/api/gains-losses": _json_op(
                "Places gained and lost per faction between two dates; a first report is "
                "not a gain", [FROM_REQUIRED, TO_REQUIRED]),
            "/api/places": _json_op("Places (GeoJSON)", []),
            "/api/places/{place_id}/history": {
                "get": {
                    "summary": "Every event at one place, oldest first",
                    "parameters": [{"name": "place_id", "in": "path", "required": True,
                                    "schema": {"type": "string"}, "example": "kanamat"}],
                    "responses": {"200": {"description": "OK", "content": {
                        "application/json": {"schema": {"type": "object"}}}},
                        "400": ERROR},
                }
            },
            "/api/areas": _json_op("km² held by each faction at each change date, or at "
                                   "the given dates (repeat date=)", [AREA_DATES]),
            "/api/factions": _json_op("Factions and colours", []),
            "/api/views": _json_op("Named extents", []),
            "/healthz": _json_op("Data version, counts and problems", []),
            "/export/snapshot.{fmt}": _file_op(
                "Publication-ready map at a date", SNAPSHOT,
                _media(snapshot_options.FORMATS), ("fmt", list(snapshot_options.FORMATS))),
            "/export/animation.{fmt}": _file_op(
                "Animated GIF of the changes between two dates", ANIMATION,
                _media(snapshot_options.ANIMATION_FORMATS),
                ("fmt", list(snapshot_options.ANIMATION_FORMATS))),
            "/export/state.{fmt}": _file_op(
                "The state at a date as data", [DATE], _media(exports.STATE_FORMATS),
                ("fmt", list(exports.STATE_FORMATS))),
            "/export/events.{fmt}": _file_op(
                "The events of a date range as data", [FROM, TO],
                _media(exports.EVENT_FORMATS), ("fmt", list(exports.EVENT_FORMATS))),
            **open_data_paths(),
        },
        "components": {
            "responses": {"Error": {"description": "a malformed or unknown parameter",
                                    "content": {"application/json": {"schema": error_schema}}},
                          **OGC_COMPONENTS},
        },
    }


# --- open data: the feed, the data package and OGC API – Features ------------------------

OGC_ERROR = {"$ref": "#/components/responses/OgcError"}
OGC_COMPONENTS = {"OgcError": {
    "description": "OGC exception: a malformed parameter (400) or a missing resource (404)",
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["code", "description"],
        "properties": {"code": {"type": "string"}, "description": {"type": "string"}}}}}}}
# OGC API parameters keep OGC's meanings (mapapp/ogc.py parses them); declared as text like
# every other parameter.
_F = params.Text("f", "json | html (else the Accept header decides)", example="json").openapi()
_CID = {"name": "cid", "in": "path", "required": True, "example": "control",
        "schema": {"type": "string", "enum": ["places", "events", "control"]}}
_FID = {"name": "fid", "in": "path", "required": True, "example": "kanamat",
        "schema": {"type": "string"}}
_DATETIME = params.Text("datetime", "RFC 3339 date or date-time, or an interval a/b with "
                        "open ends '..'; control: the state at the instant or the interval's "
                        "end", example="2017-10-30").openapi()
_OGC_BBOX = params.Text("bbox", "west,south,east,north in CRS84 degrees",
                        example="40.06,35.29,40.23,35.41").openapi()
_CRS = params.Text("crs", "only CRS84").openapi()
_BBOX_CRS = params.Text("bbox-crs", "only CRS84").openapi()
_LIMIT = params.Text("limit", f"features per page, 1–{MAX_LIMIT}", example="10").openapi()
_OFFSET = params.Text("offset", "features to skip (the next links set it)",
                      example="0").openapi()
_FEED_FACTION = params.Text("faction", "faction id: changes to or from it",
                            example="isis").openapi()


def _ogc_op(summary: str, params: list[dict[str, Any]], media: str) -> dict[str, Any]:
    return {"get": {"summary": summary, "parameters": [_F, *params], "responses": {
        "200": {"description": "OK", "content": {media: {"schema": {"type": "object"}},
                                                  "text/html": {"schema": {"type": "string"}}}},
        "400": OGC_ERROR, "404": OGC_ERROR}}}


def open_data_paths() -> dict[str, Any]:
    geojson, json_ = "application/geo+json", "application/json"
    return {
        "/feed.atom": {"get": {
            "summary": "Atom feed of the latest control changes, newest first",
            "parameters": [params.PLACE.openapi(), _FEED_FACTION],
            "responses": {"200": {"description": "an Atom 1.0 feed", "content": {
                "application/atom+xml": {"schema": {"type": "string"}}}}, "400": ERROR}}},
        "/export/dataset.zip": _file_op(
            "The data set as shipped, its licences and a Frictionless datapackage.json",
            [], ["application/zip"]),
        "/ogc": _ogc_op("OGC API – Features landing page", [], json_),
        "/ogc/conformance": _ogc_op("Conformance classes", [], json_),
        "/ogc/api": _ogc_op("This OpenAPI document", [],
                            "application/vnd.oai.openapi+json;version=3.0"),
        "/ogc/collections": _ogc_op("The collections: places, events, control", [], json_),
        "/ogc/collections/{cid}": _ogc_op("One collection", [_CID], json_),
        "/ogc/collections/{cid}/items": _ogc_op("Features of a collection, a page at a time", [
            _CID, _DATETIME, _OGC_BBOX, _BBOX_CRS, _CRS, _LIMIT, _OFFSET], geojson),
        "/ogc/collections/{cid}/items/{fid}": _ogc_op(
            "One feature", [_CID, _FID, _DATETIME, _CRS], geojson),
    }


def build_ogc_openapi(server: str) -> dict[str, Any]:
    """The OGC API's own document (served at /ogc/api): the /ogc paths relative to
    ``server``, the service's root URL."""
    paths = {path.removeprefix("/ogc") or "/": op for path, op in open_data_paths().items()
             if path.startswith("/ogc")}
    return {"openapi": "3.0.3",
            "info": {"title": "mapapp OGC API – Features", "version": "1",
                     "description": "Places, events and control at a date, as GeoJSON."},
            "servers": [{"url": server}], "paths": paths,
            "components": {"responses": OGC_COMPONENTS}}
