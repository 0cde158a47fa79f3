"""An Atom feed (RFC 4287) of the latest control changes. Pure: no Flask.

One entry per change of hands (a report that only confirms the same state is not a
change), newest first. Every id is derived from the event id, and every date from the data,
so a rebuild of the same data gives the same feed byte for byte.
"""

from __future__ import annotations

import datetime as dt
import html
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from mapapp.dataset import missing_as_none
from mapapp.timeline import NO_DATA, Timeline, parse_date

ATOM = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 50
# Entry ids are urn:uuid names of the event id in this namespace: stable whatever the
# feed's URL, order or build time.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:mapapp:events")


def event_urn(event_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, event_id)}"


def latest_changes(timeline: Timeline, place: str | None = None,
                   faction: str | None = None, limit: int = MAX_ENTRIES) -> pd.DataFrame:
    """Control events that changed a place's status or factions, newest first, with the
    state they replaced and their source's date."""
    first, last = timeline.first_date, timeline.last_date
    if first is None or last is None:
        return pd.DataFrame(columns=["id"])
    before = parse_date(first) - dt.timedelta(days=1)
    frame = timeline.changes_between(before, last)
    changed = (frame["status"] != frame["from_status"]) | \
        (frame["factions"] != frame["from_factions"])
    if place:
        changed &= frame["place"] == place
    if faction:
        changed &= np.array([faction in new or faction in old for new, old in
                             zip(frame["factions"], frame["from_factions"], strict=True)],
                            dtype=bool)
    frame = frame[changed]
    source_dates = timeline.dataset.events.set_index("id")["source_date"]
    frame = frame.assign(source_date=[missing_as_none(source_dates.get(i)) for i in frame["id"]])
    return frame.iloc[::-1].head(limit).reset_index(drop=True)


def describe(status: str, factions: tuple[str, ...], names: Mapping[str, str]) -> str:
    """'held by ISIS', 'contested: held by SDF, challenged by ISIS', 'no data'."""
    named = [names.get(f, f) for f in factions]
    if status == NO_DATA or not named:
        return "no data"
    if status == "held":
        return f"held by {named[0]}"
    if status == "contested":
        return f"contested: held by {named[0]}, challenged by {' and '.join(named[1:])}"
    return f"{status}: {' and '.join(named)}"


def _stamp(day: str | None) -> str:
    return f"{day}T00:00:00Z"


def build_feed(timeline: Timeline, *, feed_url: str, page_url: str, credit: str,
               licence: str, place: str | None = None, faction: str | None = None) -> bytes:
    """The feed as UTF-8 XML. ``feed_url`` is its own address (rel="self"), ``page_url``
    the map page, to which each entry links at its date."""
    ds = timeline.dataset
    names: dict[str, str] = {str(fid): (missing_as_none(row["short_name"]) or row["name"])
             for fid, row in ds.factions.iterrows()}
    place_names = ds.places["name"]
    changes = latest_changes(timeline, place, faction)
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent: ET.Element, tag: str, text: str | None = None,
            **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    scope = " ".join(part for part in (
        f"at {place_names.get(place, place)}" if place else "",
        f"involving {names.get(faction, faction)}" if faction else "") if part)
    key = f"feed?place={place or ''}&faction={faction or ''}"
    sub(feed, "id", f"urn:uuid:{uuid.uuid5(_NAMESPACE, key)}")
    sub(feed, "title", "Control changes" + (f" {scope}" if scope else ""))
    sub(feed, "subtitle", "Who controls which place, on which day: the latest changes, "
                          "each with its source.")
    updated = [max(d for d in (row["date"], row["source_date"]) if d)
               for _, row in changes.iterrows()]
    sub(feed, "updated", _stamp(max(updated) if updated else (timeline.last_date
                                                               or "1970-01-01")))
    author = sub(feed, "author")
    sub(author, "name", credit or "mapapp")
    sub(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    sub(feed, "rights", licence)
    sub(feed, "generator", "mapapp")
    for (_, row), last_update in zip(changes.iterrows(), updated, strict=True):
        feed.append(_entry(row, last_update, names, place_names, page_url, sub))
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(row: pd.Series, updated: str, names: Mapping[str, str], place_names: pd.Series,
           page_url: str, sub: Any) -> ET.Element:
    entry = ET.Element(f"{{{ATOM}}}entry")
    place = place_names.get(row["place"], row["place"])
    old = describe(row["from_status"], row["from_factions"], names)
    new = describe(row["status"], row["factions"], names)
    confidence = missing_as_none(row["confidence"]) or "confirmed"
    title, url = missing_as_none(row["source_title"]), missing_as_none(row["source_url"])
    sub(entry, "id", event_urn(row["id"]))
    sub(entry, "title", f"{place}: {old} → {new}")
    sub(entry, "published", _stamp(row["date"]))
    sub(entry, "updated", _stamp(updated))
    separator = "&" if "?" in page_url else "?"
    sub(entry, "link", rel="alternate", type="text/html",
        href=f"{page_url}{separator}date={row['date']}")
    if url:
        sub(entry, "link", rel="related", href=url, title=title or url)
    for faction in dict.fromkeys((*row["from_factions"], *row["factions"])):
        sub(entry, "category", term=faction, label=names.get(faction, faction))
    summary = missing_as_none(row["summary"]) or ""
    sub(entry, "summary", f"{row['date']}: {place}, {old} → {new} ({confidence}). "
                          f"{summary} Source: {title or url or 'none'}"
                          f"{f', published {row.source_date}' if row.source_date else ''}.")
    # type="html": the markup is a string, escaped once more by the XML writer.
    content = sub(entry, "content", type="html")
    content.text = "".join([
        f"<p><strong>{_html(place)}</strong>: {_html(old)} → {_html(new)}</p>",
        f"<p>{_html(row['date'])} · confidence: {_html(confidence)}</p>",
        f"<p>{_html(summary)}</p>" if summary else "",
        f'<p>Source: <a href="{_html(url)}">{_html(title or url)}</a>'
        f"{f' ({_html(row.source_date)})' if row.source_date else ''}</p>" if url else "",
    ])
    return entry


def _html(text: Any) -> str:
    return html.escape(str(text), quote=True)
