// The places' typed-array shapes (mapapp/static/geometry.js) and the raster's scanline
// fill and hit test (renderer-raster.js, a classic script that registers on window).
import { test } from "node:test";
import assert from "node:assert/strict";

import { Shapes, WORLD, worldX, worldY } from "../../mapapp/static/geometry.js";

globalThis.window = {};
await import("../../mapapp/static/renderer-raster.js");
const R = globalThis.window.mapapp.placeRaster;

const SCALE = 100000; // payload.py's 5 decimals

/* payload.py's encoding of one ring: integers, the first absolute, then differences. */
function ring(points) {
  const out = [];
  let px = 0, py = 0;
  for (const [x, y] of points) {
    const ix = Math.round(x * SCALE), iy = Math.round(y * SCALE);
    out.push(ix - px, iy - py);
    px = ix; py = iy;
  }
  return out;
}

const square = (x0, y0, x1, y1) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
const hole = (x0, y0, x1, y1) => square(x0, y0, x1, y1).reverse();

function shapesOf(features, count) {
  return new Shapes({ scale: SCALE, features }, count, (coords) => coords);
}

test("Leaflet's spherical Mercator at zoom 0: the equator and the meridian in the middle", () => {
  assert.equal(worldX(0), WORLD / 2);
  assert.equal(worldX(180), WORLD);
  assert.equal(worldY(0), WORLD / 2);
  assert.ok(Math.abs(worldY(85.0511287798)) < 1e-6); // the top of Leaflet's world
  assert.ok(worldY(36) < worldY(35)); // north is up
});

test("polygons become typed arrays, other shapes stay GeoJSON, places without a shape none", () => {
  const shapes = shapesOf([
    [0, "Polygon", [ring(square(40, 35, 40.1, 35.1)), ring(hole(40.02, 35.02, 40.05, 35.05))]],
    [2, "Point", [4000000, 3500000]],
    [3, "MultiPolygon", [[ring(square(41, 34, 41.2, 34.1))], [ring(square(42, 34, 42.1, 34.1))]]],
  ], 5);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => shapes.hasPolygon(i)), [true, false, false, true, false]);
  assert.deepEqual(Array.from(shapes.placeRing), [0, 2, 2, 2, 4, 4]);
  assert.equal(shapes.xy.length, 2 * 5 * 4);
  assert.equal(shapes.others.length, 1);
  assert.equal(shapes.others[0].properties.i, 2);
  const lonLat = shapes.lonLatBox(3).map((v) => Math.round(v * 1e6) / 1e6);
  assert.deepEqual(lonLat, [41, 34, 42.1, 34.1]);
  const [lon, lat] = shapes.centre(0); // the first ring's centroid
  assert.ok(Math.abs(lon - 40.05) < 1e-6 && Math.abs(lat - 35.05) < 1e-3, [lon, lat]);
  const b = shapes.box.subarray(0, 4);
  assert.ok(b[0] < b[2] && b[1] < b[3]); // world y grows southwards
  // Vertices are kept from the box's corner in 32-bit floats: within a hundredth of a pixel at
  // zoom 18 (2^18 times zoom 0's pixels).
  const [x, y] = [shapes.box[12] + shapes.xy[20], shapes.box[13] + shapes.xy[21]]; // (41, 34)
  assert.ok(Math.abs(x - worldX(41)) * 2 ** 18 < 0.01 && Math.abs(y - worldY(34)) * 2 ** 18 < 0.01);
});

/* One place of rings given in device pixels (k = 1, no offset), filled into w x h words. */
function filled(rings, w, h, keep = null) {
  const xy = rings.flat(2), ringStart = [0];
  for (const r of rings) ringStart.push(ringStart.at(-1) + r.length);
  const lo = (a) => Math.min(...a), hi = (a) => Math.max(...a);
  const xs = xy.filter((_, k) => k % 2 === 0), ys = xy.filter((_, k) => k % 2 === 1);
  // geometry.js keeps vertices from the corner of their place's box
  const corner = xy.map((c, k) => c - (k % 2 ? lo(ys) : lo(xs)));
  const shapes = { xy: Float32Array.from(corner), ringStart: Int32Array.from(ringStart),
                   placeRing: Int32Array.from([0, rings.length]),
                   box: Float64Array.from([lo(xs), lo(ys), hi(xs), hi(ys)]), count: 1 };
  const words = new Uint32Array(w * h);
  R.fillPlace(words, w, h, keep, shapes, 0, 1, 0, 0, 7, new Int32Array(4));
  const rows = [];
  for (let y = 0; y < h; y++) rows.push(Array.from(words.subarray(y * w, (y + 1) * w), (v) => (v ? "#" : ".")).join(""));
  return { rows, shapes };
}

test("the scanline fill takes the pixels whose centres are inside, holes left out", () => {
  const { rows } = filled([[[1, 1], [4.2, 1], [4.2, 3], [1, 3]]], 6, 4);
  assert.deepEqual(rows, ["......", ".###..", ".###..", "......"]);
  const ringed = filled([[[0, 0], [7, 0], [7, 7], [0, 7]], [[2, 2], [2, 5], [5, 5], [5, 2]]], 7, 7);
  assert.deepEqual(ringed.rows, ["#######", "#######", "##...##", "##...##", "##...##",
                                 "#######", "#######"]);
  // A hole of the same orientation as its exterior is filled under the non-zero rule.
  const same = filled([[[0, 0], [7, 0], [7, 7], [0, 7]], [[2, 2], [5, 2], [5, 5], [2, 5]]], 7, 7);
  assert.equal(same.rows[3], "#######");
});

test("the fill clips to the canvas and leaves the pixels a pan kept", () => {
  const { rows } = filled([[[-5, -5], [3, -5], [3, 2], [-5, 2]]], 5, 3);
  assert.deepEqual(rows, ["###..", "###..", "....."]);
  const keep = new Uint8Array(15);
  keep[1] = 1;
  assert.equal(filled([[[-5, -5], [3, -5], [3, 2], [-5, 2]]], 5, 3, keep).rows[0], "#.#..");
});

test("the hit test by geometry answers inside, in a hole and outside", () => {
  const { shapes } = filled([[[0, 0], [7, 0], [7, 7], [0, 7]], [[2, 2], [2, 5], [5, 5], [5, 2]]], 7, 7);
  assert.equal(R.placeAt(shapes, 1, 1), 0);
  assert.equal(R.placeAt(shapes, 3.5, 3.5), -1);
  assert.equal(R.placeAt(shapes, 8, 1), -1);
});
