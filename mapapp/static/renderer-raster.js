/* The place-ID raster of renderer.js: which place each device pixel of the map shows, how
 * much of a place outline covers it, and the one pass that turns that into colours.
 *
 * The browser rasterises: each place's Path2D is filled in a colour that encodes its
 * number, and each kind of outline is stroked once, on a scratch canvas read back with
 * getImageData. Canvas 2D anti-aliases, so an edge pixel blends two numbers: numbers use
 * only some bits of each channel (the rest is a fixed check pattern) and a pure pixel is
 * opaque, so a blend is seen and takes a pure neighbour's number instead. A place smaller
 * than a pixel keeps the pixel at its centre.
 *
 * One word per pixel: bits 0-22 the place's number (its index + 1; 0 none), bits 24-27
 * the outline's coverage, bit 23 set when no place fills the pixel and the number is the
 * outline's owner (a neighbour). A style is a block of tiles of its pattern (stripes,
 * stale dots; opacity in the alpha): its fill, and its outline colour over the fill at
 * each coverage level. The colour table says which block each place uses, so a date
 * change rewrites table entries and makes one pass over the pixels, however many places
 * there are. Also the path helpers of a rasterisation: dashes cut into solid subpaths, and
 * whether Leaflet's clip left a place's rings as they were. No third-party code. */
(function () {
  "use strict";

  var M = (window.mapapp = window.mapapp || {});

  var NUMBER = 0x7fffff, NO_FILL = 0x800000, IMPURE = NUMBER;
  var LEVELS = 16; // of an outline's coverage

  /* How place numbers 1..count (0: none) are written in a colour: `bits` high bits of each
   * channel carry the number, the low bits hold `check`. */
  function Codec(count) {
    var need = Math.max(1, Math.ceil(Math.log2(count + 1)));
    this.bits = Math.min(8, Math.ceil(need / 3));
    this.low = 8 - this.bits;
    this.check = this.low ? 1 << (this.low - 1) : 0;
    this.lowMask = (1 << this.low) - 1;
    this.digit = (1 << this.bits) - 1;
  }
  Codec.prototype.css = function (n) {
    var d = this.digit, b = this.bits, low = this.low, c = this.check;
    return "rgb(" + ((((n >> 2 * b) & d) << low) | c) + "," + ((((n >> b) & d) << low) | c) +
      "," + (((n & d) << low) | c) + ")";
  };

  /* rgba: a getImageData of the fills; words (out): the numbers, IMPURE where a blend;
   * pixels where `keep` (null, or a byte per pixel) is set are left as they are. */
  function decodeFills(rgba, words, codec, keep) {
    var low = codec.low, m = codec.lowMask, c = codec.check, b = codec.bits;
    for (var p = 0, q = 0; p < words.length; p++, q += 4) {
      if (keep && keep[p]) continue;
      var a = rgba[q + 3];
      if (a === 0) { words[p] = 0; continue; }
      var r = rgba[q], g = rgba[q + 1], bl = rgba[q + 2];
      if (a !== 255 || (r & m) !== c || (g & m) !== c || (bl & m) !== c) {
        words[p] = IMPURE;
        continue;
      }
      words[p] = ((r >> low) << 2 * b) | ((g >> low) << b) | (bl >> low);
    }
  }

  /* Colour classes, so that the places can be filled in a few hundred batches rather
   * than one call each: two places whose boxes (device pixels, one pixel around) touch a
   * common cell of CELL pixels never share a class, so a class and a cell name one place.
   * `boxes[k]`: [x0, y0, x1, y1] of place number k + 1 (null: not drawn). Returns the
   * class of each number and the place of each (cell, class), or null when some cell is
   * too crowded (then each place gets a colour of its own, `Codec`). */
  var CELL = 32, CLASSES = 256;
  function classify(boxes, w, h) {
    var cols = Math.ceil(w / CELL), rows = Math.ceil(h / CELL);
    var used = new Uint32Array(cols * rows * (CLASSES / 32));
    var table = new Uint32Array(cols * rows * CLASSES), cls = new Uint8Array(boxes.length + 1);
    for (var k = 0; k < boxes.length; k++) {
      var box = boxes[k];
      if (!box) continue;
      var cx0 = Math.max(0, Math.floor((box[0] - 1) / CELL)), cy0 = Math.max(0, Math.floor((box[1] - 1) / CELL));
      var cx1 = Math.min(cols - 1, Math.floor((box[2] + 1) / CELL));
      var cy1 = Math.min(rows - 1, Math.floor((box[3] + 1) / CELL));
      if (cx1 < cx0 || cy1 < cy0) continue;
      var c = 0;
      for (var word = 0; word < CLASSES / 32 && !c; word++) {
        var taken = word ? 0 : 1; // class 0: no place
        for (var cy = cy0; cy <= cy1; cy++) {
          for (var cx = cx0; cx <= cx1; cx++) taken |= used[(cy * cols + cx) * 8 + word];
        }
        var free = ~taken & (taken + 1); // the lowest bit not taken
        if (free) c = word * 32 + 31 - Math.clz32(free);
      }
      if (!c) return null;
      cls[k + 1] = c;
      for (cy = cy0; cy <= cy1; cy++) {
        for (cx = cx0; cx <= cx1; cx++) {
          used[(cy * cols + cx) * 8 + (c >> 5)] |= 1 << (c & 31);
          table[(cy * cols + cx) * CLASSES + c] = k + 1;
        }
      }
    }
    return { cls: cls, table: table, cols: cols };
  }

  // A class's colour: red the class, green and blue two shuffles of it, so that a blend
  // of two classes is very unlikely to read as a third.
  var SHUFFLE = (function () {
    var a = [], b = [], seed = 7;
    for (var i = 0; i < CLASSES; i++) { a.push(i); b.push(i); }
    function rand(n) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; }
    for (var j = CLASSES - 1; j > 0; j--) {
      var x = rand(j + 1), y = rand(j + 1), t = a[j];
      a[j] = a[x]; a[x] = t; t = b[j]; b[j] = b[y]; b[y] = t;
    }
    return [a, b];
  })();
  var CLASS_CSS = SHUFFLE[0].map(function (g, c) {
    return "rgb(" + c + "," + g + "," + SHUFFLE[1][c] + ")";
  });

  function decodeClasses(rgba, words, classes, w, keep) {
    var g = SHUFFLE[0], b = SHUFFLE[1], table = classes.table, cols = classes.cols;
    for (var p = 0, q = 0; p < words.length; p++, q += 4) {
      if (keep && keep[p]) continue;
      var a = rgba[q + 3];
      if (a === 0) { words[p] = 0; continue; }
      var c = rgba[q];
      if (a !== 255 || c === 0 || rgba[q + 1] !== g[c] || rgba[q + 2] !== b[c]) {
        words[p] = IMPURE;
        continue;
      }
      var x = p % w, cell = Math.floor((p - x) / w / CELL) * cols + Math.floor(x / CELL);
      words[p] = table[cell * CLASSES + c] || IMPURE;
    }
  }

  /* An impure pixel that is mostly covered takes a pure neighbour's place (left, right,
   * up, down, then the diagonals); one mostly uncovered is empty. */
  function resolveBlends(rgba, words, w, h) {
    var OFFSETS = [-1, 1, -w, w, -w - 1, -w + 1, w - 1, w + 1];
    for (var round = 0; round < 3; round++) {
      var left = 0;
      for (var p = 0; p < words.length; p++) {
        if (words[p] !== IMPURE) continue;
        if (rgba[p * 4 + 3] < 128) { words[p] = 0; continue; }
        var x = p % w, y = (p - x) / w, found = IMPURE;
        for (var k = 0; k < 8 && found === IMPURE; k++) {
          var dx = k === 0 || k === 4 || k === 6 ? -1 : (k === 1 || k === 5 || k === 7 ? 1 : 0);
          var dy = k === 2 || k === 4 || k === 5 ? -1 : (k === 3 || k === 6 || k === 7 ? 1 : 0);
          if (x + dx < 0 || x + dx >= w || y + dy < 0 || y + dy >= h) continue;
          var n = words[p + OFFSETS[k]];
          if (n === IMPURE || n & NO_FILL) continue;
          n &= NUMBER; // a kept pixel (after a pan) may carry its outline's coverage
          if (n !== 0) found = n;
        }
        if (found !== IMPURE) words[p] = found; else left++;
      }
      if (!left) return;
    }
    for (var e = 0; e < words.length; e++) if (words[e] === IMPURE) words[e] = 0;
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

  /* Leaflet clips a layer again after every pan; a place that was not cut keeps its
   * projected points, and its path. */
  function sameRings(a, b) {
    if (!a || a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) {
      var r = a[i], s = b[i];
      if (r.length !== s.length) return false;
      for (var j = 0; j < r.length; j++) if (r[j] !== s[j]) return false;
    }
    return true;
  }

  /* The dashes of `dash` along each closed ring of `parts`, as open subpaths of `path`:
   * what setLineDash draws (the pattern restarts on each ring), but stroked solid, which
   * costs a tenth of a dashed stroke in software. */
  function addDashes(path, parts, dash) {
    if (dash.length % 2) dash = dash.concat(dash);
    for (var i = 0; i < parts.length; i++) {
      var ring = parts[i], k = 0, left = dash[0], on = true;
      path.moveTo(ring[0].x, ring[0].y);
      for (var j = 0; j < ring.length; j++) {
        var a = ring[j], b = ring[(j + 1) % ring.length];
        var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy), at = 0;
        while (len - at > left) {
          at += left;
          var x = a.x + dx * at / len, y = a.y + dy * at / len;
          if (on) path.lineTo(x, y); else path.moveTo(x, y);
          on = !on;
          k = (k + 1) % dash.length;
          left = dash[k];
        }
        left -= len - at;
        if (on) path.lineTo(b.x, b.y);
      }
    }
  }

  M.placeRaster = {
    NUMBER: NUMBER, NO_FILL: NO_FILL, Codec: Codec, decodeFills: decodeFills,
    classify: classify, CLASS_CSS: CLASS_CSS, decodeClasses: decodeClasses,
    shiftWords: shiftWords, sameRings: sameRings, addDashes: addDashes,
    resolveBlends: resolveBlends, addCoverage: addCoverage, colourWord: colourWord,
    tiles: tiles, paint: paint, phase: phase, pixelIndex: pixelIndex, paintPlaces: paintPlaces,
  };
})();
