/* The Leaflet layers that mapapp's canvas renderer (renderer.js) draws either side of the
 * places, as Leaflet's own canvas renderer would: under them on a canvas of their own, over
 * them on Leaflet's canvas with a comparison's outlines of places; which list a layer is
 * in follows Leaflet's draw order around PlaceShapes. A mixin of BatchedCanvas (its
 * `includes`), so it uses the renderer's state: _bounds, _scale, _ctx, _underCtx, _dirty,
 * _shapes, _highlights, _view, _shown, _styleOf, _lists and _fit.
 *
 * The context layers (countries, lakes, borders, rivers, towns) are not drawn here: they
 * are one SVG in a pane under the places (mapview.py, paneSvg), painted on a pan or zoom
 * and then kept by the compositor.
 */
(function () {
  "use strict";

  var M = (window.mapapp = window.mapapp || {});
  var R = M.placeRaster;

  M.rendererLayers = {
    _blank: function (canvas) {
      var ctx = canvas.getContext("2d");
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.restore();
    },

    /* A vector canvas holds pixels only while something is drawn on it: Chromium copies
     * every canvas to the compositor in each frame that paints anything, changed or not.
     * The element keeps the map's size, so Leaflet's still gets the mouse. */
    _fitVectors: function (ctx, on) {
      var b = this._bounds, m = this._scale, size = b.getSize();
      this._fit(ctx.canvas, on ? m * size.x : 0, on ? m * size.y : 0);
      ctx.setTransform(m, 0, 0, m, 0, 0);
      ctx.translate(-b.min.x, -b.min.y);
    },
    _fitUnder: function () {
      this._underFitted = true;
      this._fitVectors(this._underCtx, this._layerLists().under.length > 0);
    },
    _anyHighlight: function () {
      var lit = this._highlights, sh = this._shapes;
      for (var i = 0; lit && sh && i < lit.length; i++) if (lit[i] && sh.hasPolygon(i)) return true;
      return false;
    },

    /* The vector canvases whose layers changed, whole: the one under the places only while
     * it has layers, Leaflet's over them while it has layers or a comparison's outlines. */
    _drawLayers: function (lists) {
      if (this._dirty.under && lists.under.length) this._drawVectors(this._underCtx, lists.under, false);
      if (this._dirty.over) {
        this._overOn = lists.over.length > 0 || this._anyHighlight();
        this._fitVectors(this._ctx, this._overOn);
        if (this._overOn) this._drawVectors(this._ctx, lists.over, true);
      }
      this._dirty.under = this._dirty.over = false;
    },

    _canvasOf: function (layer) {
      var lists = this._layerLists();
      return lists.under.indexOf(layer) >= 0 ? "under" : "over";
    },

    /* Leaflet's other layers, in draw order, either side of the places (PlaceShapes): made
     * again only when layers come, go or change places. */
    _layerLists: function () {
      if (!this._lists) {
        var lists = this._lists = { places: null, under: [], over: [], points: [] };
        for (var order = this._drawFirst; order; order = order.next) {
          var layer = order.layer;
          if (layer.options.mapappPlaces) {
            lists.places = layer;
            continue;
          }
          if (layer.options.placeIndex !== undefined) lists.points.push(layer);
          (lists.places ? lists.over : lists.under).push(layer);
        }
      }
      return this._lists;
    },

    /* A point place whose style changed: its canvas is drawn again (Leaflet draws it from
     * its options, which places.js has already set). */
    _pointsChanged: function () {
      if (!this._shown) return;
      var points = this._lists.points;
      for (var k = 0; k < points.length; k++) {
        var i = points[k].options.placeIndex;
        if (this._shown[i] !== this._styleOf[i]) this._dirty[this._canvasOf(points[k])] = true;
      }
    },
    /* Leaflet's layers of one vector canvas, whole; on top, first the comparison's
     * outlines of places. */
    _drawVectors: function (ctx, layers, withOutlines) {
      this._blank(ctx.canvas);
      var saved = this._ctx;
      this._ctx = ctx;
      ctx.save();
      this._drawing = true;
      try {
        if (withOutlines && this._shapes && this._lists.places) this._strokeHighlights(ctx);
        for (var k = 0; k < layers.length; k++) layers[k]._updatePath();
      } finally {
        this._drawing = false;
        ctx.restore();
        this._ctx = saved;
      }
    },

    /* A comparison's outlines, one stroke per colour and weight (layer points). */
    _strokeHighlights: function (ctx) {
      var lit = this._highlights, sh = this._shapes, v = this._view, kinds = {};
      var o = this._lists.places.options, tol = o.smoothFactor / this._scale;
      if (!lit) return;
      for (var i = 0; i < lit.length; i++) {
        if (!lit[i] || !sh.hasPolygon(i)) continue;
        var key = lit[i].color + "|" + lit[i].weight;
        var kind = kinds[key] || (kinds[key] = { path: new Path2D(), line: lit[i] });
        var own = new Path2D(); // as in outlineCoverage (renderer-raster.js)
        R.tracePlace(own, sh, i, v.s, v.px, v.py, tol);
        kind.path.addPath(own);
      }
      ctx.setLineDash([]);
      ctx.globalAlpha = o.opacity;
      ctx.lineCap = o.lineCap;
      ctx.lineJoin = o.lineJoin;
      Object.keys(kinds).forEach(function (key) {
        ctx.lineWidth = kinds[key].line.weight;
        ctx.strokeStyle = kinds[key].line.color;
        ctx.stroke(kinds[key].path);
      });
    },
  };

  // One SVG renderer per pane for the context layers (mapview.py).
  var paneSvgs = {};
  M.paneSvg = function (pane) {
    return paneSvgs[pane] || (paneSvgs[pane] = L.svg({ pane: pane }));
  };
})();
