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
 * (context below and above the places, point places) is drawn by Leaflet as usual, at its
 * place in the layer order. A redraw is always of the whole canvas: a jump touches most
 * places anyway, and one full redraw is cheaper than tracking what changed.
 */
(function () {
  "use strict";

  var M = (window.mapapp = window.mapapp || {});

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

  var BatchedCanvas = L.Canvas.extend({
    /* `styles`: [{fillColor, fillOpacity, color}]; `styleOf[batchIndex]`: a place's entry
     * in it. The caller changes styleOf in place and then calls redrawAll. */
    setBatchStyles: function (styles, styleOf) {
      this._batchStyles = styles;
      this._styleOf = styleOf;
      this._batch = null;
      this.redrawAll();
    },

    // The batched layers, in draw order: collected again only when layers come or go.
    _initPath: function (layer) {
      L.Canvas.prototype._initPath.call(this, layer);
      this._batch = null;
    },
    _removePath: function (layer) {
      L.Canvas.prototype._removePath.call(this, layer);
      this._batch = null;
    },
    _batchLayers: function () {
      if (!this._batch) {
        this._batch = [];
        for (var order = this._drawFirst; order; order = order.next) {
          if (isBatched(order.layer)) this._batch.push(order.layer);
        }
      }
      return this._batch;
    },

    /* One redraw of everything in the next frame, however many places changed style. */
    redrawAll: function () {
      if (!this._map) return;
      this._redrawRequest = this._redrawRequest || L.Util.requestAnimFrame(this._redraw, this);
    },

    _redraw: function () {
      this._redrawBounds = null;
      L.Canvas.prototype._redraw.call(this);
    },

    _draw: function () {
      var ctx = this._ctx, batchDrawn = !this._batchStyles, order, layer;
      ctx.save();
      this._drawing = true;
      for (order = this._drawFirst; order; order = order.next) {
        layer = order.layer;
        if (!isBatched(layer) || !this._batchStyles) {
          layer._updatePath();
        } else if (!batchDrawn) {
          // Drawn where the first place sits in the layer order, so context layers added
          // after the places stay on top of them.
          this._drawBatch(ctx);
          batchDrawn = true;
        }
      }
      this._drawing = false;
      ctx.restore();
    },

    /* Every place goes into one bucket per style and outline kind (solid or dashed); each
     * bucket is one fill() and one stroke(). A place with its own `outline` colour (a
     * comparison's highlight) is drawn on its own, over the rest. */
    _drawBatch: function (ctx) {
      var styles = this._batchStyles, styleOf = this._styleOf;
      var buckets = new Array(styles.length * 2), own = [];
      var layers = this._batchLayers();
      for (var n = 0; n < layers.length; n++) {
        var layer = layers[n];
        if (!layer._parts.length) continue; // out of view
        var o = layer.options;
        if (o.outline) {
          own.push(layer);
          continue;
        }
        var k = styleOf[o.batchIndex] * 2 + (o.dashArray ? 1 : 0);
        var bucket = buckets[k] || (buckets[k] = { path: new Path2D(), line: o });
        bucket.path.addPath(pathOf(layer));
      }
      var k2, style;
      for (k2 = 0; k2 < buckets.length; k2++) {
        if (!buckets[k2]) continue;
        style = styles[k2 >> 1];
        ctx.globalAlpha = style.fillOpacity;
        ctx.fillStyle = style.fillColor;
        ctx.fill(buckets[k2].path, "nonzero");
      }
      for (k2 = 0; k2 < buckets.length; k2++) {
        if (!buckets[k2]) continue;
        setLine(ctx, buckets[k2].line, styles[k2 >> 1].color);
        ctx.stroke(buckets[k2].path);
      }
      for (n = 0; n < own.length; n++) {
        var ownOptions = own[n].options, path = pathOf(own[n]);
        style = styles[styleOf[ownOptions.batchIndex]];
        ctx.globalAlpha = style.fillOpacity;
        ctx.fillStyle = style.fillColor;
        ctx.fill(path, "nonzero");
        setLine(ctx, ownOptions, ownOptions.outline);
        ctx.stroke(path);
      }
      ctx.setLineDash([]);
    },
  });

  M.batchedCanvas = function (options) { return new BatchedCanvas(options); };
})();
