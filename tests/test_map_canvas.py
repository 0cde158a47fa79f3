"""What the map's canvas shows, read from screenshots: each place in its holder's colour,
hatches for contested places, holes left empty, and a place inside another's hole in its own
colour (renderer.js draws places in batches, with the non-zero rule on oriented rings)."""

from __future__ import annotations

import io
import json
import random
from collections import Counter
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from bench.generate import Spec, generate
from mapapp.style import FILL_OPACITY as FILL_OPACITIES
from tests.tiny_dataset import write_tiny_dataset
from tests.viewer_support import open_map

pytestmark = pytest.mark.browser

Colour = tuple[int, int, int]
FILL_OPACITY = FILL_OPACITIES["firm"]  # a confirmed holder's fill


def rgb(hex_colour: str) -> Colour:
    value = int(hex_colour.lstrip("#"), 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def blend(top: Colour, under: Colour, alpha: float) -> Colour:
    return tuple(round(t * alpha + u * (1 - alpha)) for t, u in zip(top, under, strict=True))


def distance(a: Colour, b: Colour) -> float:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5


def screenshot(page, clip: dict[str, float] | None = None) -> Image.Image:
    # Two frames: the redraw a date change asked for has been painted.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return Image.open(io.BytesIO(page.screenshot(clip=clip))).convert("RGB")


def incremental_with_keyframes(page) -> dict[str, float]:
    """Partial redraws from one place on (2,000 in the app), with every keyframe drawn;
    returns the map's box on the page."""
    page.evaluate("""() => { const R = mapapp.core.S.renderer;
        R.options.incrementalFrom = 1; R._forget(); R.redrawAll(); }""")
    page.wait_for_function("""() => { const R = mapapp.core.S.renderer;
        return R.keyframeSlots() > 0 && R.keyframeCount() === R.keyframeSlots(); }""")
    return page.locator(".folium-map").bounding_box()


def whole_redraw(page, clip: dict[str, float] | None = None) -> Image.Image:
    """The same map drawn whole: what a partial redraw must look like."""
    page.evaluate("() => { const R = mapapp.core.S.renderer; R._shown = null; R.redrawAll(); }")
    return screenshot(page, clip)


def screen_point(page, lon: float, lat: float) -> tuple[int, int]:
    x, y = page.evaluate("""([lon, lat]) => {
        const map = mapapp.core.S.map, pt = map.latLngToContainerPoint([lat, lon]);
        const rect = map.getContainer().getBoundingClientRect();
        return [rect.left + pt.x, rect.top + pt.y];
    }""", [lon, lat])
    return round(x), round(y)


def colours_around(image: Image.Image, x: int, y: int, radius: int = 4) -> Counter[Colour]:
    return Counter(image.getpixel((x + dx, y + dy)) for dx in range(-radius, radius + 1)
                   for dy in range(-radius, radius + 1))


def nearest(colour: Colour, candidates: dict[str, Colour]) -> str:
    return min(candidates, key=lambda name: distance(colour, candidates[name]))


def test_places_are_painted_in_their_holders_colours(app, live_server, make_page):
    recorder = open_map(make_page, live_server, "/?date=2017-10-30&view=deir-ez-zor-city",
                        texts=False)
    page = recorder.page
    factions = app.extensions["mapapp"].current().dataset.factions
    land = rgb("#f6f4ee")  # the countries layer under the places
    candidates = {fid: blend(rgb(factions.loc[fid, "color"]), land, FILL_OPACITY)
                  for fid in factions.index}
    x, y = page.evaluate("mapapp.placeScreenPoint('kanamat')")
    for date, holder in (("2017-10-30", "isis"), ("2017-11-01", "syrian-government")):
        page.evaluate(f"mapapp.setDate('{date}')")
        assert page.evaluate("mapapp.getPlaceState('kanamat').factions") == [holder]
        colour, _ = colours_around(screenshot(page), round(x), round(y)).most_common(1)[0]
        assert nearest(colour, candidates) == holder, (date, colour)
        assert distance(colour, candidates[holder]) < 20

    # contested: the holder's colour hatched with the challenger's, both on screen (Ba'ajein,
    # contested and confirmed that day; a disputed state such as al-Hamidiyah's is paler)
    page.evaluate("mapapp.setDate('2017-10-30')")
    state = page.evaluate("mapapp.getPlaceState('baajein')")
    assert state["status"] == "contested"
    x, y = page.evaluate("mapapp.placeScreenPoint('baajein')")
    seen = colours_around(screenshot(page), round(x), round(y), radius=8)
    for faction in state["factions"]:
        hex_colour = factions.loc[faction, "color"]
        assert any(distance(c, blend(rgb(hex_colour), land, FILL_OPACITY)) < 25 for c in seen), \
            faction
    assert recorder.errors == []


def _ring_and_island(directory: Path) -> Path:
    """The tiny data set, with the west square given a hole (both rings clockwise: valid,
    but only orienting them keeps the hole under the non-zero rule) and a place inside it."""
    write_tiny_dataset(directory)
    places = json.loads((directory / "places.geojson").read_text(encoding="utf-8"))
    west = next(f for f in places["features"] if f["id"] == "west-square")
    exterior = [[10.0, 50.0], [10.0, 50.1], [10.1, 50.1], [10.1, 50.0], [10.0, 50.0]]
    hole = [[10.03, 50.03], [10.03, 50.07], [10.07, 50.07], [10.07, 50.03], [10.03, 50.03]]
    west["geometry"] = {"type": "Polygon", "coordinates": [exterior, hole]}
    island = json.loads(json.dumps(west))
    island["id"] = "island"
    island["properties"] |= {"name": "Island", "kind": "island"}
    island["geometry"] = {"type": "Polygon", "coordinates": [
        [[10.045, 50.045], [10.055, 50.045], [10.055, 50.055], [10.045, 50.055],
         [10.045, 50.045]]]}
    places["features"].append(island)
    (directory / "places.geojson").write_text(json.dumps(places), encoding="utf-8")
    with open(directory / "events.csv", "a", encoding="utf-8") as fh:
        fh.write("2001-05-03-island,2001-05-03,control,island,held,blue,,,Blue holds the "
                 "island.,Test report island,https://example.org/island,2001-05-03,"
                 "confirmed,\n")
    return directory


def test_holes_stay_empty_and_a_place_in_a_hole_keeps_its_colour(tmp_path, map_of):
    with map_of(_ring_and_island(tmp_path / "ring"),
                "/?date=2001-05-03&view=west") as (_app, recorder):
        page = recorder.page
        assert page.evaluate("mapapp.getPlaceState('west-square').factions") == ["green"]
        assert page.evaluate("mapapp.getPlaceState('island').factions") == ["blue"]
        image = screenshot(page)

        def colour_at(lon: float, lat: float) -> Colour:
            x, y = screen_point(page, lon, lat)
            return colours_around(image, x, y, radius=2).most_common(1)[0][0]

        background = colour_at(9.99, 50.11)  # outside every place
        green = blend(rgb("#2e8b57"), background, FILL_OPACITY)
        blue = blend(rgb("#1f5fbf"), background, FILL_OPACITY)
        assert distance(colour_at(10.015, 50.05), green) < 20  # the ring
        assert distance(colour_at(10.035, 50.05), background) < 8  # the hole
        assert distance(colour_at(10.05, 50.05), blue) < 20  # the island in the hole
        assert recorder.errors == []


def _differing_share(a: Image.Image, b: Image.Image, threshold: int = 48) -> float:
    """The share of pixels where some channel differs by more than ``threshold``."""
    diff = ImageChops.difference(a, b).convert("L")
    return sum(diff.histogram()[threshold + 1:]) / (a.width * a.height)


def test_partial_and_keyframe_redraws_paint_what_a_full_redraw_paints(tmp_path, map_of):
    """From 2,000 places on, a redraw repaints only the places that changed, over the frame
    on screen or over the nearest keyframe; here from one place on, checked against a full
    redraw at every date, after small steps, random jumps and a pan."""
    data = generate(tmp_path / "synthetic", Spec(places=300, events=1800, days=150))
    with map_of(data, "/") as (app, recorder):
        page = recorder.page
        box = incremental_with_keyframes(page)
        clip = {"x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"]}

        def shot() -> Image.Image:
            return screenshot(page, clip)

        days = app.extensions["mapapp"].current().timeline.change_dates
        rng = random.Random(3)
        dates = [days[10], days[11], days[12]] + rng.sample(days, 8) + [days[-2], days[-1]]
        for step, date in enumerate(dates):
            if step == 6:  # keyframes are dropped on a pan and drawn again
                page.evaluate("() => { mapapp.core.S.map.panBy([60, 25], {animate: false}); }")
            page.evaluate(f"mapapp.setDate('{date}')")
            fast = shot()
            full = whole_redraw(page, clip)
            for place in rng.sample(page.evaluate("mapapp.placeIds()"), 25):
                point = page.evaluate(f"mapapp.placeScreenPoint('{place}')")
                x, y = round(point[0] - box["x"]), round(point[1] - box["y"])
                if not (3 <= x < fast.width - 3 and 3 <= y < fast.height - 3):
                    continue
                seen = colours_around(fast, x, y, 1).most_common(1)[0][0]
                wanted = colours_around(full, x, y, 1).most_common(1)[0][0]
                assert distance(seen, wanted) < 12, (date, place, seen, wanted)
            # Outlines shared with an unchanged neighbour keep its half: a hairline differs.
            assert _differing_share(fast, full) < 0.02, date
        stats = page.evaluate("mapapp.core.S.renderer.stats")
        assert stats["partial"] > 0 and stats["keyframe"] > 0, stats
        assert recorder.errors == []


def test_a_keyframe_shows_point_places_in_their_colours_at_its_date(tiny_dir, map_of):
    """Leaflet draws point places from their options, which hold today's colours: a
    keyframe of another date must draw them in that date's."""
    with map_of(tiny_dir, "/?date=2001-05-03&view=overview") as (_app, recorder):
        page = recorder.page
        incremental_with_keyframes(page)
        assert page.evaluate("mapapp.getPlaceState('harbour').factions") == ["blue"]
        page.evaluate("mapapp.setDate('1965-03-01')")  # the harbour has no data yet
        x, y = (round(v) for v in page.evaluate("mapapp.placeScreenPoint('harbour')"))
        seen = colours_around(screenshot(page), x, y, 1).most_common(1)[0][0]
        assert page.evaluate("mapapp.core.S.renderer.stats.keyframe") > 0
        wanted = colours_around(whole_redraw(page), x, y, 1).most_common(1)[0][0]
        assert distance(seen, wanted) < 12, (seen, wanted)
        assert recorder.errors == []


def test_a_joint_place_shows_both_colours_in_equal_stripes(tiny_dir, map_of):
    """Joint is half and half: neither faction's stripes may swallow the other's."""
    with map_of(tiny_dir, "/?date=2001-05-02&view=overview") as (app, recorder):
        page = recorder.page
        state = page.evaluate("mapapp.getPlaceState('east-square')")
        assert state["status"] == "joint"
        factions = app.extensions["mapapp"].current().dataset.factions
        land = rgb("#f6f4ee")
        wanted = {f: blend(rgb(factions.loc[f, "color"]), land, FILL_OPACITY)
                  for f in state["factions"]}
        x, y = (round(v) for v in page.evaluate("mapapp.placeScreenPoint('east-square')"))
        seen = colours_around(screenshot(page), x, y, radius=10)
        share = {f: sum(n for c, n in seen.items() if distance(c, w) < 25) / seen.total()
                 for f, w in wanted.items()}
        assert all(0.3 < s < 0.7 for s in share.values()), share
        assert recorder.errors == []
