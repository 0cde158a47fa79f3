"""Open data for readers and scripts: the Atom feed of changes and the data package."""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from mapapp import datapackage, feed
from mapapp.exports import provenance_of
from mapapp.web.params import known_id, snapshot

bp = Blueprint("open_data", __name__)


@bp.get("/feed.atom")
def atom() -> Response:
    snap = snapshot()
    ds = snap.dataset
    place = known_id(request.args.get("place"), ds.places.index, "place", "place")
    faction = known_id(request.args.get("faction"), ds.factions.index, "faction", "faction")
    filters = {k: v for k, v in (("place", place), ("faction", faction)) if v}
    body = feed.build_feed(
        snap.timeline, feed_url=url_for("open_data.atom", _external=True, **filters),
        page_url=url_for("pages.index", _external=True), credit=ds.credit,
        licence=provenance_of(ds).license, place=place, faction=faction)
    response = Response(body, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "public, max-age=300"
    response.set_etag(f"{snap.version}-{place}-{faction}")
    response.make_conditional(request)  # in place: werkzeug's stubs lose the Flask type
    return response


@bp.get("/export/dataset.zip")
def dataset_zip() -> Response:
    snap = snapshot()
    response = Response(datapackage.dataset_zip(snap.dataset), mimetype="application/zip")
    response.headers["Content-Disposition"] = 'attachment; filename="mapapp-dataset.zip"'
    response.headers["Cache-Control"] = "public, max-age=300"
    response.set_etag(snap.version)
    response.make_conditional(request)  # in place: werkzeug's stubs lose the Flask type
    return response
