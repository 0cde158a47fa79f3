"""The machine-readable description of the API."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from mapapp.openapi import build_openapi

bp = Blueprint("docs", __name__)


@bp.get("/api/openapi.json")
def openapi() -> Response:
    return jsonify(build_openapi())
