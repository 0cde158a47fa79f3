"""Loopback HTTP servers for the benchmark: the Flask app, and static files for Folium's page."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from werkzeug.middleware.shared_data import SharedDataMiddleware
from werkzeug.serving import WSGIRequestHandler, make_server

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass  # hundreds of requests per run would bury the table


class LoopbackServer:
    """Serve a WSGI app on 127.0.0.1 from a daemon thread, as a context manager.

    Only loopback: the benchmark must never expose anything or reach the network.
    """

    def __init__(self, app: WsgiApp) -> None:
        self._server = make_server("127.0.0.1", 0, app, threaded=True,
                                   request_handler=_QuietHandler)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
        self._server.server_close()


def _not_found(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


def static_app(mounts: Mapping[str, Path]) -> WsgiApp:
    """A WSGI app serving each directory of ``mounts`` under its URL prefix."""
    # No caching headers: each measured load uses a fresh browser context anyway.
    return SharedDataMiddleware(_not_found, {prefix: str(path) for prefix, path in mounts.items()},
                                cache=False)
