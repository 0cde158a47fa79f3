"""The OpenAPI 3 description of the JSON and export endpoints, served at /api/openapi.json.

Query parameters come from the declarations that parse them (:mod:`mapapp.params`), so the
limits described are the limits enforced. They are described as plain strings on purpose:
the server, not the client's schema, is the judge of a malformed value, and the fuzzers
throw anything at it.
"""

from __future__ import annotations

from typing import Any

from mapapp import exports, params
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
        },
        "components": {
            "responses": {"Error": {"description": "a malformed or unknown parameter",
                                    "content": {"application/json": {"schema": error_schema}}}},
        },
    }
