/* The places on the map: their styles, popups and tooltips. Polygons are drawn by
 * renderer.js from their typed arrays (geometry.js) and one style number per place, behind
 * one Leaflet layer for them all (PlaceShapes), with one popup and one tooltip; points and
 * lines are Leaflet layers of their own, drawn from their options. */
import { outlineOf, stateStyles, staleStyle } from "./style.js";

export class Places {
  constructor({ map, renderer, engine, freshness, style, popups, noHover, onPopup }) {
    const n = engine.places.id.length;
    this.map = map;
    this.renderer = renderer;
    this.engine = engine;
    this.shapes = engine.p.shapes;
    this.freshness = freshness;
    this.style = style;
    this.popups = popups;
    this.noHover = noHover;
    this.onPopup = onPopup;
    this.comparison = null;
    this.layers = new Array(n); // the Leaflet layers of points and lines
    this.baseLine = new Array(n); // the outline a place returns to after a comparison
    this.highlights = new Array(n).fill(null); // a comparison's outlines of polygons
    this.highlightsChanged = false; // renderer.js draws them again on the next redraw
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
    const lines = {}; // one outline object per quality, shared by its places
    for (let i = 0; i < n; i++) {
      if (!this.shapes.hasPolygon(i)) continue;
      const q = engine.places.quality[i];
      this.baseLine[i] = lines[q] || (lines[q] = outlineOf(style, q, false));
    }
    renderer.setBatchStyles(this.styles, this.styleOf, style.stripes.tile);
    renderer.setShapes(this.shapes, this.baseLine, this.highlights);
  }

  /* The polygons' layer, first in `group` (the places' GeoJSON layer, which then gets the
   * points and lines): one popup and one tooltip follow the place under the mouse. */
  addShapes(group) {
    const shapes = (this.shapeLayer = window.mapapp.placeShapes());
    this.shapePopup = L.popup(this.popupOptions());
    this.hovered = -1;
    // Before the tooltip's own listener: it opens with the place just found.
    shapes.on("mouseover", (e) => { this.hovered = shapes.placeAt(e.layerPoint); });
    shapes.on("mouseout", () => { this.hovered = -1; });
    // Every DOM mousemove, not Leaflet's: its canvas hit-tests at most every 32 ms and
    // drops the moves between (the map's own follow it), and the last one dropped may be
    // where the pointer stops.
    L.DomEvent.on(this.map.getContainer(), "mousemove", (e) => {
      const tooltip = shapes.getTooltip();
      if (!tooltip || !tooltip.isOpen()) return;
      const i = shapes.placeAt(this.map.mouseEventToLayerPoint(e));
      if (i < 0 || i === this.hovered) return;
      this.hovered = i;
      tooltip.setLatLng(this.map.mouseEventToLatLng(e));
      tooltip.update();
    });
    // On touch-only screens a tap would open the tooltip and the popup at once.
    if (!this.noHover) {
      // `hovered` is set by the mouseover listener above, which runs first.
      shapes.bindTooltip(() => this.popups.tooltip(this.hovered), { sticky: true });
    }
    shapes.on("click", (e) => {
      const i = shapes.placeAt(e.layerPoint);
      if (i >= 0) this.openShape(i, e.latlng);
    });
    this.map.on("popupopen", (e) => {
      if (e.popup === this.shapePopup) this.opened(this.shapePopup.place);
    });
    this.map.on("popupclose", (e) => {
      if (e.popup === this.shapePopup) this.closed(this.shapePopup.place);
    });
    group.addLayer(shapes);
  }

  /* A point's or a line's layer, as GeoJSON makes it. */
  register(i, layer) {
    this.layers[i] = layer;
    layer.options.placeIndex = i;
    const isPoint = typeof layer.setRadius === "function" && !layer.getBounds;
    this.baseLine[i] = outlineOf(this.style, this.engine.places.quality[i], isPoint);
    const line = { weight: this.baseLine[i].weight, dashArray: this.baseLine[i].dashArray,
                   fill: true };
    // Not yet on the map (GeoJSON calls us before adding it): plain options, no bookkeeping.
    if (layer._map) layer.setStyle(line); else L.setOptions(layer, line);
    layer.bindPopup(() => this.popups.place(i), this.popupOptions());
    if (!this.noHover) layer.bindTooltip(() => this.popups.tooltip(i), { sticky: true });
    layer.on("popupopen", () => this.opened(i));
    layer.on("popupclose", () => this.closed(i));
    this.restyle(i);
  }

  opened(i) { this.openPlace = i; this.onPopup(i); }
  closed(i) { if (this.openPlace === i) this.openPlace = null; }

  /* Whether place i is on the map (a polygon, a point or a line). */
  isDrawn(i) { return Boolean(this.layers[i]) || this.shapes.hasPolygon(i); }

  /* Open place i's popup: at `latlng`, or at its label's point (else its centre). */
  openPopup(i, latlng) {
    if (this.layers[i]) {
      this.layers[i].openPopup(latlng);
    } else if (this.shapes.hasPolygon(i)) {
      const anchor = this.engine.places.anchor[i];
      this.openShape(i, latlng || (anchor ? [anchor[1], anchor[0]] : this.shapes.centre(i).reverse()));
    }
  }

  openShape(i, latlng) {
    const popup = this.shapePopup;
    if (popup.isOpen() && popup.place !== i) this.map.closePopup(popup);
    popup.place = i;
    popup.setLatLng(latlng).setContent(() => this.popups.place(i));
    this.map.openPopup(popup);
  }

  /* The popup of place i, or null. */
  popupOf(i) {
    if (this.layers[i]) return this.layers[i].getPopup();
    return this.shapePopup && this.shapePopup.place === i ? this.shapePopup : null;
  }

  /* place i's bounds, for flying to it: a LatLngBounds, or null for a point. */
  boundsOf(i) {
    if (this.layers[i]) return this.layers[i].getBounds ? this.layers[i].getBounds() : null;
    if (!this.shapes.hasPolygon(i)) return null;
    const b = this.shapes.lonLatBox(i);
    return L.latLngBounds([b[1], b[0]], [b[3], b[2]]);
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
    if (this.comparison || this.layers[i]) this.restyleLayer(i);
  }

  /* A point's or line's colours, and a comparison's outline of any place. */
  restyleLayer(i) {
    const layer = this.layers[i];
    const gain = this.comparison ? this.comparison.outlineColor(i) : null;
    const line = this.baseLine[i];
    if (!line) return; // not drawn
    const weight = gain ? Math.max(4, line.weight + 2.5) : line.weight;
    if (!layer) {
      const old = this.highlights[i];
      if (old ? gain !== old.color || weight !== old.weight : gain) {
        this.highlights[i] = gain ? { color: gain, weight } : null;
        this.highlightsChanged = true;
      }
      return;
    }
    const style = this.styles[this.styleOf[i]];
    const o = layer.options;
    o.fillColor = style.fillColor;
    o.fillOpacity = style.fillOpacity;
    o.color = gain || style.color;
    const dash = gain ? null : line.dashArray;
    if (o.weight !== weight || o.dashArray !== dash || (o.outline || null) !== gain) {
      // A comparison's highlight starts or ends: Leaflet recomputes bounds and dashes.
      layer.setStyle({ weight, dashArray: dash, outline: gain, color: gain || style.color });
    }
  }

  /* A comparison started, changed or ended: every place's outline follows. */
  setComparison(comparison) {
    this.comparison = comparison;
    for (let i = 0; i < this.baseLine.length; i++) this.restyleLayer(i);
    this.redraw();
  }

  /* One redraw of the map in the next frame. */
  redraw() {
    if (this.highlightsChanged) {
      this.highlightsChanged = false;
      this.renderer.redrawHighlights();
    }
    this.renderer.redrawAll();
  }

  refreshOpenPopup() {
    const popup = this.openPlace !== null ? this.popupOf(this.openPlace) : null;
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
