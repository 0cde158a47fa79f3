"""Colours as readers see them: sRGB, blending, simulated colour-vision deficiency, CIELAB
distance (CIE76 ΔE) and WCAG contrast. Pure functions of ``#rrggbb`` strings; the thresholds
the data's colours are held to live here too, for the validator and the tests alike.
"""

from __future__ import annotations

import math

RGB = tuple[float, float, float]  # channels in [0, 1]
Matrix = tuple[RGB, RGB, RGB]

# A pair of colours that can be on the map together should be at least this far apart
# (CIE76 ΔE, for normal vision and each simulated deficiency): about five times a "just
# noticeable" difference (about 2.3, Sharma 2003), for two patches side by side on a map.
MIN_DELTA_E = 12.0
# WCAG 2.2 success criterion 1.4.11 (non-text contrast): parts of graphics needed to
# understand the content against what lies next to them.
MIN_GRAPHIC_CONTRAST = 3.0
# WCAG 2.2 success criterion 1.4.3: small text against its background.
MIN_TEXT_CONTRAST = 4.5

# Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for Simulation of
# Color Vision Deficiency", IEEE TVCG 15(6):1291-1298, table 1, severity 1.0; the matrices
# act on linear RGB. Tritanopia is left out: the issue asks for the red-green deficiencies,
# the common ones (about 8 % of men of European descent: Birch 2012, JOSA A 29(3)).
MACHADO_2009: dict[str, Matrix] = {
    "protanopia": ((0.152286, 1.052583, -0.204868),
                   (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968),
                     (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
}
VISIONS = ("normal", "protanopia", "deuteranopia")

# D65 white of sRGB (IEC 61966-2-1), the reference white of CIELAB here.
_WHITE = (0.95047, 1.0, 1.08883)
_SRGB_TO_XYZ: Matrix = ((0.4124564, 0.3575761, 0.1804375),
                        (0.2126729, 0.7151522, 0.0721750),
                        (0.0193339, 0.1191920, 0.9503041))


def parse_hex(color: str) -> RGB:
    """``#rrggbb`` as sRGB channels in [0, 1].

    >>> parse_hex("#ff8000")
    (1.0, 0.5019607843137255, 0.0)
    """
    value = int(color.lstrip("#"), 16)
    return ((value >> 16 & 255) / 255, (value >> 8 & 255) / 255, (value & 255) / 255)


def to_hex(rgb: RGB) -> str:
    """sRGB channels as ``#rrggbb`` (rounded, clipped).

    >>> to_hex((1.0, 0.5, 0.0))
    '#ff8000'
    """
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02x}" for c in rgb)


def to_linear(c: float) -> float:
    """An sRGB channel's linear light (the IEC 61966-2-1 curve)."""
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def from_linear(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def _apply(m: Matrix, v: RGB) -> RGB:
    return (m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
            m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
            m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2])


def blend(color: RGB, under: RGB, opacity: float) -> RGB:
    """A fill of ``opacity`` over ``under``, as a canvas composites it (in sRGB values)."""
    return (color[0] * opacity + under[0] * (1 - opacity),
            color[1] * opacity + under[1] * (1 - opacity),
            color[2] * opacity + under[2] * (1 - opacity))


def simulate(rgb: RGB, vision: str) -> RGB:
    """The sRGB colour a reader with ``vision`` sees in place of ``rgb`` (Machado 2009 at
    full severity; "normal" returns it unchanged).

    >>> to_hex(simulate(parse_hex("#ffffff"), "deuteranopia"))
    '#ffffff'
    """
    if vision == "normal":
        return rgb
    linear = (to_linear(rgb[0]), to_linear(rgb[1]), to_linear(rgb[2]))
    out = _apply(MACHADO_2009[vision], linear)
    return (from_linear(out[0]), from_linear(out[1]), from_linear(out[2]))


def lab(rgb: RGB) -> RGB:
    """CIELAB (D65) of an sRGB colour.

    >>> [round(v, 2) for v in lab(parse_hex("#ff0000"))]
    [53.24, 80.09, 67.2]
    """
    x, y, z = _apply(_SRGB_TO_XYZ, (to_linear(rgb[0]), to_linear(rgb[1]), to_linear(rgb[2])))

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = f(x / _WHITE[0]), f(y / _WHITE[1]), f(z / _WHITE[2])
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def delta_e(a: RGB, b: RGB, vision: str = "normal") -> float:
    """CIE76 ΔE between two sRGB colours as a reader with ``vision`` sees them.

    >>> round(delta_e(parse_hex("#000000"), parse_hex("#ffffff")), 3)
    100.0
    """
    return math.dist(lab(simulate(a, vision)), lab(simulate(b, vision)))


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance."""
    r, g, b = (to_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio, 1 to 21.

    >>> round(contrast(parse_hex("#000000"), parse_hex("#ffffff")), 6)
    21.0
    """
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
