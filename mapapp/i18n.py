"""Interface languages: one gettext catalogue per language, English msgids as the source.

A language is a directory ``translations/<lang>/LC_MESSAGES/messages.po``: the list of
languages is the list of catalogues present, so a third language is a translation file, not
code (docs/i18n.md). The catalogues are read as ``.po`` text at run time (Babel's
``pofile``), so nothing compiled is committed or built. No Flask here: the web layer picks a
``Translator`` by the request's ``lang`` and passes it in; exports take one as a parameter.

The page is sent the messages it uses (``page_catalogue``): those whose source locations
are in ``PAGE_SOURCES`` — the page's scripts and the Python modules whose words the page is
sent in the payload or its config (style, freshness).
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_skeleton
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from mapapp.errors import NotFoundError

TRANSLATIONS = Path(__file__).parent / "translations"
SOURCE_LANGUAGE = "en"
DOMAIN = "messages"
# Dates as the page shows them: "31 Oct 2017", the locale's own order for day, month, year.
DATE_SKELETON = "yMMMd"
# Dates on exported maps, spelled out for print: "1 November 2017", "1 نوفمبر 2017".
LONG_DATE_SKELETON = "yMMMMd"
# Where the page's words are written: the scripts, and what the payload and config carry
# (the style's words, the freshness rule's, the note under the area chart).
PAGE_SOURCES = ("mapapp/static/", "mapapp/style.py", "mapapp/freshness.py",
                "mapapp/compare.py")
# CLDR's plural categories in the order gettext numbers them (Babel's to_gettext).
PLURAL_ORDER = ("zero", "one", "two", "few", "many", "other")
_SLOT = re.compile(r"\{(\w+)\}")


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is defined; it is translated where shown."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a counted message (its singular and plural msgids) for the catalogue."""
    return singular, plural


def slots(message: str) -> set[str]:
    """The named slots of a message: ``{date}``, ``{n}``, ...

    >>> sorted(slots("{date}: {n} places changed hands: {list}."))
    ['date', 'list', 'n']
    """
    return set(_SLOT.findall(message))


def fill(template: str, **values: object) -> str:
    """Named slots filled by plain replacement (braces in values are left alone), the rule
    of ``style.fill_template`` and the page's ``fill``.

    >>> fill("{date}: {list}", date="31 Oct 2017", list="{x}")
    '31 Oct 2017: {x}'
    """
    return _SLOT.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], template)


def catalogue_path(lang: str, directory: Path = TRANSLATIONS) -> Path:
    return directory / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages(directory: Path = TRANSLATIONS) -> tuple[str, ...]:
    """English, then every language with a catalogue, by code."""
    found = sorted(p.name for p in directory.iterdir()
                   if catalogue_path(p.name, directory).is_file()) if directory.is_dir() else []
    return (SOURCE_LANGUAGE, *[lang for lang in found if lang != SOURCE_LANGUAGE])


def language_name(lang: str) -> str:
    """A language by its own name: "English", "العربية" (the language switch)."""
    return str(Locale.parse(lang).get_display_name(lang))


@dataclass(frozen=True)
class Translator:
    """One language's messages, dates and plural rule."""

    lang: str
    locale: Locale
    messages: gettext.NullTranslations
    catalog: Catalog | None  # None for English: the msgids are the text

    def gettext(self, message: str) -> str:
        return self.messages.gettext(message)

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.messages.ngettext(singular, plural, n)

    def message(self, msgid: str, **values: object) -> str:
        """A message translated, its slots filled."""
        return fill(self.gettext(msgid), **values)

    def nmessage(self, singular: str, plural: str, n: int, **values: object) -> str:
        """A counted message in the plural form for ``n``, its slots (``{n}`` too) filled."""
        return fill(self.ngettext(singular, plural, n), n=n, **values)

    @property
    def direction(self) -> str:
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    @property
    def numbering(self) -> str:
        """The locale's default digits in CLDR ("latn" for Arabic too): what Babel writes
        dates with, and what the page asks Intl for, so both write the same digits."""
        return str(self.locale.default_numbering_system)

    def format_day(self, day: dt.date) -> str:
        """'31 Oct 2017', '31 أكتوبر 2017': the page's date label (Intl, same skeleton)."""
        return format_skeleton(DATE_SKELETON, day, locale=self.locale)

    def format_long_day(self, day: dt.date) -> str:
        """'1 November 2017', '1 نوفمبر 2017': a date on an exported map."""
        return format_skeleton(LONG_DATE_SKELETON, day, locale=self.locale)

    def plural_categories(self) -> list[str]:
        """The CLDR category of each gettext plural index, for the page's Intl.PluralRules."""
        rule = self.locale.plural_form
        return [tag for tag in PLURAL_ORDER if tag in rule.tags or tag == "other"]

    def page_catalogue(self, sources: Iterable[str] = PAGE_SOURCES) -> dict[str, Any]:
        """What the page's i18n.js reads: the messages used by ``sources`` (msgid →
        msgstr, or for a plural msgid → its forms), and how to format and count. Built once
        per translator and sources: every page request sends it."""
        return _page_catalogue(self, tuple(sources))

    def _build_page_catalogue(self, sources: tuple[str, ...]) -> dict[str, Any]:
        messages: dict[str, str | list[str]] = {}
        if self.catalog is not None:
            prefixes = tuple(sources)
            for message in self.catalog:
                if not message.id or message.fuzzy or not message.string:
                    continue
                if not any(path.startswith(prefixes) for path, _ in message.locations):
                    continue
                if message.pluralizable:
                    assert isinstance(message.id, tuple | list)
                    messages[message.id[0]] = list(message.string)
                else:
                    assert isinstance(message.id, str) and isinstance(message.string, str)
                    messages[message.id] = message.string
        return {"lang": self.lang, "dir": self.direction, "numbering": self.numbering,
                "plural": self.plural_categories(), "date": DATE_SKELETON,
                "messages": messages}


def _check_plural_rule(lang: str, messages: gettext.GNUTranslations, locale: Locale) -> None:
    """The page counts with Intl.PluralRules (CLDR; CSP forbids evaluating the .po's
    expression), so the catalogue's Plural-Forms must agree with CLDR's rule."""
    categories = [t for t in PLURAL_ORDER if t in locale.plural_form.tags or t == "other"]
    for n in range(0, 1000):
        expected = categories.index(locale.plural_form(n))
        if messages.plural(n) != expected:  # type: ignore[attr-defined]
            raise ValueError(f"{catalogue_path(lang)}: Plural-Forms gives form "
                             f"{messages.plural(n)} for n={n}, CLDR's rule gives "  # type: ignore[attr-defined]
                             f"{expected}: use the header `pybabel init -l {lang}` writes")


def load(lang: str, directory: Path = TRANSLATIONS) -> Translator:
    """The translator of ``lang`` from its ``.po`` (fuzzy entries left out)."""
    locale = Locale.parse(lang)
    if lang == SOURCE_LANGUAGE:
        return Translator(lang, Locale.parse("en_GB"), gettext.NullTranslations(), None)
    path = catalogue_path(lang, directory)
    if not path.is_file():
        raise NotFoundError(f"no interface language {lang!r}: "
                            f"one of {', '.join(languages(directory))}")
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    messages = gettext.GNUTranslations(buffer)
    _check_plural_rule(lang, messages, locale)
    return Translator(lang, locale, messages, catalog)


@lru_cache(maxsize=16)
def _page_catalogue(tr: Translator, sources: tuple[str, ...]) -> dict[str, Any]:
    return tr._build_page_catalogue(sources)


@lru_cache(maxsize=16)
def _cached(lang: str, directory: Path, stamp: float) -> Translator:
    return load(lang, directory)


def translator(lang: str | None, directory: Path = TRANSLATIONS) -> Translator:
    """The translator of ``lang`` (None: English), cached while its file is unchanged."""
    lang = lang or SOURCE_LANGUAGE
    if lang not in languages(directory):
        raise NotFoundError(f"no interface language {lang!r}: "
                            f"one of {', '.join(languages(directory))}")
    path = catalogue_path(lang, directory)
    stamp = path.stat().st_mtime if path.is_file() else 0.0
    return _cached(lang, directory, stamp)


ENGLISH = load(SOURCE_LANGUAGE)


# --- extraction: every msgid written in the code, for `make messages` and the tests ------
ROOT = Path(__file__).resolve().parent.parent
EXTRACT_FROM = ("mapapp", "templates")
# The marker functions, in Python, the Jinja templates and the page's scripts alike.
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "Nn_": (1, 2), "gettext": None,
                            "ngettext": (1, 2), "message": None, "nmessage": (1, 2),
                            "tr": None, "trn": (1, 2)}


def extract(root: Path = ROOT) -> Catalog:
    """The template catalogue: every marked string under ``EXTRACT_FROM``, with where it
    is used (``babel.cfg`` says which extractor reads which files)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (root / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    catalog = Catalog(project="mapapp", charset="utf-8")
    for folder in EXTRACT_FROM:
        for filename, lineno, message, comments, context in extract_from_dir(
                root / folder, method_map, options_map, keywords=KEYWORDS,
                comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
            catalog.add(message, None, [(f"{folder}/{filename}", lineno)],
                        auto_comments=comments, context=context)
    return catalog


def main(argv: list[str] | None = None) -> None:
    """``python -m mapapp.i18n extract OUT.pot`` (``make messages``)."""
    import sys

    from babel.messages.pofile import write_po

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "extract":
        raise SystemExit("usage: python -m mapapp.i18n extract OUT.pot")
    with open(args[1], "wb") as out:
        write_po(out, extract(), width=0, sort_by_file=True, omit_header=False)


if __name__ == "__main__":
    main()
