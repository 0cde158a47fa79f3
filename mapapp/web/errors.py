"""One table from exception types to HTTP status codes, installed at the edge."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from mapapp.errors import (
    BusyError,
    DataError,
    MapAppError,
    MissingResourceError,
    NotFoundError,
    RequestError,
)
from mapapp.web.params import translator_or_english

STATUS_CODES: dict[type[Exception], int] = {
    BusyError: 503,
    MissingResourceError: 404,
    NotFoundError: 400,  # an unknown id in a query is a bad request, not a missing page
    RequestError: 400,
    DataError: 503,
    MapAppError: 500,
}


def _wants_json() -> bool:
    return request.path.startswith(("/api/", "/export/", "/data/", "/healthz", "/feed"))


# The exception codes of OGC API – Features (and OGC API – Common) by HTTP status.
OGC_CODES = {400: "InvalidParameterValue", 404: "NotFound", 406: "NotAcceptable",
             503: "ServiceUnavailable"}


def error_response(status: int, message: str, parameter: str | None = None) -> Response:
    if request.path.startswith("/ogc"):
        # OGC clients (GDAL, QGIS) read {"code", "description"}, the OGC exception.
        fallback = "InvalidRequest" if status < 500 else "ServerError"
        response = jsonify({"code": OGC_CODES.get(status, fallback),
                            "description": message})
    elif _wants_json():
        body = {"error": {"status": status, "message": message}}
        if parameter:
            body["error"]["parameter"] = parameter
        response = jsonify(body)
    else:
        tr = translator_or_english()
        response = Response(render_template("error.html", status=status, message=message,
                                            tr=tr, _=tr.gettext), mimetype="text/html")
    response.status_code = status
    return response


def install_error_handlers(app: Flask) -> None:
    def handle_app_error(exc: MapAppError) -> Response:
        status = next(code for kind, code in STATUS_CODES.items() if isinstance(exc, kind))
        response = error_response(status, str(exc), getattr(exc, "parameter", None))
        if isinstance(exc, BusyError):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    def handle_http_error(exc: HTTPException) -> Response:
        return error_response(exc.code or 500, exc.description or exc.name)

    app.register_error_handler(MapAppError, handle_app_error)
    app.register_error_handler(HTTPException, handle_http_error)
