"""Static maps and GIFs on the tiny data set, opened with real readers: Pillow for PNG and
GIF, xml.etree for SVG, poppler's pdfinfo for PDF. Colours are sampled where the known
geometry lands, computed independently from the map frame written into the PNG."""

from __future__ import annotations

import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image
from pyproj import Geod, Transformer

from mapapp.errors import RequestError
from mapapp.snapshot import (
    parse_animation_options,
    parse_snapshot_options,
    render_animation,
    render_snapshot,
)
from mapapp.style import FILL_OPACITY as FILL_OPACITIES
from mapapp.style import SEA
from tests.image_support import pixel_of

FILL_OPACITY = FILL_OPACITIES["firm"]

SVG = "{http://www.w3.org/2000/svg}"
BLUE, GREEN = "#1f5fbf", "#2e8b57"


def _rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _blend(color: str, alpha: float, under: str = SEA) -> np.ndarray:
    return alpha * _rgb(color) + (1 - alpha) * _rgb(under)


def _png(timeline, **params: str) -> Image.Image:
    options = parse_snapshot_options(params, timeline, "png")
    return Image.open(io.BytesIO(render_snapshot(timeline, options)))




def _svg_texts(body: bytes) -> list[str]:
    root = ET.fromstring(body)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


# --- options: every bad value is refused before anything is drawn ----------------------


@pytest.mark.parametrize(
    ("params", "parameter", "words"),
    [
        ({"view": "atlantis"}, "view", "known views: overview, west"),
        ({"bbox": "10,50,9,51"}, "bbox", "west 10.0 must be less than east 9.0"),
        ({"bbox": "10,51,11,50"}, "bbox", "south 51.0 must be less than north 50.0"),
        ({"bbox": "10,50,200,51"}, "bbox", "within -180..180"),
        ({"bbox": "10,50,11,89"}, "bbox", "Web Mercator"),
        ({"bbox": "10,50,11"}, "bbox", "four numbers"),
        ({"bbox": "a,b,c,d"}, "bbox", "four numbers"),
        ({"bbox": "nan,50,11,51"}, "bbox", "finite"),
        ({"view": "west", "bbox": "10,50,11,51"}, "bbox", "either view or bbox"),
        ({"width": "wide"}, "width", "not a whole number"),
        ({"width": "4001"}, "width", "200 to 4000"),
        ({"height": "99999999999"}, "height", "not a whole number"),
        ({"height": "-5"}, "height", "not a whole number"),
        ({"preset": "poster"}, "preset", "social, square, a4"),
        ({"preset": "social", "width": "800"}, "preset", "either preset or width"),
        ({"date": "2001-02-30"}, "date", "not a valid date"),
        ({"date": "yesterday"}, "date", "YYYY-MM-DD"),
        ({"compare": "2001-05-04", "date": "2001-05-03"}, "compare", "must be before"),
        ({"lang": "fr"}, "lang", "en, ar"),
        ({"labels": "maybe"}, "labels", "on or off"),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"subtitle": "a\x00b"}, "subtitle", "control characters"),
        ({"subtitle": "a\x7fb"}, "subtitle", "control characters"),
        ({"title": "Map \u4e2d"}, "title", "cannot draw: '\u4e2d' (U+4E2D)"),
    ],
)
def test_bad_snapshot_options_are_refused_with_the_parameter_named(tiny_timeline, params,
                                                                   parameter, words):
    with pytest.raises(RequestError) as info:
        parse_snapshot_options(params, tiny_timeline, "png")
    assert info.value.parameter == parameter
    assert words in str(info.value)


def test_bad_format_is_refused(tiny_timeline):
    with pytest.raises(RequestError, match="'jpg' is not one of png, svg, pdf"):
        parse_snapshot_options({}, tiny_timeline, "jpg")


def test_defaults_latest_date_overview_and_the_view_name_as_title(tiny_timeline):
    opts = parse_snapshot_options({}, tiny_timeline)
    assert opts.date.isoformat() == "2001-05-03"
    assert opts.view == "overview" and opts.bbox == (9.9, 49.9, 10.5, 50.2)
    assert (opts.width, opts.height, opts.dpi) == (1200, 800, 100)
    assert parse_snapshot_options({"view": "west"}, tiny_timeline).title == "West square"


@pytest.mark.parametrize(("preset", "size", "dpi"), [
    ("social", (1200, 675), 100), ("square", (1080, 1080), 100), ("a4", (3508, 2480), 300)])
def test_presets(tiny_timeline, preset, size, dpi):
    opts = parse_snapshot_options({"preset": preset}, tiny_timeline)
    assert ((opts.width, opts.height), opts.dpi) == (size, dpi)


def test_frame_cap_is_checked_before_drawing(tiny_timeline):
    with pytest.raises(RequestError, match=r"13213 frames .* at most 120") as info:
        parse_animation_options({"from": "1965-03-01", "to": "2001-05-03", "step": "day"},
                                tiny_timeline)
    assert info.value.parameter == "to"
    with pytest.raises(RequestError, match="not one of day, change"):
        parse_animation_options({"step": "week"}, tiny_timeline)
    with pytest.raises(RequestError, match="compare is not used"):
        parse_animation_options({"compare": "2001-05-01"}, tiny_timeline)


# --- PNG: size, colours where the places are, metadata ---------------------------------


def test_png_size_and_the_holder_colour_inside_the_west_square(tiny_timeline):
    # Sampled off-centre: the centre is where a label would go (labels are off anyway).
    image = _png(tiny_timeline, date="2001-05-03", view="west", labels="off",
                 width="900", height="600")
    assert image.size == (900, 600) and image.format == "PNG"
    pixel = np.array(image.convert("RGB").getpixel(pixel_of(image, 10.03, 50.03)), float)
    assert np.abs(pixel - _blend(GREEN, FILL_OPACITY)).max() <= 3, pixel
    before = _png(tiny_timeline, date="1965-03-01", view="west", labels="off",
                  width="900", height="600")
    pixel = np.array(before.convert("RGB").getpixel(pixel_of(before, 10.03, 50.03)), float)
    assert np.abs(pixel - _blend(BLUE, FILL_OPACITY)).max() <= 3, pixel
    # Outside every place: the sea colour of the page.
    outside = np.array(image.convert("RGB").getpixel(pixel_of(image, 9.99, 50.11)), float)
    assert np.abs(outside - _rgb(SEA)).max() <= 2


def test_contested_is_the_holder_colour_hatched_with_the_challenger(tiny_timeline):
    image = _png(tiny_timeline, date="2001-05-01", view="west", labels="off")
    (x0, y1), (x1, y0) = pixel_of(image, 10.02, 50.02), pixel_of(image, 10.08, 50.08)
    patch = np.asarray(image.convert("RGB"), float)[y0:y1, x0:x1].reshape(-1, 3)
    holder = np.abs(patch - _blend(BLUE, FILL_OPACITY)).max(axis=1) <= 6
    # The hatch is opaque, pre-blended with white at the fill opacity (the PDF way).
    challenger = np.abs(patch - _blend(GREEN, FILL_OPACITY, "#ffffff")).max(axis=1) <= 6
    assert holder.mean() > 0.5, holder.mean()
    assert 0.1 < challenger.mean() < 0.4, challenger.mean()


def test_no_data_is_grey_and_points_are_drawn(tiny_timeline):
    image = _png(tiny_timeline, date="2001-04-01", labels="off")
    east = np.array(image.convert("RGB").getpixel(pixel_of(image, 10.25, 50.05)), float)
    assert np.abs(east - _blend("#bdbdbd", 0.35)).max() <= 3, east
    image = _png(tiny_timeline, date="2001-05-03", labels="off")
    harbour = np.array(image.convert("RGB").getpixel(pixel_of(image, 10.35, 50.05)), float)
    assert np.abs(harbour - _blend(BLUE, FILL_OPACITY)).max() <= 3, harbour


def test_png_metadata_carries_title_and_credit(tiny_timeline):
    image = _png(tiny_timeline, title="Who holds the squares")
    assert image.info["Title"] == "Who holds the squares"
    assert image.info["Copyright"] == "Tiny test data, no real places"


def test_scale_bar_is_geodesically_right(tiny_timeline):
    """The black half of the bar, measured in pixels, matches its label on the ellipsoid."""
    options = parse_snapshot_options({"labels": "off"}, tiny_timeline, "png")
    image = Image.open(io.BytesIO(render_snapshot(tiny_timeline, options)))
    label = next(t for t in _svg_texts(render_snapshot(
        tiny_timeline, parse_snapshot_options({"labels": "off"}, tiny_timeline, "svg")))
        if re.fullmatch(r"\d+(\.\d+)? k?m", t))
    frame = json.loads(image.info["mapapp:map-frame"])
    left, top, right, bottom = (round(v) for v in frame["pixels"])
    pixels = np.asarray(image.convert("RGB"), int)
    dark = (np.abs(pixels - 0x22).max(axis=2) <= 10)
    lower_left = dark[(top + bottom) // 2:bottom, left:(left + right) // 2]
    runs = [_longest_run(row) for row in lower_left]
    row = int(np.argmax(runs)) + (top + bottom) // 2
    half_bar_px = max(runs)
    # Metres per pixel along that row, on the ellipsoid.
    x0, _, x1, _ = frame["extent"]
    y0, y1 = frame["extent"][1], frame["extent"][3]
    y = y1 - (row - top) / (bottom - top) * (y1 - y0)
    to_lonlat = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
    (lon0, lon1), (lat, _) = to_lonlat.transform([x0, x1], [y, y])
    _, _, across = Geod(ellps="WGS84").inv(lon0, lat, lon1, lat)
    measured = 2 * half_bar_px * across / (right - left)
    value = float(label.split()[0]) * (1000 if label.endswith(" km") else 1)
    assert abs(measured - value) / value < 0.03, (label, measured)


def _longest_run(row: np.ndarray) -> int:
    best = current = 0
    for v in row:
        current = current + 1 if v else 0
        best = max(best, current)
    return best


# --- SVG: editable text, the legend of what is shown, sources, Arabic ------------------


def test_svg_keeps_title_date_legend_and_credits_as_text(tiny_timeline):
    opts = parse_snapshot_options({"date": "2001-05-02", "title": "Squares at war",
                                   "subtitle": "A test"}, tiny_timeline, "svg")
    body = render_snapshot(tiny_timeline, opts)
    root = ET.fromstring(body)
    assert (root.get("width"), root.get("height")) == ("1200", "800")
    texts = _svg_texts(body)
    assert "Squares at war" in texts and "A test" in texts
    assert "As of 2 May 2001" in texts
    assert {"Blue League", "Contested: Blue vs Green", "Joint: Blue + Green",
            "Approximate outline"} <= set(texts)
    # The lost village has no data yet, but no location either: not drawn, not in the key.
    assert "No data" not in texts
    assert "Data: Tiny test data, no real places" in texts
    sources = next(t for t in texts if t.startswith("Sources: "))
    assert "Test report 2001-05-01-west" in sources
    # Labels are text too, and the place without a location is not drawn.
    assert {"West Square", "East Square", "Harbour"} <= set(texts)
    assert "Lost Village" not in texts


def test_legend_lists_only_the_states_in_the_view(tiny_timeline):
    opts = parse_snapshot_options({"date": "2001-05-02", "view": "west"}, tiny_timeline,
                                  "svg")
    texts = _svg_texts(render_snapshot(tiny_timeline, opts))
    assert "Contested: Blue vs Green" in texts
    assert "Joint: Blue + Green" not in texts and "Approximate outline" not in texts
    assert "Blue League" not in texts  # the harbour, held by Blue, is outside the view


def test_arabic_labels_are_text_marked_right_to_left(tiny_timeline):
    opts = parse_snapshot_options({"date": "2001-05-02", "lang": "ar"}, tiny_timeline, "svg")
    root = ET.fromstring(render_snapshot(tiny_timeline, opts))
    # place labels are mapapp-ar-<n>; the interface's words are mapapp-ar-text-<n>
    groups = [g for g in root.iter(f"{SVG}g") if g.get("direction") == "rtl"
              and re.fullmatch(r"mapapp-ar-\d+", g.get("id", ""))]
    assert ["".join(g.itertext()).strip() for g in groups] == ["المربع الشرقي"]
    assert groups[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    # A place without an Arabic name keeps its English one.
    assert "West Square" in _svg_texts(ET.tostring(root))


def test_arabic_png_renders_without_missing_glyphs(tiny_timeline):
    # pytest turns matplotlib's missing-glyph warning into an error, so this proves the
    # Arabic font is found and used.
    image = _png(tiny_timeline, date="2001-05-02", lang="ar", title="خريطة السيطرة")
    assert image.size == (1200, 800)


def test_change_map_lists_gains_and_losses(tiny_timeline):
    opts = parse_snapshot_options({"date": "2001-05-03", "compare": "2001-05-01"},
                                  tiny_timeline, "svg")
    texts = _svg_texts(render_snapshot(tiny_timeline, opts))
    assert "Changes from 1 May 2001 to 3 May 2001" in texts
    assert "Changed since 1 May 2001 (the rest faded)" in texts  # the outline's key entry
    lines = [t for t in texts if " gained " in t or " lost " in t or " first reported " in t]
    # West changed hands; East and the harbour had no data before: first reports, not gains.
    assert "Green gained 1 place (79.7 km²): West Square" in lines, lines
    assert "Blue lost 1 place (79.7 km²): West Square" in lines
    assert "Blue first reported holding 2 places (79.7 km²): East Square, Harbour" in lines
    assert "Green first reported holding 1 place (79.7 km²): East Square" in lines
    assert not any(t.startswith("Blue gained") for t in lines)


def test_change_map_with_no_change_says_so(tiny_timeline):
    opts = parse_snapshot_options({"date": "2001-04-30", "compare": "2001-04-01"},
                                  tiny_timeline, "svg")
    texts = _svg_texts(render_snapshot(tiny_timeline, opts))
    assert "No place changed hands between 1 April 2001 and 30 April 2001." in texts


def test_titles_are_not_parsed_as_math(tiny_timeline):
    opts = parse_snapshot_options({"title": "$5 a day & <b>bold</b>"}, tiny_timeline, "svg")
    assert "$5 a day & <b>bold</b>" in _svg_texts(render_snapshot(tiny_timeline, opts))


# --- PDF -------------------------------------------------------------------------------


def test_pdf_is_one_vector_a4_page(tiny_timeline, tmp_path):
    opts = parse_snapshot_options({"preset": "a4", "title": "Print"}, tiny_timeline, "pdf")
    body = render_snapshot(tiny_timeline, opts)
    assert body.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", body)) == 1
    path = tmp_path / "map.pdf"
    path.write_bytes(body)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"Pages:\s+1\b", info.stdout)
    assert re.search(r"Page size:\s+841\.9\d? x 595\.\d+ pts \(A4\)", info.stdout), info.stdout
    assert re.search(r"Title:\s+Print", info.stdout)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Tiny test data, no real places" in text  # real text, not outlines


# --- GIF -------------------------------------------------------------------------------


def test_gif_has_one_frame_per_change_and_the_right_colours(tiny_timeline):
    anim = parse_animation_options({"from": "1965-03-01", "to": "2001-05-03",
                                    "view": "west", "labels": "off", "width": "400",
                                    "height": "300"}, tiny_timeline)
    assert [d.isoformat() for d in anim.frames] == ["1965-03-01", "2001-05-01", "2001-05-02",
                                                    "2001-05-03"]
    image = Image.open(io.BytesIO(render_animation(tiny_timeline, anim)))
    assert image.format == "GIF" and image.size == (400, 300)
    assert image.n_frames == 4 and image.info["loop"] == 0
    reference = _png(tiny_timeline, view="west", labels="off", width="400", height="300")
    point = pixel_of(reference, 10.03, 50.03)
    expected = {0: BLUE, 3: GREEN}
    for frame, color in expected.items():
        image.seek(frame)
        pixel = np.array(image.convert("RGB").getpixel(point), float)
        assert np.abs(pixel - _blend(color, FILL_OPACITY)).max() <= 12, (frame, pixel)


def test_gif_by_day(tiny_timeline):
    anim = parse_animation_options({"from": "2001-04-29", "to": "2001-05-03", "step": "day",
                                    "width": "300", "height": "200"}, tiny_timeline)
    image = Image.open(io.BytesIO(render_animation(tiny_timeline, anim)))
    assert image.n_frames == 5
