"""The map's visual style as the page receives it (``payload["style"]``).

The page draws places, the legend and the comparison outlines from this dict instead of
constants of its own, so what the page shows and what is written here cannot drift.
"""

from __future__ import annotations

import copy
from typing import Any

PAGE_STYLE: dict[str, Any] = {
    "no_data": {"fill": "#bdbdbd", "fill_opacity": 0.35, "line": "#8a8a8a"},
    "fill_opacity": {"firm": 0.62, "tentative": 0.3},
    # confidences drawn faded: the report is not (yet) confirmed
    "tentative": ["claimed", "disputed"],
    # a place's outline is its fill colour times this
    "line_darken": 0.6,
    "outline": {
        "official": {"weight": 1, "dash": None},
        "derived": {"weight": 1.6, "dash": [5, 4]},
        "point": {"weight": 2, "dash": None},
    },
    # 45° stripes: a tile of this many px, the challenger's (contested) or the second
    # faction's (joint) stripe this wide
    "stripes": {"tile": 14, "contested_width": 3, "joint_width": 10},
    "legend": {
        "held": "{faction}",
        "contested": "Contested: {holder} vs {challenger}",
        "joint": "Joint: {factions}",
        "joint_separator": " + ",
        "tentative": "{label} ({confidence})",
        "no_data": "No data",
        "derived": "Approximate outline",
        "incident": "Incident, last {days} days",
        "changed": "Changed since {date} (outline: new holder)",
    },
}


def style_for_page() -> dict[str, Any]:
    """A copy of the page's style, ready for JSON."""
    return copy.deepcopy(PAGE_STYLE)
