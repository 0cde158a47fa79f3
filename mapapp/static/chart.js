/* mapapp chart: km² held by each faction over time, drawn as SVG by hand.
 *
 * The areas are the engine's (payload.places.area_km2, computed in an equal-area
 * projection) summed with the engine's rule (timeline.area_by_faction): a held place counts
 * for its faction, a joint one is split equally, contested and no-data have their own
 * bands. Totals are computed once, after each change date, by walking the control events;
 * the chart shows the slider's domain, its cursor follows the date (one element moved per
 * step) and a click on it sets the date.
 */
(function () {
  "use strict";

  var M = window.mapapp;
  var C = null;
  var S = null;
  var SVG = "http://www.w3.org/2000/svg";
  var HEIGHT = 170;
  var MARGIN = { left: 54, right: 10, top: 10, bottom: 22 }; // left grows with the label
  var CONTESTED_COLOR = "#9b7db8";
  var chart = { dirty: true, lo: 0, hi: 0, width: 0, shownSnap: -2, cursor: null };
  var data = null;

  M.hook("setup", function (core) {
    C = core;
    S = core.S;
    data = computeTotals();
    chart.box = document.getElementById("mapapp-chart");
    chart.table = document.getElementById("mapapp-areas");
    chart.caption = document.getElementById("mapapp-areas-caption");
    chart.lo = S.range.lo;
    chart.hi = S.range.hi;
    buildTable();
  });
  M.hook("range", function (range) {
    if (!data) return; // the viewer sets its first range before this module's setup
    chart.lo = range.lo;
    chart.hi = range.hi;
    chart.dirty = true;
    renderIfVisible();
  });
  M.hook("tab", function (name) { if (name === "areas") renderIfVisible(); });
  M.hook("resize", function () { chart.dirty = true; renderIfVisible(); });
  M.hook("day", function () {
    moveCursor();
    updateTable();
  });
  M.hook("compare", function () { chart.dirty = true; renderIfVisible(); });

  // --- the numbers ---------------------------------------------------------------------
  function computeTotals() {
    var nF = S.factions.length;
    var columns = S.factions.map(function (f) {
      return { id: f.id, name: f.name, color: f.color };
    });
    columns.push({ id: "contested", name: "Contested", color: CONTESTED_COLOR });
    columns.push({ id: "no-data", name: "No data", color: C.noDataColor });
    var area = S.places.area_km2;
    var totals = new Float64Array(nF + 2);
    var held = new Int32Array(area.length).fill(-1);
    for (var i = 0; i < area.length; i++) totals[nF + 1] += area[i] || 0;
    var base = Float64Array.from(totals);
    var add = function (e, a, sign) {
      if (e < 0) { totals[nF + 1] += sign * a; return; }
      var st = S.p.states[S.ctlState[e]];
      if (st.status === "held") totals[st.factions[0]] += sign * a;
      else if (st.status === "contested") totals[nF] += sign * a;
      else st.factions.forEach(function (f) { totals[f] += sign * a / st.factions.length; });
    };
    var days = [], snaps = [];
    for (var e = 0; e < S.ctlDay.length; e++) {
      var p = S.ctlPlace[e], a = area[p] || 0;
      add(held[p], a, -1);
      held[p] = e;
      add(e, a, 1);
      if (e === S.ctlDay.length - 1 || S.ctlDay[e + 1] !== S.ctlDay[e]) {
        days.push(S.ctlDay[e]);
        // Adding and taking away areas leaves rounding dust: -1e-13 km² is zero.
        snaps.push(Float64Array.from(totals, function (v) { return Math.abs(v) < 1e-9 ? 0 : v; }));
      }
    }
    var total = base.reduce(function (x, y) { return x + y; }, 0);
    // Only the bands that ever hold some area are drawn and listed.
    var shown = columns.map(function (c, k) {
      return base[k] > 1e-9 || snaps.some(function (t) { return t[k] > 1e-9; });
    });
    return { columns: columns, base: base, days: Int32Array.from(days), snaps: snaps,
             total: total, shown: shown };
  }

  function snapIndex(day) { return C.upperBound(data.days, day) - 1; }
  function totalsAt(day) {
    var k = snapIndex(day);
    return k < 0 ? data.base : data.snaps[k];
  }

  /* The chart's numbers at a date, by column id: what the tests compare with /api/areas. */
  M.areasAt = function (iso) {
    var day = C.dayOfIso(iso);
    if (day === null) throw new Error("not a YYYY-MM-DD date: " + iso);
    var t = totalsAt(day), out = {};
    data.columns.forEach(function (c, k) { out[c.id] = t[k]; });
    return out;
  };

  // --- drawing -----------------------------------------------------------------------
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function renderIfVisible() {
    if (!chart.dirty || !C.panelVisible || !C.panelVisible("areas")) return;
    var width = chart.box.clientWidth;
    if (!width) return;
    render(width);
  }

  function x(day) {
    var span = Math.max(1, chart.hi - chart.lo);
    return MARGIN.left + (day - chart.lo) / span * (chart.width - MARGIN.left - MARGIN.right);
  }
  function y(value) {
    var h = HEIGHT - MARGIN.top - MARGIN.bottom;
    return MARGIN.top + (1 - value / (data.total || 1)) * h;
  }

  function render(width) {
    chart.dirty = false;
    chart.width = width;
    // Room for the largest label on the y axis (10 px digits are about 6 px wide).
    MARGIN.left = Math.max(40, formatKm2(data.total).length * 6 + 8);
    var root = svg("svg", {
      width: width, height: HEIGHT, viewBox: "0 0 " + width + " " + HEIGHT,
      class: "mapapp-chart-svg", role: "img", "shape-rendering": "crispEdges",
      "aria-label": "Area held by each faction, km², " + C.dayLabel(chart.lo) + " to " +
        C.dayLabel(chart.hi) + ". Click to go to a date.",
      // where the plot's time axis starts and ends, in px: for scripts and tests
      "data-x0": MARGIN.left, "data-x1": width - MARGIN.right,
    });
    // Segments of constant totals across the domain: its start, then each change in it.
    var cuts = [chart.lo];
    for (var k = C.upperBound(data.days, chart.lo); k < data.days.length &&
         data.days[k] <= chart.hi; k++) cuts.push(data.days[k]);
    var paths = data.columns.map(function () { return []; });
    cuts.forEach(function (day, j) {
      var x0 = x(day), x1 = j + 1 < cuts.length ? x(cuts[j + 1]) : x(chart.hi);
      if (x1 - x0 < 0.01) x1 = x0 + 1; // the last day stays visible
      var t = totalsAt(day), below = 0;
      data.columns.forEach(function (c, s) {
        if (!data.shown[s] || t[s] <= 0) return;
        var y0 = y(below), y1 = y(below + t[s]);
        paths[s].push("M" + x0.toFixed(1) + " " + y0.toFixed(1) + "H" + x1.toFixed(1) +
                      "V" + y1.toFixed(1) + "H" + x0.toFixed(1) + "Z");
        below += t[s];
      });
    });
    data.columns.forEach(function (c, s) {
      if (!paths[s].length) return;
      root.appendChild(svg("path", { d: paths[s].join(""), fill: c.color,
                                     "fill-opacity": s === data.columns.length - 1 ? 0.6 : 0.85,
                                     class: "mapapp-band", "data-column": c.id }));
    });
    axes(root);
    if (S.cmp && S.cmp.day >= chart.lo && S.cmp.day <= chart.hi) {
      root.appendChild(svg("line", { x1: x(S.cmp.day), x2: x(S.cmp.day), y1: MARGIN.top,
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
    var bottom = HEIGHT - MARGIN.bottom;
    root.appendChild(svg("line", { x1: MARGIN.left, x2: chart.width - MARGIN.right, y1: bottom,
                                   y2: bottom, class: "mapapp-chart-axis" }));
    [[0, "0"], [data.total, formatKm2(data.total)]].forEach(function (tick) {
      var label = svg("text", { x: MARGIN.left - 4, y: y(tick[0]) + 4, "text-anchor": "end",
                                class: "mapapp-chart-label" });
      label.textContent = tick[1];
      root.appendChild(label);
    });
    [[chart.lo, "start"], [chart.hi, "end"]].forEach(function (tick) {
      var label = svg("text", { x: x(tick[0]), y: HEIGHT - 6, "text-anchor": tick[1],
                                class: "mapapp-chart-label" });
      label.textContent = C.dayLabel(tick[0]);
      root.appendChild(label);
    });
  }

  function moveCursor() {
    if (!chart.cursor || chart.dirty) return;
    var day = Math.min(Math.max(S.day, chart.lo), chart.hi);
    var px = x(day).toFixed(1);
    chart.cursor.setAttribute("x1", px);
    chart.cursor.setAttribute("x2", px);
  }

  function onChartClick(ev) {
    var rect = ev.currentTarget.getBoundingClientRect();
    var px = (ev.clientX - rect.left) * chart.width / rect.width;
    var span = chart.width - MARGIN.left - MARGIN.right;
    var frac = Math.min(Math.max((px - MARGIN.left) / span, 0), 1);
    var day = Math.round(chart.lo + frac * (chart.hi - chart.lo));
    C.jump(function () { C.applyDay(day); });
  }

  // --- the table of numbers at the current date ------------------------------------------
  var THOUSANDS = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
  function formatKm2(v) {
    if (v >= 100) return THOUSANDS.format(Math.round(v)) + " km²";
    return v.toFixed(v >= 10 ? 1 : 2) + " km²";
  }

  function buildTable() {
    chart.cells = [];
    var body = chart.table.tBodies[0];
    data.columns.forEach(function (c, s) {
      if (!data.shown[s]) return;
      var sw = C.el("span", { className: "mapapp-swatch", "aria-hidden": "true" });
      sw.style.background = c.color;
      var value = C.el("td", { className: "mapapp-num" });
      var share = C.el("td", { className: "mapapp-num" });
      body.appendChild(C.el("tr", { "data-column": c.id }, [
        C.el("th", { scope: "row" }, [sw, c.name]), value, share,
      ]));
      chart.cells.push([s, value, share]);
    });
  }

  /* Per step: the caption's date; the numbers only when a change date was crossed. */
  function updateTable() {
    chart.caption.textContent = "Area held on " + C.dayLabel(S.day);
    var k = snapIndex(S.day);
    if (k === chart.shownSnap) return;
    chart.shownSnap = k;
    var t = k < 0 ? data.base : data.snaps[k];
    chart.cells.forEach(function (cell) {
      var v = t[cell[0]];
      cell[1].textContent = formatKm2(v);
      cell[2].textContent = data.total ? (100 * v / data.total).toFixed(1) + "%" : "";
    });
  }
})();
