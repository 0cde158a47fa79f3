"""gzip for text responses, at the edge: the payload is JSON and shrinks several-fold."""

from __future__ import annotations

import gzip
from functools import lru_cache

from flask import Flask, Response, request

COMPRESSIBLE = ("application/json", "text/html", "text/plain", "text/css", "text/csv",
                "application/javascript", "text/javascript", "image/svg+xml",
                "application/geo+json")
MIN_BYTES = 1024


@lru_cache(maxsize=256)
def _gzip_cached(etag: str, body: bytes) -> bytes:
    """Static files and versioned data are compressed once per ETag and body, not per
    request. Room for every chunk of event texts at 20,000 × 100,000 (about 100) without
    pushing out the payload, which takes half a second to compress at that size."""
    return gzip.compress(body, compresslevel=6, mtime=0)


def gzip_bytes(body: bytes, etag: str | None = None) -> bytes:
    if etag:
        return _gzip_cached(etag, body)
    return gzip.compress(body, compresslevel=6, mtime=0)


def _accepts_gzip() -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def install_compression(app: Flask) -> None:
    @app.after_request
    def compress(response: Response) -> Response:
        response.vary.add("Accept-Encoding")
        if (
            not _accepts_gzip()
            or response.status_code < 200
            or response.status_code >= 300
            or "Content-Encoding" in response.headers
            or response.mimetype not in COMPRESSIBLE
        ):
            return response
        response.direct_passthrough = False
        source = response.response
        body = response.get_data()
        close = getattr(source, "close", None)
        if close is not None:  # a file being streamed: we have read it all
            close()
        if len(body) < MIN_BYTES:
            return response
        etag, weak = response.get_etag()
        response.set_data(gzip_bytes(body, etag))
        response.headers["Content-Encoding"] = "gzip"
        if etag:
            # Another representation, another tag: a cache must not answer a client that
            # cannot read gzip with the gzip bytes because their tags matched.
            response.set_etag(f"{etag}-gzip", bool(weak))
            response.make_conditional(request)  # in place: werkzeug's stubs lose the Flask type
        return response
