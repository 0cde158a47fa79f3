/* The places on the map: their Leaflet layers, styles and popups. Polygons are drawn by
 * renderer.js from one style number per place; points by Leaflet from their options. */
import { outlineOf, stateStyles, staleStyle } from "./style.js";

export class Places {
  constructor({ map, renderer, engine, freshness, style, popups, noHover, onPopup }) {
    const n = engine.places.id.length;
    this.map = map;
    this.renderer = renderer;
    this.engine = engine;
    this.freshness = freshness;
    this.style = style;
    this.popups = popups;
    this.noHover = noHover;
    this.onPopup = onPopup;
    this.comparison = null;
    this.layers = new Array(n);
    this.baseLine = new Array(n); // the outline a place returns to after a comparison
    this.batched = new Uint8Array(n);
    this.openPlace = null;
    this.styles = stateStyles(style, engine.states, engine.factions, stripes, hatch);
    this.noDataStyle = this.styles.length - 1;
    // Each state's stale twin after no data: the style number says whether a place is
    // stale, so the renderer's colour table follows staleness like a change of state.
    this.staleOffset = this.styles.length;
    for (let s = 0; s < this.noDataStyle; s++) {
      this.styles.push(staleStyle(style, this.styles[s], dots));
    }
    this.styleOf = new Int32Array(n).fill(this.noDataStyle);
    renderer.setBatchStyles(this.styles, this.styleOf, style.stripes.tile);
  }

  register(i, layer) {
    this.layers[i] = layer;
    layer.options.placeIndex = i;
    const isPoint = typeof layer.setRadius === "function" && !layer.getBounds;
    this.baseLine[i] = outlineOf(this.style, this.engine.places.quality[i], isPoint);
    if (layer instanceof L.Polygon) {
      layer.options.batchIndex = i;
      // renderer.js draws this outline once per view; a comparison's goes on top of it.
      layer.options.baseLine = this.baseLine[i];
      this.batched[i] = 1;
    }
    const line = { weight: this.baseLine[i].weight, dashArray: this.baseLine[i].dashArray,
                   fill: true };
    // Not yet on the map (GeoJSON calls us before adding it): plain options, no bookkeeping.
    if (layer._map) layer.setStyle(line); else L.setOptions(layer, line);
    layer.bindPopup(() => this.popups.place(i), this.popupOptions());
    // On touch-only screens a tap would open the tooltip and the popup at once.
    if (!this.noHover) layer.bindTooltip(() => this.popups.tooltip(i), { sticky: true });
    layer.on("popupopen", () => { this.openPlace = i; this.onPopup(i); });
    layer.on("popupclose", () => { if (this.openPlace === i) this.openPlace = null; });
    this.restyle(i);
  }

  /* Popups stay inside the map on small screens: scrollable, and panned clear of the
   * controls in the top corners (layers, views and language, zoom, share). */
  popupOptions() {
    const size = this.map.getSize();
    return { maxWidth: Math.min(320, size.x - 60), minWidth: Math.min(220, size.x - 80),
             maxHeight: Math.max(200, Math.round(size.y * 0.6)),
             autoPanPaddingTopLeft: L.point(10, 125), autoPanPaddingBottomRight: L.point(10, 20) };
  }

  /* A place's style after its state changed; call redraw() after. A date step only
   * writes the style's number for a polygon: renderer.js reads styleOf. */
  restyle(i) {
    this.styleOf[i] = this.styleNumber(i, this.engine.cur[i], this.freshness.stale[i]);
    if (this.comparison || !this.batched[i]) this.restyleLayer(i);
  }

  /* The layer's own options: a point's colours, and a comparison's outline. */
  restyleLayer(i) {
    const layer = this.layers[i];
    if (!layer) return;
    const style = this.styles[this.styleOf[i]];
    const o = layer.options;
    const gain = this.comparison ? this.comparison.outlineColor(i) : null;
    if (!this.batched[i]) {
      o.fillColor = style.fillColor;
      o.fillOpacity = style.fillOpacity;
      o.color = gain || style.color;
    }
    const line = this.baseLine[i];
    const weight = gain ? Math.max(4, line.weight + 2.5) : line.weight;
    const dash = gain ? null : line.dashArray;
    if (o.weight !== weight || o.dashArray !== dash || (o.outline || null) !== gain) {
      // A comparison's highlight starts or ends: Leaflet recomputes bounds and dashes.
      layer.setStyle({ weight, dashArray: dash, outline: gain, color: gain || style.color });
    }
  }

  /* A comparison started, changed or ended: every layer's outline follows. */
  setComparison(comparison) {
    this.comparison = comparison;
    for (let i = 0; i < this.layers.length; i++) this.restyleLayer(i);
    this.redraw();
  }

  /* One redraw of the map in the next frame. */
  redraw() { this.renderer.redrawAll(this.engine.day); }

  refreshOpenPopup() {
    const layer = this.openPlace !== null ? this.layers[this.openPlace] : null;
    const popup = layer && layer.getPopup();
    // update() runs the bound content function again. setPopupContent(node) would replace
    // that function, and every later opening would show this moment's text.
    if (!popup || !popup.isOpen()) return;
    const focused = popup.getElement().contains(document.activeElement);
    popup.update();
    if (focused) popup.getElement().querySelector(".mapapp-popup").focus({ preventScroll: true });
  }

  /* The style of place i under event e (-1: no data), or its stale twin's. */
  styleNumber(i, e, stale) {
    if (e < 0) return this.noDataStyle;
    const s = this.engine.ctlState[e];
    return stale ? this.staleOffset + s : s;
  }
}

let patternContext = null;

/* A repeating canvas pattern: a square tile of `size` px filled with `fill`, then `draw(ctx)`. */
function tilePattern(fill, size, draw) {
  patternContext = patternContext || document.createElement("canvas").getContext("2d");
  const tile = document.createElement("canvas");
  tile.width = tile.height = size;
  const ctx = tile.getContext("2d");
  ctx.fillStyle = fill;
  ctx.fillRect(0, 0, size, size);
  draw(ctx);
  return patternContext.createPattern(tile, "repeat");
}

/* A stale fill: `fillColor` (a colour or the stripes' pattern) on a tile of the stripes'
 * size, with white dots, so the pattern stays seamless. */
function dots(fillColor, stale, size) {
  return tilePattern(fillColor, size, (ctx) => {
    ctx.fillStyle = stale.dot;
    for (const [x, y] of stale.dot_centres) {
      ctx.beginPath();
      ctx.arc(x, y, stale.dot_radius, 0, 2 * Math.PI);
      ctx.fill();
    }
  });
}

/* A canvas pattern of 45° stripes: `foreground` lines of `width` px on `background`. */
function stripes(background, foreground, width, size) {
  return tilePattern(background, size, (ctx) => {
    ctx.strokeStyle = foreground;
    ctx.lineWidth = width;
    // Lines x + y = c for c = 0, size, 2*size tile seamlessly at 45 degrees.
    for (let c = 0; c <= 2 * size; c += size) {
      ctx.beginPath();
      ctx.moveTo(c + 1, -1);
      ctx.lineTo(-1, c + 1);
      ctx.stroke();
    }
  });
}

/* A tentative fill: `fillColor` (a colour or a pattern) crossed by `h.lines` horizontal
 * lines per tile (style.tentative_hatch); lines on the tile's edges wrap seamlessly. */
function hatch(fillColor, h, size) {
  return tilePattern(fillColor, size, (ctx) => {
    ctx.fillStyle = h.color;
    for (let y = 0; y <= size; y += size / h.lines) ctx.fillRect(0, y - h.width / 2, size, h.width);
  });
}
