/* The place-ID raster of renderer.js: which place each device pixel of the map shows, how
 * much of a place outline covers it, and the passes that turn that into colours.
 *
 * The places are filled here, in JavaScript, from their typed arrays (geometry.js): a
 * scanline fill writes each place's number into the pixels whose centres it covers, so
 * there is no anti-aliased blend to undo and no object per place. Solid outlines are
 * stroked by the browser (one stroke per weight) and dashed ones drawn here as segments;
 * only their coverage is kept. A place smaller than a pixel keeps the pixel at its centre.
 *
 * One word per pixel: bits 0-22 the place's number (its index + 1; 0 none), bits 24-27
 * the outline's coverage, bit 23 set when no place fills the pixel and the number is the
 * outline's owner (a neighbour). A style is a block of tiles of its pattern (stripes,
 * stale dots; opacity in the alpha): its fill, and its outline colour over the fill at
 * each coverage level. The colour table says which block each place uses, so a date
 * change rewrites table entries and then the pixels of the changed places (from an index
 * of each place's pixels; every pixel after a new raster), however many places there are.
 * Also the path helpers (rings, dashes cut into solid subpaths) and the hit test by
 * geometry. No third-party code. */
(function () {
  "use strict";

  var M = (window.mapapp = window.mapapp || {});

  var NUMBER = 0x7fffff, NO_FILL = 0x800000;
  // Levels of an outline's coverage: 8 steps of 1/7 look as smooth as 16 on lines of a
  // pixel or two, and halve the tiles (3.3 MB for the 280 styles of the 20k data).
  var LEVELS = 8;

  /* Place `number` into `words` (w x h device pixels): every pixel whose centre lies
   * inside its rings by the non-zero rule (payload.py orients exteriors and holes for it),
   * vertex (X, Y) of `shapes` (geometry.js) at device (X k - ox, Y k - oy). No
   * anti-aliasing, so a pixel is one place's or none. Each ring crossing of a row adds its
   * direction at the first pixel right of it into `acc` (over the place's box); a running
   * sum along the row is then the winding number at each pixel's centre. Pixels where
   * `keep` is set stay. Returns `acc`, grown if it was too small. */
  function fillPlace(words, w, h, keep, shapes, i, k, ox, oy, number, acc) {
    var box = shapes.box, b = 4 * i;
    var x0 = Math.max(0, Math.floor(box[b] * k - ox)), x1 = Math.min(w, Math.ceil(box[b + 2] * k - ox) + 1);
    var y0 = Math.max(0, Math.floor(box[b + 1] * k - oy)), y1 = Math.min(h, Math.ceil(box[b + 3] * k - oy) + 1);
    if (x1 <= x0 || y1 <= y0) return acc;
    var bw = x1 - x0, size = bw * (y1 - y0);
    if (acc.length < size) acc = new Int32Array(Math.max(size, 2 * acc.length));
    else acc.fill(0, 0, size);
    var xy = shapes.xy, rs = shapes.ringStart, y, c;
    ox -= box[b] * k; // vertices are kept from the box's corner
    oy -= box[b + 1] * k;
    for (var r = shapes.placeRing[i]; r < shapes.placeRing[i + 1]; r++) {
      var a = rs[r], e = rs[r + 1];
      var px = xy[2 * e - 2] * k - ox, py = xy[2 * e - 1] * k - oy; // the closing edge first
      for (var v = a; v < e; v++) {
        var qx = xy[2 * v] * k - ox, qy = xy[2 * v + 1] * k - oy;
        if (py !== qy) {
          var up = py < qy, lo = up ? py : qy, hi = up ? qy : py, dir = up ? 1 : -1;
          var slope = (qx - px) / (qy - py), ye = Math.min(y1, Math.ceil(hi - 0.5));
          for (y = Math.max(y0, Math.ceil(lo - 0.5)); y < ye; y++) {
            c = Math.ceil(px + (y + 0.5 - py) * slope - 0.5) - x0;
            if (c < bw) acc[(y - y0) * bw + (c < 0 ? 0 : c)] += dir;
          }
        }
        px = qx;
        py = qy;
      }
    }
    for (y = y0, c = 0; y < y1; y++) {
      var sum = 0, p = y * w + x0;
      for (var col = 0; col < bw; col++, c++, p++) {
        sum += acc[c];
        if (sum !== 0 && !(keep && keep[p])) words[p] = number;
      }
    }
    return acc;
  }

  /* The place drawn on top at world point (X, Y) (zoom 0), by its rings: -1 if none. For
   * when the raster is not the view's (a zoom in progress). */
  function placeAt(shapes, X, Y) {
    var box = shapes.box, xy = shapes.xy, rs = shapes.ringStart;
    for (var i = shapes.count - 1; i >= 0; i--) {
      var b = 4 * i;
      if (!(X >= box[b] && X <= box[b + 2] && Y >= box[b + 1] && Y <= box[b + 3])) continue;
      var wind = 0, x = X - box[b], y = Y - box[b + 1]; // vertices are from the corner
      for (var r = shapes.placeRing[i]; r < shapes.placeRing[i + 1]; r++) {
        var e = rs[r + 1], px = xy[2 * e - 2], py = xy[2 * e - 1];
        for (var v = rs[r]; v < e; v++) {
          var qx = xy[2 * v], qy = xy[2 * v + 1];
          var side = (qx - px) * (y - py) - (x - px) * (qy - py);
          if (py <= y) { if (qy > y && side > 0) wind++; } else if (qy <= y && side < 0) wind--;
          px = qx;
          py = qy;
        }
      }
      if (wind) return i;
    }
    return -1;
  }

  /* Place i's rings into `path`, vertex (X, Y) at (X s - ox, Y s - oy), less the vertices
   * closer than `tol` to the last one kept (as Leaflet simplifies a path by a pixel before
   * drawing it: the browser's stroker costs per segment, most of them far under a pixel
   * when a country of places is in view). */
  function tracePlace(path, shapes, i, s, ox, oy, tol) {
    var xy = shapes.xy, rs = shapes.ringStart, t2 = tol * tol;
    ox -= shapes.box[4 * i] * s; // vertices are kept from the box's corner
    oy -= shapes.box[4 * i + 1] * s;
    for (var r = shapes.placeRing[i]; r < shapes.placeRing[i + 1]; r++) {
      var lx = xy[2 * rs[r]] * s - ox, ly = xy[2 * rs[r] + 1] * s - oy, last = rs[r + 1] - 1;
      path.moveTo(lx, ly);
      for (var v = rs[r] + 1; v <= last; v++) {
        var x = xy[2 * v] * s - ox, y = xy[2 * v + 1] * s - oy;
        if (v < last && (x - lx) * (x - lx) + (y - ly) * (y - ly) < t2) continue;
        path.lineTo(x, y);
        lx = x;
        ly = y;
      }
      path.closePath();
    }
  }

  /* rgba: a getImageData of the outlines (alpha = coverage, kept in LEVELS steps). A
   * covered pixel that no place fills is owned by the nearest filled one within two
   * pixels, or left uncovered. */
  function addCoverage(rgba, words, w, h, keep) {
    for (var p = 0; p < words.length; p++) {
      if (keep && keep[p]) continue;
      var level = Math.round(rgba[p * 4 + 3] * (LEVELS - 1) / 255);
      if (!level) continue;
      var n = words[p];
      if (n === 0) {
        var x = p % w, y = (p - x) / w;
        for (var r = 1; r <= 2 && !n; r++) {
          for (var dy = -r; dy <= r && !n; dy++) {
            for (var dx = -r; dx <= r && !n; dx++) {
              var xx = x + dx, yy = y + dy;
              if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
              var q = words[yy * w + xx];
              n = q & NO_FILL ? 0 : q & NUMBER;
            }
          }
        }
        if (!n) continue;
        n |= NO_FILL;
      }
      words[p] = (n | (level << 24)) >>> 0;
    }
  }

  /* After a pan: pixel (x, y) of the new raster is pixel (x + dx, y + dy) of the old one
   * (device pixels). Moves what stays in view and returns a byte per pixel, set where the
   * old raster is kept: all but MARGIN pixels along its edges, where the old clip of the
   * places passed. */
  var MARGIN = 3;
  function shiftWords(words, w, h, dx, dy) {
    var x0 = Math.max(0, -dx), x1 = Math.min(w, w - dx), y0 = Math.max(0, -dy), y1 = Math.min(h, h - dy);
    var forward = dy * w + dx > 0; // sources after their targets: copy from the first row
    for (var k = 0; k < y1 - y0; k++) {
      var y = forward ? y0 + k : y1 - 1 - k;
      words.copyWithin(y * w + x0, (y + dy) * w + x0 + dx, (y + dy) * w + x1 + dx);
    }
    var keep = new Uint8Array(w * h);
    x0 += MARGIN; y0 += MARGIN; x1 -= MARGIN; y1 -= MARGIN;
    for (y = y0; y < y1; y++) keep.fill(1, y * w + x0, y * w + Math.max(x0, x1));
    return { keep: keep, rect: [x0, y0, x1, y1] };
  }

  /* An opaque CSS colour as a little-endian RGBA word, via a 1-pixel canvas. */
  var probe = null;
  function colourWord(color) {
    probe = probe || document.createElement("canvas").getContext("2d", { willReadFrequently: true });
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = color;
    probe.fillRect(0, 0, 1, 1);
    var d = probe.getImageData(0, 0, 1, 1).data;
    return (d[0] | (d[1] << 8) | (d[2] << 16) | (255 << 24)) >>> 0;
  }

  /* Source-over of an opaque line colour `l` at coverage `cov` (0..255) on `f`. */
  function over(l, cov, f) {
    var lw = cov * 255, fw = (f >>> 24) * (255 - cov), a = lw + fw, half = a >> 1;
    return ((((l & 255) * lw + (f & 255) * fw + half) / a) |
      (((((l >>> 8) & 255) * lw + ((f >>> 8) & 255) * fw + half) / a) << 8) |
      (((((l >>> 16) & 255) * lw + ((f >>> 16) & 255) * fw + half) / a) << 16) |
      (((a + 127) / 255) << 24)) >>> 0;
  }

  /* Every style as a block of tiles of `size` device pixels (its pattern's period at
   * `scale` device pixels per CSS pixel): its fill (opaque colour, the style's opacity as
   * alpha), then its outline colour over the fill at each coverage level, then over
   * nothing. Block 0 is transparent (no place). Patterns are anchored as Leaflet's canvas
   * draws them: at the layer's origin. */
  function tiles(styles, period, scale) {
    var size = Math.round(period * scale), area = size * size, per = 2 * LEVELS - 1;
    var out = new Uint32Array((styles.length + 1) * per * area);
    var canvas = document.createElement("canvas");
    canvas.width = canvas.height = size;
    var ctx = canvas.getContext("2d", { willReadFrequently: true });
    for (var s = 0; s < styles.length; s++) {
      var alpha = Math.round(styles[s].fillOpacity * 255) << 24, line = colourWord(styles[s].color);
      ctx.setTransform(scale, 0, 0, scale, 0, 0);
      ctx.clearRect(0, 0, period, period);
      ctx.fillStyle = styles[s].fillColor;
      ctx.fillRect(0, 0, period, period);
      var d = new Uint32Array(ctx.getImageData(0, 0, size, size).data.buffer);
      var block = (s + 1) * per * area;
      for (var k = 0; k < area; k++) {
        var f = ((d[k] & 0xffffff) | alpha) >>> 0;
        out[block + k] = f;
        for (var j = 1; j < LEVELS; j++) {
          var cov = Math.round(j * 255 / (LEVELS - 1));
          out[block + j * area + k] = over(line, cov, f);
          out[block + (LEVELS - 1 + j) * area + k] = over(line, cov, 0);
        }
      }
    }
    // The tile within a block of a word's top 9 bits (coverage level, no fill).
    var offset = new Uint32Array(2 * LEVELS);
    for (var v = 1; v < LEVELS; v++) {
      offset[v * 2] = v * area;
      offset[v * 2 + 1] = (LEVELS - 1 + v) * area;
    }
    return { size: size, area: area, block: per * area, words: out, offset: offset };
  }

  /* The one pass of a date change: each pixel's tile (its place's style, its outline's
   * coverage) at its phase. `base[n]`: the block of place n's style; (ox, oy): the tile
   * phase of pixel 0. */
  function paint(out, words, w, h, base, tile, ox, oy) {
    var size = tile.size, t = tile.words, offset = tile.offset;
    for (var y = 0, p = 0; y < h; y++) {
      var row = ((y + oy) % size) * size, c = ox % size;
      for (var x = 0; x < w; x++, p++) {
        var v = words[p];
        out[p] = t[base[v & NUMBER] + offset[v >>> 23] + row + c];
        if (++c === size) c = 0;
      }
    }
  }

  /* The tile phase of pixel 0 at this view: the layer's origin is where patterns start. */
  function phase(bounds, scale, size) {
    return [((scale * bounds.min.x) % size + size) % size, ((scale * bounds.min.y) % size + size) % size];
  }

  /* Each place's pixels, so that a date change rewrites the changed places' pixels only:
   * built once per raster (a counting sort of the pixel indices by place number, the
   * pixels of a place in raster order) with each pixel's index within its style's block
   * (coverage level and phase), which `paint` computes per pixel. `count`: the places;
   * `old`: a previous index whose arrays are reused when the sizes match. */
  function pixelIndex(words, w, h, tile, ox, oy, count, old) {
    var n = w * h, size = tile.size, offset = tile.offset;
    var Within = tile.block <= 65536 ? Uint16Array : Int32Array; // 31 tiles of 14 px × dpr
    var reuse = old && old.pixels.length === n && old.start.length === count + 2 &&
      old.within instanceof Within;
    var start = reuse ? old.start.fill(0) : new Int32Array(count + 2);
    var pixels = reuse ? old.pixels : new Int32Array(n), within = reuse ? old.within : new Within(n);
    for (var p = 0; p < n; p++) start[(words[p] & NUMBER) + 1]++;
    for (var k = 0; k <= count; k++) start[k + 1] += start[k];
    var at = start.slice(0, count + 1); // where the next pixel of each place goes
    for (var y = 0, q = 0; y < h; y++) {
      var row = ((y + oy) % size) * size, c = ox % size;
      for (var x = 0; x < w; x++, q++) {
        var v = words[q], j = at[v & NUMBER]++;
        pixels[j] = q;
        within[j] = offset[v >>> 23] + row + c;
        if (++c === size) c = 0;
      }
    }
    return { start: start, pixels: pixels, within: within, w: w, h: h, ox: ox, oy: oy, tile: tile };
  }

  /* `paint` for the pixels of places changed[0..count) (numbers) only, from their index.
   * Int32 views: a tile word above 2^31 read from a Uint32Array would leave V8's
   * integer path. */
  function paintPlaces(out, index, base, tile, changed, count) {
    var o = new Int32Array(out.buffer, out.byteOffset, out.length);
    var t = new Int32Array(tile.words.buffer, tile.words.byteOffset, tile.words.length);
    var start = index.start, pixels = index.pixels, within = index.within;
    for (var k = 0; k < count; k++) {
      var n = changed[k], b = base[n];
      for (var j = start[n], e = start[n + 1]; j < e; j++) o[pixels[j]] = t[b + within[j]];
    }
  }

  /* The dashes of `dash` along each closed ring of place i (as tracePlace, `tol` too), as
   * open subpaths of `path`: what setLineDash draws (the pattern restarts on each ring),
   * but stroked solid, which costs a tenth of a dashed stroke in software. */
  function dashPlace(path, shapes, i, s, ox, oy, dash, tol) {
    if (dash.length % 2) dash = dash.concat(dash);
    var xy = shapes.xy, rs = shapes.ringStart, t2 = tol * tol;
    ox -= shapes.box[4 * i] * s; // as tracePlace
    oy -= shapes.box[4 * i + 1] * s;
    for (var r = shapes.placeRing[i]; r < shapes.placeRing[i + 1]; r++) {
      var first = rs[r], n = rs[r + 1] - first, k = 0, left = dash[0], on = true;
      var ax = xy[2 * first] * s - ox, ay = xy[2 * first + 1] * s - oy;
      path.moveTo(ax, ay);
      for (var j = 0; j < n; j++) {
        var v = first + (j + 1) % n, bx = xy[2 * v] * s - ox, by = xy[2 * v + 1] * s - oy;
        var dx = bx - ax, dy = by - ay, at = 0;
        if (j < n - 1 && dx * dx + dy * dy < t2) continue;
        var len = Math.sqrt(dx * dx + dy * dy);
        while (len - at > left) {
          at += left;
          var x = ax + dx * at / len, y = ay + dy * at / len;
          if (on) path.lineTo(x, y); else path.moveTo(x, y);
          on = !on;
          k = (k + 1) % dash.length;
          left = dash[k];
        }
        left -= len - at;
        if (on) path.lineTo(bx, by);
        ax = bx;
        ay = by;
      }
    }
  }

  /* What dashPlace draws, as segments [x0, y0, x1, y1] for strokeSegments: a sink with a
   * path's moveTo and lineTo. */
  function Segments() {
    this.xy = new Float64Array(1 << 14);
    this.n = 0;
    this.x = this.y = 0;
  }
  Segments.prototype.moveTo = function (x, y) { this.x = x; this.y = y; };
  Segments.prototype.lineTo = function (x, y) {
    if (this.n + 4 > this.xy.length) {
      var grown = new Float64Array(2 * this.xy.length);
      grown.set(this.xy);
      this.xy = grown;
    }
    this.xy.set([this.x, this.y, x, y], this.n);
    this.n += 4;
    this.x = x;
    this.y = y;
  };
  Segments.prototype.closePath = function () {};

  /* Segments of `width` device pixels with round caps (a dash, as Leaflet's lineCap), into
   * the alpha channel of `rgba` (w x h): each pixel's coverage from its centre's distance
   * to the segment, the largest where they meet. The browser's stroker costs per dash, with
   * two caps each; this costs per pixel covered, a fifth of it for dashed outlines. */
  function strokeSegments(rgba, w, h, segments, width, opacity) {
    var xy = segments.xy, half = width / 2, reach = half + 0.5;
    for (var k = 0; k < segments.n; k += 4) {
      var ax = xy[k], ay = xy[k + 1], dx = xy[k + 2] - ax, dy = xy[k + 3] - ay;
      var len2 = dx * dx + dy * dy;
      var x0 = Math.max(0, Math.floor(Math.min(ax, ax + dx) - reach));
      var x1 = Math.min(w - 1, Math.floor(Math.max(ax, ax + dx) + reach));
      var y0 = Math.max(0, Math.floor(Math.min(ay, ay + dy) - reach));
      var y1 = Math.min(h - 1, Math.floor(Math.max(ay, ay + dy) + reach));
      for (var y = y0; y <= y1; y++) {
        for (var x = x0; x <= x1; x++) {
          var px = x + 0.5 - ax, py = y + 0.5 - ay;
          var t = len2 ? (px * dx + py * dy) / len2 : 0;
          t = t < 0 ? 0 : (t > 1 ? 1 : t);
          var ex = px - t * dx, ey = py - t * dy, c = reach - Math.sqrt(ex * ex + ey * ey);
          if (c <= 0) continue;
          var cov = Math.round((c >= 1 ? 255 : c * 255) * opacity), q = 4 * (y * w + x) + 3;
          if (cov > rgba[q]) rgba[q] = cov;
        }
      }
    }
  }

  var dashCache = {};
  function dashOf(dashArray) {
    if (!dashArray) return [];
    var dash = dashCache[dashArray];
    if (!dash) {
      dash = dashCache[dashArray] = String(dashArray).split(/[, ]+/).map(Number)
        .filter(function (n) { return !isNaN(n); });
    }
    return dash;
  }

  // Places traced into one Path2D before it is added to its kind's (outlineCoverage).
  var PATH_PLACES = 16;

  /* The outlines of places `drawn` (lines[i]: {weight, dashArray}) at view `v` (renderer.js
   * _update) and `m` device pixels per CSS pixel, in black on `ctx` (CSS pixels): only the
   * coverage is read, an alpha per device pixel, returned as the canvas's RGBA. Solid ones
   * are stroked by the browser, one stroke per weight; dashed ones are cut into segments
   * drawn here (strokeSegments). `o`: the line's opacity, caps, joins and smoothFactor. */
  function outlineCoverage(ctx, shapes, drawn, lines, v, m, o, w, h) {
    var solid = {}, dashed = {};
    var tol = o.smoothFactor / m; // a device pixel, as Leaflet's smoothFactor 1
    for (var j = 0; j < drawn.length && o.stroke; j++) {
      var i = drawn[j], line = lines[i];
      if (!line || !line.weight) continue;
      var dash = dashOf(line.dashArray);
      if (dash.length && dash.every(function (d) { return d > 0; })) {
        var key = line.weight + "|" + line.dashArray, cut = dashed[key];
        if (!cut) {
          cut = dashed[key] = new Segments();
          cut.width = line.weight * m;
          cut.dash = dash.map(function (d) { return d * m; });
        }
        dashPlace(cut, shapes, i, v.s * m, v.ox * m, v.oy * m, cut.dash, 1);
        continue;
      }
      // A few places per Path2D, added to the kind's: Chromium's Path2D slows down with
      // every segment added to a long one (6 s for 20,000 places in one, 25 ms this way).
      var kind = solid[line.weight] || (solid[line.weight] = { path: new Path2D(), part: null, count: 0 });
      if (!kind.part) kind.part = new Path2D();
      tracePlace(kind.part, shapes, i, v.s, v.ox, v.oy, tol);
      if (++kind.count % PATH_PLACES === 0) { kind.path.addPath(kind.part); kind.part = null; }
    }
    ctx.strokeStyle = "#000";
    ctx.setLineDash([]);
    ctx.globalAlpha = o.opacity;
    ctx.lineCap = o.lineCap;
    ctx.lineJoin = o.lineJoin;
    Object.keys(solid).forEach(function (weight) {
      var kind = solid[weight];
      if (kind.part) kind.path.addPath(kind.part);
      ctx.lineWidth = Number(weight);
      ctx.stroke(kind.path); // one stroke: an edge two places share is covered once
    });
    var rgba = ctx.getImageData(0, 0, w, h).data;
    Object.keys(dashed).forEach(function (k) {
      strokeSegments(rgba, w, h, dashed[k], dashed[k].width, o.opacity);
    });
    return rgba;
  }

  M.placeRaster = {
    NUMBER: NUMBER, NO_FILL: NO_FILL, fillPlace: fillPlace, placeAt: placeAt,
    tracePlace: tracePlace, outlineCoverage: outlineCoverage, shiftWords: shiftWords,
    addCoverage: addCoverage, tiles: tiles, paint: paint,
    phase: phase, pixelIndex: pixelIndex, paintPlaces: paintPlaces,
  };
})();
