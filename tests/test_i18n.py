"""The interface catalogues (mapapp/i18n.py, docs/i18n.md): complete, consistent, one per
language, and served by the request's language; exports in Arabic."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from PIL import Image

from mapapp import i18n
from mapapp.snapshot import parse_snapshot_options, render_snapshot

SVG = "{http://www.w3.org/2000/svg}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    return i18n.extract()


def _ids(message) -> tuple[str, ...]:
    return tuple(message.id) if message.pluralizable else (message.id,)


def _forms(message) -> tuple[str, ...]:
    return tuple(message.string) if message.pluralizable else (message.string,)


@pytest.mark.parametrize("lang", [lang for lang in i18n.languages() if lang != "en"])
def test_every_msgid_in_the_code_is_translated_and_nothing_is_fuzzy(extracted, lang):
    with i18n.catalogue_path(lang).open("rb") as f:
        catalogue = read_po(f, locale=lang)
    missing, fuzzy = [], []
    for message in extracted:
        if not message.id:
            continue
        translated = catalogue.get(message.id)
        if translated is None or not all(_forms(translated)):
            missing.append(message.id)
        elif translated.fuzzy:
            fuzzy.append(message.id)
    assert not missing, f"{lang}: untranslated (run `make messages`): {missing}"
    assert not fuzzy, f"{lang}: fuzzy, to be reviewed: {fuzzy}"
    assert len(extracted) > 150  # the page, the templates, the exports: not an empty scan


@pytest.mark.parametrize("lang", [lang for lang in i18n.languages() if lang != "en"])
def test_placeholders_of_each_translation_are_the_msgids(lang):
    """{date}, {n}, … are filled by name: a translation may move them, not drop or invent
    them. A plural form may leave out {n} ("موقعان", two places) but nothing else."""
    with i18n.catalogue_path(lang).open("rb") as f:
        catalogue = read_po(f, locale=lang)
    wrong = []
    for message in catalogue:
        if not message.id:
            continue
        wanted = set().union(*(i18n.slots(s) for s in _ids(message)))
        for form in _forms(message):
            got = i18n.slots(form)
            if message.pluralizable:
                if not got <= wanted or not (wanted - {"n"}) <= got:
                    wrong.append((message.id, form))
            elif got != wanted:
                wrong.append((message.id, form))
    assert not wrong


def test_the_arabic_catalogue_lists_its_glossary_and_has_six_plural_forms():
    text = i18n.catalogue_path("ar").read_text(encoding="utf-8")
    header = text.split('msgid ""')[0]
    for term in ("held", "contested", "joint", "tentative", "no data"):
        assert re.search(rf"^#.*\b{term}\b.*=", header, re.M), term
    assert i18n.translator("ar").messages.plural(3) == 3  # type: ignore[attr-defined]
    assert i18n.translator("ar").plural_categories() == ["zero", "one", "two", "few", "many",
                                                         "other"]


def test_arabic_counts_take_their_plural_forms():
    tr = i18n.translator("ar")
    forms = {n: tr.nmessage("{n} place found.", "{n} places found.", n)
             for n in (1, 2, 3, 11, 100)}
    assert forms == {1: "عُثر على موقع واحد.", 2: "عُثر على موقعين.", 3: "عُثر على 3 مواقع.",
                     11: "عُثر على 11 موقعًا.", 100: "عُثر على 100 موقع."}
    assert i18n.ENGLISH.nmessage("{n} place found.", "{n} places found.", 2) == \
        "2 places found."


def _tiny_po(directory: Path, lang: str, plural_forms: str | None = None) -> None:
    catalog = Catalog(locale=lang, project="mapapp")
    if plural_forms:
        catalog._num_plurals, catalog._plural_expr = 2, plural_forms  # a wrong rule on purpose
    catalog.add("Territorial control map", "Carte des zones de contrôle",
                locations=[("templates/map.html", 1)])
    catalog.add("Find a place", "Chercher un lieu", locations=[("mapapp/static/finder.js", 1)])
    catalog.add("Territorial control", "Contrôle du territoire",
                locations=[("mapapp/snapshot/options.py", 1)])
    path = i18n.catalogue_path(lang, directory)
    path.parent.mkdir(parents=True)
    with path.open("wb") as f:
        write_po(f, catalog)


def test_a_third_language_is_a_file(make_app, tmp_path):
    """A new .po in the translations folder is a language: listed, served, its page in
    its direction, its words in the page's catalogue; no code names it."""
    folder = tmp_path / "translations"
    shutil.copytree(i18n.TRANSLATIONS, folder)
    _tiny_po(folder, "fr")
    assert i18n.languages(folder) == ("en", "ar", "fr")
    client = make_app(translations_dir=folder, reload_interval=0).test_client()
    page = client.get("/?lang=fr")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in html
    assert "<title>Carte des zones de contrôle</title>" in html
    catalogue = json.loads(re.search(r'<script id="mapapp-catalogue" type="application/json">'
                                     r"(.*?)</script>", html, re.S)[1])
    assert catalogue["lang"] == "fr" and catalogue["messages"] == {
        "Find a place": "Chercher un lieu"}  # the page's words only, not the template's
    config = json.loads(re.search(r'<script id="mapapp-config" type="application/json">'
                                  r"(.*?)</script>", html, re.S)[1])
    assert [entry["code"] for entry in config["languages"]] == ["en", "ar", "fr"]
    assert client.get("/?lang=de").status_code == 400


def test_a_third_language_is_a_file_for_the_exports_too(make_app, tmp_path):
    """A language of the deployment's folder draws exports in its words; one that is in
    no catalogue is refused by them as by the page."""
    folder = tmp_path / "translations"
    shutil.copytree(i18n.TRANSLATIONS, folder)
    _tiny_po(folder, "fr")
    client = make_app(translations_dir=folder, reload_interval=0).test_client()
    svg = client.get("/export/snapshot.svg?date=2017-11-01&width=800&height=500&lang=fr")
    assert svg.status_code == 200, svg.get_data(as_text=True)
    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(svg.data)
    texts = "".join(t.text or "" for t in root.iter()
                    if t.tag in (f"{ns}text", f"{ns}tspan"))
    assert "Contrôle du territoire" in texts and "Territorial control" not in texts
    gif = client.get("/export/animation.gif?from=2017-11-01&to=2017-11-02&width=200"
                     "&height=200&lang=fr")
    assert gif.status_code == 200 and gif.data.startswith(b"GIF8")
    refused = client.get("/export/snapshot.svg?date=2017-11-01&lang=de")
    assert refused.status_code == 400 and "lang" in refused.get_data(as_text=True)


def test_a_catalogue_whose_plural_rule_disagrees_with_cldr_is_refused(tmp_path):
    _tiny_po(tmp_path, "ar", plural_forms="(n != 1)")
    with pytest.raises(ValueError, match="Plural-Forms"):
        i18n.load("ar", tmp_path)


def test_the_page_is_sent_only_the_words_it_uses():
    messages = i18n.translator("ar").page_catalogue()["messages"]
    assert messages["Find a place"] == "ابحث عن موقع"  # a script's
    assert messages["Contested: {factions}"] == "متنازع عليها: {factions}"  # the payload's
    assert isinstance(messages["{n} event"], list) and len(messages["{n} event"]) == 6
    assert "Skip to place list" not in messages  # rendered by the server
    assert "Data: {credit}" not in messages  # an export's


def test_arabic_pages_are_right_to_left_and_in_arabic(client):
    html = client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    for words in ("انتقل إلى قائمة المواقع", "الخط الزمني", "التغيير السابق", "مقارنة تاريخين"):
        assert words in html
    for layer in ("مناطق السيطرة", "الحوادث (آخر 7 أيام)"):  # in Folium's script, as JSON
        assert json.dumps(layer)[1:-1] in html
    # the keys follow the text: the previous change is to the right
    assert 'aria-keyshortcuts="Shift+ArrowRight" disabled' in html.split('id="mapapp-next"')[0]
    embed = client.get("/embed?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in embed and "الخريطة كاملة" in embed and "lang=ar" in embed
    error = client.get("/no-such-page?lang=ar")
    assert error.status_code == 404
    assert 'dir="rtl"' in error.get_data(as_text=True) and "العودة إلى الخريطة" in \
        error.get_data(as_text=True)


def test_legend_and_freshness_words_in_arabic():
    from mapapp import freshness, style

    tr = i18n.translator("ar")
    names = {"a": {"name": "Alpha", "short_name": ""}, "b": {"name": "Beta", "short_name": ""}}
    assert style.legend_label("contested", ["a", "b"], "claimed", names, tr) == \
        "متنازع عليها: Alpha مقابل Beta (غير مؤكدة: ادعاء)"
    assert style.legend_label("no-data", [], None, names, tr) == "لا بيانات"
    assert freshness.stale_label(45, tr) == "آخر بلاغ عنه قبل 45 يومًا"
    assert freshness.stale_label(61, tr) == "آخر بلاغ عنه قبل شهرين"  # after قبل: genitive
    assert freshness.legend_label(30, tr) == "لا بلاغات منذ 30 يومًا أو أكثر"


def test_dates_in_arabic_use_latin_digits_like_the_data():
    tr = i18n.translator("ar")
    assert tr.numbering == "latn"
    assert tr.format_day(dt.date(2017, 10, 31)) == "31 أكتوبر 2017"
    assert tr.format_long_day(dt.date(2017, 11, 1)) == "1 نوفمبر 2017"
    assert i18n.ENGLISH.format_day(dt.date(2017, 10, 31)) == "31 Oct 2017"


# --- exports ---------------------------------------------------------------------------


def _svg_rtl_texts(body: bytes) -> list[str]:
    root = ET.fromstring(body)
    return ["".join(g.itertext()).strip() for g in root.iter(f"{SVG}g")
            if g.get("direction") == "rtl" and g.get(XML_LANG) == "ar"]


def test_arabic_svg_has_arabic_title_date_legend_scale_and_credit(tiny_timeline):
    opts = parse_snapshot_options({"date": "2001-05-02", "lang": "ar"}, tiny_timeline, "svg")
    texts = _svg_rtl_texts(render_snapshot(tiny_timeline, opts))
    assert "السيطرة الميدانية" in texts  # the default title
    assert "الوضع في 2 مايو 2001" in texts
    assert "متنازع عليها: Blue مقابل Green" in texts and "مشتركة: Blue + Green" in texts
    assert "حدود تقريبية" in texts
    assert any(re.fullmatch(r"\d+ (كم|م)", t) for t in texts), texts  # the scale bar
    assert any(t.startswith("البيانات: Tiny test data") for t in texts)
    assert any(t.startswith("المصادر: ") for t in texts)


def test_arabic_change_map_lists_gains_in_arabic(tiny_timeline):
    opts = parse_snapshot_options({"date": "2001-05-03", "compare": "2001-05-01", "lang": "ar"},
                                  tiny_timeline, "svg")
    texts = _svg_rtl_texts(render_snapshot(tiny_timeline, opts))
    assert "التغييرات من 1 مايو 2001 إلى 3 مايو 2001" in texts
    assert "Green كسب موقعًا واحدًا (79.7 كم²): West Square" in texts, texts


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_arabic_png_and_pdf_render(tiny_timeline, fmt):
    # pytest turns matplotlib's missing-glyph warning into an error: every Arabic word of
    # the interface finds its glyphs.
    opts = parse_snapshot_options({"date": "2001-05-03", "compare": "2001-05-01", "lang": "ar"},
                                  tiny_timeline, fmt)
    body = render_snapshot(tiny_timeline, opts)
    if fmt == "png":
        assert Image.open(io.BytesIO(body)).size == (1200, 800)
    else:
        assert body.startswith(b"%PDF")
