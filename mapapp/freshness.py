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
from mapapp.i18n import ENGLISH, N_, Nn_, Translator

STALE_AFTER_DAYS = 30
# (unit, its length in days, ages below which it is used; None: any age)
AGE_UNITS: tuple[tuple[str, float, int | None], ...] = (
    ("day", 1.0, 60), ("month", 30.4375, 730), ("year", 365.25, None))
# Each unit's words, singular and plural msgids (the catalogue has each language's forms).
UNIT_TEXT = {"day": Nn_("{n} day", "{n} days"), "month": Nn_("{n} month", "{n} months"),
             "year": Nn_("{n} year", "{n} years")}
LABEL = N_("last reported {age} ago")
LEGEND = Nn_("Not reported for {n}+ day", "Not reported for {n}+ days")


def is_stale(age_days: int | None, after_days: int = STALE_AFTER_DAYS) -> bool:
    """A place reported ``age_days`` ago (None: never) is stale from ``after_days`` on.
    A place never reported has no data, which is drawn as such, not as stale."""
    return age_days is not None and age_days >= after_days


def state_is_stale(status: str, age_days: int | None,
                   after_days: int = STALE_AFTER_DAYS) -> bool:
    """A place in ``status`` is stale: it has data, and its latest report (incidents
    included) is old. A place with no control event yet is no data, even if reported."""
    return status != NO_DATA and is_stale(age_days, after_days)


def age_text(age_days: int, tr: Translator = ENGLISH) -> str:
    """'45 days', '3 months', '2 years': the unit that reads naturally, rounded.

    Examples
    --------
    >>> age_text(45), age_text(61), age_text(800)
    ('45 days', '2 months', '2 years')
    """
    for unit, size, below in AGE_UNITS:
        if below is None or age_days < below:
            n = math.floor(age_days / size + 0.5)
            return tr.nmessage(*UNIT_TEXT[unit], n)
    raise AssertionError("the last unit has no bound")  # pragma: no cover


def stale_label(age_days: int, tr: Translator = ENGLISH) -> str:
    """'last reported 3 months ago'."""
    return tr.message(LABEL, age=age_text(age_days, tr))


def legend_label(after_days: int = STALE_AFTER_DAYS, tr: Translator = ENGLISH) -> str:
    return tr.nmessage(*LEGEND, after_days)


def page_settings(after_days: int = STALE_AFTER_DAYS) -> dict[str, Any]:
    """The rule as the page applies it: the threshold, the units and the wording (English
    msgids: the page translates them with its catalogue, static/i18n.js)."""
    return {"after_days": after_days, "units": [list(u) for u in AGE_UNITS],
            "unit_text": {unit: list(forms) for unit, forms in UNIT_TEXT.items()},
            "label": LABEL, "legend": list(LEGEND)}
