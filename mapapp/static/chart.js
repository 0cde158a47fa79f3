/* mapapp chart: km² held by each faction over time, drawn as SVG by hand.
 *
 * The numbers are the engine's, sent in the payload (payload["areas"]: area_by_faction
 * after each change day), never recomputed here. The chart shows the slider's domain, its
 * cursor follows the date (one element moved per step) and a click on it sets the date.
 */
import { NO_DATA, areaTable } from "./areas.js";
import { upperBound } from "./days.js";
import { el, setAttr, setText } from "./dom.js";
import { hook } from "./hooks.js";
import { _, catalogue, tr } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const HEIGHT = 170;
const MARGIN = { left: 54, right: 10, top: 10, bottom: 22 }; // left grows with the label

export function setupChart(app) {
  const style = app.engine.p.style;
  const data = areaTable(app.engine.p.areas, app.engine.factions, style);
  const chart = { dirty: true, lo: app.range.lo, hi: app.range.hi, width: 0, shownSnap: -2,
                  cursor: null, box: document.getElementById("mapapp-chart"),
                  table: document.getElementById("mapapp-areas"),
                  caption: document.getElementById("mapapp-areas-caption") };

  function snapIndex(day) { return upperBound(data.days, day) - 1; }
  function totalsAt(day) {
    const k = snapIndex(day);
    return k < 0 ? data.base : data.snaps[k];
  }

  /* The chart's numbers at a day, by column id: what the tests compare with /api/areas. */
  app.areasAt = (day) => {
    const t = totalsAt(day), out = {};
    data.columns.forEach((c, k) => { out[c.id] = t[k]; });
    return out;
  };

  // --- drawing -----------------------------------------------------------------------
  function svg(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function renderIfVisible() {
    if (!chart.dirty || !app.panel.showing("areas")) return;
    const width = chart.box.clientWidth;
    if (!width) return;
    render(width);
  }

  function x(day) {
    const span = Math.max(1, chart.hi - chart.lo);
    return MARGIN.left + (day - chart.lo) / span * (chart.width - MARGIN.left - MARGIN.right);
  }
  function y(value) {
    const h = HEIGHT - MARGIN.top - MARGIN.bottom;
    return MARGIN.top + (1 - value / (data.total || 1)) * h;
  }

  function render(width) {
    chart.dirty = false;
    chart.width = width;
    // Room for the largest label on the y axis (10 px digits are about 6 px wide).
    MARGIN.left = Math.max(40, formatKm2(data.total).length * 6 + 8);
    const root = svg("svg", {
      width: width, height: HEIGHT, viewBox: "0 0 " + width + " " + HEIGHT,
      class: "mapapp-chart-svg", role: "img", "shape-rendering": "crispEdges",
      "aria-label": tr("Area held by each faction, km², {from} to {to}. Click to go to a date.",
                         { from: app.labels.dayLabel(chart.lo), to: app.labels.dayLabel(chart.hi) }),
      // where the plot's time axis starts and ends, in px: for scripts and tests
      "data-x0": MARGIN.left, "data-x1": width - MARGIN.right,
    });
    // Segments of constant totals across the domain: its start, then each change in it.
    const cuts = [chart.lo];
    for (let k = upperBound(data.days, chart.lo); k < data.days.length &&
         data.days[k] <= chart.hi; k++) cuts.push(data.days[k]);
    const paths = data.columns.map(function () { return []; });
    cuts.forEach(function (day, j) {
      const x0 = x(day);
      let x1 = j + 1 < cuts.length ? x(cuts[j + 1]) : x(chart.hi);
      if (x1 - x0 < 0.01) x1 = x0 + 1; // the last day stays visible
      const t = totalsAt(day);
      let below = 0;
      data.columns.forEach(function (c, s) {
        if (!data.shown[s] || t[s] <= 0) return;
        const y0 = y(below), y1 = y(below + t[s]);
        paths[s].push("M" + x0.toFixed(1) + " " + y0.toFixed(1) + "H" + x1.toFixed(1) +
                      "V" + y1.toFixed(1) + "H" + x0.toFixed(1) + "Z");
        below += t[s];
      });
    });
    data.columns.forEach(function (c, s) {
      if (!paths[s].length) return;
      root.appendChild(svg("path", { d: paths[s].join(""), fill: c.color,
                                     "fill-opacity": c.id === NO_DATA ? style.chart.no_data_opacity
                                                                     : style.chart.band_opacity,
                                     class: "mapapp-band", "data-column": c.id }));
    });
    axes(root);
    if (app.comparison && app.comparison.day >= chart.lo && app.comparison.day <= chart.hi) {
      root.appendChild(svg("line", { x1: x(app.comparison.day), x2: x(app.comparison.day), y1: MARGIN.top,
                                     y2: HEIGHT - MARGIN.bottom, class: "mapapp-chart-compare" }));
    }
    chart.cursor = svg("line", { y1: MARGIN.top - 4, y2: HEIGHT - MARGIN.bottom + 4,
                                 class: "mapapp-chart-cursor", id: "mapapp-chart-cursor" });
    root.appendChild(chart.cursor);
    root.addEventListener("click", onChartClick);
    chart.box.replaceChildren(root);
    moveCursor();
  }

  function axes(root) {
    const bottom = HEIGHT - MARGIN.bottom;
    root.appendChild(svg("line", { x1: MARGIN.left, x2: chart.width - MARGIN.right, y1: bottom,
                                   y2: bottom, class: "mapapp-chart-axis" }));
    [[0, "0"], [data.total, formatKm2(data.total)]].forEach(function (tick) {
      const label = svg("text", { x: MARGIN.left - 4, y: y(tick[0]) + 4, "text-anchor": "end",
                                class: "mapapp-chart-label" });
      label.textContent = tick[1];
      root.appendChild(label);
    });
    [[chart.lo, "start"], [chart.hi, "end"]].forEach(function (tick) {
      const label = svg("text", { x: x(tick[0]), y: HEIGHT - 6, "text-anchor": tick[1],
                                class: "mapapp-chart-label" });
      label.textContent = app.labels.dayLabel(tick[0]);
      root.appendChild(label);
    });
  }

  function moveCursor() {
    if (!chart.cursor || chart.dirty) return;
    const day = Math.min(Math.max(app.engine.day, chart.lo), chart.hi);
    const px = x(day).toFixed(1);
    setAttr(chart.cursor, "x1", px);
    setAttr(chart.cursor, "x2", px);
  }

  function onChartClick(ev) {
    const rect = ev.currentTarget.getBoundingClientRect();
    const px = (ev.clientX - rect.left) * chart.width / rect.width;
    const span = chart.width - MARGIN.left - MARGIN.right;
    const frac = Math.min(Math.max((px - MARGIN.left) / span, 0), 1);
    const day = Math.round(chart.lo + frac * (chart.hi - chart.lo));
    app.jump(() => app.applyDay(day));
  }

  // --- the table of numbers at the current date ------------------------------------------
  const THOUSANDS = new Intl.NumberFormat(catalogue.lang === "en" ? "en-GB" : catalogue.lang,
                                        { maximumFractionDigits: 0, numberingSystem: catalogue.numbering });
  function formatKm2(v) {
    if (v >= 100) return tr("{area} km²", { area: THOUSANDS.format(Math.round(v)) });
    return tr("{area} km²", { area: v.toFixed(v >= 10 ? 1 : 2) });
  }

  function buildTable() {
    chart.cells = [];
    const body = chart.table.tBodies[0];
    data.columns.forEach(function (c, s) {
      if (!data.shown[s]) return;
      const sw = el("span", { className: "mapapp-swatch", "aria-hidden": "true" });
      sw.style.background = c.color;
      const value = el("td", { className: "mapapp-num" });
      const share = el("td", { className: "mapapp-num" });
      body.appendChild(el("tr", { "data-column": c.id }, [
        el("th", { scope: "row" }, [sw, c.name]), value, share,
      ]));
      chart.cells.push([s, value, share]);
    });
  }

  /* Per step: the caption's date; the numbers only when a change date was crossed, and
   * only those that differ. */
  function updateTable() {
    setText(chart.caption, tr("Area held on {date}", { date: app.labels.dayLabel(app.engine.day) }));
    const k = snapIndex(app.engine.day);
    if (k === chart.shownSnap) return;
    chart.shownSnap = k;
    const t = k < 0 ? data.base : data.snaps[k];
    chart.cells.forEach(function (cell) {
      const v = t[cell[0]];
      setText(cell[1], formatKm2(v));
      setText(cell[2], data.total ? (100 * v / data.total).toFixed(1) + "%" : "");
    });
  }

  // What the numbers count, in the engine's words.
  const note = document.getElementById("mapapp-areas-note");
  if (note && data.counts) note.textContent = tr("Counted: {counts}.", { counts: _(data.counts) });
  hook("range", (range) => {
    chart.lo = range.lo;
    chart.hi = range.hi;
    chart.dirty = true;
    renderIfVisible();
  });
  hook("tab", (name) => { if (name === "areas") renderIfVisible(); });
  hook("resize", () => { chart.dirty = true; renderIfVisible(); });
  hook("day", () => {
    moveCursor();
    updateTable();
  });
  hook("compare", () => { chart.dirty = true; renderIfVisible(); });
  buildTable();
}
