"""What the place-ID raster renderer (renderer.js, renderer-raster.js) shows and answers,
beyond tests/test_map_canvas.py: a 2x screen, stripes that stay on the map through a pan,
clicks and hovers after a zoom, no data, the paleness of a claimed state, and dashed
outlines whose gaps show only the fill or what is under it."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

from bench.servers import LoopbackServer
from mapapp.style import FILL_OPACITY, NO_DATA_STYLE
from tests.conftest import DATA_DIR
from tests.test_map_canvas import blend, colours_around, distance, rgb, screen_point
from tests.tiny_dataset import write_tiny_dataset
from tests.viewer_support import DESKTOP, wait_until_still

pytestmark = pytest.mark.browser

BLUE, GREEN = rgb("#1f5fbf"), rgb("#2e8b57")


@contextmanager
def tiny_map(make_app, make_page, data: Path, path: str, **context: Any) -> Iterator[Any]:
    app = make_app(data)
    with LoopbackServer(app) as server:
        recorder = make_page(server.url, **(DESKTOP | context))
        recorder.open(path)
        recorder.page.wait_for_function(
            "() => document.documentElement.getAttribute('data-mapapp-ready') === 'true'")
        wait_until_still(recorder.page)
        yield recorder


def shot(page, scale: int = 1) -> Image.Image:
    """The page after the redraws asked for have been painted, in device pixels."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    image = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    assert image.width == 1280 * scale
    return image


def background(page, image: Image.Image, scale: int = 1) -> tuple[int, int, int]:
    x, y = screen_point(page, 9.95, 50.15)  # inside the overview, outside every place
    return colours_around(image, x * scale, y * scale, 2).most_common(1)[0][0]


def centre_colour(page, image: Image.Image, place: str, scale: int = 1, radius: int = 2):
    x, y = (round(v) * scale for v in page.evaluate(f"mapapp.placeScreenPoint('{place}')"))
    return colours_around(image, x, y, radius).most_common(1)[0][0]


def stripe_share(seen, wanted) -> dict[str, float]:
    return {f: sum(n for c, n in seen.items() if distance(c, w) < 25) / seen.total()
            for f, w in wanted.items()}


def test_a_2x_screen_gets_device_pixels_colours_and_stripes(make_app, make_page, tiny_dir):
    with tiny_map(make_app, make_page, tiny_dir, "/?date=2001-05-02&view=overview",
                  device_scale_factor=2) as recorder:
        page = recorder.page
        sizes = page.evaluate("""() => Array.from(document.querySelectorAll(
            '.leaflet-overlay-pane canvas')).map(c => [c.width, c.clientWidth])""")
        # The places' canvas and Leaflet's over it (the harbour, a point place); the one
        # below them holds no pixels while no layer of the renderer is drawn there (the
        # context layers are SVG, in a pane of their own)
        drawn = [(w, css) for w, css in sizes if w]
        assert len(drawn) == 2 and all(w == 2 * css for w, css in drawn), sizes
        image = shot(page, 2)
        land = background(page, image, 2)
        west = centre_colour(page, image, "west-square", 2)  # contested: blue under green
        assert page.evaluate("mapapp.getPlaceState('west-square').status") == "contested"
        x, y = (round(v) * 2 for v in page.evaluate("mapapp.placeScreenPoint('east-square')"))
        wanted = {"blue": blend(BLUE, land, FILL_OPACITY["firm"]),
                  "green": blend(GREEN, land, FILL_OPACITY["firm"])}
        share = stripe_share(colours_around(image, x, y, 20), wanted)
        assert all(0.3 < s < 0.7 for s in share.values()), share
        assert min(distance(west, c) for c in wanted.values()) < 25, west
        assert recorder.errors == []


def test_stripes_stay_on_the_map_through_a_pan(make_app, make_page, tiny_dir):
    """The stripes are anchored to the map, as Leaflet's canvas anchors a pattern: after a
    pan by a distance that is no multiple of the stripes' tile the joint place looks the
    same, only moved."""
    with tiny_map(make_app, make_page, tiny_dir, "/?date=2001-05-02&view=overview") as recorder:
        page = recorder.page

        def around_east() -> Image.Image:
            image = shot(page)
            x, y = (round(v) for v in page.evaluate("mapapp.placeScreenPoint('east-square')"))
            return image.crop((x - 12, y - 12, x + 12, y + 12))

        before = around_east()
        full = page.evaluate("mapapp.core.S.renderer.stats.full")
        page.evaluate("mapapp.core.S.map.panBy([37, 23], {animate: false})")
        after = around_east()
        assert page.evaluate("mapapp.core.S.renderer.stats.full") > full  # drawn again
        diff = ImageChops.difference(before, after).convert("L")
        assert sum(diff.histogram()[30:]) < 0.02 * 24 * 24
        assert recorder.errors == []


def test_clicks_and_hovers_read_the_raster_after_a_zoom(make_app, make_page, tiny_dir):
    with tiny_map(make_app, make_page, tiny_dir, "/?date=2001-05-02&view=overview") as recorder:
        page = recorder.page
        page.evaluate("""() => { const m = mapapp.core.S.map;
            m.setZoom(m.getZoom() + 1, {animate: false}); }""")
        wait_until_still(page)
        for place, name in (("west-square", "West Square"), ("east-square", "East Square")):
            x, y = page.evaluate(f"mapapp.placeScreenPoint('{place}')")
            # The raster names the place under that point (the number is its index + 1),
            # once it is drawn for the new zoom (in a frame after it, later under load).
            page.wait_for_function("""([x, y, id]) => { const S = mapapp.core.S, m = S.map;
                const r = m.getContainer().getBoundingClientRect();
                const pt = m.containerPointToLayerPoint([x - r.left, y - r.top]);
                return S.renderer._hitAt(pt) === S.placeIndex[id] + 1; }""", arg=[x, y, place])
            page.mouse.move(x, y)
            page.wait_for_function(f"() => Array.from(document.querySelectorAll("
                                   f"'.leaflet-tooltip')).some(t => t.textContent.includes("
                                   f"'{name}'))")
            page.mouse.click(x, y)
            page.wait_for_function(f"() => (document.querySelector('.leaflet-popup "
                                   f"#mapapp-popup-heading') || {{}}).textContent === '{name}'")
        # Outside every place, nothing opens.
        x, y = screen_point(page, 10.15, 50.05)
        page.mouse.click(x, y)
        page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
        assert recorder.errors == []


def test_the_tooltip_names_the_place_where_the_pointer_stops(make_app, make_page, tiny_dir):
    """Leaflet's canvas hit-tests a mouse move at most every 32 ms and drops the moves
    between: a pointer that stops on a second place right after the first must still get
    the second place's name."""
    with tiny_map(make_app, make_page, tiny_dir, "/?date=2001-05-02&view=overview") as recorder:
        page = recorder.page
        tooltip = """() => Array.from(document.querySelectorAll(
            '.leaflet-tooltip:not(.mapapp-town-label)')).map(t => t.textContent).join('|')"""
        west = page.evaluate("mapapp.placeScreenPoint('west-square')")
        east = page.evaluate("mapapp.placeScreenPoint('east-square')")
        page.mouse.move(*west)  # hit-tested: the tooltip opens; the next 32 ms are not
        page.mouse.move(*east)
        page.wait_for_function(f"() => ({tooltip})().includes('East Square')")
        assert "West Square" not in page.evaluate(tooltip)
        assert recorder.errors == []


def _outline_pixels(page, box: tuple[float, float, float, float], colour) -> int:
    """Opaque pixels of `colour` that Leaflet's canvas over the places holds around a
    place's box (west, south, east, north): where a comparison's outlines are drawn."""
    return page.evaluate("""([[w, s, e, n], [r, g, b]]) => {
        const R = mapapp.core.S.renderer, m = mapapp.core.S.map, k = R._scale;
        const a = m.latLngToLayerPoint([n, w]), c = m.latLngToLayerPoint([s, e]);
        const x0 = Math.floor((a.x - R._bounds.min.x - 4) * k);
        const y0 = Math.floor((a.y - R._bounds.min.y - 4) * k);
        const x1 = Math.ceil((c.x - R._bounds.min.x + 4) * k);
        const y1 = Math.ceil((c.y - R._bounds.min.y + 4) * k);
        const d = R._ctx.getImageData(x0, y0, x1 - x0, y1 - y0).data;
        let count = 0;
        for (let q = 0; q < d.length; q += 4) {
          const off = Math.abs(d[q] - r) + Math.abs(d[q + 1] - g) + Math.abs(d[q + 2] - b);
          if (d[q + 3] > 200 && off < 40) count++;
        }
        return count; }""", [list(box), list(colour)])


def test_a_comparison_outlines_only_the_changed_places_in_the_gainers_colour(
        make_app, make_page, tiny_dir):
    west, east = (10.0, 50.0, 10.1, 50.1), (10.2, 50.0, 10.3, 50.1)
    with tiny_map(make_app, make_page, tiny_dir,
                  "/?date=2001-05-03&cmp=2001-05-02&view=overview") as recorder:
        page = recorder.page
        assert page.evaluate("mapapp.changedPlaces()") == ["west-square"]  # Green took it
        shot(page)
        side = page.evaluate("""() => { const m = mapapp.core.S.map;
            const x = (lon) => m.latLngToLayerPoint([50.0, lon]).x;
            return x(10.1) - x(10.0); }""")
        # A line of 4 px or more around the west square, none around the unchanged east one
        assert _outline_pixels(page, west, GREEN) > 4 * 3 * side, side
        assert _outline_pixels(page, east, GREEN) == 0
        assert recorder.errors == []
    with tiny_map(make_app, make_page, tiny_dir, "/?date=2001-05-03&view=overview") as recorder:
        shot(recorder.page)
        assert _outline_pixels(recorder.page, west, GREEN) == 0  # no comparison, no outline


def test_a_canvas_with_nothing_to_draw_holds_no_pixels(make_app, make_page, tmp_path):
    """Without a point place, Leaflet's canvas over the places has something to draw only
    while a comparison outlines changes: Chromium copies every canvas in each frame."""
    data = write_tiny_dataset(tmp_path / "no-points")
    places = json.loads((data / "places.geojson").read_text(encoding="utf-8"))
    places["features"] = [f for f in places["features"] if f["id"] != "harbour"]
    (data / "places.geojson").write_text(json.dumps(places), encoding="utf-8")
    events = (data / "events.csv").read_text(encoding="utf-8").splitlines()
    (data / "events.csv").write_text(
        "\n".join(e for e in events if ",harbour," not in e) + "\n", encoding="utf-8")
    drawn = """() => Array.from(document.querySelectorAll('.leaflet-overlay-pane canvas'))
        .filter(c => c.width * c.height > 0).length"""
    with tiny_map(make_app, make_page, data, "/?date=2001-05-03&view=overview") as recorder:
        shot(recorder.page)
        assert recorder.page.evaluate(drawn) == 1  # the places' own
        assert recorder.errors == []
    with tiny_map(make_app, make_page, data,
                  "/?date=2001-05-03&cmp=2001-05-02&view=overview") as recorder:
        shot(recorder.page)
        assert recorder.page.evaluate("mapapp.changedPlaces()") == ["west-square"]
        assert recorder.page.evaluate(drawn) == 2  # and the comparison's outlines
        assert recorder.errors == []


def test_the_shipped_context_layers_are_svg_under_the_places(make_app, make_page):
    """Countries, lakes, borders, rivers and towns: in one SVG in the pane under the
    places', and no canvas of the page holds them."""
    with tiny_map(make_app, make_page, DATA_DIR, "/?date=2017-10-20") as recorder:
        found = recorder.page.evaluate("""() => {
            const below = document.querySelector('.leaflet-mapappBelow-pane');
            const places = document.querySelector('.leaflet-overlay-pane');
            const R = mapapp.core.S.renderer, lists = R._layerLists();
            return { svgs: below.querySelectorAll('svg').length,
                     paths: below.querySelectorAll('svg path').length,
                     canvases: below.querySelectorAll('canvas').length,
                     under: lists.under.length, z: [getComputedStyle(below).zIndex,
                                                    getComputedStyle(places).zIndex] }; }""")
        assert found["svgs"] == 1 and found["canvases"] == 0 and found["under"] == 0, found
        assert found["paths"] > 30, found  # the lines and the town dots
        assert int(found["z"][0]) < int(found["z"][1])
        assert recorder.errors == []


def test_no_data_and_a_claimed_holder_are_drawn_pale(make_app, make_page, tmp_path):
    data = write_tiny_dataset(tmp_path / "claimed")
    events = data / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines()
    lines = [line.replace(",confirmed,", ",claimed,") if line.startswith("2001-05-03-west,")
             else line for line in lines]
    events.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with tiny_map(make_app, make_page, data, "/?date=2001-05-03&view=overview") as recorder:
        page = recorder.page
        assert page.evaluate("mapapp.getPlaceState('west-square').confidence") == "claimed"
        image = shot(page)
        land = background(page, image)
        west = centre_colour(page, image, "west-square")
        assert distance(west, blend(GREEN, land, FILL_OPACITY["tentative"])) < 12, west
        assert distance(west, blend(GREEN, land, FILL_OPACITY["firm"])) > 30, west
        page.evaluate("mapapp.setDate('1965-03-01')")  # the east square has no data yet
        image = shot(page)
        east = centre_colour(page, image, "east-square")
        grey = blend(rgb(NO_DATA_STYLE["fill"]), land, NO_DATA_STYLE["fill_opacity"])
        assert distance(east, grey) < 12, (east, grey)
        assert recorder.errors == []


def _edge_samples(page, image, lon0: float, lon1: float, lat: float) -> list[list[Any]]:
    """The pixels across a horizontal edge (3 rows around it), column by column."""
    (x0, y), (x1, _) = screen_point(page, lon0, lat), screen_point(page, lon1, lat)
    return [[image.getpixel((x, y + dy)) for dy in (-1, 0, 1)] for x in range(x0, x1)]


def test_derived_places_have_dashed_outlines_and_their_gaps_show_the_fill(
        make_app, make_page, tiny_dir):
    with tiny_map(make_app, make_page, tiny_dir, "/?date=1965-03-01&view=overview") as recorder:
        page = recorder.page
        page.evaluate("""() => { const m = mapapp.core.S.map;
            m.setView([50.05, 10.15], m.getZoom() + 1, {animate: false}); }""")
        image = shot(page)
        x, y = screen_point(page, 10.15, 50.05)  # between the squares
        land = colours_around(image, x, y, 2).most_common(1)[0][0]
        grey = blend(rgb(NO_DATA_STYLE["fill"]), land, NO_DATA_STYLE["fill_opacity"])
        blue = blend(BLUE, land, FILL_OPACITY["firm"])

        line = rgb(NO_DATA_STYLE["line"])

        def on_line(column, fill) -> bool:  # a pixel clearly darker than fill and land
            return min(sum(c) for c in column) < min(sum(fill), sum(land)) - 45

        # The east square (derived, no data yet): dashes of its line colour; in the gaps
        # only its fill or the land, and nowhere a colour that is not a mix of the three.
        east = _edge_samples(page, image, 10.21, 10.29, 50.1)
        share = sum(on_line(column, grey) for column in east) / len(east)
        assert 0.3 < share < 0.85, share
        clean_gaps = [column for column in east
                      if all(min(distance(c, grey), distance(c, land)) < 12 for c in column)]
        assert len(clean_gaps) > 0.15 * len(east), len(clean_gaps)
        mixes = [blend(line, under, t / 10) for under in (grey, land) for t in range(11)]
        for column in east:
            assert all(min(distance(c, m) for m in mixes) < 20 for c in column), column
        # The west square (official, held by Blue): one solid line.
        west = _edge_samples(page, image, 10.01, 10.09, 50.1)
        assert all(on_line(column, blue) for column in west)
        assert distance(centre_colour(page, image, "west-square"), blue) < 12
        assert recorder.errors == []


def test_the_scanline_fill_covers_what_the_browsers_own_fill_covers(tmp_path, map_of):
    """The places are filled in JavaScript (renderer-raster.js), not by the canvas: every
    pixel that the browser's fill of the same rings covers wholly, each place in a colour
    of its own, is that place's in the raster, and every pixel it leaves empty no place's."""
    from bench.generate import Spec, generate

    data = generate(tmp_path / "synthetic", Spec(places=300, events=1800, days=150))
    with map_of(data, "/") as (_app, recorder):
        counts = recorder.page.evaluate("""() => {
            const R = mapapp.core.S.renderer, P = mapapp.placeRaster;
            R._forget(); R._redraw();
            const w = R._lower[1].width, h = R._lower[1].height, v = R._view, sh = R._shapes;
            const canvas = document.createElement('canvas');
            canvas.width = w; canvas.height = h;
            const ctx = canvas.getContext('2d', {willReadFrequently: true});
            ctx.setTransform(R._scale, 0, 0, R._scale, 0, 0);
            for (const i of R._placesInView(null, w, h)) {
              const n = i + 1, path = new Path2D();
              P.tracePlace(path, sh, i, v.s, v.ox, v.oy, 0);
              ctx.fillStyle = `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
              ctx.fill(path, 'nonzero');
            }
            const d = new Uint32Array(ctx.getImageData(0, 0, w, h).data.buffer);
            const out = {inside: 0, outside: 0, wrong: 0};
            for (let y = 1; y < h - 1; y++) for (let x = 1; x < w - 1; x++) {
              const p = y * w + x, c = d[p];
              // Edges are anti-aliased: only pixels like their four neighbours count.
              if (d[p - 1] !== c || d[p + 1] !== c || d[p - w] !== c || d[p + w] !== c) continue;
              const a = c >>> 24, n = ((c & 255) << 16) | (c & 0xff00) | ((c >> 16) & 255);
              const mine = R._words[p] & P.NO_FILL ? 0 : R._words[p] & P.NUMBER;
              if (a === 255) { out.inside++; if (mine !== n) out.wrong++; }
              else if (a === 0) { out.outside++; if (mine !== 0) out.wrong++; }
            }
            return out; }""")
        assert counts["inside"] > 100_000 and counts["outside"] > 10_000, counts
        assert counts["wrong"] == 0, counts
        assert recorder.errors == []


def test_a_pan_moves_the_raster_and_draws_only_the_new_strips(tmp_path, map_of):
    """After a pan the part of the raster still in view is moved, not drawn again: it must
    equal a raster drawn whole at the new view."""
    from bench.generate import Spec, generate

    data = generate(tmp_path / "synthetic", Spec(places=300, events=1800, days=150))
    with map_of(data, "/") as (_app, recorder):
        page = recorder.page
        sample = """() => { const w = mapapp.core.S.renderer._words, out = [];
            for (let p = 0; p < w.length; p += 89) out.push(w[p]); return out; }"""
        for dx, dy in ((123, 45), (-71, 160)):
            shifted = page.evaluate("mapapp.core.S.renderer.stats.shifted || 0")
            page.evaluate(f"() => {{ mapapp.core.S.map.panBy([{dx}, {dy}], {{animate: false}}); }}")
            assert page.evaluate("mapapp.core.S.renderer.stats.shifted") == shifted + 1
            moved = page.evaluate(sample)
            page.evaluate("() => { const R = mapapp.core.S.renderer; R._forget(); R._redraw(); }")
            whole = page.evaluate(sample)
            differ = sum(a != b for a, b in zip(moved, whole, strict=True))
            assert any(whole) and differ < 0.01 * len(whole), differ
        assert recorder.errors == []
