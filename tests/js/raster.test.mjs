// The pixel pass of mapapp/static/renderer-raster.js: a date change that rewrites only the
// changed places' pixels, from the index of each place's pixels, leaves the same image as
// the whole pass over every pixel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

function loadRaster() {
  const window = {};
  vm.runInNewContext(readFileSync(new URL("../../mapapp/static/renderer-raster.js",
                                          import.meta.url), "utf-8"), { window });
  return window.mapapp.placeRaster;
}

const R = loadRaster();
const LEVELS = 16;

/* A tile set as R.tiles lays it out (blocks of 2 × LEVELS - 1 tiles per style), with words
 * that say where they come from, some above 2^31 as opaque colours are. */
function fakeTiles(styles, size) {
  const area = size * size, per = 2 * LEVELS - 1;
  const words = new Uint32Array((styles + 1) * per * area);
  for (let k = 0; k < words.length; k++) words[k] = (0xff000000 | k) >>> 0;
  const offset = new Uint32Array(2 * LEVELS);
  for (let v = 1; v < LEVELS; v++) {
    offset[v * 2] = v * area;
    offset[v * 2 + 1] = (LEVELS - 1 + v) * area;
  }
  return { size, area, block: per * area, words, offset };
}

function randomWords(w, h, count, rand) {
  const words = new Uint32Array(w * h);
  for (let p = 0; p < words.length; p++) {
    const n = rand() < 0.1 ? 0 : 1 + Math.floor(rand() * count);
    const level = rand() < 0.3 ? Math.floor(rand() * LEVELS) : 0;
    const noFill = n && level && rand() < 0.2 ? R.NO_FILL : 0;
    words[p] = (n | noFill | (level << 24)) >>> 0;
  }
  return words;
}

function lcg(seed) {
  return () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
}

for (const [w, h, count, size] of [[37, 23, 50, 14], [64, 9, 300, 28], [5, 40, 3, 7]]) {
  test(`${w}x${h}, ${count} places: the changed places' pixels equal a whole pass`, () => {
    const rand = lcg(w * 1000 + count), styles = 12, tile = fakeTiles(styles, size);
    const words = randomWords(w, h, count, rand);
    const base = new Uint32Array(count + 1);
    for (let n = 1; n <= count; n++) base[n] = (1 + Math.floor(rand() * styles)) * tile.block;
    const [ox, oy] = R.phase({ min: { x: -13, y: 101 } }, 2, size) // bounds: whole pixels;
    const out = new Uint32Array(w * h);
    R.paint(out, words, w, h, base, tile, ox, oy);
    const index = R.pixelIndex(words, w, h, tile, ox, oy, count, null);
    for (let step = 0; step < 5; step++) {
      const changed = new Int32Array(count);
      let k = 0;
      for (let n = 1; n <= count; n++) {
        if (rand() < 0.3) {
          base[n] = (1 + Math.floor(rand() * styles)) * tile.block;
          changed[k++] = n;
        }
      }
      R.paintPlaces(out, index, base, tile, changed, k);
      const whole = new Uint32Array(w * h);
      R.paint(whole, words, w, h, base, tile, ox, oy);
      assert.deepEqual(out, whole, `step ${step}`);
    }
    // Rebuilt over the same arrays for a new raster, it indexes the new words.
    const again = randomWords(w, h, count, rand);
    const rebuilt = R.pixelIndex(again, w, h, tile, ox, oy, count, index);
    assert.equal(rebuilt.pixels, index.pixels);
    const all = Int32Array.from({ length: count }, (_, i) => i + 1);
    R.paintPlaces(out, rebuilt, base, tile, all, count);
    const whole = new Uint32Array(w * h);
    R.paint(whole, again, w, h, base, tile, ox, oy);
    for (let p = 0; p < w * h; p++) if (!(again[p] & R.NUMBER)) whole[p] = out[p]; // none
    assert.deepEqual(out, whole);
  });
}
