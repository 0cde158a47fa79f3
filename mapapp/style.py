"""How states are drawn and named, in one place: the page (through ``payload["style"]``),
the static exports and the tests all read these values.

Colours of factions come from the data (``factions.csv``); everything else that decides how
a place looks is here. Lengths of the page are CSS pixels; exports scale them to points.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from mapapp import colour
from mapapp.contract import CONFIDENCES, NO_DATA
from mapapp.i18n import ENGLISH, N_, Translator

# --- fills -------------------------------------------------------------------------------
# Tentative fills are paler, and hatched (TENTATIVE_HATCH) so that the status does not rest
# on colour alone; 0.4 keeps two factions' tentative fills 12 ΔE apart (docs/data.md §7).
FILL_OPACITY = {"firm": 0.62, "tentative": 0.4}
# Confidences drawn paler: the state is reported by one side, or disputed between sources.
TENTATIVE = ("claimed", "disputed")
# Tentative fills are crossed by white horizontal lines, ``lines`` to the stripes' tile (page
# pixels): a direction no other pattern uses (stripes run at 45°, stale places are dotted,
# with dots between these lines). Exports add matplotlib's "--" hatch.
TENTATIVE_HATCH = {"color": "#ffffff", "width": 2, "lines": 2}
EXPORT_TENTATIVE_HATCH = "--"


class NoDataStyle(TypedDict):
    """A place no event has reached yet: grey, whoever is near."""

    fill: str
    fill_opacity: float
    line: str


# The outline is dark enough for 3:1 against the fill and the land (WCAG 1.4.11).
NO_DATA_STYLE: NoDataStyle = {"fill": "#bdbdbd", "fill_opacity": 0.35, "line": "#6b6b6b"}
# A place's outline is its holder's colour times this factor (per RGB channel): dark enough
# for 3:1 against its own fills and the land for the shipped colours (tests/test_colour_vision.py).
LINE_DARKEN = 0.5

# --- outlines by kind of geometry (page pixels; dash as [on, off]) ----------------------
OUTLINES: dict[str, dict[str, Any]] = {
    "official": {"weight": 1, "dash": None},
    "derived": {"weight": 1.6, "dash": [5, 4]},  # an approximate shape says so
    "point": {"weight": 2, "dash": None},
}

# --- stripes on the page: a square canvas tile with 45° lines ---------------------------
# Contested is the holder's colour with thin lines of the challenger's; joint is half and
# half: the tile's lines are 14/√2 ≈ 9.9 px apart, so a 5 px line covers half (at 10 px the
# lines merged and a joint place showed only its second faction's colour).
STRIPES = {"tile": 14, "contested_width": 3, "joint_width": 5}
# The same look in matplotlib, whose "//" hatch draws a line about every 8.5 pt at any dpi:
# these widths give the page's ratios of challenger to holder.
# A stale place (mapapp/freshness.py) on the page: its state's fill, paler, dotted with white
# on the stripes' tile so patterns stay seamless; the legend's swatch is a neutral grey.
STALE_OPACITY_FACTOR = 0.7
STALE = {"opacity_factor": STALE_OPACITY_FACTOR, "dot": "#ffffff", "dot_radius": 1.8,
         "dot_centres": [[3.5, 3.5], [10.5, 10.5]], "swatch": "#9a9a9a"}
EXPORT_HATCH = "//"
EXPORT_HATCH_WIDTH = {"contested": 2.0, "joint": 4.25}

# --- context layers of the offline basemap (Leaflet path options, page pixels) ----------
# Coasts, lake shores and rivers reach 3:1 against the land and the sea (WCAG 1.4.11).
CONTEXT_STYLES: dict[str, dict[str, Any]] = {
    "countries": {"color": "#7a7a7a", "weight": 0.8, "fillColor": "#f6f4ee", "fillOpacity": 1},
    "lakes": {"color": "#4a7fb3", "weight": 0.6, "fillColor": "#b9d3e8", "fillOpacity": 1},
    "rivers": {"color": "#4a7fb3", "weight": 1.4, "opacity": 1},
    "borders": {"color": "#555555", "weight": 1.6, "dashArray": "6 3 1 3", "opacity": 0.9},
}
OTHER_CONTEXT_STYLE: dict[str, Any] = {"color": "#888888", "weight": 1}
TOWN_STYLE: dict[str, Any] = {"color": "#444444", "weight": 1, "fillColor": "#ffffff",
                              "fillOpacity": 1, "radius": 2.5}
SEA = "#dde6ec"
# --- the page's area chart: a band per faction (its data colour), contested and no data ---
CHART: dict[str, Any] = {"contested": "#9b7db8", "band_opacity": 0.85, "no_data_opacity": 0.6}

# Incidents are drawn for this many days up to the date shown.
INCIDENT_DAYS = 7

# A CSS pixel is 0.75 pt: page line weights become export line widths with this.
PX_TO_PT = 0.75

# --- words -------------------------------------------------------------------------------
# Legend entries are templates: ``{faction}`` is a faction's field named by ``name`` for the
# status, ``{factions}`` all of them joined by the status's ``separator``; a tentative
# state gets ``tentative`` appended. Short names only where room is tight: a held place
# shows its holder's full name, as every export does.
# Every word is an English msgid of the catalogue (mapapp/i18n.py): exports translate them
# with their Translator, the page with static/i18n.js (``words``).
LEGEND: dict[str, Any] = {
    "held": "{faction}",
    "contested": N_("Contested: {factions}"),
    "joint": N_("Joint: {factions}"),
    "separator": {"contested": N_(" vs "), "joint": N_(" + ")},
    "name": {"held": "name", "contested": "short_name", "joint": "short_name"},
    "tentative": N_(" ({confidence})"),
    "no_data": N_("No data"),
    "derived_outline": N_("Approximate outline"),
    "incident": N_("Incident, last {days} days"),
    "changed": N_("Changed since {date} (outline: new holder)"),
    "changed_faded": N_("Changed since {date} (the rest faded)"),
}
# A state's name in a popup or a history ("Held by Syrian government").
STATUS_TEXT = {"held": N_("Held by"), "contested": N_("Contested"), "joint": N_("Joint control"),
               NO_DATA: N_("No data")}
# A confidence in words, where a tentative state says it: "(claimed)".
CONFIDENCE_TEXT = {"confirmed": N_("confirmed"), "claimed": N_("claimed"),
                   "disputed": N_("disputed")}

assert set(TENTATIVE) < set(CONFIDENCES)


def is_tentative(confidence: str | None) -> bool:
    """Whether a state of this confidence is drawn paler.

    Examples
    --------
    >>> is_tentative("claimed"), is_tentative("confirmed"), is_tentative(None)
    (True, False, False)
    """
    return confidence in TENTATIVE


def fill_opacity(confidence: str | None) -> float:
    """The fill opacity of a held, contested or joint place of this confidence."""
    return FILL_OPACITY["tentative" if is_tentative(confidence) else "firm"]


def darker(color: str) -> str:
    """A place's outline colour: its fill colour, darker.

    Examples
    --------
    >>> darker("#ff8000")
    '#804000'
    """
    value = int(color.lstrip("#"), 16)
    channels = [round(((value >> shift) & 255) * LINE_DARKEN) for shift in (16, 8, 0)]
    return "#" + "".join(f"{c:02x}" for c in channels)


# What lies under the places: the land of the basemap, or the sea (the map's background)
# where a data set has no land layer.
UNDER_PLACES = (CONTEXT_STYLES["countries"]["fillColor"], SEA)


def shades(color: str, under: str) -> dict[str, colour.RGB]:
    """A faction's fills as the page composites them over ``under``: firm, tentative and a
    stale firm fill (the stale tentative one is told by its two patterns)."""
    rgb, ground = colour.parse_hex(color), colour.parse_hex(under)
    firm, tentative = FILL_OPACITY["firm"], FILL_OPACITY["tentative"]
    return {"firm": colour.blend(rgb, ground, firm),
            "tentative": colour.blend(rgb, ground, tentative),
            "stale": colour.blend(rgb, ground, firm * STALE_OPACITY_FACTOR)}


def no_data_shade(under: str) -> colour.RGB:
    return colour.blend(colour.parse_hex(NO_DATA_STYLE["fill"]), colour.parse_hex(under),
                        NO_DATA_STYLE["fill_opacity"])


def fill_template(template: str, **values: str) -> str:
    """Fill a legend template's ``{name}`` fields by plain replacement, as the page does
    (no format mini-language, so braces in faction names are safe).

    Examples
    --------
    >>> fill_template("Contested: {factions}", factions="A vs B")
    'Contested: A vs B'
    """
    out = template
    for name, value in values.items():
        out = out.replace("{" + name + "}", value)
    return out


def words(tr: Translator = ENGLISH) -> dict[str, Any]:
    """LEGEND with every word in ``tr``'s language (the ``name`` fields are not words)."""
    out: dict[str, Any] = {}
    for key, value in LEGEND.items():
        if key == "name":
            out[key] = dict(value)
        elif isinstance(value, dict):
            out[key] = {k: tr.gettext(v) for k, v in value.items()}
        else:
            out[key] = value if key == "held" else tr.gettext(value)
    out["confidence"] = {k: tr.gettext(v) for k, v in CONFIDENCE_TEXT.items()}
    return out


def legend_label(status: str, factions: Sequence[str], confidence: str | None,
                 names: Mapping[str, Mapping[str, Any]], tr: Translator = ENGLISH) -> str:
    """The legend's words for a state: the one definition used by exports, and declared to
    the page in ``payload["style"]["legend"]``.

    ``names`` maps a faction id to its ``name`` and ``short_name`` (a missing short name
    falls back to the name).

    Examples
    --------
    >>> names = {"a": {"name": "Alpha Front", "short_name": "Alpha"},
    ...          "b": {"name": "Beta Army", "short_name": ""}}
    >>> legend_label("held", ["a"], "confirmed", names)
    'Alpha Front'
    >>> legend_label("contested", ["a", "b"], "claimed", names)
    'Contested: Alpha vs Beta Army (claimed)'
    """
    legend = words(tr)
    if status == NO_DATA or not factions:
        return str(legend["no_data"])
    field = legend["name"][status]
    shown = [str(names[f].get(field) or names[f]["name"]) for f in factions]
    if status == "held":
        label = fill_template(legend["held"], faction=shown[0])
    else:
        label = fill_template(legend[status], factions=legend["separator"][status].join(shown))
    if is_tentative(confidence):
        label += fill_template(legend["tentative"],
                               confidence=legend["confidence"].get(confidence, str(confidence)))
    return label


def page_style() -> dict[str, Any]:
    """Everything above as the page reads it (``payload["style"]``)."""
    return {
        "no_data": dict(NO_DATA_STYLE),
        "fill_opacity": dict(FILL_OPACITY),
        "tentative": list(TENTATIVE),
        "tentative_hatch": dict(TENTATIVE_HATCH),
        "line_darken": LINE_DARKEN,
        "outline": {kind: dict(v) for kind, v in OUTLINES.items()},
        "stripes": dict(STRIPES),
        "stale": {k: list(v) if isinstance(v, list) else v for k, v in STALE.items()},
        "legend": {k: dict(v) if isinstance(v, dict) else v for k, v in LEGEND.items()},
        "status_text": dict(STATUS_TEXT),
        "confidence_text": dict(CONFIDENCE_TEXT),
        "context": {k: dict(v) for k, v in CONTEXT_STYLES.items()},
        "chart": dict(CHART),
        "incident_days": INCIDENT_DAYS,
    }
