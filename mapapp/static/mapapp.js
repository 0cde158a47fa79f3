/* mapapp: the time slider engine and everything on the map that changes with the date.
 *
 * The payload carries the geometry once and the control events as columns sorted by
 * date. Moving the slider applies (forward) or rewinds (backward) only the events between
 * the two positions and restyles only the places they touch.
 * Every string that comes from data reaches the DOM through textContent or a DOM
 * attribute, never through innerHTML.
 *
 * The viewer's other parts (viewer.js: timeline controls and URL; panel.js: event list,
 * place history, compare; chart.js: area chart) plug in through M.hook(name, fn) and use
 * the helpers in M.core. Hooks: "setup" (once, before the first date), "day" (after every
 * date change, with the places touched), "details" (a chunk of event texts arrived, with
 * its kind), "lang", "compare", "place" (show a place's history), "range" (slider domain
 * changed). Event texts are not in the payload: M.core.detail(kind, k) reads them and
 * loads the chunk they are in when first asked.
 */
(function () {
  "use strict";

  var M = (window.mapapp = window.mapapp || {});
  var DAY_MS = 86400000;
  var INCIDENT_WINDOW_DAYS = 7;
  var NO_DATA_STYLE = { fillColor: "#bdbdbd", fillOpacity: 0.35, color: "#8a8a8a" };
  var NO_DATA_STATE = -1;

  var S = null; // the loaded state, set by setup()
  var pendingLayers = []; // place layers created by Folium before setup() ran
  var legendMap = null;
  var hooks = {};

  // --- hooks: how the viewer's modules follow the engine --------------------------------
  M.hook = function (name, fn) { (hooks[name] = hooks[name] || []).push(fn); };
  function emit(name, a, b) {
    var list = hooks[name];
    if (!list) return;
    for (var k = 0; k < list.length; k++) list[k](a, b);
  }

  // --- dates: whole days since 1970-01-01 UTC, never local time -----------------------
  var isoCache = {};  // tens of thousands of events share a few hundred days
  function isoOfDay(day) {
    var iso = isoCache[day];
    if (iso === undefined) {
      iso = isoCache[day] = new Date(day * DAY_MS).toISOString().slice(0, 10);
    }
    return iso;
  }
  function dayOfIso(text) {
    if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
    var ms = Date.parse(text + "T00:00:00Z");
    if (isNaN(ms)) return null;
    var day = Math.round(ms / DAY_MS);
    return isoOfDay(day) === text ? day : null; // rejects 2017-02-30
  }
  function upperBound(arr, value) {
    var lo = 0, hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (arr[mid] <= value) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  function lowerBound(arr, value) {
    var lo = 0, hi = arr.length;
    while (lo < hi) {
      var mid = (lo + hi) >>> 1;
      if (arr[mid] < value) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // --- small DOM helpers: text only --------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined) return;
        if (key === "text") node.textContent = value;
        else if (key === "className") node.className = value;
        else node.setAttribute(key, value);
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
  }
  function sourceLink(title, url) {
    var href = safeUrl(url);
    if (!href) return el("span", { text: title || "source" });
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer nofollow",
                     text: title || href });
  }
  M.escapeHtml = function (text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  };

  // --- fills: plain colours, and canvas patterns for contested and joint -------------
  var patternContext = null;
  function stripes(background, foreground, lineWidth) {
    patternContext = patternContext || document.createElement("canvas").getContext("2d");
    var size = 14;
    var tile = document.createElement("canvas");
    tile.width = tile.height = size;
    var ctx = tile.getContext("2d");
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = foreground;
    ctx.lineWidth = lineWidth;
    // Lines x + y = c for c = 0, size, 2*size tile seamlessly at 45 degrees.
    for (var c = 0; c <= 2 * size; c += size) {
      ctx.beginPath();
      ctx.moveTo(c + 1, -1);
      ctx.lineTo(-1, c + 1);
      ctx.stroke();
    }
    return patternContext.createPattern(tile, "repeat");
  }
  function cssFill(status, colors) {
    if (status === "contested") {
      return "repeating-linear-gradient(135deg," + colors[1] + " 0 2px," + colors[0] +
        " 2px 7px)";
    }
    if (status === "joint") {
      return "repeating-linear-gradient(135deg," + colors[0] + " 0 5px," + colors[1] +
        " 5px 10px)";
    }
    return colors[0];
  }
  function darker(hex) {
    var n = parseInt(hex.slice(1), 16);
    var r = Math.round(((n >> 16) & 255) * 0.6), g = Math.round(((n >> 8) & 255) * 0.6),
        b = Math.round((n & 255) * 0.6);
    return "#" + ((1 << 24) + (r << 16) + (g << 8) + b).toString(16).slice(1);
  }
  function styleOfState(state, factions) {
    var colors = state.factions.map(function (i) { return factions[i].color; });
    var fill = colors[0];
    if (state.status === "contested") fill = stripes(colors[0], colors[1], 3);
    if (state.status === "joint") fill = stripes(colors[0], colors[1], 10);
    var tentative = state.confidence === "claimed" || state.confidence === "disputed";
    return { fillColor: fill, fillOpacity: tentative ? 0.3 : 0.62, color: darker(colors[0]) };
  }

  // --- Folium hooks ------------------------------------------------------------------
  M.onEachPlace = function (feature, layer) {
    var i = feature.properties.i;
    if (S) registerPlace(i, layer); else pendingLayers.push([i, layer]);
  };
  M.onEachTown = function (feature, layer) {
    var name = feature.properties && feature.properties.name;
    if (!name) return;
    layer.bindTooltip(el("span", { text: String(name) }), {
      permanent: true, direction: "right", offset: [4, 0], className: "mapapp-town-label",
    });
  };
  M.legendOn = function (map) { legendMap = map; };

  function registerPlace(i, layer) {
    S.layers[i] = layer;
    // Polygons are drawn by renderer.js from S.styleOf; points by Leaflet from options.
    layer.options.placeIndex = i;
    if (layer instanceof L.Polygon) {
      layer.options.batchIndex = i;
      S.batched[i] = 1;
    }
    var derived = S.places.quality[i] === "derived";
    var isPoint = typeof layer.setRadius === "function" && !layer.getBounds;
    // The outline a place returns to when it is not highlighted by a comparison.
    S.baseLine[i] = { weight: isPoint ? 2 : (derived ? 1.6 : 1),
                      dashArray: derived ? "5 4" : null };
    var line = { weight: S.baseLine[i].weight, dashArray: S.baseLine[i].dashArray, fill: true };
    // Not yet on the map (GeoJSON calls us before adding it): plain options, no bookkeeping.
    if (layer._map) layer.setStyle(line); else L.setOptions(layer, line);
    layer.bindPopup(function () { return placePopup(i); }, popupOptions());
    // On touch-only screens a tap would open the tooltip and the popup at once.
    if (!S.noHover) layer.bindTooltip(function () { return placeLabelNode(i); }, { sticky: true });
    layer.on("popupopen", function () { S.openPlace = i; emit("popup", i); });
    layer.on("popupclose", function () { if (S.openPlace === i) S.openPlace = null; });
    restyle(i);
  }

  /* Popups stay inside the map on small screens: scrollable, and panned clear of the
   * controls in the top corners (layers, views and language, zoom, share). */
  function popupOptions() {
    var size = S.map.getSize();
    return { maxWidth: Math.min(320, size.x - 60), minWidth: Math.min(220, size.x - 80),
             maxHeight: Math.max(200, Math.round(size.y * 0.6)),
             autoPanPaddingTopLeft: L.point(10, 125), autoPanPaddingBottomRight: L.point(10, 20) };
  }

  // --- init and the engine of the slider ---------------------------------------------
  M.init = function (opts) {
    var cfgNode = document.getElementById("mapapp-config");
    var cfg = cfgNode ? JSON.parse(cfgNode.textContent) : {};
    M.ready = fetch(cfg.data_url, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("data request failed: " + r.status);
        return r.json();
      })
      .then(function (payload) { setup(opts, cfg, payload); })
      .catch(function (err) {
        var status = document.getElementById("mapapp-status");
        if (status) status.textContent = "Could not load the data: " + err.message;
        throw err;
      });
    return M.ready;
  };

  // --- the compact payload (mapapp/payload.py) back into plain arrays and GeoJSON --------
  var DEPTH = { Point: 0, MultiPoint: 1, LineString: 1, Polygon: 2, MultiLineString: 2,
                MultiPolygon: 3 };

  function decodeLine(flat, scale) {
    var out = new Array(flat.length / 2);
    var x = 0, y = 0;
    for (var k = 0; k < flat.length; k += 2) {
      x += flat[k]; y += flat[k + 1];
      out[k / 2] = [x / scale, y / scale];
    }
    return out;
  }
  function decodeCoords(coords, depth, scale) {
    if (depth === 0) return [coords[0] / scale, coords[1] / scale];
    if (depth === 1) return decodeLine(coords, scale);
    return coords.map(function (c) { return decodeCoords(c, depth - 1, scale); });
  }
  function expand(indexed) {
    return indexed.index.map(function (k) { return indexed.values[k]; });
  }

  function decodePayload(p) {
    var ids = p.places.id;
    var features = p.geometry.features.map(function (f) {
      return { type: "Feature", id: ids[f[0]], properties: { i: f[0] },
               geometry: { type: f[1], coordinates: decodeCoords(f[2], DEPTH[f[1]],
                                                                 p.geometry.scale) } };
    });
    p.geometry = { type: "FeatureCollection", features: features };
    ["kind", "quality", "geometry_source"].forEach(function (key) {
      p.places[key] = expand(p.places[key]);
    });
    var c = p.control;
    var n = c.place.length;
    var day = new Array(n), prev = new Array(n), id = new Array(n), since = new Array(n);
    var last = new Int32Array(ids.length).fill(-1);
    var hold = holdKeys(p.states);
    var d = p.first_day;  // the server's differences start from the first day
    for (var e = 0; e < n; e++) {
      d += c.day_delta[e];
      day[e] = d;
      var before = last[c.place[e]];
      prev[e] = before;
      last[c.place[e]] = e;
      id[e] = c.id[e] === 0 ? isoOfDay(d) + "-" + ids[c.place[e]] : c.id[e];
      // "Since" is when the current holder took over, as the engine says: a later report
      // that only confirms the same status and factions keeps it.
      since[e] = before >= 0 && hold[c.state[before]] === hold[c.state[e]] ? since[before] : d;
    }
    c.day = day; c.prev = prev; c.id = id; c.since = since;
    return p;
  }

  // --- event texts: chunks of them (payload.py build_detail_chunk), loaded when shown ----
  var TEXTS_RETRY_MS = 3000;

  /* The texts of event k of `kind` ("control" or "incidents"): {summary, notes,
   * source_title, source_url, source_date, id, date}, or null while its chunk has not
   * arrived. A null answer starts that chunk's request unless `peek`: what the page shows
   * is what it loads, and the "details" hook says when more has come. */
  function detail(kind, k, peek) {
    var n = Math.floor(k / S.p.details.chunk);
    var chunk = S.texts[kind][n];
    if (!chunk) {
      if (!peek) loadChunk(kind, n);
      return null;
    }
    var j = k - chunk.start;
    var src = chunk.sources[chunk.source[j]];
    var control = kind === "control";
    return { summary: chunk.summary[j], notes: chunk.notes[j], source_title: src[0],
             source_url: src[1], source_date: src[2],
             // Control events' ids and dates are in the payload; incidents bring theirs.
             id: control ? S.p.control.id[k] : chunk.id[j],
             date: control ? isoOfDay(S.ctlDay[k]) : chunk.date[j] };
  }

  /* One request per chunk: none while it is on the way or once it is in, and after a
   * failure none for a few seconds. M.detailsLoaded: some chunk has arrived and no
   * request is on the way (tests and the benchmark wait for it). */
  function loadChunk(kind, n) {
    var t = S.texts, key = kind + "-" + n;
    if (t.pending[key] || Date.now() < (t.retryAt[key] || 0)) return;
    t.pending[key] = true;
    t.inFlight += 1;
    M.detailsLoaded = false;
    fetch(S.cfg.details_url + key + ".json", { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(function (chunk) {
        if (chunk.version !== S.p.version) {
          // Texts of another data version do not fit this page's events: the data was
          // updated since the page loaded, or a server still has the old data (a retry
          // may reach one that has the page's).
          throw new Error("the data has changed, reload the page");
        }
        t[kind][n] = chunk;
      })
      .catch(function (err) {
        t.retryAt[key] = Date.now() + TEXTS_RETRY_MS;
        textsFailed(err);
      })
      .then(function () {
        delete t.pending[key];
        t.inFlight -= 1;
        try {
          if (t[kind][n]) {
            t.arrived = true;
            textsArrived(kind); // may ask for more chunks
          }
        } finally {
          M.detailsLoaded = t.arrived && t.inFlight === 0;
        }
      });
  }

  /* Said once on the status line; later accesses retry quietly, and the first chunk to
   * arrive after that clears it. */
  function textsFailed(err) {
    var status = document.getElementById("mapapp-status");
    if (S.texts.failure !== undefined || !status) return;
    S.texts.failure = status.textContent = "Could not load event texts: " + err.message;
  }

  /* What shows texts is filled in where it stands: an open popup is updated, not
   * reopened, and the panel (on the "details" hook) keeps its scroll position. */
  function textsArrived(kind) {
    var status = document.getElementById("mapapp-status");
    if (status && S.texts.failure && status.textContent === S.texts.failure) {
      status.textContent = "";
    }
    if (kind === "incidents") refreshIncidentTexts();
    refreshOpenPopup();
    emit("details", kind);
  }

  function setup(opts, cfg, p) {
    p = decodePayload(p);
    var nPlaces = p.places.id.length;
    S = {
      map: opts.map, cfg: cfg, p: p, places: p.places, factions: p.factions,
      ctlDay: Int32Array.from(p.control.day), ctlPlace: Int32Array.from(p.control.place),
      ctlState: Int32Array.from(p.control.state), ctlPrev: Int32Array.from(p.control.prev),
      cur: new Int32Array(nPlaces).fill(-1), pos: 0, day: null,
      layers: new Array(nPlaces), baseLine: new Array(nPlaces), placeIndex: {}, styles: [],
      texts: { control: [], incidents: [], pending: {}, retryAt: {}, inFlight: 0 },
      incidentsLayer: opts.incidents, openPlace: null,
      stamp: new Int32Array(nPlaces), stampValue: 0, legendKey: null, lang: "en",
      // How many places are in each state: the legend is rebuilt only when a count
      // crosses zero, so a step costs nothing here unless the set of states changes.
      stateCount: new Int32Array(p.states.length), noDataCount: nPlaces, legendDirty: true,
      cmp: null, incidentMarkers: {},
    };
    S.noHover = window.matchMedia("(hover: none)").matches;
    p.places.id.forEach(function (id, i) { S.placeIndex[id] = i; });
    S.styles = p.states.map(function (st) { return styleOfState(st, p.factions); });
    S.noDataStyle = S.styles.length;
    S.styles.push(NO_DATA_STYLE);
    setupFreshness();
    S.styleOf = new Int32Array(nPlaces).fill(S.noDataStyle);
    S.batched = new Uint8Array(nPlaces);
    S.renderer = opts.map.options.renderer; // renderer.js, set on the map by mapview.py
    S.renderer.setBatchStyles(S.styles, S.styleOf);
    S.renderer.on("keyframes", scheduleKeyframes);
    S.holdKey = holdKeys(p.states);
    S.factionIndex = {};
    p.factions.forEach(function (f, i) { S.factionIndex[f.id] = i; });
    S.incDay = Int32Array.from(p.incidents.day);

    opts.places.addData(p.geometry);
    pendingLayers.forEach(function (pair) { registerPlace(pair[0], pair[1]); });
    pendingLayers = [];

    setupLegend();
    setupCredit();
    L.control.scale({ imperial: false, position: "topleft" }).addTo(S.map);
    M.core.S = S;
    emit("setup", M.core);
    if (!S.viewSet) fitView(cfg.view);
    var start = dayOfIso(cfg.date);
    applyDay(start === null ? p.last_day : start);
    // A comparison from the URL is derived from the current state: set it after the date.
    if (S.pendingCompare !== undefined) setCompare(S.pendingCompare);
    window.addEventListener("message", onMessage);
    document.getElementById("mapapp-status").textContent = "";
    document.documentElement.setAttribute("data-mapapp-ready", "true");
  }

  /* States that differ only in confidence hold the same: a comparison ignores them. */
  function holdKeys(states) {
    var seen = {};
    return Int32Array.from(states.map(function (st) {
      var key = st.status + ":" + st.factions.join(",");
      if (!(key in seen)) seen[key] = Object.keys(seen).length;
      return seen[key];
    }));
  }

  function fitView(view, options) {
    if (view && view.bounds) {
      var b = view.bounds; // [west, south, east, north]
      S.map.fitBounds([[b[1], b[0]], [b[3], b[2]]], options);
    }
  }

  function applyDay(day) {
    var target = upperBound(S.ctlDay, day);
    var touched = [];
    var before = [];
    S.stampValue += 1;
    var e, p;
    if (target > S.pos) {
      for (e = S.pos; e < target; e++) {
        p = S.ctlPlace[e];
        if (S.stamp[p] !== S.stampValue) {
          S.stamp[p] = S.stampValue; touched.push(p); before.push(S.cur[p]);
        }
        S.cur[p] = e;
      }
    } else {
      for (e = S.pos - 1; e >= target; e--) {
        p = S.ctlPlace[e];
        if (S.stamp[p] !== S.stampValue) {
          S.stamp[p] = S.stampValue; touched.push(p); before.push(S.cur[p]);
        }
        S.cur[p] = S.ctlPrev[e];
      }
    }
    S.pos = target;
    S.day = day;
    for (var k = 0; k < touched.length; k++) {
      countState(before[k], -1);
      countState(S.cur[touched[k]], 1);
      restyle(touched[k]);
    }
    updateFreshness();
    redraw();
    renderIncidents();
    updateLegend();
    if (S.openPlace !== null &&
        (S.stamp[S.openPlace] === S.stampValue || S.cur[S.openPlace] < 0)) {
      refreshOpenPopup(); // its text depends on the date only if it changed or has no data
    }
    emit("day", touched);
    window.dispatchEvent(new CustomEvent("mapapp:datechange", { detail: { date: isoOfDay(day) } }));
  }

  function countState(e, delta) {
    if (e < 0) {
      S.noDataCount += delta;
      if (S.noDataCount === 0 || (delta > 0 && S.noDataCount === 1)) S.legendDirty = true;
      return;
    }
    var s = S.ctlState[e];
    S.stateCount[s] += delta;
    if (S.stateCount[s] === 0 || (delta > 0 && S.stateCount[s] === 1)) S.legendDirty = true;
  }

  /* A place's style after its state changed; call redraw() after. A date step only
   * writes the style's number for a polygon: renderer.js reads S.styleOf. */
  function restyle(i) {
    var e = S.cur[i];
    S.styleOf[i] = freshStyle(i, e < 0 ? S.noDataStyle : S.ctlState[e], S.day);
    if (S.cmp || !S.batched[i]) restyleLayer(i);
  }

  /* The layer's own options: a point's colours, and a comparison's outline. */
  function restyleLayer(i) {
    var layer = S.layers[i];
    if (!layer) return;
    var style = S.styles[S.styleOf[i]];
    var o = layer.options;
    var gain = S.cmp ? comparisonOutline(i) : null;
    if (!S.batched[i]) {
      o.fillColor = style.fillColor;
      o.fillOpacity = style.fillOpacity;
      o.color = gain || style.color;
    }
    var line = S.baseLine[i];
    var weight = gain ? Math.max(4, line.weight + 2.5) : line.weight;
    var dash = gain ? null : line.dashArray;
    if (o.weight !== weight || o.dashArray !== dash || (o.outline || null) !== gain) {
      // A comparison's highlight starts or ends: Leaflet recomputes bounds and dashes.
      layer.setStyle({ weight: weight, dashArray: dash, outline: gain,
                       color: gain || style.color });
    }
  }

  /* One redraw of the map in the next frame. */
  function redraw() { S.renderer.redrawAll(S.day); }

  /* Keyframes (renderer.js): whole frames at dates spread over the data, drawn while the
   * page is idle (as many per idle period as fit in it), so that a jump to any date
   * repaints only the places that differ from the nearest one. The renderer asks again
   * after a pan or zoom. */
  var whenIdle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 50); };
  function scheduleKeyframes() {
    if (S.keyframeQueued) return;
    S.keyframeQueued = true;
    whenIdle(addKeyframes);
  }
  function addKeyframes(deadline) {
    S.keyframeQueued = false;
    var cost = 0;
    do {
      var slots = S.renderer.keyframeSlots(), have = S.renderer.keyframeCount();
      var days = S.p.change_days;
      if (have >= slots || !days.length) return;
      var day = days[Math.floor((have + 0.5) * days.length / slots)];
      var started = performance.now();
      if (!S.renderer.addKeyframe(stylesAt(day), day)) return;
      cost = performance.now() - started;
    } while (deadline && deadline.timeRemaining() > cost);
    scheduleKeyframes();
  }
  function stylesAt(day) {
    var at = stateArrayAt(day), out = new Int32Array(at.length);
    for (var i = 0; i < at.length; i++) {
      out[i] = freshStyle(i, at[i] < 0 ? S.noDataStyle : S.ctlState[at[i]], day);
    }
    return out;
  }

  // --- compare: the state at a second date, kept as an array of event indexes ---------
  function holdOf(e) { return e < 0 ? NO_DATA_STATE : S.holdKey[S.ctlState[e]]; }

  /* The event index in force for every place at `day`, walked from the current state so
   * the cost is the events between the two dates, plus one copy. */
  function stateArrayAt(day) {
    var out = Int32Array.from(S.cur);
    var target = upperBound(S.ctlDay, day);
    var e;
    if (target > S.pos) {
      for (e = S.pos; e < target; e++) out[S.ctlPlace[e]] = e;
    } else {
      for (e = S.pos - 1; e >= target; e--) out[S.ctlPlace[e]] = S.ctlPrev[e];
    }
    return out;
  }

  function changedSince(i) {
    return !!S.cmp && holdOf(S.cur[i]) !== holdOf(S.cmp.cur[i]);
  }

  /* The colour of whoever holds the place at the later of the two dates: the gainer. */
  function gainerColor(i) {
    var later = S.cmp.day > S.day ? S.cmp.cur[i] : S.cur[i];
    if (later < 0) return "#555555";
    var st = S.p.states[S.ctlState[later]];
    return S.factions[st.factions[0]].color;
  }

  function comparisonOutline(i) {
    if (!S.cmp || !S.cmp.outline || !changedSince(i)) return null;
    return gainerColor(i);
  }

  function setCompare(day, outline) {
    S.cmp = day === null ? null : { day: day, cur: stateArrayAt(day), outline: outline !== false };
    for (var i = 0; i < S.cur.length; i++) restyleLayer(i);
    redraw();
    S.legendDirty = true;
    updateLegend();
    emit("compare", S.cmp);
  }

  // --- freshness: places whose latest report is old (rule and words: freshness.py) ----
  var STALE_SWATCH = "radial-gradient(circle, #fff 1.2px, transparent 1.6px) 0 0 / 5px 5px, " +
    "#9a9a9a";

  /* A stale twin of every state's style, after the other styles: its fill dotted with white
   * and paler. The style number then says whether a place is stale, so partial repaints
   * and keyframes follow staleness like any change of state. Also each place's report
   * days (control events and incidents), sorted. */
  function setupFreshness() {
    S.fresh = S.cfg.freshness || null;
    S.stale = new Uint8Array(S.places.id.length);
    S.staleCount = 0;
    if (!S.fresh) return;
    S.staleOffset = S.styles.length;
    for (var s = 0; s < S.p.states.length; s++) S.styles.push(staleStyle(S.styles[s]));
    var days = S.places.id.map(function () { return []; });
    for (var e = 0; e < S.ctlDay.length; e++) days[S.ctlPlace[e]].push(S.ctlDay[e]);
    var inc = S.p.incidents;
    for (var k = 0; k < inc.day.length; k++) {
      if (inc.place[k] >= 0) days[inc.place[k]].push(inc.day[k]);
    }
    S.reportDays = days.map(function (list) { return Int32Array.from(list).sort(); });
  }
  function staleStyle(style) {
    var size = 14, tile = document.createElement("canvas");
    tile.width = tile.height = size;  // the stripes' tile size: their pattern stays seamless
    var ctx = tile.getContext("2d");
    ctx.fillStyle = style.fillColor;
    ctx.fillRect(0, 0, size, size);
    ctx.fillStyle = "#ffffff";
    [[3.5, 3.5], [10.5, 10.5]].forEach(function (c) {
      ctx.beginPath();
      ctx.arc(c[0], c[1], 1.8, 0, 2 * Math.PI);
      ctx.fill();
    });
    return { fillColor: ctx.createPattern(tile, "repeat"), fillOpacity: style.fillOpacity * 0.7,
             color: style.color };
  }
  /* The day of the latest report about place i on or before `day`, or null. */
  function lastReport(i, day) {
    var list = S.reportDays[i], n = upperBound(list, day);
    return n ? list[n - 1] : null;
  }
  function isStale(i, day) {
    if (!S.fresh || day === null) return false;
    var last = lastReport(i, day);
    return last !== null && day - last >= S.fresh.after_days;
  }
  /* A state's style number, or its stale twin's. No data is never stale: it is no data. */
  function freshStyle(i, style, day) {
    return style < S.noDataStyle && isStale(i, day) ? S.staleOffset + style : style;
  }
  /* After a date change: the places that became stale or fresh, restyled. */
  function updateFreshness() {
    if (!S.fresh) return;
    for (var i = 0; i < S.stale.length; i++) {
      var stale = S.cur[i] >= 0 && isStale(i, S.day) ? 1 : 0;
      if (stale === S.stale[i]) continue;
      S.stale[i] = stale;
      S.staleCount += stale ? 1 : -1;
      if (S.staleCount === (stale ? 1 : 0)) S.legendDirty = true;
      restyle(i);
    }
    // "last reported N days ago" grows with the date.
    if (S.openPlace !== null && S.stale[S.openPlace]) refreshOpenPopup();
  }
  /* "last reported 3 months ago" in a `tag` node, or null when the place is not stale. */
  function staleNote(i, tag, prefix) {
    if (!S.fresh || !S.stale[i]) return null;
    var age = S.day - lastReport(i, S.day), units = S.fresh.units, text = null;
    for (var k = 0; k < units.length && text === null; k++) {
      if (units[k][2] === null || age < units[k][2]) {
        var n = Math.floor(age / units[k][1] + 0.5);
        text = n + " " + units[k][0] + (n === 1 ? "" : "s");
      }
    }
    text = S.fresh.label.replace("{age}", text);
    return el(tag, { className: "mapapp-stale", text: prefix ? prefix + text :
                     text.charAt(0).toUpperCase() + text.slice(1) });
  }

  // --- popups and tooltips -----------------------------------------------------------
  var STATUS_TEXT = { held: "Held by", contested: "Contested", joint: "Joint control",
                      "no-data": "No data" };

  function dayLabel(day) {
    var k = day - S.p.first_day;
    return k >= 0 && k < S.p.day_labels.length ? S.p.day_labels[k] : isoOfDay(day);
  }

  /* The place's name in the chosen language, as a node: Arabic is marked lang/dir. */
  function placeNameNode(i, tag, className) {
    var ar = S.lang === "ar" && S.places.name_ar[i];
    return el(tag || "span", {
      className: className, lang: ar ? "ar" : null, dir: ar ? "rtl" : null,
      text: ar ? S.places.name_ar[i] : S.places.name[i],
    });
  }
  function placeName(i) {
    return S.lang === "ar" && S.places.name_ar[i] ? S.places.name_ar[i] : S.places.name[i];
  }

  function factionNames(ids) {
    return ids.map(function (f) { return S.factions[S.factionIndex[f]].name; });
  }

  function stateText(st) {
    if (st.status === "no-data") return "no data";
    return STATUS_TEXT[st.status].toLowerCase() + ": " + factionNames(st.factions).join(" / ");
  }

  function placeLabelNode(i) {
    return el("span", null, [placeNameNode(i), " — " + stateText(M.getPlaceStateByIndex(i)),
                             staleNote(i, "span", " · ")]);
  }

  function factionList(ids) {
    return el("span", null, ids.map(function (id, k) {
      var f = S.factions[S.factionIndex[id]];
      var swatch = el("span", { className: "mapapp-swatch", "aria-hidden": "true" });
      swatch.style.background = f.color;
      return el("span", { className: "mapapp-faction" },
        [k ? " / " : null, swatch, f.name]);
    }));
  }

  /* "Held by: ISIS", with swatches, for event index e (or no data when e < 0). */
  function stateLine(e) {
    if (e < 0) return el("span", { text: "No data" });
    var st = S.p.states[S.ctlState[e]];
    var ids = st.factions.map(function (k) { return S.factions[k].id; });
    var nodes = [el("strong", { text: STATUS_TEXT[st.status] + ": " }), factionList(ids)];
    if (st.confidence !== "confirmed") {
      nodes.push(el("span", { className: "mapapp-confidence", text: " (" + st.confidence + ")" }));
    }
    return el("span", { className: "mapapp-stateline" }, nodes);
  }

  function citation(kind, k) {
    var d = detail(kind, k);
    if (!d) return el("p", { className: "mapapp-source", text: "Loading source…" });
    return el("p", { className: "mapapp-source" }, [
      "Source: ", sourceLink(d.source_title, d.source_url),
      d.source_date ? " (" + d.source_date + ")" : null,
    ]);
  }

  function placeTitle(i) {
    var nodes = [placeNameNode(i, "div", "mapapp-popup-title")];
    var other = S.lang === "ar" ? (S.places.name_ar[i] ? S.places.name[i] : null)
                                : S.places.name_ar[i];
    if (other) {
      nodes.push(S.lang === "ar"
        ? el("div", { className: "mapapp-alt-name", lang: "en", text: other })
        : el("div", { className: "mapapp-ar", lang: "ar", dir: "rtl", text: other }));
    }
    return nodes;
  }

  /* Title, state, since, the History button, then the citation; long texts folded. */
  function placePopup(i) {
    var e = S.cur[i];
    var nodes = placeTitle(i);
    if (e < 0) {
      nodes.push(el("p", { text: "No data for " + dayLabel(S.day) + ": no sourced report of " +
                          "who held this place yet." }));
    } else {
      var st = M.getPlaceStateByIndex(i);
      var confidence = S.p.states[S.ctlState[e]].confidence;
      nodes.push(el("p", { className: "mapapp-state" }, [
        el("strong", { text: STATUS_TEXT[st.status] + ": " }), factionList(st.factions),
      ]));
      var since = dayLabel(S.p.control.since[e]);
      nodes.push(el("p", { className: "mapapp-since", text: "Since " + since +
        (confidence !== "confirmed" ? " (" + confidence + ")" : "") }));
      nodes.push(staleNote(i, "p"));
    }
    nodes.push(historyButton(i));
    if (e >= 0) {
      var d = detail("control", e);
      if (d) nodes.push(el("p", { className: "mapapp-summary", text: d.summary }));
      nodes.push(citation("control", e));
      if (d && d.notes) nodes.push(more("mapapp-notes", "Note", d.notes));
    }
    var quality = S.places.quality[i];
    if (quality === "derived" || quality === "point") {
      nodes.push(more("mapapp-geometry", quality === "derived" ? "Approximate outline"
                                                               : "Location only",
                      S.places.geometry_source[i] || ""));
    }
    return el("div", { className: "mapapp-popup" }, nodes);
  }

  /* Long secondary text (notes, geometry sources) folded under a one-line summary. */
  function more(className, title, text) {
    return el("details", { className: className }, [el("summary", { text: title }),
                                                    el("p", { text: text })]);
  }

  function historyButton(i) {
    var n = placeEvents(i).length;
    if (!n) return null;
    var button = el("button", { type: "button", className: "mapapp-btn mapapp-history-btn",
                                text: "History (" + n + (n === 1 ? " event)" : " events)") });
    button.addEventListener("click", function () { emit("place", i); });
    return el("p", { className: "mapapp-popup-actions" }, [button]);
  }

  function refreshOpenPopup() {
    var layer = S.openPlace !== null ? S.layers[S.openPlace] : null;
    var popup = layer && layer.getPopup();
    // update() runs the bound content function (placePopup) again. setPopupContent(node)
    // would replace that function, and every later opening would show this moment's text.
    if (popup && popup.isOpen()) popup.update();
  }

  /* Every event at a place, oldest first: its control events (the chain of `prev` links
   * from its latest one) and its incidents. Built once per place, on first use. */
  function placeEvents(i) {
    if (!S.placeEventsCache) S.placeEventsCache = buildPlaceEvents();
    return S.placeEventsCache[i];
  }
  function buildPlaceEvents() {
    var out = S.places.id.map(function () { return []; });
    for (var e = 0; e < S.ctlDay.length; e++) {
      out[S.ctlPlace[e]].push({ kind: "control", k: e, day: S.ctlDay[e] });
    }
    var inc = S.p.incidents;
    for (var k = 0; k < inc.day.length; k++) {
      if (inc.place[k] >= 0) out[inc.place[k]].push({ kind: "incidents", k: k, day: inc.day[k] });
    }
    out.forEach(function (list) {
      list.sort(function (a, b) { return a.day - b.day || (a.kind === "control" ? -1 : 1); });
    });
    return out;
  }

  // --- incidents ---------------------------------------------------------------------
  /* The markers of the week before the date; rebuilt only when that set changes. */
  function renderIncidents() {
    var inc = S.p.incidents;
    if (!S.incidentsLayer || !inc.day.length) return;
    var lo = upperBound(S.incDay, S.day - INCIDENT_WINDOW_DAYS);
    var hi = upperBound(S.incDay, S.day);
    var key = lo + ":" + hi;
    if (key === S.incidentKey) return;
    S.incidentKey = key;
    S.incidentsLayer.clearLayers();
    S.incidentMarkers = {};
    for (var k = lo; k < hi; k++) {
      var latlng = incidentLatLng(k);
      if (!latlng) continue;
      var text = detail("incidents", k);
      var marker = L.marker(latlng, {
        // The ring is drawn at 16 px; the icon around it is the touch target.
        icon: L.divIcon({ className: "mapapp-incident",
                          iconSize: S.noHover ? [40, 40] : [22, 22] }),
        keyboard: true,
        title: text ? text.summary : "Incident",
        alt: "Incident on " + dayLabel(inc.day[k]),
      });
      marker.bindPopup(incidentPopup.bind(null, k), { maxWidth: 320 });
      S.incidentsLayer.addLayer(marker);
      S.incidentMarkers[k] = marker;
    }
  }
  function incidentLatLng(k) {
    var inc = S.p.incidents;
    if (inc.lon[k] !== null && inc.lat[k] !== null) return [inc.lat[k], inc.lon[k]];
    var place = inc.place[k];
    var anchor = place >= 0 ? S.places.anchor[place] : null;
    return anchor ? [anchor[1], anchor[0]] : null;
  }
  function incidentPopup(k) {
    var inc = S.p.incidents;
    var nodes = [el("div", { className: "mapapp-popup-title",
                             text: "Incident, " + dayLabel(inc.day[k]) })];
    if (inc.place[k] >= 0) nodes.push(placeNameNode(inc.place[k], "div"));
    if (inc.factions[k].length) {
      nodes.push(el("p", null, ["By: ", factionList(inc.factions[k].map(function (i) {
        return S.factions[i].id;
      }))]));
    }
    var d = detail("incidents", k);
    if (d) nodes.push(el("p", { text: d.summary }));
    nodes.push(citation("incidents", k));
    return el("div", { className: "mapapp-popup" }, nodes);
  }

  /* An incidents chunk arrived: the markers shown take their titles and an open incident
   * popup its text, in place (rebuilding the markers would close the popup being read). */
  function refreshIncidentTexts() {
    Object.keys(S.incidentMarkers).forEach(function (key) {
      var marker = S.incidentMarkers[key];
      var d = detail("incidents", +key, true);
      if (!d) return;
      marker.options.title = d.summary;
      var icon = marker.getElement();
      if (icon) icon.title = d.summary;
      if (marker.isPopupOpen()) marker.getPopup().update();
    });
  }

  // --- legend and credit -------------------------------------------------------------
  function setupLegend() {
    if (!legendMap) return;
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      // <details>: collapsible on phones, where it starts closed to leave the map visible.
      var box = el("details", { className: "mapapp-legend leaflet-bar", role: "region",
                                "aria-label": "Legend" });
      if (window.matchMedia("(min-width: 761px)").matches) box.open = true;
      box.appendChild(el("summary", { className: "mapapp-legend-title", text: "Legend" }));
      S.legendRows = el("div", { className: "mapapp-legend-rows" });
      box.appendChild(S.legendRows);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      S.legendBox = box;
      return box;
    };
    control.addTo(legendMap);
  }

  function swatchRow(background, label, extraClass) {
    var sw = el("span", { className: "mapapp-swatch" + (extraClass ? " " + extraClass : ""),
                          "aria-hidden": "true" });
    if (background) sw.style.background = background;
    return el("div", { className: "mapapp-legend-row" }, [sw, label]);
  }

  function updateLegend() {
    if (!S.legendBox || !S.legendDirty) return;
    S.legendDirty = false;
    var order = [];
    for (var s = 0; s < S.stateCount.length; s++) if (S.stateCount[s] > 0) order.push(s);
    var key = order.join(",") + (S.noDataCount > 0 ? "+n" : "") + (S.staleCount ? "+s" : "") +
      (S.cmp && S.cmp.outline ? "+c" + S.cmp.day : "");
    if (key === S.legendKey) return;
    S.legendKey = key;
    var rows = [];
    order.forEach(function (s) {
      var st = S.p.states[s];
      var colors = st.factions.map(function (i) { return S.factions[i].color; });
      var names = st.factions.map(function (i) { return S.factions[i].short_name ||
        S.factions[i].name; });
      var label = st.status === "held" ? names[0] :
        (st.status === "contested" ? "Contested: " + names.join(" vs ") :
          "Joint: " + names.join(" + "));
      if (st.confidence !== "confirmed") label += " (" + st.confidence + ")";
      var row = swatchRow(cssFill(st.status, colors), label);
      if (st.confidence !== "confirmed") row.firstChild.style.opacity = "0.5";
      rows.push(row);
    });
    if (S.noDataCount > 0) rows.push(swatchRow(NO_DATA_STYLE.fillColor, "No data"));
    if (S.staleCount) rows.push(swatchRow(STALE_SWATCH, S.fresh.legend));
    rows.push(swatchRow(null, "Approximate outline", "mapapp-swatch-derived"));
    rows.push(swatchRow(null, "Incident, last 7 days", "mapapp-incident-key"));
    if (S.cmp && S.cmp.outline) {
      rows.push(swatchRow(null, "Changed since " + dayLabel(S.cmp.day) +
        " (outline: new holder)", "mapapp-swatch-changed"));
    }
    S.legendRows.replaceChildren.apply(S.legendRows, rows);
  }

  function setupCredit() {
    if (!S.map.attributionControl) return;
    // Leaflet inserts attributions as HTML, so the data's credit line is escaped first.
    var credit = M.escapeHtml(S.cfg.credit || "");
    var link = '<a href="' + M.escapeHtml(S.cfg.sources_url || "#") + '">Sources</a>';
    S.map.attributionControl.setPrefix(false);
    S.map.attributionControl.addAttribution(credit + " · " + link);
  }

  // --- moving the map to a place or an event -------------------------------------------
  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  /* Fly to a place (or a lat/lng) and open its popup when the map has arrived. */
  function flyToPlace(i, latlng, openPopup) {
    var layer = i >= 0 ? S.layers[i] : null;
    var animate = !reducedMotion();
    var arrive = function () { if (openPopup) openPopup(); };
    if (layer && layer.getBounds) {
      S.map.flyToBounds(layer.getBounds(), { maxZoom: 13, animate: animate, duration: 0.8,
                                             padding: [30, 30] });
    } else if (latlng || (layer && layer.getLatLng)) {
      S.map.flyTo(latlng || layer.getLatLng(), Math.max(S.map.getZoom(), 11),
                  { animate: animate, duration: 0.8 });
    } else {
      animate = false;
    }
    // Listening only now: flyTo first ends any running animation, whose moveend is not ours.
    if (animate) S.map.once("moveend", arrive); else arrive();
  }

  function showEvent(kind, k) {
    if (kind === "control") {
      var i = S.ctlPlace[k];
      flyToPlace(i, null, function () { if (S.layers[i]) S.layers[i].openPopup(); });
    } else {
      var latlng = incidentLatLng(k);
      flyToPlace(S.p.incidents.place[k], latlng, function () {
        var marker = S.incidentMarkers[k];
        if (marker) marker.openPopup();
      });
    }
  }

  function setLang(lang) {
    S.lang = lang === "ar" ? "ar" : "en";
    refreshOpenPopup();
    emit("lang", S.lang);
  }

  // --- the public API ----------------------------------------------------------------
  function onMessage(ev) {
    var data = ev.data;
    if (data && data.type === "mapapp:setDate" && typeof data.date === "string") {
      try { M.setDate(data.date); } catch (err) { /* ignore malformed dates from embedders */ }
    }
  }
  M.getDate = function () { return S && S.day !== null ? isoOfDay(S.day) : null; };
  M.setDate = function (iso) {
    var day = dayOfIso(iso);
    if (day === null) throw new Error("not a YYYY-MM-DD date: " + iso);
    applyDay(day);
    return isoOfDay(day);
  };
  M.getPlaceStateByIndex = function (i) {
    var e = S.cur[i];
    if (e < 0) return { status: "no-data", factions: [], since: null, event: null };
    var st = S.p.states[S.ctlState[e]];
    return {
      status: st.status,
      factions: st.factions.map(function (k) { return S.factions[k].id; }),
      since: isoOfDay(S.p.control.since[e]),
      event: S.p.control.id[e],
      confidence: st.confidence,
      last_reported: S.fresh ? isoOfDay(lastReport(i, S.day)) : null,
      stale: !!(S.fresh && S.stale[i]),
    };
  };
  M.popupElement = function (id) {
    if (!S || !Object.prototype.hasOwnProperty.call(S.placeIndex, id)) return null;
    return placePopup(S.placeIndex[id]);
  };
  M.placeIds = function () { return S ? S.places.id.slice() : []; };
  /* Page coordinates of the point where a place's label and incidents are drawn. */
  M.placeScreenPoint = function (id) {
    var i = S.placeIndex[id];
    var anchor = i === undefined ? null : S.places.anchor[i];
    if (!anchor) return null;
    var pt = S.map.latLngToContainerPoint([anchor[1], anchor[0]]);
    var rect = S.map.getContainer().getBoundingClientRect();
    return [rect.left + pt.x, rect.top + pt.y];
  };
  M.getPlaceState = function (id) {
    if (!S || !Object.prototype.hasOwnProperty.call(S.placeIndex, id)) return null;
    return M.getPlaceStateByIndex(S.placeIndex[id]);
  };
  /* The second date of a comparison, or null. */
  M.getCompareDate = function () { return S && S.cmp ? isoOfDay(S.cmp.day) : null; };
  /* Places whose holder differs between the compared date and the current one. */
  M.changedPlaces = function () {
    if (!S || !S.cmp) return [];
    return S.places.id.filter(function (id, i) { return changedSince(i); });
  };

  // Helpers shared with viewer.js, panel.js and chart.js (not a public API).
  M.core = {
    S: null, el: el, isoOfDay: isoOfDay, dayOfIso: dayOfIso, upperBound: upperBound,
    lowerBound: lowerBound, factionList: factionList, dayLabel: dayLabel,
    placeName: placeName, placeNameNode: placeNameNode, placeTitle: placeTitle,
    stateLine: stateLine, citation: citation, detail: detail,
    noDataColor: NO_DATA_STYLE.fillColor,
    applyDay: applyDay, placeEvents: placeEvents, changedSince: changedSince,
    gainerColor: gainerColor, setCompare: setCompare, setLang: setLang,
    showEvent: showEvent, flyToPlace: flyToPlace, fitView: fitView, emit: emit,
  };
})();
