"""``mapapp build-site``: the whole map as plain files for any static host.

A small freezer of our own rather than Frozen-Flask: most files are not responses to
URLs of the app (a static host cannot answer ``?date=``), but pre-rendered choices — the
state at the busiest dates, the snapshots, the feed without filters — written by the same
core functions the app calls. The map page itself is rendered by the app's template with a
``static`` block in its config, which tells the page there is no server behind it.

Layout (every path below the base URL's path):

* ``index.html`` (``<lang>/index.html`` per other interface language), ``sources.txt``,
  ``feed.atom``, ``api/views`` (what the page fetches)
* ``data/<version>/timeline.json`` and ``data/<version>/events/<kind>-<n>.json``
* ``static/`` (our scripts and styles), ``vendor/leaflet/``
* ``export/``: state and events as GeoJSON and CSV, snapshot PNGs, ``dataset.zip``
* ``ogc/collections/<id>/items.geojson``: the OGC collections as static GeoJSON
* ``_headers``: cache rules (immutable for ``data/<version>/``, revalidate for the rest)
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from html import escape as html_escape
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, render_template

from mapapp import create_app, datapackage, exports, feed, i18n, ogc, snapshot
from mapapp.store import DataVersion
from mapapp.timeline import Timeline, day_iso
from mapapp.web.pages import LEAFLET_DIR, language_choices, page_config, page_parts, page_texts
from mapapp.web.security import content_security_policy, tile_origin

# Pre-rendered snapshot images: the dates on which most places changed hands.
BUSIEST_DATES = 4
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"


@dataclass(frozen=True)
class SiteReport:
    out: Path
    files: int
    bytes: int


def busiest_dates(timeline: Timeline, count: int = BUSIEST_DATES) -> list[str]:
    """The ``count`` change dates with the most control events (the later one on a tie),
    oldest first."""
    per_day = timeline.control["day"].value_counts()
    ranked = sorted(zip(per_day.tolist(), per_day.index.tolist(), strict=True),
                    reverse=True)[:count]
    return sorted(day_iso(day) for _, day in ranked)


def _split_base(base_url: str) -> tuple[str, str]:
    """(origin or "", path prefix without a trailing slash) of ``--base-url``."""
    parts = urlsplit(base_url or "/")
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return origin, parts.path.rstrip("/")


class _Writer:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: list[Path] = []

    def write(self, relative: str, data: bytes | str) -> None:
        path = self.out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        self.files.append(path)

    def copy_tree(self, source: Path, relative: str, only: tuple[str, ...] = ()) -> None:
        """Every file below ``source``, or only those whose path starts with ``only``."""
        for path in sorted(Path(source).rglob("*")):
            name = path.relative_to(source).as_posix()
            if only and not name.startswith(only):
                continue
            if path.is_file() and "__pycache__" not in path.parts \
                    and not name.endswith(".map"):
                self.write(f"{relative}/{path.relative_to(source).as_posix()}",
                           path.read_bytes())


def build_site(out: Path, data_dir: Path, base_url: str = "/") -> SiteReport:
    """Write the site into ``out`` (emptied first if it holds an earlier build)."""
    out = Path(out)
    if out.exists():
        if not (out / "_headers").is_file() and any(out.iterdir()):
            raise FileExistsError(f"{out} is not empty and holds no earlier build: "
                                  "refusing to delete it")
        shutil.rmtree(out)
    origin, prefix = _split_base(base_url)
    app = create_app({"data_dir": data_dir, "reload_interval": 0.0})
    snap: DataVersion = app.extensions["mapapp"].current()
    writer = _Writer(out)
    downloads = _write_exports(writer, snap, origin, prefix)
    _write_page(writer, app, snap, origin, prefix, downloads)
    _write_data(writer, snap)
    writer.copy_tree(Path(app.static_folder or ""), "static")
    # Leaflet's build and its images; not its sources, ES module or source maps (3 MB).
    writer.copy_tree(Path(LEAFLET_DIR), "vendor/leaflet",
                     only=("leaflet.js", "leaflet.css", "images/"))
    _write_headers(writer, snap.version, prefix)
    return SiteReport(out, len(writer.files), sum(p.stat().st_size for p in writer.files))


def _write_page(writer: _Writer, app: Flask, snap: DataVersion, origin: str, prefix: str,
                downloads: list[list[object]]) -> None:
    """One page per interface language: ``index.html`` in English, ``<lang>/index.html``
    for each other catalogue (a static host cannot answer ``?lang=``)."""
    base = f"{origin or 'http://static.invalid'}{prefix}/"
    langs = i18n.languages(app.config["MAPAPP_SETTINGS"].translations_dir)
    pages = {lang: f"{prefix}/" if lang == i18n.SOURCE_LANGUAGE else f"{prefix}/{lang}/"
             for lang in langs}
    for lang in langs:
        with app.test_request_context(f"/?lang={lang}", base_url=base):
            config = page_config(snap)
            views = snap.dataset.views
            tr = i18n.translator(lang, app.config["MAPAPP_SETTINGS"].translations_dir)
            texts = page_texts(tr)
            texts["languages"] = language_choices(langs, pages)
            config.update(sources_url=f"{prefix}/sources.txt", feed_url=f"{prefix}/feed.atom",
                          lang=lang, languages=texts["languages"],
                          static={"downloads": downloads, "views": {
                              vid: [float(views.loc[vid, c]) for c in
                                    ("west", "south", "east", "north")]
                              for vid in views.index}})
            html = render_template("static_map.html", parts=page_parts(snap, tr),
                                   config=config,
                                   title=tr.gettext("Territorial control map"), **texts)
        name = "index.html" if lang == i18n.SOURCE_LANGUAGE else f"{lang}/index.html"
        writer.write(name, with_policy(html, app))
    with app.test_request_context("/", base_url=base):
        views_json = app.test_client().get("/api/views", base_url=base).data
    writer.write("api/views", views_json)


# Inline scripts that run: no src, no type (a JSON config block is data, not a script).
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def with_policy(html: str, app: Flask) -> str:
    """The page with the app's Content-Security-Policy as a <meta>, its inline scripts
    allowed by hash: a static host sends no per-request nonce, and often no headers at all.
    (A <meta> policy cannot forbid framing; the _headers rules do not either, as the map
    may be embedded.)"""
    hashes = tuple("sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest())
                   .decode() for body in _INLINE_SCRIPT.findall(html))
    settings = app.config["MAPAPP_SETTINGS"]
    tiles = tile_origin(settings.tile_url if settings.offer_online_tiles else None)
    policy = content_security_policy(None, tiles, True, hashes)
    policy = "; ".join(d for d in policy.split("; ") if not d.startswith("frame-ancestors"))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{html_escape(policy)}">'
    return html.replace('<meta charset="utf-8">', f'<meta charset="utf-8">\n{meta}', 1)


def _write_data(writer: _Writer, snap: DataVersion) -> None:
    version = snap.version
    writer.write(f"data/{version}/timeline.json", snap.payload_json)
    counts = json.loads(snap.payload_json)["details"]
    for kind, n in counts.items():
        if kind == "chunk":
            continue
        for k in range(n):
            writer.write(f"data/{version}/events/{kind}-{k}.json",
                         snap.detail_chunk_json(kind, k))


def _write_exports(writer: _Writer, snap: DataVersion, origin: str,
                   prefix: str) -> list[list[object]]:
    """Every file a reader can download without a server; returns the Share dialog's
    groups: [title, [[label, url], ...]]."""
    timeline, ds = snap.timeline, snap.dataset
    sources = f"{origin}{prefix}/sources.txt"
    provenance = exports.provenance_of(ds, sources)
    latest = timeline.last_date
    writer.write("sources.txt", ds.sources_text)
    writer.write("feed.atom", feed.build_feed(
        timeline, feed_url=f"{origin}{prefix}/feed.atom", page_url=f"{origin}{prefix}/",
        credit=ds.credit, licence=provenance.license))
    writer.write("export/dataset.zip", datapackage.dataset_zip(ds))
    url = f"{prefix}/export/"
    groups: list[list[object]] = []
    dates = busiest_dates(timeline)
    images = []
    for date in dict.fromkeys([*dates, *([latest] if latest else [])]):
        name = f"snapshot-{date}.png"
        options = snapshot.parse_snapshot_options({"date": date}, timeline, "png")
        writer.write(f"export/{name}", snapshot.render_snapshot(timeline, options))
        images.append([f"PNG, {date}" + (" (latest)" if date == latest else ""), url + name])
    groups.append(["Map images of the busiest dates", images])
    if latest:
        states = []
        for fmt in ("geojson", "csv"):
            name = f"state-{latest}.{fmt}"
            writer.write(f"export/{name}", exports.export_state(timeline, latest, fmt,
                                                                provenance))
            states.append([fmt.upper().replace("GEOJSON", "GeoJSON"), url + name])
        groups.append([f"Data on {latest} (latest)", states])
    events = []
    for fmt in ("csv", "geojson"):
        writer.write(f"export/events.{fmt}", exports.export_events(timeline, None, None, fmt,
                                                                   provenance))
        events.append([fmt.upper().replace("GEOJSON", "GeoJSON"), f"{url}events.{fmt}"])
    groups.append(["Every event", events])
    groups.append(["The data set", [["Data package (zip)", url + "dataset.zip"],
                                    ["Feed of changes (Atom)", f"{prefix}/feed.atom"]]])
    for cid in ogc.COLLECTIONS:
        doc = {"type": "FeatureCollection", "id": cid, "title": ogc.COLLECTIONS[cid].title,
               "attribution": provenance.attribution, "license": provenance.license,
               "features": ogc.features(timeline, cid)}
        if cid == "control":
            doc["date"] = ogc.control_date(timeline, None).isoformat()
        writer.write(f"ogc/collections/{cid}/items.geojson",
                     json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
    return groups


def _write_headers(writer: _Writer, version: str, prefix: str) -> None:
    """``_headers`` in the format of Netlify and Cloudflare Pages. The patterns do not
    overlap, so no host has to decide which of two Cache-Control values wins."""
    rules = [(f"{prefix}/data/*", IMMUTABLE)]
    for pattern in ("/", "/index.html", "/sources.txt", "/feed.atom", "/api/*", "/static/*",
                    "/vendor/*", "/export/*", "/ogc/*"):
        rules.append((f"{prefix}{pattern}", REVALIDATE))
    lines = ["# Cache rules: data/<version>/ never changes (its name is the data's hash);",
             "# everything else is revalidated, so a new build shows at once.", ""]
    for pattern, cache in rules:
        lines += [pattern, f"  Cache-Control: {cache}", "  X-Content-Type-Options: nosniff",
                  "  Referrer-Policy: same-origin", ""]
    writer.write("_headers", "\n".join(lines))
