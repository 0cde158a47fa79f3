"""Settings: defaults, then MAPAPP_* environment variables, then an explicit mapping."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from mapapp.freshness import STALE_AFTER_DAYS
from mapapp.i18n import TRANSLATIONS
from mapapp.last_good import default_cache_dir

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = DEFAULT_DATA_DIR
    # Online tiles are offered in the layer control but never loaded unless picked.
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_attribution: str = "© OpenStreetMap contributors"
    offer_online_tiles: bool = True
    # Hot reload: a change is loaded once the data files have been left alone this many
    # seconds (by their modification times); 0 disables hot reload.
    reload_interval: float = 2.0
    # Where validated copies of the data are saved (the fallback when the files are bad).
    cache_dir: Path = field(default_factory=default_cache_dir)
    # Earlier data versions still served by their /data/<version>/ URLs, and for how long
    # (seconds) after they were replaced.
    keep_versions: int = 3
    version_grace: float = 3600.0
    # Events per chunk of event texts; None is payload.DETAILS_CHUNK (tests use tiny chunks).
    details_chunk: int | None = None
    # Days without any report after which a place is drawn and labelled as stale.
    stale_after_days: int = STALE_AFTER_DAYS
    # The interface languages: one gettext catalogue per language (docs/i18n.md).
    translations_dir: Path = TRANSLATIONS


_TRUE_WORDS = {"1", "true", "yes", "on"}
_FALSE_WORDS = {"0", "false", "no", "off"}


def _coerce(raw: str, default: Any, name: str) -> Any:
    if isinstance(default, bool):
        return _flag(raw, name)
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise ValueError(f"MAPAPP_{name.upper()} ({name}) must be a number, "
                             f"not {raw!r}") from None
    if isinstance(default, Path):
        return Path(raw)
    if isinstance(default, int):
        return _positive_int(raw, name)
    return raw


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Build settings from defaults, ``MAPAPP_<NAME>`` variables and ``overrides``.

    Read when the app is created, never at import time.
    """
    env = os.environ if environ is None else environ
    settings = Settings()
    values: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get(f"MAPAPP_{f.name.upper()}")
        if raw is not None:
            values[f.name] = _coerce(raw, getattr(settings, f.name), f.name)
    for key, value in (overrides or {}).items():
        if key in {f.name for f in fields(Settings)}:
            default = getattr(settings, key)
            values[key] = Path(value) if isinstance(default, Path) else value
    if values.get("details_chunk") is not None:
        values["details_chunk"] = _positive_int(values["details_chunk"], "details_chunk")
    if "stale_after_days" in values:
        values["stale_after_days"] = _positive_int(values["stale_after_days"],
                                                   "stale_after_days")
    return replace(settings, **values)


def _flag(raw: str, name: str) -> bool:
    """A misspelt word ("treu") is refused rather than read as false, which would quietly
    turn the setting off."""
    word = raw.strip().lower()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise ValueError(f"MAPAPP_{name.upper()} ({name}) must be one of "
                     f"{', '.join(sorted(_TRUE_WORDS | _FALSE_WORDS))}, not {raw!r}")


def _positive_int(value: Any, name: str) -> int:
    """'5' from the environment or 5 from a mapping; anything else is refused by name, at
    start-up, rather than as a division by zero on the first request."""
    number: Any = value
    if isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            number = None
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValueError(f"MAPAPP_{name.upper()} ({name}) must be a positive whole number, "
                         f"not {value!r}")
    return number
