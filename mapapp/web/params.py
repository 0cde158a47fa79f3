"""The Flask side of :mod:`mapapp.params`: the query string of the current request, read
through the core's declarations; every failure is a RequestError (400)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import current_app, g, request

from mapapp import i18n, params
from mapapp.store import DataVersion


def snapshot() -> DataVersion:
    version = current_app.extensions["mapapp"].current()
    g.data_version = version.version  # sent as X-Data-Version (pages.install_version_header)
    return version


def translations_dir() -> Path:
    """The folder of the interface languages' catalogues (MAPAPP_TRANSLATIONS_DIR)."""
    return Path(current_app.config["MAPAPP_SETTINGS"].translations_dir)


def translator() -> i18n.Translator:
    """The interface language of ``?lang=`` (English when absent; 400 when no catalogue)."""
    directory = translations_dir()
    choices = i18n.languages(directory)
    lang = params.Choice("lang", "interface language", example="ar", choices=choices,
                         default=i18n.SOURCE_LANGUAGE).parse(request.args)
    return i18n.translator(lang, directory)


def translator_or_english() -> i18n.Translator:
    """For an error page: the request's language when it has one, else English."""
    try:
        return translator()
    except Exception:  # the error being shown may be the language itself
        return i18n.ENGLISH


def optional_date(name: str = "date") -> dt.date | None:
    return params.Date(name, name).parse(request.args)


def date_or_latest(snap: DataVersion, name: str = "date") -> dt.date:
    """The date asked for, else the latest data day (:class:`mapapp.params.DateOrLatest`)."""
    return params.DateOrLatest(name, name).parse_or_latest(request.args, snap.timeline)


def date_range() -> tuple[dt.date | None, dt.date | None]:
    """``from`` and ``to``, either optional, ``from`` not after ``to``."""
    return params.date_range(request.args, params.FROM, params.TO)


def view_id(snap: DataVersion, name: str = "view") -> str | None:
    return params.known_view(params.text(request.args, name), snap.dataset.views, name)


def known_id(raw: str | None, known: object, what: str, name: str) -> str | None:
    return params.known_id(raw or None, known, what, name)
