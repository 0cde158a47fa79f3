/* mapapp's canvas renderer: Leaflet's own, except that the places are drawn in a few
 * batched calls.
 *
 * Leaflet fills and strokes every polygon on its own, redraws a dirty rectangle computed
 * layer by layer, and keeps each layer's colours in its options; with thousands of places
 * that is most of the cost of a slider jump. Here a place's style is one integer in a
 * typed array the page writes, the places are grouped into one bucket per style and
 * outline kind (one fill() and one stroke() each), and each place's Path2D is kept until
 * Leaflet clips it again (after a pan or zoom). Their order among themselves does not
 * matter: the payload orients every ring (exteriors one way, holes the other), so the
 * non-zero rule keeps holes and fills an overlap of two places once. Every other layer
 * (context below and above the places, point places) is drawn by Leaflet as usual.
 *
 * A whole redraw still costs one addPath per place. From `incrementalFrom` places on, a
 * redraw therefore repaints only the places whose style changed, clipped to them, over
 * the frame on screen (a step) or over the nearest keyframe (a jump): whole frames at
 * dates the page chooses, drawn while it is idle and dropped on a pan, zoom or restyle.
 */
(function () {
  "use strict";

  var M = (window.mapapp = window.mapapp || {});

  var SOLID = 0, DASHED = 1, OWN = 2; // a place's outline: plain, dashed, its own colour

  /* Places opt in with `options.batchIndex`, their index in the style table given to
   * setBatchStyles. Only polygons may (points keep Leaflet's circles). */
  function isBatched(layer) {
    return layer.options.batchIndex !== undefined;
  }

  function pathOf(layer) {
    var parts = layer._parts;
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

  function setLine(ctx, o, color) {
    ctx.setLineDash(dashOf(o.dashArray));
    ctx.globalAlpha = o.opacity;
    ctx.lineWidth = o.weight;
    ctx.strokeStyle = color;
    ctx.lineCap = o.lineCap;
    ctx.lineJoin = o.lineJoin;
  }

  /* Places whose style differs between two style arrays, as layers; null when one of them
   * is not a batched polygon (a point place: Leaflet draws it from its options) or is
   * highlighted by a comparison: such a frame is drawn whole. */
  function changedLayers(before, after, byIndex) {
    var out = [];
    for (var i = 0; i < after.length; i++) {
      if (before[i] === after[i]) continue;
      var layer = byIndex[i];
      if (layer === undefined) continue; // no geometry: nothing drawn
      if (layer === null || layer.options.outline) return null;
      out.push(layer);
    }
    return out;
  }

  /* How many entries differ, counting no further than `cap`. */
  function countChanged(before, after, cap) {
    var n = 0;
    for (var i = 0; i < after.length && n < cap; i++) if (before[i] !== after[i]) n++;
    return n;
  }

  var BatchedCanvas = L.Canvas.extend({
    options: {
      // From this many places on, a redraw repaints only the places whose style changed,
      // over the frame on screen or over the nearest kept frame (a keyframe).
      incrementalFrom: 2000,
      // At most this share of the places changed for a partial redraw to pay.
      partialShare: 0.3,
      // Memory for keyframes, in bytes of pixels, and their number.
      keyframeBytes: 64e6,
      maxKeyframes: 24,
    },

    initialize: function (options) {
      L.Canvas.prototype.initialize.call(this, options);
      this._keyframes = [];
      this._shown = null; // the styles the canvas shows, when it shows exactly those
      this.stats = { full: 0, partial: 0, keyframe: 0 }; // redraws of each kind, for tests
    },

    /* `styles`: [{fillColor, fillOpacity, color}]; `styleOf[batchIndex]`: a place's entry
     * in it. The caller changes styleOf in place and then calls redrawAll. */
    setBatchStyles: function (styles, styleOf) {
      this._batchStyles = styles;
      this._styleOf = styleOf;
      this._batch = null;
      this._forget();
      this.redrawAll();
    },

    /* The canvas and the keyframes no longer match the styles: after a pan or zoom, a
     * layer added, removed or restyled by Leaflet. Fires "keyframes" so the page can
     * offer new ones. */
    _forget: function () {
      this._shown = null;
      if (this._keyframes.length) this._keyframes = [];
      this.fire("keyframes");
    },
    _update: function () {
      this._forget(); // first: the parent may redraw at once, and that frame is good
      L.Canvas.prototype._update.call(this);
    },
    _updateStyle: function (layer) {
      this._forget(); // first: the parent may redraw at once, and that frame is good
      this._batch = null; // its outline may have changed
      L.Canvas.prototype._updateStyle.call(this, layer);
    },
    _updatePath: function (layer) {
      this._forget(); // first: the parent may redraw at once, and that frame is good
      L.Canvas.prototype._updatePath.call(this, layer);
    },

    // The batched layers, in draw order: collected again only when layers come or go.
    _initPath: function (layer) {
      L.Canvas.prototype._initPath.call(this, layer);
      this._batch = null;
      this._forget();
    },
    _removePath: function (layer) {
      L.Canvas.prototype._removePath.call(this, layer);
      this._batch = null;
      this._forget();
    },
    _batchLayers: function () {
      if (!this._batch) {
        this._batch = [];
        // By place index: the batched layer, or null for a place Leaflet draws itself.
        this._byIndex = [];
        // The other layers, before and after the first place in the layer order, and the
        // places among them (points) with their index.
        this._under = [];
        this._over = [];
        this._points = [];
        // By place index: how its outline is drawn (read per place on every redraw).
        this._kind = [];
        for (var order = this._drawFirst; order; order = order.next) {
          var o = order.layer.options;
          if (isBatched(order.layer)) {
            this._batch.push(order.layer);
            this._byIndex[o.batchIndex] = order.layer;
            this._kind[o.batchIndex] = o.outline ? OWN : (o.dashArray ? DASHED : SOLID);
            continue;
          }
          if (o.placeIndex !== undefined) {
            this._byIndex[o.placeIndex] = null;
            this._points.push(order.layer);
          }
          (this._batch.length ? this._over : this._under).push(order.layer);
        }
      }
      return this._batch;
    },

    /* One redraw in the next frame, however many places changed style. `at` (the date, as
     * a number) says which keyframes to try first. */
    redrawAll: function (at) {
      if (at !== undefined) this._at = at;
      if (!this._map) return;
      this._redrawRequest = this._redrawRequest || L.Util.requestAnimFrame(this._redraw, this);
    },

    _redraw: function () {
      this._redrawBounds = null;
      L.Canvas.prototype._redraw.call(this); // = this._clear(), then this._draw()
    },

    keyframeCount: function () { return this._keyframes.length; },

    /* How many keyframes fit the memory budget at the canvas's current size. */
    keyframeSlots: function () {
      if (!this._container || !this._batchStyles ||
          this._batchLayers().length < this.options.incrementalFrom) return 0;
      var bytes = this._container.width * this._container.height * 4;
      return Math.min(this.options.maxKeyframes, Math.floor(this.options.keyframeBytes / bytes));
    },

    /* Draws the map with `styles` (a copy of styleOf at the date `at`, a number) into a
     * canvas of its own, kept until the next pan, zoom or restyle. */
    addKeyframe: function (styles, at) {
      if (!this._map || !this._container || this._keyframes.length >= this.keyframeSlots()) {
        return false;
      }
      var canvas = document.createElement("canvas");
      canvas.width = this._container.width;
      canvas.height = this._container.height;
      var ctx = this._ctx, styleOf = this._styleOf;
      var frame = canvas.getContext("2d");
      frame.setTransform(ctx.getTransform());
      var batch = this._buckets(this._batchLayers(), styles);
      // Leaflet draws point places from their options: give them the keyframe's colours.
      var saved = this._points.map(function (layer) {
        var o = layer.options, style = this._batchStyles[styles[o.placeIndex]];
        var was = { fillColor: o.fillColor, fillOpacity: o.fillOpacity, color: o.color };
        o.fillColor = style.fillColor;
        o.fillOpacity = style.fillOpacity;
        if (!o.outline) o.color = style.color;
        return was;
      }, this);
      this._ctx = frame;
      this._styleOf = styles;
      try {
        this._drawLayers(frame, batch);
      } finally {
        this._ctx = ctx;
        this._styleOf = styleOf;
        this._points.forEach(function (layer, k) { L.extend(layer.options, saved[k]); });
      }
      this._keyframes.push({ canvas: canvas, styles: styles, at: at });
      return true;
    },

    /* Leaflet's _redraw calls _clear then _draw: the plan is made here, so a partial
     * redraw does not clear the canvas. */
    _clear: function () {
      this._plan = this._partialPlan();
      if (!this._plan) L.Canvas.prototype._clear.call(this);
    },

    /* Repaint over whichever of the frame on screen and the keyframes differs from the
     * styles in the fewest places; null (a full redraw) when even that is too many. */
    _partialPlan: function () {
      if (!this._shown || !this._batchStyles || !this._container) return null;
      var layers = this._batchLayers(), styleOf = this._styleOf;
      if (layers.length < this.options.incrementalFrom) return null;
      var fewest = Math.floor(layers.length * this.options.partialShare) + 1;
      var best = null, base = null, at = this._at;
      // The keyframes nearest to the date first: the first good match makes the counts
      // of the others stop early.
      var keyframes = this._keyframes.slice().sort(function (a, b) {
        return Math.abs(a.at - at) - Math.abs(b.at - at);
      });
      var candidates = [{ canvas: null, styles: this._shown }].concat(keyframes);
      for (var k = 0; k < candidates.length && fewest > 0; k++) {
        var n = countChanged(candidates[k].styles, styleOf, fewest);
        if (n < fewest) { fewest = n; best = candidates[k]; }
      }
      if (!best) return null;
      var changed = changedLayers(best.styles, styleOf, this._byIndex);
      if (best.canvas) base = best;
      return changed ? { base: base, changed: changed } : null;
    },

    _draw: function () {
      var plan = this._plan;
      this._plan = null;
      if (plan) this._drawPartial(plan); else this._drawAll(this._ctx);
    },

    _drawAll: function (ctx) {
      this.stats.full += 1;
      this._drawLayers(ctx, this._batchStyles ? this._buckets(this._batchLayers()) : null);
      this._remember();
    },

    /* The kept frame (if any) copied in, then, clipped to the changed places, everything
     * under them drawn again: the context layers below and above, and those places. An
     * outline shared with an unchanged neighbour keeps the neighbour's half. */
    _drawPartial: function (plan) {
      var ctx = this._ctx;
      if (plan.base) {
        this.stats.keyframe += 1;
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.globalCompositeOperation = "copy";
        ctx.drawImage(plan.base.canvas, 0, 0);
        ctx.restore();
      } else {
        this.stats.partial += 1;
      }
      if (plan.changed.length) {
        var batch = this._buckets(plan.changed);
        // The clip is the union of the buckets: a few addPath calls, not one per place.
        var area = new Path2D();
        batch.buckets.forEach(function (bucket) { area.addPath(bucket.path); });
        ctx.save();
        ctx.clip(area, "nonzero");
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, this._container.width, this._container.height);
        ctx.restore();
        this._drawLayers(ctx, batch);
        ctx.restore();
      }
      this._remember();
    },

    _remember: function () {
      if (!this._styleOf) return;
      if (!this._shown || this._shown.length !== this._styleOf.length) {
        this._shown = new Int32Array(this._styleOf.length);
      }
      this._shown.set(this._styleOf);
    },

    /* Leaflet's layers in order, with the places of `batch` (from _buckets) painted together
     * where the first place sits, so context layers added after the places stay on top of
     * them. Without a batch every layer is Leaflet's own. */
    _drawLayers: function (ctx, batch) {
      var k, order;
      ctx.save();
      this._drawing = true;
      if (batch) {
        this._batchLayers();
        for (k = 0; k < this._under.length; k++) this._under[k]._updatePath();
        this._paint(ctx, batch);
        for (k = 0; k < this._over.length; k++) this._over[k]._updatePath();
      } else {
        for (order = this._drawFirst; order; order = order.next) order.layer._updatePath();
      }
      this._drawing = false;
      ctx.restore();
    },

    /* The places of `layers` in one bucket per style and outline kind (solid or dashed);
     * a place with its own `outline` colour (a comparison's highlight) stays apart. */
    _buckets: function (layers, styleOf) {
      styleOf = styleOf || this._styleOf;
      var byKey = new Array(this._batchStyles.length * 2), buckets = [], own = [];
      this._batchLayers();
      var kinds = this._kind;
      for (var n = 0; n < layers.length; n++) {
        var layer = layers[n];
        if (!layer._parts.length) continue; // out of view
        var i = layer.options.batchIndex, kind = kinds[i];
        if (kind === OWN) {
          own.push(layer);
          continue;
        }
        var k = styleOf[i] * 2 + kind;
        var bucket = byKey[k];
        if (!bucket) {
          bucket = byKey[k] = { path: new Path2D(), line: layer.options,
                                style: this._batchStyles[k >> 1] };
          buckets.push(bucket);
        }
        bucket.path.addPath(pathOf(layer));
      }
      return { buckets: buckets, own: own };
    },

    /* One fill() per bucket, then one stroke() per bucket, then the highlighted places
     * each on its own, over the rest. */
    _paint: function (ctx, batch) {
      var buckets = batch.buckets, n, style;
      for (n = 0; n < buckets.length; n++) {
        ctx.globalAlpha = buckets[n].style.fillOpacity;
        ctx.fillStyle = buckets[n].style.fillColor;
        ctx.fill(buckets[n].path, "nonzero");
      }
      for (n = 0; n < buckets.length; n++) {
        setLine(ctx, buckets[n].line, buckets[n].style.color);
        ctx.stroke(buckets[n].path);
      }
      for (n = 0; n < batch.own.length; n++) {
        var o = batch.own[n].options, path = pathOf(batch.own[n]);
        style = this._batchStyles[this._styleOf[o.batchIndex]];
        ctx.globalAlpha = style.fillOpacity;
        ctx.fillStyle = style.fillColor;
        ctx.fill(path, "nonzero");
        setLine(ctx, o, o.outline);
        ctx.stroke(path);
      }
      ctx.setLineDash([]);
    },
  });

  M.batchedCanvas = function (options) { return new BatchedCanvas(options); };
})();
