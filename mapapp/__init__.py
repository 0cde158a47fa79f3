"""mapapp: who controls which place, on which day.

``create_app`` is the only place that wires things together.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from mapapp.config import load_settings

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask app: settings, data store, blueprints, error table.

    ``config`` keys override ``MAPAPP_*`` environment variables (e.g. ``data_dir``).
    """
    from mapapp.payload import DETAILS_CHUNK
    from mapapp.store import DataStore
    from mapapp.web import api, docs, export, ogc, open_data, pages
    from mapapp.web.compress import install_compression
    from mapapp.web.errors import install_error_handlers
    from mapapp.web.security import install_security_headers

    settings = load_settings(config)
    app = Flask(__name__, template_folder=str(TEMPLATES), static_folder="static")
    app.config["MAPAPP_SETTINGS"] = settings
    assert isinstance(app.json, DefaultJSONProvider)
    app.json.sort_keys = False  # keep GeoJSON members in their natural order
    app.extensions["mapapp"] = DataStore(
        settings.data_dir, settings.reload_interval,
        details_chunk=settings.details_chunk or DETAILS_CHUNK, cache_dir=settings.cache_dir,
        keep_versions=settings.keep_versions, version_grace=settings.version_grace)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(ogc.bp)
    app.register_blueprint(open_data.bp)
    install_error_handlers(app)
    install_compression(app)
    pages.install_version_header(app)
    install_security_headers(app, settings.tile_url if settings.offer_online_tiles else None)
    return app
