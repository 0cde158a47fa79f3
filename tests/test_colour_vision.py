"""Colour vision and contrast (issue 15, item 4): the shipped factions' fills, as the page
composites them, stay 12 ΔE apart for normal vision and under simulated protanopia and
deuteranopia; outlines, markers, labels and legend swatches reach WCAG's 3:1; and
``mapapp validate`` warns when a data set's colours do not. The simulation itself is
checked against values computed here from the published matrices and known references."""

from __future__ import annotations

import csv
import itertools
import json
import re
from pathlib import Path

import pytest

from mapapp import colour, style
from mapapp.cli import main
from mapapp.validate.colours import low_contrast, too_close

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CSS = (ROOT / "mapapp" / "static" / "mapapp.css").read_text(encoding="utf-8")

# Machado, Oliveira & Fernandes 2009, table 1, severity 1.0, typed again from the paper so
# that a slip in mapapp/colour.py's copy shows.
PAPER = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
}


def encode(linear: float) -> float:
    """IEC 61966-2-1's sRGB encoding of a linear value, clipped to [0, 1]."""
    v = min(1.0, max(0.0, linear))
    return 12.92 * v if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


def factions() -> list[dict[str, str]]:
    with (DATA / "factions.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def factions_on_map() -> dict[str, str]:
    """The shipped factions that fill places: those named by a control event."""
    with (DATA / "events.csv").open(encoding="utf-8") as f:
        named = {n for e in csv.DictReader(f) if e["type"] == "control"
                 for n in e["factions"].split(";")}
    return {r["id"]: r["color"] for r in factions() if r["id"] in named}


def rgba_in(selector: str, prop: str) -> tuple[colour.RGB, float]:
    """The colour (and alpha) a rule of mapapp.css gives a property, as rgba() or #rrggbb."""
    block = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert block, selector
    value = re.search(r"(?<![-\w])" + prop + r":[^;]*?(#[0-9a-fA-F]{3,6}\b|rgba\([^)]*\))",
                      block.group(1))
    assert value, (selector, prop)
    text = value.group(1)
    if len(text) == 4:  # #rgb
        text = "#" + "".join(c * 2 for c in text[1:])
    if text.startswith("#"):
        return colour.parse_hex(text), 1.0
    r, g, b, a = (float(v) for v in text[5:-1].split(","))
    return (r / 255, g / 255, b / 255), a


def halos(selector: str) -> list[colour.RGB]:
    """The colours of a rule's box-shadow rings."""
    block = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert block, selector
    shadow = re.search(r"box-shadow:([^;]*);", block.group(1))
    assert shadow, selector
    return [colour.parse_hex("#" + "".join(c * 2 for c in h) if len(h) == 3 else "#" + h)
            for h in re.findall(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", shadow.group(1))]


# --- the simulation, against independent values -----------------------------------------


@pytest.mark.parametrize("vision", sorted(PAPER))
@pytest.mark.parametrize("channel", [0, 1, 2])
def test_a_pure_primary_becomes_the_papers_matrix_column(vision, channel):
    """Pure red, green or blue is 1 in linear light in one channel, so the simulated colour
    is that column of the matrix, clipped and encoded."""
    pure = tuple(1.0 if i == channel else 0.0 for i in range(3))
    expected = [encode(PAPER[vision][row][channel]) for row in range(3)]
    assert colour.simulate(pure, vision) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("vision", sorted(PAPER))
def test_a_mid_colour_is_linearised_before_the_matrix(vision):
    """#808080's channels are 0.2158605 in linear light (not 0.502): the matrix's rows sum
    to 1, so a grey stays that grey; and a mid red follows the matrix in linear light."""
    grey = colour.parse_hex("#808080")
    assert colour.simulate(grey, vision) == pytest.approx(grey, abs=1e-5)
    lin = 0.2158605  # ((128/255 + 0.055) / 1.055) ** 2.4
    expected = [encode(PAPER[vision][row][0] * lin) for row in range(3)]
    assert colour.simulate(colour.parse_hex("#800000"), vision) == pytest.approx(expected,
                                                                                abs=1e-6)


def test_cielab_of_known_colours():
    """Reference CIELAB (D65) values of sRGB primaries and a grey."""
    known = {"#ff0000": (53.24, 80.09, 67.20), "#0000ff": (32.30, 79.19, -107.86),
             "#00ff00": (87.73, -86.18, 83.18), "#808080": (53.59, 0.0, 0.0)}
    for hex_colour, lab in known.items():
        assert colour.lab(colour.parse_hex(hex_colour)) == pytest.approx(lab, abs=0.02), hex_colour


def test_wcag_contrast_of_known_pairs():
    """#767676 on white is the lightest grey at 4.5:1 (4.54); #777777 just fails (4.48)."""
    white = colour.parse_hex("#ffffff")
    assert colour.contrast(colour.parse_hex("#767676"), white) == pytest.approx(4.54, abs=0.01)
    assert colour.contrast(white, colour.parse_hex("#777777")) == pytest.approx(4.48, abs=0.01)


def test_the_issues_measurement_of_the_old_colours_is_reproduced():
    """Issue 15: the old government red and KRG green were 7 ΔE apart under simulated
    deuteranopia, though 70 apart for normal vision."""
    red, green = colour.parse_hex("#d62728"), colour.parse_hex("#2ca02c")
    assert 6.5 < colour.delta_e(red, green, "deuteranopia") < 7.5
    assert colour.delta_e(red, green) > 60


# --- the shipped colours ------------------------------------------------------------------


def min_delta_e(colors: dict[str, str]) -> dict[str, tuple[float, str, str, str]]:
    """For each vision, the smallest ΔE between two factions' fills of one kind over one
    ground, or between a fill and no data: (ΔE, first, second, "kind over ground")."""
    worst: dict[str, tuple[float, str, str, str]] = {}
    for vision in colour.VISIONS:
        cases = []
        for under in style.UNDER_PLACES:
            fills = {f: style.shades(c, under) for f, c in colors.items()}
            none = style.no_data_shade(under)
            for kind in ("firm", "tentative", "stale"):
                where = f"{kind} over {under}"
                for a, b in itertools.combinations(fills, 2):
                    cases.append((colour.delta_e(fills[a][kind], fills[b][kind], vision),
                                  a, b, where))
                cases += [(colour.delta_e(fills[f][kind], none, vision), f, "no data", where)
                          for f in fills]
        worst[vision] = min(cases)
    return worst


def test_shipped_fills_are_12_delta_e_apart_for_every_reader():
    table = min_delta_e(factions_on_map())
    assert set(table) == {"normal", "protanopia", "deuteranopia"}
    for vision, (d, a, b, where) in table.items():
        assert d >= colour.MIN_DELTA_E, f"{vision}: {a}/{b} ({where}) only {d:.1f} ΔE apart"


def test_shipped_swatches_are_12_delta_e_apart_for_every_reader():
    """Every faction, map or not (Russia and the coalition appear in incidents' lists), as
    a swatch in the legend, a popup or the panel."""
    rows = factions()
    for vision in colour.VISIONS:
        for a, b in itertools.combinations(rows, 2):
            d = colour.delta_e(colour.parse_hex(a["color"]), colour.parse_hex(b["color"]), vision)
            assert d >= colour.MIN_DELTA_E, (vision, a["id"], b["id"], d)


@pytest.mark.parametrize("vision", colour.VISIONS)
def test_the_check_finds_what_the_table_finds(vision):
    """The validator's rule and this test's table agree: nothing on the shipped colours,
    and exactly the table's closest pair once the threshold is raised just above it."""
    colors = factions_on_map()
    assert too_close(colors) == [] and low_contrast(colors) == []
    d, a, b, _ = min_delta_e(colors)[vision]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(colour, "MIN_DELTA_E", d + 1e-6)
        closest = [t for t in too_close(colors, visions=[vision]) if t.shade != "colour"]
    assert [(t.first, t.second, round(t.delta_e, 6)) for t in closest] == [(a, b, round(d, 6))]


# --- contrast (WCAG 1.4.11: 3:1 against what lies beside) --------------------------------


def grounds() -> list[colour.RGB]:
    return [colour.parse_hex(u) for u in style.UNDER_PLACES]


def every_fill() -> list[colour.RGB]:
    """Every fill a place can show over either ground, no data included."""
    out = []
    for under in style.UNDER_PLACES:
        for c in factions_on_map().values():
            out += style.shades(c, under).values()
        out.append(style.no_data_shade(under))
    return out


def test_outlines_stand_out_from_their_fills_and_the_ground():
    for f, c in factions_on_map().items():
        line = colour.parse_hex(style.darker(c))
        beside = grounds() + [rgb for u in style.UNDER_PLACES
                              for rgb in style.shades(c, u).values()]
        ratio = min(colour.contrast(line, rgb) for rgb in beside)
        assert ratio >= colour.MIN_GRAPHIC_CONTRAST, (f, ratio)
    line = colour.parse_hex(style.NO_DATA_STYLE["line"])
    beside = grounds() + [style.no_data_shade(u) for u in style.UNDER_PLACES]
    assert min(colour.contrast(line, rgb) for rgb in beside) >= colour.MIN_GRAPHIC_CONTRAST


def test_basemap_lines_stand_out_from_land_and_sea():
    land, sea = (colour.parse_hex(u) for u in style.UNDER_PLACES)
    for layer in ("countries", "lakes", "rivers", "borders"):
        path = style.CONTEXT_STYLES[layer]
        for under in (land, sea):
            line = colour.blend(colour.parse_hex(path["color"]), under, path.get("opacity", 1))
            assert colour.contrast(line, under) >= colour.MIN_GRAPHIC_CONTRAST, layer


def test_markers_stand_out_from_every_fill():
    """A town dot or an incident ring is seen by its ring or by its light halo/fill: one of
    the two reaches 3:1 against whatever place lies under it."""
    ring = colour.parse_hex(style.TOWN_STYLE["color"])
    dot = colour.parse_hex(style.TOWN_STYLE["fillColor"])
    rule = ".mapapp-incident-key, .mapapp-incident::after"
    incident = [rgba_in(rule, "border")[0]] + halos(rule)
    assert len(incident) == 3  # the ring, a light and a dark halo
    for rgb in every_fill():
        assert max(colour.contrast(ring, rgb), colour.contrast(dot, rgb)) >= 3
        assert max(colour.contrast(c, rgb) for c in incident) >= 3


def test_town_labels_read_on_their_halo():
    text, _ = rgba_in(".mapapp-town-label", "color")
    halo, _ = rgba_in(".mapapp-town-label", "text-shadow")
    assert colour.contrast(text, halo) >= colour.MIN_TEXT_CONTRAST


def test_legend_swatch_borders_stand_out_from_the_legend():
    """The swatch's border (black at some alpha) on the legend's near-white box, itself
    over the darkest thing the map can show under it."""
    border, border_alpha = rgba_in(".mapapp-swatch", "border")
    box, box_alpha = rgba_in(".mapapp-legend", "background")
    for under in every_fill() + grounds():
        legend = colour.blend(box, under, box_alpha)
        assert colour.contrast(colour.blend(border, legend, border_alpha), legend) >= 3


# --- mapapp validate's warning ------------------------------------------------------------


def _set_colours(data_dir: Path, colors: dict[str, str]) -> None:
    path = data_dir / "factions.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        columns = list(rows[0])
    for r in rows:
        r["color"] = colors.get(r["id"], r["color"])
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_validate_warns_of_colours_a_deuteranope_cannot_tell_apart(runner, tiny_dir):
    """The old red and green of issue 15 on the tiny data set: a warning naming the pair,
    the vision and the ΔE; the data is still valid (exit 0)."""
    _set_colours(tiny_dir, {"blue": "#d62728", "green": "#2ca02c"})
    result = runner.invoke(main, ["validate", str(tiny_dir)])
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if "ΔE" in ln]
    deutan = [ln for ln in lines if "under deuteranopia" in ln]
    assert len(deutan) == 1, lines
    d = too_close({"blue": "#d62728", "green": "#2ca02c"}, visions=["deuteranopia"])[0].delta_e
    assert d < colour.MIN_DELTA_E
    assert (f"factions.csv:3:color: warning: color '#2ca02c' is {d:.1f} ΔE from 'blue'"
            in deutan[0]), deutan
    assert "below 12" in deutan[0]
    assert not any("under normal" in ln for ln in lines)  # 70 ΔE apart for normal vision


def test_validate_warns_of_an_outline_lost_in_its_fill(runner, tiny_dir):
    """Pure black fills over the sea are too dark for any outline to show on them."""
    _set_colours(tiny_dir, {"green": "#000000"})
    result = runner.invoke(main, ["validate", str(tiny_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    outline = [p for p in doc["problems"] if "outline" in p["message"]]
    assert outline and all(p["severity"] == "warning" for p in outline), doc["problems"]
    assert outline[0]["line"] == 3 and "firm fill" in outline[0]["message"]
    assert "docs/data.md" in outline[0]["hint"]


def test_the_shipped_data_has_no_colour_warning(runner):
    result = runner.invoke(main, ["validate", str(DATA)])
    assert "ΔE" not in result.output and "outline has" not in result.output, result.output


# --- status by pattern as well as colour ---------------------------------------------------


def test_exports_hatch_tentative_states_and_only_them():
    from mapapp.snapshot.paint import patch_style, style_of

    colors = {"a": "#dc3d1f", "b": "#1a1a1a"}
    firm = patch_style(style_of("held", ("a",), "confirmed"), colors)
    claimed = patch_style(style_of("held", ("a",), "claimed"), colors)
    contested = patch_style(style_of("contested", ("a", "b"), "disputed"), colors)
    assert "hatch" not in firm
    assert claimed["hatch"] == style.EXPORT_TENTATIVE_HATCH
    assert claimed["hatchcolor"] == (1.0, 1.0, 1.0, 1.0)
    # Stripes and the tentative lines together, in the challenger's colour.
    assert contested["hatch"] == style.EXPORT_HATCH + style.EXPORT_TENTATIVE_HATCH
