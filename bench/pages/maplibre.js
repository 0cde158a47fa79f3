/* MapLibre GL JS as a user would set it up for this job: a blank style (no tiles), the
 * places as one GeoJSON source with promoteId, the fill colour read from feature state,
 * and a jump as one setFeatureState per place whose colour changed. */
import { Map as MapLibreMap } from "/vendor/maplibre/maplibre-gl.mjs";
import { loadData, mapElement } from "./data.js";

const data = await loadData();
const colour = ["match", ["to-number", ["feature-state", "k"], -1]];
data.palette.forEach((c, k) => colour.push(k, c));
colour.push("#cccccc");

const map = new MapLibreMap({
  container: mapElement(),
  style: {
    version: 8,
    sources: { places: { type: "geojson", data: data.places, promoteId: "i" } },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#ffffff" } },
      { id: "places", type: "fill", source: "places",
        paint: { "fill-color": colour, "fill-antialias": true } },
    ],
  },
  bounds: data.bounds,
  fitBoundsOptions: { padding: 0, animate: false },
  attributionControl: false,
  fadeDuration: 0,
});

let renders = 0;
map.on("render", () => { renders += 1; });
const once = (type) => new Promise((resolve) => map.once(type, resolve));
const loaded = () => map.loaded() ? Promise.resolve() : once("load");
await loaded();
await new Promise((resolve) => {
  const check = () => (map.isSourceLoaded("places") ? resolve() : map.once("sourcedata", check));
  check();
});

let colours = new Uint8Array(data.initial.length).fill(255);
/* The places whose colour changed get their new state; returns how many did. */
function show(next) {
  let changed = 0;
  for (let i = 0; i < next.length; i++) {
    if (next[i] === colours[i]) continue;
    map.setFeatureState({ source: "places", id: i }, { k: next[i] });
    changed += 1;
  }
  colours = next;
  return changed;
}
show(data.initial);
await once("idle");

let idleAt = null;
let rendersAtJump = 0;
let changedAtJump = 0;
map.on("idle", () => { idleAt = performance.now(); });
window.benchPage = {
  kind: "maplibre",
  places: data.places.features.length,
  jump(k) { idleAt = null; rendersAtJump = renders; changedAtJump = show(data.jumps[k]); },
  // Resolved in the frame in which MapLibre has drawn the jump ("render" fires in its rAF);
  // a jump that changed no place (a day a step) has nothing to draw: MapLibre renders none.
  drawn: () => (!changedAtJump || renders > rendersAtJump ? Promise.resolve() : once("render")),
  // When MapLibre last said "idle" (nothing loading, nothing left to draw) since the jump.
  idleAt: () => idleAt,
  /* Zoom by 2^dz about the centre, or pan by (dx, dy) pixels; resolves on MapLibre's "idle":
   * the GeoJSON source re-tiled in its workers and every tile drawn. */
  move(dz, dx, dy) {
    const done = once("idle");
    if (dz) map.jumpTo({ zoom: map.getZoom() + dz });
    else map.panBy([dx, dy], { animate: false });
    return done;
  },
  pointOf(lon, lat) { const p = map.project([lon, lat]); return [p.x, p.y]; },
  colourOf: (i) => data.palette[colours[i]],
  map,
};
