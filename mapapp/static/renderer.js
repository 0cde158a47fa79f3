/* mapapp's canvas renderer: Leaflet's own, except that the places' polygons are not
 * Leaflet layers: renderer.js fills them from their typed arrays (geometry.js) into a
 * place-ID raster (renderer-raster.js), so a date change costs one pass over the pixels
 * whatever the number of places, and a pan or zoom projects two numbers per vertex.
 *
 * Three canvases, stacked in the overlay pane and moved together: below, Leaflet layers
 * that come before the places; in the middle, the places, written with putImageData; on
 * top (Leaflet's own canvas, which gets the mouse), a comparison's outlines and the layers
 * after the places (point places). The two vector canvases are drawn by
 * renderer-layers.js, a mixin of this class. On a pan, zoom or resize the places are
 * rasterised again; on a date change only their colour table changes, and a vector canvas
 * is redrawn only when a point place on it changed colour. A place's style is one integer
 * in a typed array the page writes (styleOf).
 *
 * The polygons have one Leaflet layer between them, PlaceShapes: where it sits in
 * Leaflet's draw order the places are drawn, while it is on the map they are, and it
 * answers Leaflet's hit tests from the raster, so that Leaflet's cursor, tooltip and
 * click handling serve every place.
 *
 * Names kept from the keyframe renderer this replaced (tests/test_map_canvas.py reads
 * them): the raster is the one "keyframe", kept until the next pan or zoom; `_shown` the
 * styles on screen (null: draw everything again from the geometry); stats.full counts
 * rasterisations, stats.keyframe frames painted from a kept raster, stats.partial those
 * that rewrote the colours of changed places only.
 */
(function () {
  "use strict";

  var M = (window.mapapp = window.mapapp || {});
  var R = M.placeRaster;

  /* All the places' polygons as one Leaflet path, drawn by the renderer. */
  var PlaceShapes = L.Path.extend({
    // smoothFactor: how far (CSS px) a vertex may be from the last drawn and be left out.
    options: { mapappPlaces: true, interactive: true, smoothFactor: 1 },
    _project: function () {},
    _update: function () {},
    _updatePath: function () {},
    _containsPoint: function (point) { return this.placeAt(point) >= 0; },
    /* The index of the place under a layer point, or -1. */
    placeAt: function (point) { return this._renderer ? this._renderer._placeAt(point) : -1; },
  });
  M.placeShapes = function () { return new PlaceShapes(); };

  /* Leaflet's own handling of a path, then ours: `order` when the paths' order or set
   * changed (the lists are made again), not when only a path's shape did. */
  function thenChanged(name, order) {
    return function (layer) {
      L.Canvas.prototype[name].call(this, layer);
      this._changed(layer, order);
    };
  }

  var BatchedCanvas = L.Canvas.extend({
    includes: M.rendererLayers, // renderer-layers.js: Leaflet's own layers, either side
    initialize: function (options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._shown = null;
      this._dirty = { under: true, over: true };
      this._acc = new Int32Array(4096); // the scanline fill's scratch
      this.stats = { full: 0, partial: 0, keyframe: 0 };
    },

    /* `styles`: [{fillColor, fillOpacity, color}] (a fill may be a pattern of `period` CSS
     * pixels); `styleOf[i]`: place i's entry in it. The caller changes styleOf in place
     * and then calls redrawAll. */
    setBatchStyles: function (styles, styleOf, period) {
      this._batchStyles = styles;
      this._styleOf = styleOf;
      this._period = period || 1;
      this._tile = null;
      this._forget();
      this.redrawAll();
    },

    /* `shapes`: the places' polygons (geometry.js); `lines[i]`: place i's outline,
     * {weight, dashArray}; `highlights[i]`: a comparison's outline of it, {color, weight},
     * or null (the array is the caller's: call redrawHighlights after changing it). */
    setShapes: function (shapes, lines, highlights) {
      this._shapes = shapes;
      this._lines = lines;
      this._highlights = highlights;
      this._forget();
      this.redrawAll();
    },
    redrawHighlights: function () {
      this._dirty.over = true;
      this.redrawAll();
    },

    /* Nothing on screen is known to be right: rasterise again. */
    _forget: function () {
      this._shown = null;
      this._dirty.under = this._dirty.over = true;
    },

    // The two canvases under Leaflet's, made, moved and sized with it.
    _initContainer: function () {
      L.Canvas.prototype._initContainer.call(this);
      this._lower = [document.createElement("canvas"), document.createElement("canvas")];
      this._lower.forEach(function (c) {
        c.style.pointerEvents = "none";
        if (this._zoomAnimated) L.DomUtil.addClass(c, "leaflet-zoom-animated");
      }, this);
      this._underCtx = this._lower[0].getContext("2d");
      // Written with putImageData and read back once per raster: a canvas in memory, not
      // on the GPU, where both are a copy across.
      this._fillCtx = this._lower[1].getContext("2d", { willReadFrequently: true });
    },
    onAdd: function () {
      L.Canvas.prototype.onAdd.call(this);
      var pane = this.getPane();
      this._lower.forEach(function (c) { pane.insertBefore(c, this._container); }, this);
    },
    _destroyContainer: function () {
      this._lower.forEach(L.DomUtil.remove);
      L.Canvas.prototype._destroyContainer.call(this);
    },
    _updateTransform: function (center, zoom) {
      L.Canvas.prototype._updateTransform.call(this, center, zoom);
      var from = this._container.style;
      this._lower.forEach(function (c) {
        c.style.transform = from.transform;
        c.style.left = from.left;
        c.style.top = from.top;
      });
    },

    /* Leaflet's canvas update for all three canvases: position, size (device pixels), and
     * the transform that lets paths keep their layer coordinates; and the view the places
     * are projected to: world point (X, Y) at zoom 0 is at (X s - ox, Y s - oy) CSS pixels
     * of the canvases, (X s - px, Y s - py) in layer points. */
    _update: function () {
      if (this._map._animatingZoom && this._bounds) return;
      var old = this._bounds, zoom = this._zoom, valid = this._shown !== null && this._words;
      L.Renderer.prototype._update.call(this);
      var map = this._map, b = this._bounds, size = b.getSize(), m = L.Browser.retina ? 2 : 1;
      var origin = map.getPixelOrigin(), s = map.getZoomScale(map.getZoom(), 0);
      this._view = { s: s, px: origin.x, py: origin.y, ox: origin.x + b.min.x, oy: origin.y + b.min.y };
      // A pan keeps the zoom and the size: the raster still in view can be moved.
      this._shift = valid && old && zoom === this._zoom && m === this._scale &&
        old.getSize().equals(size) ? { bounds: b, dx: m * (b.min.x - old.min.x),
                                       dy: m * (b.min.y - old.min.y) } : null;
      this._scale = m;
      [this._container].concat(this._lower).forEach(function (c) {
        L.DomUtil.setPosition(c, b.min);
        c.style.width = size.x + "px";
        c.style.height = size.y + "px";
      });
      this._fitVectors(this._ctx, this._overOn);
      this._fit(this._lower[1], m * size.x, m * size.y);
      this._fitUnder();
      this._forget();
      this.fire("update");
    },

    // The same size after a pan: no new backing store (every canvas is drawn whole).
    _fit: function (canvas, w, h) {
      if (canvas.width !== w) canvas.width = w;
      if (canvas.height !== h) canvas.height = h;
    },

    _initPath: thenChanged("_initPath", true),
    _removePath: thenChanged("_removePath", true),
    _updatePath: thenChanged("_updatePath", false),
    _updateStyle: function (layer) {
      this._updateDashArray(layer);
      this._dirty[this._canvasOf(layer)] = true;
      this.redrawAll();
    },
    _bringToFront: thenChanged("_bringToFront", true),
    _bringToBack: thenChanged("_bringToBack", true),
    // Leaflet's dirty rectangles are not used: each canvas is drawn whole.
    _requestRedraw: function () { this.redrawAll(); },
    _extendRedrawBounds: function () {},

    /* A layer came, went, moved in the order (`order`) or changed shape. */
    _changed: function (layer, order) {
      if (order) this._lists = this._underFitted = null;
      if (layer.options.mapappPlaces) {
        this._shift = null;
        this._forget();
      } else {
        this._dirty[this._canvasOf(layer)] = true;
      }
      this.redrawAll();
    },

    /* One redraw in the next frame, however many places changed style. */
    redrawAll: function () {
      if (!this._map) return;
      this._redrawRequest = this._redrawRequest || L.Util.requestAnimFrame(this._redraw, this);
    },

    // Leaflet's _redraw clears, then draws: each canvas is cleared as it is drawn.
    _clear: function () {},

    keyframeSlots: function () { return this._container && this._batchStyles ? 1 : 0; },
    keyframeCount: function () { return this._shown && this._words ? 1 : 0; },

    _draw: function () {
      if (!this._map || !this._bounds) return;
      var lists = this._layerLists();
      if (!this._underFitted) this._fitUnder();
      if (!this._batchStyles || !this._shapes || !lists.places) {
        this._blank(this._lower[1]);
        this._words = null;
        this._shown = null;
        this._dirty.under = this._dirty.over = true;
      } else {
        var full = this._shown === null || this._shown.length !== this._styleOf.length;
        if (full) this._rasterise();
        else this.stats.keyframe += 1;
        if (full) this._pixelsStale = true; // _recolour's index of each place's pixels
        this._pointsChanged();
        if (this._recolour(full) || full) {
          this._fillCtx.putImageData(this._image, 0, 0);
        }
      }
      this._drawLayers(lists);
    },

    /* The colour table from styleOf: every entry after a new raster, else the changed
     * places only; then the pixels: all of them after a new raster, else those of the
     * changed places, from an index of each place's pixels built when the page is next
     * idle after the raster. Returns whether anything changed. */
    _recolour: function (full) {
      var styleOf = this._styleOf, shown = this._shown, base = this._base;
      var block = this._tile.block, changed = this._changedNumbers, count = 0;
      if (!changed || changed.length !== styleOf.length) {
        changed = this._changedNumbers = new Int32Array(styleOf.length);
      }
      for (var i = 0; i < styleOf.length; i++) {
        var s = styleOf[i];
        if (!full && shown[i] === s) continue;
        base[i + 1] = (s + 1) * block;
        shown[i] = s;
        changed[count++] = i + 1;
      }
      if (!count && !full) return false;
      if (!full) this.stats.partial += 1;
      var self = this, w = this._lower[1].width, h = this._lower[1].height;
      var indexed = function (w, h) {
        var ph = R.phase(self._bounds, self._scale, self._tile.size), index = self._pixels;
        return !self._pixelsStale && index && index.w === w && index.h === h &&
          index.tile === self._tile && index.ox === ph[0] && index.oy === ph[1];
      };
      if (!full && indexed(w, h)) {
        R.paintPlaces(this._out, this._pixels, base, this._tile, changed, count);
        return true;
      }
      var ph = R.phase(this._bounds, this._scale, this._tile.size);
      R.paint(this._out, this._words, w, h, base, this._tile, ph[0], ph[1]);
      if (!this._pixelsQueued) {
        // Not in the frame of the pan or zoom that made the raster: 6-7 ms at 0.93 M pixels.
        this._pixelsQueued = true;
        var build = function () {
          self._pixelsQueued = false;
          if (!self._words || !self._tile || !self._bounds) return;
          var cw = self._lower[1].width, ch = self._lower[1].height;
          if (self._words.length !== cw * ch || indexed(cw, ch)) return;
          var p = R.phase(self._bounds, self._scale, self._tile.size);
          self._pixels = R.pixelIndex(self._words, cw, ch, self._tile, p[0], p[1],
                                      self._styleOf.length, self._pixels);
          self._pixelsStale = false;
        };
        if (window.requestIdleCallback) window.requestIdleCallback(build, { timeout: 500 });
        else setTimeout(build, 50);
      }
      return true;
    },

    /* The places' numbers and outlines at this view, into this._words. */
    _rasterise: function () {
      this.stats.full += 1;
      var w = this._lower[1].width, h = this._lower[1].height, m = this._scale, v = this._view;
      var n = this._styleOf.length;
      if (!this._tile || this._tileScale !== m) {
        this._tile = R.tiles(this._batchStyles, this._period, m);
        this._tileScale = m;
      }
      if (!this._base || this._base.length !== n + 1) this._base = new Uint32Array(n + 1);
      if (!this._words || this._words.length !== w * h) {
        this._words = new Uint32Array(w * h);
        this._image = this._fillCtx.createImageData(w, h);
        this._out = new Uint32Array(this._image.data.buffer);
      }
      var shift = this._shift, kept = null, words = this._words;
      this._shift = null;
      if (shift && shift.bounds === this._bounds && Math.abs(shift.dx) < w / 2 &&
          Math.abs(shift.dy) < h / 2) {
        // Only the strips the pan brought into view are filled and stroked.
        kept = R.shiftWords(words, w, h, shift.dx, shift.dy);
        for (var p = 0; p < words.length; p++) if (!kept.keep[p]) words[p] = 0;
        this.stats.shifted = (this.stats.shifted || 0) + 1;
      } else {
        words.fill(0);
      }
      var drawn = this._placesInView(kept, w, h);
      var keep = kept && kept.keep, sh = this._shapes, k = v.s * m, ox = v.ox * m, oy = v.oy * m;
      for (var j = 0; j < drawn.length; j++) {
        var i = drawn[j];
        this._acc = R.fillPlace(words, w, h, keep, sh, i, k, ox, oy, i + 1, this._acc);
      }
      this._keepTiny(drawn, keep, k, ox, oy, w, h);
      // A place as large as the view (zoomed in) grew the fill's scratch: not kept.
      if (this._acc.length > 1 << 16) this._acc = new Int32Array(4096);
      // The outlines are stroked on the places' own canvas, whose every pixel the
      // putImageData that follows in this frame rewrites: no scratch canvas to allocate.
      var ctx = this._fillCtx;
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, w, h);
      if (kept) {
        var r = kept.rect, clip = new Path2D();
        clip.rect(0, 0, w, h);
        clip.rect(r[0], r[1], r[2] - r[0], r[3] - r[1]);
        ctx.clip(clip, "evenodd");
      }
      ctx.setTransform(m, 0, 0, m, 0, 0);
      var o = this._lists.places.options;
      var rgba = R.outlineCoverage(ctx, sh, drawn, this._lines, v, m, o, w, h);
      R.addCoverage(rgba, words, w, h, keep);
      ctx.restore();
      this._shown = new Int32Array(n);
      this._hitPoint = null;
      this._dirty.under = this._dirty.over = true;
    },

    /* The places with a polygon that reach into the canvas (outline included), less those
     * wholly inside the part a pan kept. */
    _placesInView: function (kept, w, h) {
      var sh = this._shapes, box = sh.box, v = this._view, k = v.s * this._scale;
      var ox = v.ox * this._scale, oy = v.oy * this._scale, r = kept && kept.rect;
      var pad = 4 * this._scale, out = [];
      for (var i = 0; i < sh.count; i++) {
        if (!sh.hasPolygon(i)) continue;
        var b = 4 * i, x0 = box[b] * k - ox, y0 = box[b + 1] * k - oy;
        var x1 = box[b + 2] * k - ox, y1 = box[b + 3] * k - oy;
        if (x1 < -pad || y1 < -pad || x0 > w + pad || y0 > h + pad) continue;
        if (r && x0 > r[0] + 2 && y0 > r[1] + 2 && x1 < r[2] - 2 && y1 < r[3] - 2) continue;
        out.push(i);
      }
      return out;
    },

    /* A place smaller than a pixel and a half still shows, and answers a click, at its
     * centre. */
    _keepTiny: function (drawn, keep, k, ox, oy, w, h) {
      var box = this._shapes.box, limit = 1.5 * this._scale;
      for (var j = 0; j < drawn.length; j++) {
        var b = 4 * drawn[j], x0 = box[b] * k - ox, y0 = box[b + 1] * k - oy;
        var x1 = box[b + 2] * k - ox, y1 = box[b + 3] * k - oy;
        if (x1 - x0 >= limit || y1 - y0 >= limit) continue;
        var x = Math.floor((x0 + x1) / 2), y = Math.floor((y0 + y1) / 2), p = y * w + x;
        if (x >= 0 && y >= 0 && x < w && y < h && !(keep && keep[p])) this._words[p] = drawn[j] + 1;
      }
    },

    /* The number of the place at a layer point (0: none), or -1 when the raster is not
     * the view's. */
    _hitAt: function (point) {
      if (point === this._hitPoint) return this._hitValue;
      var value = -1, b = this._bounds, m = this._scale, w = this._lower[1].width;
      if (this._words && this._shown && this._words.length === w * this._lower[1].height) {
        var x = Math.floor((point.x - b.min.x) * m), y = Math.floor((point.y - b.min.y) * m);
        value = 0;
        if (x >= 0 && y >= 0 && x < w && y < this._lower[1].height) {
          value = this._words[y * w + x] & R.NUMBER;
        }
      }
      this._hitPoint = point;
      this._hitValue = value;
      return value;
    },

    /* The index of the place at a layer point, or -1: from the raster, or from the
     * geometry while the raster is not the view's. */
    _placeAt: function (point) {
      if (!this._shapes || !this._map) return -1;
      var hit = this._hitAt(point);
      if (hit >= 0) return hit - 1;
      var map = this._map, origin = map.getPixelOrigin(), s = map.getZoomScale(map.getZoom(), 0);
      return R.placeAt(this._shapes, (point.x + origin.x) / s, (point.y + origin.y) / s);
    },

  });

  M.batchedCanvas = function (options) { return new BatchedCanvas(options); };
})();
