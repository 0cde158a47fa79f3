"""Can every reader tell the factions apart? Warnings, never errors: a data set whose colours
are too close still loads, but some readers will confuse two sides on the map.

Two factions' fills, as the page composites them (mapapp.style.shades), must be
``colour.MIN_DELTA_E`` apart for normal vision and under simulated protanopia and
deuteranopia; a place's outline must reach ``colour.MIN_GRAPHIC_CONTRAST`` against its own
fills and the ground under the places (WCAG 1.4.11).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from mapapp import colour, style
from mapapp.errors import Problem
from mapapp.records import Row
from mapapp.validate.common import COLOR_RE, at


@dataclass(frozen=True)
class TooClose:
    """Two factions' fills closer than the threshold: the worst of their shades."""

    first: str
    second: str
    vision: str
    shade: str  # "colour" (the swatch), "firm", "tentative", "stale" or "no data"
    delta_e: float


@dataclass(frozen=True)
class LowContrast:
    """A faction's outline too close in luminance to what lies beside it."""

    faction: str
    against: str  # "firm fill", "tentative fill", "stale fill" or "ground"
    ratio: float


def faction_shades(color: str) -> dict[str, list[colour.RGB]]:
    """Every colour a faction is shown in: its swatch, then each fill over each ground."""
    out: dict[str, list[colour.RGB]] = {"colour": [colour.parse_hex(color)]}
    for under in style.UNDER_PLACES:
        for name, rgb in style.shades(color, under).items():
            out.setdefault(name, []).append(rgb)
    return out


def too_close(colors: Mapping[str, str], visions: Iterable[str] = colour.VISIONS,
              ) -> list[TooClose]:
    """Pairs of factions (and a faction and "no data") that some reader cannot tell apart:
    for each pair and vision, the shade that comes closest, when under the threshold."""
    shades = {f: faction_shades(c) for f, c in colors.items()}
    no_data = [style.no_data_shade(under) for under in style.UNDER_PLACES]
    found = []
    for vision in visions:
        pairs: list[tuple[str, str, dict[str, list[colour.RGB]], dict[str, list[colour.RGB]]]]
        pairs = [(a, b, shades[a], shades[b]) for a, b in itertools.combinations(shades, 2)]
        # A fill must not pass for "no data" either (the swatch is not drawn on the map).
        pairs += [(f, "no data", {k: v for k, v in s.items() if k != "colour"},
                   {k: no_data for k in s if k != "colour"}) for f, s in shades.items()]
        for a, b, sa, sb in pairs:
            worst = min((colour.delta_e(x, y, vision), shade)
                        for shade in sa for x, y in zip(sa[shade], sb[shade], strict=True))
            if worst[0] < colour.MIN_DELTA_E:
                found.append(TooClose(a, b, vision, worst[1], worst[0]))
    return found


def low_contrast(colors: Mapping[str, str]) -> list[LowContrast]:
    """Outlines (mapapp.style.darker) under 3:1 against their own fills or the ground."""
    found = []
    for f, c in colors.items():
        line = colour.parse_hex(style.darker(c))
        against: dict[str, list[colour.RGB]] = {
            "ground": [colour.parse_hex(u) for u in style.UNDER_PLACES]}
        for name, rgbs in faction_shades(c).items():
            if name != "colour":
                against[f"{name} fill"] = rgbs
        for what, rgbs in against.items():
            ratio = min(colour.contrast(line, rgb) for rgb in rgbs)
            if ratio < colour.MIN_GRAPHIC_CONTRAST:
                found.append(LowContrast(f, what, ratio))
    return found


def factions_on_map(factions: list[Row], events: list[Row]) -> list[Row]:
    """The factions that fill places: named by a control event (or all, with none)."""
    named = {f.strip() for e in events if e.get("type") == "control"
             for f in e.get("factions").split(";")}
    on_map = [r for r in factions if r.get("id") in named]
    return on_map or factions


def check_colours(factions: list[Row], events: list[Row]) -> list[Problem]:
    """Warnings for colours some readers cannot tell apart, on the faction named second."""
    rows = [r for r in factions_on_map(factions, events) if COLOR_RE.match(r.get("color"))]
    by_id = {r.get("id"): r for r in rows}
    colors = {r.get("id"): r.get("color") for r in rows}
    if len(colors) < len(rows):
        return []  # duplicate ids: reported by check_factions
    problems = []
    for t in too_close(colors):
        row = by_id[t.second] if t.second in by_id else by_id[t.first]
        other = repr(t.first) if t.second in by_id else "no data"
        what = "" if t.shade == "colour" else f" ({t.shade} fills)"
        problems.append(at(row, "color", f"color {row.get('color')!r} is {t.delta_e:.1f} ΔE from "
                                         f"{other}{what} under {t.vision}, below "
                                         f"{colour.MIN_DELTA_E:g}", severity="warning",
                           hint="see 'Choosing colours' in docs/data.md"))
    for c in low_contrast(colors):
        row = by_id[c.faction]
        problems.append(at(row, "color", f"color {row.get('color')!r}: its outline has "
                                         f"{c.ratio:.2f}:1 contrast against the {c.against}, "
                                         f"below {colour.MIN_GRAPHIC_CONTRAST:g}:1",
                           severity="warning", hint="see 'Choosing colours' in docs/data.md"))
    return problems


__all__ = ["LowContrast", "TooClose", "check_colours", "factions_on_map",
           "low_contrast", "too_close"]
