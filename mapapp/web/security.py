"""Security headers at the edge: a strict Content-Security-Policy with a per-request nonce,
no MIME sniffing, a quiet referrer policy, and framing denied everywhere but /embed."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, g, request

EMBEDDABLE_PATHS = ("/embed",)


def tile_origin(tile_url: str | None) -> str | None:
    """The origin an online tile layer loads from, with ``{s}`` subdomains as a wildcard."""
    if not tile_url:
        return None
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def csp_nonce() -> str:
    """The nonce of this request, for the page's inline scripts."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def with_nonce(html: str, nonce: str) -> str:
    """Mark the inline scripts Folium writes (bare ``<script>`` tags) as ours."""
    return html.replace("<script>", f'<script nonce="{nonce}">')


def content_security_policy(nonce: str | None, tiles: str | None, embeddable: bool,
                            script_hashes: tuple[str, ...] = ()) -> str:
    """The policy; ``script_hashes`` (``sha256-…``) allow inline scripts of a page that
    has no server to give it a nonce (a static site)."""
    ancestors = "*" if embeddable else "'none'"
    images = "'self' data: blob:" + (f" {tiles}" if tiles else "")
    scripts = "'self'" + (f" 'nonce-{nonce}'" if nonce else "") + "".join(
        f" '{h}'" for h in script_hashes)
    directives = [
        "default-src 'self'",
        f"script-src {scripts}",
        # Leaflet positions every element with inline styles.
        "style-src 'self' 'unsafe-inline'",
        f"img-src {images}",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        f"frame-ancestors {ancestors}",
    ]
    return "; ".join(directives)


def install_security_headers(app: Flask, tile_url: str | None) -> None:
    tiles = tile_origin(tile_url)

    @app.after_request
    def secure(response: Response) -> Response:
        embeddable = request.path.startswith(EMBEDDABLE_PATHS)
        nonce = g.get("csp_nonce")
        # A 304 keeps the stored page, whose scripts carry the nonce of the policy stored
        # with it: a new policy here would block them.
        if response.status_code != 304:
            response.headers["Content-Security-Policy"] = content_security_policy(
                nonce, tiles, embeddable)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        if not embeddable:
            response.headers["X-Frame-Options"] = "DENY"
        return response
