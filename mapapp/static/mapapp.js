/* mapapp: the time slider and everything on the page that changes with the date.
 *
 * The payload carries the geometry once and the control events as columns sorted by
 * date. Moving the slider applies (forward) or rewinds (backward) only the events between
 * the two positions and restyles only the places they touch.
 * Every string that comes from data reaches the DOM through textContent or a DOM
 * attribute, never through innerHTML.
 */
(function () {
  "use strict";

  var M = (window.mapapp = window.mapapp || {});
  var DAY_MS = 86400000;
  var INCIDENT_WINDOW_DAYS = 7;
  var NO_DATA_STYLE = { fillColor: "#bdbdbd", fillOpacity: 0.35, color: "#8a8a8a" };

  var S = null; // the loaded state, set by setup()
  var pendingLayers = []; // place layers created by Folium before setup() ran
  var legendMap = null;

  // --- dates: whole days since 1970-01-01 UTC, never local time -----------------------
  function isoOfDay(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
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

  // --- small DOM helpers: text only --------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        if (key === "text") node.textContent = attrs[key];
        else if (key === "className") node.className = attrs[key];
        else node.setAttribute(key, attrs[key]);
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
    var derived = S.places.quality[i] === "derived";
    var isPoint = typeof layer.setRadius === "function" && !layer.getBounds;
    layer.setStyle({
      weight: isPoint ? 2 : (derived ? 1.6 : 1),
      dashArray: derived ? "5 4" : null,
      fill: true,
    });
    layer.bindPopup(function () { return placePopup(i); }, { maxWidth: 320 });
    layer.bindTooltip(function () { return el("span", { text: placeLabel(i) }); },
      { sticky: true });
    layer.on("popupopen", function () { S.openPlace = i; });
    layer.on("popupclose", function () { if (S.openPlace === i) S.openPlace = null; });
    restyle(i);
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

  function setup(opts, cfg, p) {
    var nPlaces = p.places.id.length;
    S = {
      map: opts.map, cfg: cfg, p: p, places: p.places, factions: p.factions,
      ctlDay: Int32Array.from(p.control.day), ctlPlace: Int32Array.from(p.control.place),
      ctlState: Int32Array.from(p.control.state), ctlPrev: Int32Array.from(p.control.prev),
      cur: new Int32Array(nPlaces).fill(-1), pos: 0, day: null,
      layers: new Array(nPlaces), placeIndex: {}, styles: [], details: null,
      incidentsLayer: opts.incidents, openPlace: null, stamp: new Int32Array(nPlaces),
      stampValue: 0, legendKey: null,
    };
    p.places.id.forEach(function (id, i) { S.placeIndex[id] = i; });
    S.styles = p.states.map(function (st) { return styleOfState(st, p.factions); });
    S.factionIndex = {};
    p.factions.forEach(function (f, i) { S.factionIndex[f.id] = i; });

    opts.places.addData(p.geometry);
    pendingLayers.forEach(function (pair) { registerPlace(pair[0], pair[1]); });
    pendingLayers = [];

    setupSlider();
    setupLegend();
    setupCredit();
    L.control.scale({ imperial: false, position: "topleft" }).addTo(S.map);
    fitView(cfg.view);
    var start = dayOfIso(cfg.date);
    applyDay(start === null ? p.last_day : start);
    window.addEventListener("message", onMessage);
    document.getElementById("mapapp-status").textContent = "";
    document.documentElement.setAttribute("data-mapapp-ready", "true");

    fetch(cfg.details_url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d) return;
        S.details = d;
        M.detailsLoaded = true;
        renderIncidents(true);
        if (S.openPlace !== null && S.layers[S.openPlace]) {
          S.layers[S.openPlace].setPopupContent(placePopup(S.openPlace));
        }
      });
  }

  function fitView(view) {
    if (view && view.bounds) {
      var b = view.bounds; // [west, south, east, north]
      S.map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
    }
  }

  function applyDay(day) {
    var target = upperBound(S.ctlDay, day);
    var touched = [];
    S.stampValue += 1;
    var e, p;
    if (target > S.pos) {
      for (e = S.pos; e < target; e++) {
        p = S.ctlPlace[e];
        S.cur[p] = e;
        if (S.stamp[p] !== S.stampValue) { S.stamp[p] = S.stampValue; touched.push(p); }
      }
    } else {
      for (e = S.pos - 1; e >= target; e--) {
        p = S.ctlPlace[e];
        S.cur[p] = S.ctlPrev[e];
        if (S.stamp[p] !== S.stampValue) { S.stamp[p] = S.stampValue; touched.push(p); }
      }
    }
    S.pos = target;
    S.day = day;
    for (var k = 0; k < touched.length; k++) restyle(touched[k]);
    updateDateUi();
    renderIncidents(false);
    updateLegend();
    if (S.openPlace !== null && S.layers[S.openPlace]) {
      S.layers[S.openPlace].setPopupContent(placePopup(S.openPlace));
    }
    window.dispatchEvent(new CustomEvent("mapapp:datechange", { detail: { date: isoOfDay(day) } }));
  }

  function restyle(i) {
    var layer = S.layers[i];
    if (!layer) return;
    var e = S.cur[i];
    layer.setStyle(e < 0 ? NO_DATA_STYLE : S.styles[S.ctlState[e]]);
  }

  // --- the slider UI -----------------------------------------------------------------
  function setupSlider() {
    var slider = document.getElementById("mapapp-slider");
    slider.min = S.p.first_day;
    slider.max = S.p.last_day;
    slider.disabled = false;
    slider.addEventListener("input", function () { applyDay(parseInt(slider.value, 10)); });
    var ticks = document.getElementById("mapapp-ticks");
    var span = Math.max(1, S.p.last_day - S.p.first_day);
    var frag = document.createDocumentFragment();
    S.p.change_days.forEach(function (d) {
      var tick = el("span", { className: "mapapp-tick" });
      tick.style.left = ((d - S.p.first_day) / span) * 100 + "%";
      frag.appendChild(tick);
    });
    ticks.appendChild(frag);
    var replaceTimer = null;
    window.addEventListener("mapapp:datechange", function (ev) {
      clearTimeout(replaceTimer);
      replaceTimer = setTimeout(function () {
        var url = new URL(window.location.href);
        url.searchParams.set("date", ev.detail.date);
        // replaceState: sharing the link keeps the date without flooding the history.
        window.history.replaceState(null, "", url.toString());
      }, 250);
    });
  }

  function dayLabel(day) {
    var k = day - S.p.first_day;
    return k >= 0 && k < S.p.day_labels.length ? S.p.day_labels[k] : isoOfDay(day);
  }

  function updateDateUi() {
    var slider = document.getElementById("mapapp-slider");
    var clamped = Math.min(Math.max(S.day, S.p.first_day), S.p.last_day);
    if (parseInt(slider.value, 10) !== clamped) slider.value = clamped;
    slider.setAttribute("aria-valuetext", dayLabel(S.day));
    var out = document.getElementById("mapapp-date");
    out.textContent = dayLabel(S.day);
    out.setAttribute("data-date", isoOfDay(S.day));
  }

  // --- popups and tooltips -----------------------------------------------------------
  var STATUS_TEXT = { held: "Held by", contested: "Contested", joint: "Joint control",
                      "no-data": "No data" };

  function placeLabel(i) {
    var st = M.getPlaceStateByIndex(i);
    var who = st.factions.map(function (f) { return S.factions[S.factionIndex[f]].name; });
    var text = S.places.name[i];
    if (st.status === "no-data") return text + " — no data";
    return text + " — " + STATUS_TEXT[st.status].toLowerCase() + ": " + who.join(" / ");
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

  function placePopup(i) {
    var st = M.getPlaceStateByIndex(i);
    var nodes = [el("div", { className: "mapapp-popup-title", text: S.places.name[i] })];
    if (S.places.name_ar[i]) {
      nodes.push(el("div", { className: "mapapp-ar", lang: "ar", dir: "rtl",
                             text: S.places.name_ar[i] }));
    }
    if (st.status === "no-data") {
      nodes.push(el("p", { text: "No data for " + dayLabel(S.day) + ": no sourced report of " +
                          "who held this place yet." }));
    } else {
      var e = S.cur[i];
      var state = S.p.states[S.ctlState[e]];
      nodes.push(el("p", { className: "mapapp-state" }, [
        el("strong", { text: STATUS_TEXT[st.status] + ": " }), factionList(st.factions),
      ]));
      nodes.push(el("p", { className: "mapapp-since", text: "Since " + dayLabel(S.ctlDay[e]) +
        (state.confidence !== "confirmed" ? " (" + state.confidence + ")" : "") }));
      var d = S.details;
      if (d) {
        nodes.push(el("p", { className: "mapapp-summary", text: d.control.summary[e] }));
        nodes.push(el("p", { className: "mapapp-source" }, [
          "Source: ", sourceLink(d.control.source_title[e], d.control.source_url[e]),
          d.control.source_date[e] ? " (" + d.control.source_date[e] + ")" : null,
        ]));
        if (d.control.notes[e]) {
          nodes.push(el("p", { className: "mapapp-notes", text: "Note: " + d.control.notes[e] }));
        }
      } else {
        nodes.push(el("p", { className: "mapapp-source", text: "Loading source…" }));
      }
    }
    var quality = S.places.quality[i];
    if (quality === "derived" || quality === "point") {
      nodes.push(el("p", { className: "mapapp-geometry",
        text: (quality === "derived" ? "Approximate outline: " : "Location only: ") +
          (S.places.geometry_source[i] || "") }));
    }
    return el("div", { className: "mapapp-popup" }, nodes);
  }

  // --- incidents ---------------------------------------------------------------------
  function renderIncidents(force) {
    var inc = S.p.incidents;
    if (!S.incidentsLayer || !inc.day.length) return;
    var lo = upperBound(inc.day, S.day - INCIDENT_WINDOW_DAYS);
    var hi = upperBound(inc.day, S.day);
    var key = lo + ":" + hi;
    if (!force && key === S.incidentKey) return;
    S.incidentKey = key;
    S.incidentsLayer.clearLayers();
    for (var k = lo; k < hi; k++) {
      var latlng = incidentLatLng(k);
      if (!latlng) continue;
      var marker = L.marker(latlng, {
        icon: L.divIcon({ className: "mapapp-incident", iconSize: [16, 16] }),
        keyboard: true,
        title: S.details ? S.details.incidents.summary[k] : "Incident",
        alt: "Incident on " + dayLabel(inc.day[k]),
      });
      marker.bindPopup(incidentPopup.bind(null, k), { maxWidth: 320 });
      S.incidentsLayer.addLayer(marker);
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
    if (inc.place[k] >= 0) nodes.push(el("div", { text: S.places.name[inc.place[k]] }));
    if (inc.factions[k].length) {
      nodes.push(el("p", null, ["By: ", factionList(inc.factions[k].map(function (i) {
        return S.factions[i].id;
      }))]));
    }
    var d = S.details;
    if (d) {
      nodes.push(el("p", { text: d.incidents.summary[k] }));
      nodes.push(el("p", { className: "mapapp-source" }, [
        "Source: ", sourceLink(d.incidents.source_title[k], d.incidents.source_url[k]),
      ]));
    }
    return el("div", { className: "mapapp-popup" }, nodes);
  }

  // --- legend and credit -------------------------------------------------------------
  function setupLegend() {
    if (!legendMap) return;
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = el("div", { className: "mapapp-legend leaflet-bar", role: "region",
                            "aria-label": "Legend" });
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      S.legendBox = box;
      return box;
    };
    control.addTo(legendMap);
  }

  function updateLegend() {
    if (!S.legendBox) return;
    var seen = {};
    var order = [];
    var noData = false;
    for (var i = 0; i < S.cur.length; i++) {
      var e = S.cur[i];
      if (e < 0) { noData = true; continue; }
      var s = S.ctlState[e];
      if (!seen[s]) { seen[s] = true; order.push(s); }
    }
    order.sort(function (a, b) { return a - b; });
    var key = order.join(",") + (noData ? "+n" : "");
    if (key === S.legendKey) return;
    S.legendKey = key;
    var rows = [el("div", { className: "mapapp-legend-title", text: "Control" })];
    order.forEach(function (s) {
      var st = S.p.states[s];
      var colors = st.factions.map(function (i) { return S.factions[i].color; });
      var names = st.factions.map(function (i) { return S.factions[i].short_name ||
        S.factions[i].name; });
      var label = st.status === "held" ? names[0] :
        (st.status === "contested" ? "Contested: " + names.join(" vs ") :
          "Joint: " + names.join(" + "));
      if (st.confidence !== "confirmed") label += " (" + st.confidence + ")";
      var sw = el("span", { className: "mapapp-swatch", "aria-hidden": "true" });
      sw.style.background = cssFill(st.status, colors);
      if (st.confidence !== "confirmed") sw.style.opacity = "0.5";
      rows.push(el("div", { className: "mapapp-legend-row" }, [sw, label]));
    });
    if (noData) {
      var nd = el("span", { className: "mapapp-swatch", "aria-hidden": "true" });
      nd.style.background = NO_DATA_STYLE.fillColor;
      rows.push(el("div", { className: "mapapp-legend-row" }, [nd, "No data"]));
    }
    var dashed = el("span", { className: "mapapp-swatch mapapp-swatch-derived",
                              "aria-hidden": "true" });
    rows.push(el("div", { className: "mapapp-legend-row" }, [dashed, "Approximate outline"]));
    var incident = el("span", { className: "mapapp-swatch mapapp-incident-key",
                                "aria-hidden": "true" });
    rows.push(el("div", { className: "mapapp-legend-row" }, [incident, "Incident, last 7 days"]));
    S.legendBox.replaceChildren.apply(S.legendBox, rows);
  }

  function setupCredit() {
    if (!S.map.attributionControl) return;
    // Leaflet inserts attributions as HTML, so the data's credit line is escaped first.
    var credit = M.escapeHtml(S.cfg.credit || "");
    var link = '<a href="' + M.escapeHtml(S.cfg.sources_url || "#") + '">Sources</a>';
    S.map.attributionControl.setPrefix(false);
    S.map.attributionControl.addAttribution(credit + " · " + link);
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
      since: isoOfDay(S.ctlDay[e]),
      event: S.p.control.id[e],
      confidence: st.confidence,
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
})();
