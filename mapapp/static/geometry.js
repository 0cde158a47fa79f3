/* The places' shapes as typed arrays: no object per vertex and no layer per place, so
 * 20,000 places of ~25 vertices hold a few megabytes. renderer.js projects, fills and
 * strokes them itself; points and lines (few) stay Leaflet layers, as GeoJSON.
 *
 * Vertices are kept in Leaflet's world pixels at zoom 0 (EPSG:3857, 256 px for the world),
 * from the corner (box x0, y0) of their place's box: at zoom z a vertex is (corner + xy) *
 * 2^z less the map's pixel origin, two multiply-adds, so a pan or zoom never projects a
 * latitude again. No DOM here (node imports it).
 */

export const WORLD = 256; // Leaflet's world size in pixels at zoom 0
const MAX_LATITUDE = 85.0511287798; // L.Projection.SphericalMercator.MAX_LATITUDE
const POLYGONAL = { Polygon: 1, MultiPolygon: 2 };

/* Leaflet's EPSG:3857 latLngToPoint at zoom 0 (spherical Mercator, then its transformation
 * 0.5 / πR, 0.5): the one formula the page projects places with. */
export function worldX(lon) {
  return WORLD * (0.5 + lon / 360);
}
export function worldY(lat) {
  const s = Math.sin(Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat)) * Math.PI / 180);
  return WORLD * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI));
}

/* And back: a world pixel at zoom 0 as a longitude or latitude. */
function lonOf(x) {
  return (x / WORLD - 0.5) * 360;
}
function latOf(y) {
  return (2 * Math.atan(Math.exp((0.5 - y / WORLD) * 2 * Math.PI)) - Math.PI / 2) * 180 / Math.PI;
}

/* Each ring of a polygon or multipolygon: its flat delta list (payload.py's encoding). */
function ringsOf(type, coords) {
  return POLYGONAL[type] === 1 ? coords : coords.flat(1);
}

/* `encoded`: the payload's geometry ({scale, features: [place, type, coords]}, features in
 * place order); `count` places. Polygons become the arrays below; every other feature is
 * kept for Leaflet in `others` (GeoJSON features, properties.i the place). */
export class Shapes {
  constructor(encoded, count, decodeOther) {
    const scale = encoded.scale;
    let vertices = 0, rings = 0;
    for (const [, type, coords] of encoded.features) {
      if (!POLYGONAL[type]) continue;
      for (const ring of ringsOf(type, coords)) { vertices += ring.length / 2; rings++; }
    }
    this.count = count;
    // World pixels at zoom 0 less the corner of the place's box: 32-bit floats then keep
    // a hundredth of a pixel at zoom 18 for a place a degree across, at half the memory
    // of absolute 64-bit ones.
    this.xy = new Float32Array(2 * vertices);
    this.ringStart = new Int32Array(rings + 1); // vertex offsets of ring r: [r], [r + 1]
    this.placeRing = new Int32Array(count + 1); // rings of place i: [i] .. [i + 1] - 1
    this.box = new Float64Array(4 * count).fill(NaN); // world x0, y0, x1, y1
    this.others = [];
    let v = 0, r = 0, next = 0, world = new Float64Array(64);
    for (const [i, type, coords] of encoded.features) {
      for (; next <= i; next++) this.placeRing[next] = r;
      if (!POLYGONAL[type]) {
        this.others.push({ type: "Feature", properties: { i },
                           geometry: { type, coordinates: decodeOther(coords, type, scale) } });
        continue;
      }
      const first = v;
      let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
      for (const ring of ringsOf(type, coords)) {
        this.ringStart[r++] = v;
        let lon = 0, lat = 0;
        for (let k = 0; k < ring.length; k += 2, v++) {
          lon += ring[k]; lat += ring[k + 1];
          const x = lon / scale, y = lat / scale;
          if (2 * (v - first) + 2 > world.length) {
            const grown = new Float64Array(2 * world.length);
            grown.set(world);
            world = grown;
          }
          world[2 * (v - first)] = worldX(x);
          world[2 * (v - first) + 1] = worldY(y);
          if (x < w) w = x; if (x > e) e = x; if (y < s) s = y; if (y > n) n = y;
        }
      }
      const x0 = worldX(w), y0 = worldY(n);
      for (let k = 0; k < 2 * (v - first); k += 2) {
        this.xy[2 * first + k] = world[k] - x0;
        this.xy[2 * first + k + 1] = world[k + 1] - y0;
      }
      this.box.set([x0, y0, worldX(e), worldY(s)], 4 * i);
    }
    for (; next <= count; next++) this.placeRing[next] = r;
    this.ringStart[rings] = v;
  }

  hasPolygon(i) { return this.placeRing[i + 1] > this.placeRing[i]; }

  /* The centroid of place i's first ring (as Leaflet's Polygon.getCenter), [lon, lat]. */
  centre(i) {
    const r = this.placeRing[i], a = this.ringStart[r], b = this.ringStart[r + 1], xy = this.xy;
    let area = 0, cx = 0, cy = 0;
    for (let k = a, j = b - 1; k < b; j = k++) {
      const f = xy[2 * j] * xy[2 * k + 1] - xy[2 * k] * xy[2 * j + 1];
      area += f;
      cx += (xy[2 * j] + xy[2 * k]) * f;
      cy += (xy[2 * j + 1] + xy[2 * k + 1]) * f;
    }
    const x = this.box[4 * i] + (area ? cx / (3 * area) : xy[2 * a]);
    const y = this.box[4 * i + 1] + (area ? cy / (3 * area) : xy[2 * a + 1]);
    return [lonOf(x), latOf(y)];
  }

  /* Place i's box as [west, south, east, north] in degrees. */
  lonLatBox(i) {
    const b = this.box;
    return [lonOf(b[4 * i]), latOf(b[4 * i + 3]), lonOf(b[4 * i + 2]), latOf(b[4 * i + 1])];
  }
}
