"""The OpenAPI 3 description of the JSON and export endpoints, served at /api/openapi.json.

Query parameters are described as plain strings on purpose: the server, not the client's
schema, is the judge of a malformed value, and the fuzzers throw anything at it.
"""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/responses/Error"}


def _query(name: str, description: str, required: bool = False,
           example: str | None = None) -> dict[str, Any]:
    param: dict[str, Any] = {"name": name, "in": "query", "required": required,
                             "description": description, "schema": {"type": "string"}}
    if example is not None:
        param["example"] = example
    return param


DATE = _query("date", "ISO date YYYY-MM-DD; the latest data date when omitted",
              example="2017-11-01")
FROM = _query("from", "first date, ISO YYYY-MM-DD", example="2017-10-24")
TO = _query("to", "last date, ISO YYYY-MM-DD", example="2017-11-03")
VIEW = _query("view", "id of a named view (see /api/views)", example="deir-ez-zor-city")
IMAGE = [
    _query("bbox", "west,south,east,north in degrees, instead of view",
           example="40.06,35.29,40.23,35.41"),
    _query("width", "pixels, 200–4000", example="1200"),
    _query("height", "pixels, 200–4000", example="675"),
    _query("preset", "social | square | a4", example="social"),
    _query("title", "title drawn on the image"),
    _query("subtitle", "subtitle drawn on the image"),
    _query("lang", "en | ar: language of place names", example="en"),
    _query("labels", "1 | 0: draw place labels", example="1"),
]


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
                FROM, TO, _query("place", "place id", example="kanamat"),
                _query("faction", "faction id", example="isis"),
                _query("type", "control | incident", example="control")]),
            "/api/changes": _json_op("Control changes in (from, to]", [
                {**FROM, "required": True}, {**TO, "required": True}]),
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
                                   "the given dates (repeat date=)", [
                                       _query("date", "ISO date; may be repeated",
                                              example="2017-11-01")]),
            "/api/factions": _json_op("Factions and colours", []),
            "/api/views": _json_op("Named extents", []),
            "/healthz": _json_op("Data version, counts and problems", []),
            "/export/snapshot.{fmt}": _file_op(
                "Publication-ready map at a date", [DATE, VIEW, *IMAGE,
                                                    _query("compare", "earlier date to "
                                                           "compare with")],
                ["image/png", "image/svg+xml", "application/pdf"],
                ("fmt", ["png", "svg", "pdf"])),
            "/export/animation.{fmt}": _file_op(
                "Animated GIF of the changes between two dates",
                [FROM, TO, _query("step", "day | change", example="change"), VIEW, *IMAGE,
                 _query("delay", "milliseconds per frame", example="800")],
                ["image/gif"], ("fmt", ["gif"])),
            "/export/state.{fmt}": _file_op(
                "The state at a date as data", [DATE],
                ["application/geo+json", "text/csv", "application/geopackage+sqlite3"],
                ("fmt", ["geojson", "csv", "gpkg"])),
            "/export/events.{fmt}": _file_op(
                "The events of a date range as data", [FROM, TO],
                ["text/csv", "application/geo+json"], ("fmt", ["csv", "geojson"])),
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
_F = _query("f", "json | html (else the Accept header decides)", example="json")
_CID = {"name": "cid", "in": "path", "required": True, "example": "control",
        "schema": {"type": "string", "enum": ["places", "events", "control"]}}
_FID = {"name": "fid", "in": "path", "required": True, "example": "kanamat",
        "schema": {"type": "string"}}
_DATETIME = _query("datetime", "RFC 3339 date or date-time, or an interval a/b with open "
                   "ends '..'; control: the state at the instant or the interval's end",
                   example="2017-10-30")


def _ogc_op(summary: str, params: list[dict[str, Any]], media: str) -> dict[str, Any]:
    return {"get": {"summary": summary, "parameters": [_F, *params], "responses": {
        "200": {"description": "OK", "content": {media: {"schema": {"type": "object"}},
                                                  "text/html": {"schema": {"type": "string"}}}},
        "400": OGC_ERROR, "404": OGC_ERROR}}}


def open_data_paths() -> dict[str, Any]:
    from mapapp.ogc import MAX_LIMIT

    geojson, json_ = "application/geo+json", "application/json"
    return {
        "/feed.atom": {"get": {
            "summary": "Atom feed of the latest control changes, newest first",
            "parameters": [_query("place", "place id", example="kanamat"),
                           _query("faction", "faction id: changes to or from it",
                                  example="isis")],
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
            _CID, _DATETIME,
            _query("bbox", "west,south,east,north in CRS84 degrees",
                   example="40.06,35.29,40.23,35.41"),
            _query("bbox-crs", "only CRS84"), _query("crs", "only CRS84"),
            _query("limit", f"features per page, 1–{MAX_LIMIT}", example="10"),
            _query("offset", "features to skip (the next links set it)", example="0")],
            geojson),
        "/ogc/collections/{cid}/items/{fid}": _ogc_op(
            "One feature", [_CID, _FID, _DATETIME, _query("crs", "only CRS84")], geojson),
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
