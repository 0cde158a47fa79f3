"""Status by pattern as well as colour, on the page's canvas (issue 15, item 4): a claimed
place is paler and crossed by the style's horizontal white lines; a confirmed one is not."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from mapapp import colour, style
from tests.tiny_dataset import FACTIONS, write_tiny_dataset

pytestmark = pytest.mark.browser

GREEN = next(f["color"] for f in FACTIONS if f["id"] == "green")


def _claimed_west(directory: Path) -> Path:
    """The tiny data set, with green's taking of the west square only claimed."""
    write_tiny_dataset(directory)
    events = directory / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, ln in enumerate(lines) if ln.startswith("2001-05-03-west,"))
    assert ",confirmed," in lines[row]
    lines[row] = lines[row].replace(",confirmed,", ",claimed,")
    events.write_text("".join(lines), encoding="utf-8")
    return directory


def _patch(page, lon: float, lat: float, half: int = 10) -> list[list[tuple[int, int, int]]]:
    """The screen's pixels in a square around a point, by rows, after two frames."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    x, y = page.evaluate("""([lon, lat]) => {
        const map = mapapp.core.S.map, pt = map.latLngToContainerPoint([lat, lon]);
        const rect = map.getContainer().getBoundingClientRect();
        return [rect.left + pt.x, rect.top + pt.y]; }""", [lon, lat])
    clip = {"x": round(x) - half, "y": round(y) - half, "width": 2 * half, "height": 2 * half}
    image = Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")
    return [[image.getpixel((i, j)) for i in range(image.width)] for j in range(image.height)]


def _near(a: tuple[int, int, int], b: colour.RGB, tolerance: float = 14) -> bool:
    return sum((x - y * 255) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5 < tolerance


def _hatched_rows(rows, line: colour.RGB) -> int:
    """Rows made (almost) wholly of the hatch's colour."""
    return sum(1 for r in rows if sum(_near(p, line) for p in r) >= 0.8 * len(r))


def test_a_claimed_place_is_hatched_and_a_confirmed_one_is_not(tmp_path, map_of):
    hatch = colour.parse_hex(style.TENTATIVE_HATCH["color"])
    with map_of(_claimed_west(tmp_path / "tiny"), "/?date=2001-05-03&view=west") as (_a, rec):
        page = rec.page
        assert page.evaluate("mapapp.getPlaceState('west-square').confidence") == "claimed"
        # What lies under the places (the tiny data has no land layer): outside them all.
        land = tuple(c / 255 for c in _patch(page, 9.99, 50.11, half=2)[0][0])
        assert any(_near(tuple(round(c * 255) for c in land), colour.parse_hex(u), 3)
                   for u in style.UNDER_PLACES)
        rows = _patch(page, 10.05, 50.05)
        tentative = colour.blend(colour.parse_hex(GREEN), land, style.FILL_OPACITY["tentative"])
        line = colour.blend(hatch, land, style.FILL_OPACITY["tentative"])
        pixels = [p for r in rows for p in r]
        assert sum(_near(p, tentative) for p in pixels) > 0.5 * len(pixels)
        hatched = _hatched_rows(rows, line)
        # 2 px lines, style.TENTATIVE_HATCH["lines"] per 14 px tile: about 20 % of the rows.
        assert 0.1 * len(rows) <= hatched <= 0.4 * len(rows), hatched
        # Back one day: contested and confirmed, striped at 45°, no horizontal line.
        page.evaluate("mapapp.setDate('2001-05-02')")
        page.wait_for_function("mapapp.getPlaceState('west-square').confidence === 'confirmed'")
        assert _hatched_rows(_patch(page, 10.05, 50.05), line) == 0
        assert rec.errors == []
