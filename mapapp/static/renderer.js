/* mapapp's canvas renderer: Leaflet's own, except that the places (polygons) are painted
 * from a place-ID raster (renderer-raster.js), so a date change costs one pass over the
 * pixels whatever the number of places.
 *
 * Three canvases, stacked in the overlay pane and moved together: below, the layers that
 * come before the first place (countries, lakes); in the middle, the places, written with
 * putImageData; on top (Leaflet's own canvas, which gets the mouse), a comparison's
 * outlines and the layers after the places (rivers, borders, towns, point places). On a
 * pan, zoom or resize the places are rasterised again; on a date change only their colour
 * table changes, and a vector canvas is redrawn only when a point place on it changed
 * colour. A place's style is one integer in a typed array the page writes (styleOf).
 * Clicks and hovers read the same raster.
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

  /* Places opt in with `options.batchIndex`, their index in styleOf. Only polygons may
   * (points keep Leaflet's circles). */
  function isBatched(layer) {
    return layer.options.batchIndex !== undefined;
  }

  function pathOf(layer) {
    var parts = layer._parts;
    if (layer._batchedParts !== parts && R.sameRings(layer._batchedParts, parts)) {
      layer._batchedParts = parts;
    }
    if (layer._batchedParts !== parts) {
      var path = new Path2D();
      for (var i = 0; i < parts.length; i++) {
        var ring = parts[i];
        path.moveTo(ring[0].x, ring[0].y);
        for (var j = 1; j < ring.length; j++) path.lineTo(ring[j].x, ring[j].y);
        path.closePath();
      }
      layer._batchedPath = path;
      layer._batchedParts = parts;
    }
    return layer._batchedPath;
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

  /* A batched place under the mouse, from the raster (Leaflet asks every layer with the
   * same point object); the geometry when the raster is not the view's or the place is
   * smaller than a pixel. */
  function rasterContains(point) {
    var hit = this._renderer._hitAt(point);
    if (hit === this.options.batchIndex + 1) return true;
    if (hit >= 0 && !this._tiny) return false;
    return L.Polygon.prototype._containsPoint.call(this, point);
  }

  function blank(canvas) {
    var ctx = canvas.getContext("2d");
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.restore();
  }

  /* Leaflet's own handling of a path, then ours: `order` when the paths' order or set
   * changed (the batches are rebuilt), not when only a path's shape did. */
  function thenChanged(name, order) {
    return function (layer) {
      L.Canvas.prototype[name].call(this, layer);
      this._changed(layer, order);
    };
  }

  var BatchedCanvas = L.Canvas.extend({
    options: {
      // Fill the places by colour class (a few hundred fills); false: one fill each.
      byClass: true,
    },

    initialize: function (options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._shown = null;
      this._dirty = { under: true, over: true };
      this.stats = { full: 0, partial: 0, keyframe: 0 };
    },

    /* `styles`: [{fillColor, fillOpacity, color}] (a fill may be a pattern of `period` CSS
     * pixels); `styleOf[batchIndex]`: a place's entry in it. The caller changes styleOf in
     * place and then calls redrawAll. */
    setBatchStyles: function (styles, styleOf, period) {
      this._batchStyles = styles;
      this._styleOf = styleOf;
      this._period = period || 1;
      this._tile = null;
      this._forget();
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
      this._fillCtx = this._lower[1].getContext("2d");
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
     * the transform that lets paths keep their layer coordinates. */
    _update: function () {
      if (this._map._animatingZoom && this._bounds) return;
      var old = this._bounds, zoom = this._zoom, valid = this._shown !== null && this._words;
      L.Renderer.prototype._update.call(this);
      var b = this._bounds, size = b.getSize(), m = L.Browser.retina ? 2 : 1;
      // A pan keeps the zoom and the size: the raster still in view can be moved.
      this._shift = valid && old && zoom === this._zoom && m === this._scale &&
        old.getSize().equals(size) ? { bounds: b, dx: m * (b.min.x - old.min.x),
                                       dy: m * (b.min.y - old.min.y) } : null;
      this._scale = m;
      [this._container].concat(this._lower).forEach(function (c) {
        L.DomUtil.setPosition(c, b.min);
        c.width = m * size.x;
        c.height = m * size.y;
        c.style.width = size.x + "px";
        c.style.height = size.y + "px";
      });
      [this._ctx, this._underCtx].forEach(function (ctx) {
        ctx.setTransform(m, 0, 0, m, 0, 0);
        ctx.translate(-b.min.x, -b.min.y);
      });
      this._forget();
      this.fire("update");
    },

    _initPath: thenChanged("_initPath", true),
    _removePath: thenChanged("_removePath", true),
    _updatePath: thenChanged("_updatePath", false),
    /* A comparison's outline of a place is drawn on top: no new raster for it. */
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
      if (order) this._batch = null;
      if (isBatched(layer)) this._shift = null;
      if (isBatched(layer)) this._forget(); else this._dirty[this._canvasOf(layer)] = true;
      this.redrawAll();
    },

    _canvasOf: function (layer) {
      if (isBatched(layer)) return "over"; // its comparison outline
      this._batchLayers();
      return this._under.indexOf(layer) >= 0 ? "under" : "over";
    },

    // The batched layers, in draw order: collected again only when layers come or go.
    _batchLayers: function () {
      if (!this._batch) {
        this._batch = [];
        this._under = []; // the other layers before the first place, and after it
        this._over = [];
        this._points = []; // point places: [layer, its index]
        for (var order = this._drawFirst; order; order = order.next) {
          var layer = order.layer, o = layer.options;
          if (isBatched(layer)) {
            this._batch.push(layer);
            layer._containsPoint = rasterContains;
            continue;
          }
          if (o.placeIndex !== undefined) this._points.push(layer);
          (this._batch.length ? this._over : this._under).push(layer);
        }
      }
      return this._batch;
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
      var layers = this._batchLayers();
      if (!this._batchStyles || !layers.length) {
        blank(this._lower[1]);
        this._words = null;
        this._shown = null;
        this._dirty.under = this._dirty.over = true;
      } else {
        var full = this._shown === null || this._shown.length !== this._styleOf.length;
        if (full) this._rasterise(layers);
        else this.stats.keyframe += 1;
        if (full) this._pixelsStale = true; // _recolour's index of each place's pixels
        this._pointsChanged();
        if (this._recolour(full) || full) {
          this._fillCtx.putImageData(this._image, 0, 0);
        }
      }
      if (this._dirty.under) this._drawVectors(this._underCtx, this._under, false);
      if (this._dirty.over) this._drawVectors(this._ctx, this._over, true);
      this._dirty.under = this._dirty.over = false;
    },

    /* A point place whose style changed: its canvas is drawn again (Leaflet draws it from
     * its options, which places.js has already set). */
    _pointsChanged: function () {
      if (!this._shown) return;
      for (var k = 0; k < this._points.length; k++) {
        var i = this._points[k].options.placeIndex;
        if (this._shown[i] !== this._styleOf[i]) this._dirty[this._canvasOf(this._points[k])] = true;
      }
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
    _rasterise: function (layers) {
      this.stats.full += 1;
      var w = this._lower[1].width, h = this._lower[1].height, m = this._scale, b = this._bounds;
      var n = this._styleOf.length;
      if (!this._tile || this._tileScale !== m) {
        this._tile = R.tiles(this._batchStyles, this._period, m);
        this._tileScale = m;
      }
      if (!this._codec || this._codec.count !== n) {
        this._codec = new R.Codec(n + 1);
        this._codec.count = n;
        this._css = [];
        for (var k = 0; k <= n; k++) this._css.push(this._codec.css(k));
        this._base = new Uint32Array(n + 1);
      }
      if (!this._words || this._words.length !== w * h) {
        this._words = new Uint32Array(w * h);
        this._image = this._fillCtx.createImageData(w, h);
        this._out = new Uint32Array(this._image.data.buffer);
      }
      var scratch = document.createElement("canvas");
      scratch.width = w;
      scratch.height = h;
      var ctx = scratch.getContext("2d", { willReadFrequently: true });
      var shift = this._shift, kept = null;
      this._shift = null;
      if (shift && shift.bounds === b && this._words.length === w * h &&
          Math.abs(shift.dx) < w / 2 && Math.abs(shift.dy) < h / 2) {
        // Only the strips the pan brought into view are drawn and read.
        kept = R.shiftWords(this._words, w, h, shift.dx, shift.dy);
        var r = kept.rect, clip = new Path2D();
        clip.rect(0, 0, w, h);
        clip.rect(r[0], r[1], r[2] - r[0], r[3] - r[1]);
        ctx.clip(clip, "evenodd");
        this.stats.shifted = (this.stats.shifted || 0) + 1;
      }
      ctx.setTransform(m, 0, 0, m, 0, 0);
      ctx.translate(-b.min.x, -b.min.y);
      this._keepTiny(this._fillIds(ctx, layers, kept));
      blank(scratch);
      this._strokeOutlines(ctx, layers);
      R.addCoverage(ctx.getImageData(0, 0, w, h).data, this._words, w, h, kept && kept.keep);
      this._shown = new Int32Array(n);
      this._hitPoint = null;
      this._dirty.under = this._dirty.over = true;
    },

    /* The places' numbers into this._words: filled by colour class (renderer-raster.js), a
     * few hundred fills in all, or, where places are too crowded for that, each in its
     * number's colour. Returns the places under a pixel in size. */
    _fillIds: function (ctx, layers, kept) {
      var b = this._bounds, m = this._scale, w = this._lower[1].width, h = this._lower[1].height;
      var boxes = new Array(this._styleOf.length), tiny = [], k, layer;
      for (k = 0; k < layers.length; k++) {
        layer = layers[k];
        var px = layer._pxBounds;
        layer._tiny = false;
        layer._keptWhole = false;
        if (!layer._parts.length || !px) continue; // out of view
        var box = [(px.min.x - b.min.x) * m, (px.min.y - b.min.y) * m,
                   (px.max.x - b.min.x) * m, (px.max.y - b.min.y) * m];
        // Wholly inside the kept raster (outline included): not drawn again.
        var r = kept && kept.rect;
        if (r && box[0] > r[0] + 2 && box[1] > r[1] + 2 && box[2] < r[2] - 2 && box[3] < r[3] - 2) {
          layer._keptWhole = true;
          continue;
        }
        boxes[layer.options.batchIndex] = box;
        if (px.max.x - px.min.x < 1.5 && px.max.y - px.min.y < 1.5) {
          layer._tiny = true;
          tiny.push(layer);
        }
      }
      var classes = this.options.byClass ? R.classify(boxes, w, h) : null;
      if (classes) {
        var byClass = [];
        for (k = 0; k < layers.length; k++) {
          layer = layers[k];
          var c = classes.cls[layer.options.batchIndex + 1];
          if (!c) continue;
          (byClass[c] = byClass[c] || new Path2D()).addPath(pathOf(layer));
        }
        byClass.forEach(function (path, c) {
          ctx.fillStyle = R.CLASS_CSS[c];
          ctx.fill(path, "nonzero");
        });
      } else {
        for (k = 0; k < layers.length; k++) {
          layer = layers[k];
          if (!boxes[layer.options.batchIndex]) continue;
          ctx.fillStyle = this._css[layer.options.batchIndex + 1];
          ctx.fill(pathOf(layer), "nonzero");
        }
      }
      var fills = ctx.getImageData(0, 0, w, h).data;
      var keep = kept && kept.keep;
      if (classes) R.decodeClasses(fills, this._words, classes, w, keep);
      else R.decodeFills(fills, this._words, this._codec, keep);
      R.resolveBlends(fills, this._words, w, h);
      return tiny;
    },

    /* A place smaller than a pixel still shows, and answers a click, at its centre. */
    _keepTiny: function (tiny) {
      var b = this._bounds, m = this._scale, w = this._lower[1].width, h = this._lower[1].height;
      for (var k = 0; k < tiny.length; k++) {
        var c = tiny[k]._pxBounds.getCenter();
        var x = Math.floor((c.x - b.min.x) * m), y = Math.floor((c.y - b.min.y) * m);
        if (x >= 0 && y >= 0 && x < w && y < h) this._words[y * w + x] = tiny[k].options.batchIndex + 1;
      }
    },

    /* The places' own outlines (a comparison's come on top), one stroke per kind, in
     * black: only the coverage is read. */
    _strokeOutlines: function (ctx, layers) {
      var kinds = {};
      for (var k = 0; k < layers.length; k++) {
        var layer = layers[k], o = layer.options, line = o.baseLine || o;
        if (!layer._parts.length || layer._keptWhole || !o.stroke || !line.weight) continue;
        var key = [line.weight, line.dashArray || "", o.opacity, o.lineCap, o.lineJoin].join("|");
        var kind = kinds[key];
        if (!kind) kind = kinds[key] = { path: new Path2D(), o: o, line: line };
        var dash = dashOf(line.dashArray);
        if (dash.length && dash.every(function (d) { return d > 0; })) {
          R.addDashes(kind.path, layer._parts, dash);
        } else {
          kind.path.addPath(pathOf(layer));
        }
      }
      ctx.strokeStyle = "#000";
      ctx.setLineDash([]);
      Object.keys(kinds).forEach(function (key) {
        var kind = kinds[key];
        ctx.globalAlpha = kind.o.opacity;
        ctx.lineWidth = kind.line.weight;
        ctx.lineCap = kind.o.lineCap;
        ctx.lineJoin = kind.o.lineJoin;
        ctx.stroke(kind.path);
      });
    },

    /* The number of the batched place at a layer point (0: none), or -1 when the raster
     * is not the view's. */
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

    /* Leaflet's layers of one vector canvas, whole; on top, first the comparison's
     * outlines of places. */
    _drawVectors: function (ctx, layers, withOutlines) {
      blank(ctx.canvas);
      var saved = this._ctx;
      this._ctx = ctx;
      ctx.save();
      this._drawing = true;
      try {
        if (withOutlines && this._batchStyles) this._strokeHighlights(ctx);
        for (var k = 0; k < layers.length; k++) layers[k]._updatePath();
      } finally {
        this._drawing = false;
        ctx.restore();
        this._ctx = saved;
      }
    },

    _strokeHighlights: function (ctx) {
      var layers = this._batchLayers();
      for (var k = 0; k < layers.length; k++) {
        var o = layers[k].options;
        if (!o.outline || !layers[k]._parts.length) continue;
        ctx.setLineDash([]);
        ctx.globalAlpha = o.opacity;
        ctx.lineWidth = o.weight;
        ctx.strokeStyle = o.outline;
        ctx.lineCap = o.lineCap;
        ctx.lineJoin = o.lineJoin;
        ctx.stroke(pathOf(layers[k]));
      }
    },
  });

  M.batchedCanvas = function (options) { return new BatchedCanvas(options); };
})();
