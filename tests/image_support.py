"""Where a lon/lat lands in an exported PNG, from the map frame the PNG carries."""

from __future__ import annotations

import json

from PIL import Image
from pyproj import Transformer

TO_MERCATOR = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


def pixel_of(image: Image.Image, lon: float, lat: float) -> tuple[int, int]:
    """Pixel of (lon, lat), from the ``mapapp:map-frame`` text chunk (pixels + extent)."""
    frame = json.loads(image.info["mapapp:map-frame"])
    left, top, right, bottom = frame["pixels"]
    x0, y0, x1, y1 = frame["extent"]
    x, y = TO_MERCATOR.transform(lon, lat)
    return (round(left + (x - x0) / (x1 - x0) * (right - left)),
            round(top + (y1 - y) / (y1 - y0) * (bottom - top)))
