"""When a place's latest report is too old to trust as the current picture: the rule and
its wording, written once. The engine gives each place's last report (``last_reported``,
the latest event of any kind about it on or before the date); the API, the page and the
legend all judge it here.

A month is the default threshold: front lines in the data's campaigns moved within days to
weeks, and a place no source has mentioned for a month is more likely unknown than quiet.
"""

from __future__ import annotations

import math
from typing import Any

from mapapp.contract import NO_DATA

STALE_AFTER_DAYS = 30
# (unit, its length in days, ages below which it is used; None: any age)
AGE_UNITS: tuple[tuple[str, float, int | None], ...] = (
    ("day", 1.0, 60), ("month", 30.4375, 730), ("year", 365.25, None))
LABEL = "last reported {age} ago"


def is_stale(age_days: int | None, after_days: int = STALE_AFTER_DAYS) -> bool:
    """A place reported ``age_days`` ago (None: never) is stale from ``after_days`` on.
    A place never reported has no data, which is drawn as such, not as stale."""
    return age_days is not None and age_days >= after_days


def state_is_stale(status: str, age_days: int | None,
                   after_days: int = STALE_AFTER_DAYS) -> bool:
    """A place in ``status`` is stale: it has data, and its latest report (incidents
    included) is old. A place with no control event yet is no data, even if reported."""
    return status != NO_DATA and is_stale(age_days, after_days)


def age_text(age_days: int) -> str:
    """'45 days', '3 months', '2 years': the unit that reads naturally, rounded.

    Examples
    --------
    >>> age_text(45), age_text(61), age_text(800)
    ('45 days', '2 months', '2 years')
    """
    for unit, size, below in AGE_UNITS:
        if below is None or age_days < below:
            n = math.floor(age_days / size + 0.5)
            return f"{n} {unit}{'' if n == 1 else 's'}"
    raise AssertionError("the last unit has no bound")  # pragma: no cover


def stale_label(age_days: int) -> str:
    """'last reported 3 months ago'."""
    return LABEL.format(age=age_text(age_days))


def legend_label(after_days: int = STALE_AFTER_DAYS) -> str:
    return f"Not reported for {after_days}+ days"


def page_settings(after_days: int = STALE_AFTER_DAYS) -> dict[str, Any]:
    """The rule as the page applies it: the threshold, the units and the wording."""
    return {"after_days": after_days, "units": [list(u) for u in AGE_UNITS],
            "label": LABEL, "legend": legend_label(after_days)}
