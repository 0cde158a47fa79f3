/* mapapp viewer: the timeline's controls and the page's shareable state.
 *
 * - the slider's domain ("range"): all the data, its busy period, the last 90 days, or a
 *   window around the current date, so a few busy weeks in years of data can be scrubbed
 *   day by day;
 * - a density strip of events per bucket of days, with ticks at change dates;
 * - previous/next change, play/pause with speeds, a date input, keyboard shortcuts;
 * - the URL: date, view, map centre/zoom (c=lat,lon,zoom), compare date, range and
 *   language, replaced while the user moves and pushed for discrete jumps; back/forward
 *   restore them;
 * - a map toolbar with the named views and the EN/Arabic switch.
 * Per date step the work here is constant: a few attribute writes and a debounced URL.
 */
(function () {
  "use strict";

  var M = window.mapapp;
  var C = null; // M.core
  var S = null; // the engine's state
  var ui = {};
  var range = { mode: "all", lo: 0, hi: 0 };
  var URL_DELAY_MS = 250;
  var AROUND_DAYS = 21;
  var PHONE_QUERY = "(max-width: 760px)";

  function $(id) { return document.getElementById(id); }

  M.hook("setup", function (core) {
    C = core;
    S = core.S;
    ui = {
      slider: $("mapapp-slider"), strip: $("mapapp-strip"), date: $("mapapp-date"),
      dateInput: $("mapapp-date-input"), prev: $("mapapp-prev"), next: $("mapapp-next"),
      play: $("mapapp-play"), speed: $("mapapp-speed"), range: $("mapapp-range"),
      rangeStart: $("mapapp-range-start"), rangeEnd: $("mapapp-range-end"),
    };
    S.allDays = sortedEventDays();
    var params = readUrl();
    setupRange(params);
    setupButtons();
    setupDateInput();
    setupKeys();
    setupToolbar(params);
    setupUrl(params);
    window.addEventListener("resize", onResize);
  });

  M.hook("day", function () {
    if (S.day < range.lo || S.day > range.hi) followDay();
    updateDateUi();
    url.replaceSoon();
  });

  // --- the slider's domain -------------------------------------------------------------
  function sortedEventDays() {
    var days = Array.from(S.ctlDay).concat(S.p.incidents.day);
    days.sort(function (a, b) { return a - b; });
    return Int32Array.from(days);
  }

  /* The days of changes: incidents and every control event but a place's first, which only
   * sets where the place starts (often a report years before the period the data is about). */
  function changeDays() {
    var days = Array.from(S.p.incidents.day);
    for (var e = 0; e < S.ctlDay.length; e++) if (S.ctlPrev[e] >= 0) days.push(S.ctlDay[e]);
    days.sort(function (a, b) { return a - b; });
    return days;
  }

  /* The shortest window holding three quarters of the changes, padded a little: where
   * the data is dense. Null when that is most of the data anyway. */
  function busyWindow() {
    var days = changeDays(), n = days.length;
    var first = S.p.first_day, last = S.p.last_day;
    if (n < 8 || last - first < 120) return null;
    var want = Math.ceil(n * 0.75), best = null;
    for (var k = 0; k + want - 1 < n; k++) {
      var width = days[k + want - 1] - days[k];
      if (best === null || width < best[1] - best[0]) best = [days[k], days[k + want - 1]];
    }
    var pad = Math.max(7, Math.round((best[1] - best[0]) * 0.1));
    var lo = Math.max(first, best[0] - pad), hi = Math.min(last, best[1] + pad);
    return (hi - lo) < 0.5 * (last - first) ? [lo, hi] : null;
  }

  function domainOf(mode) {
    var first = S.p.first_day, last = S.p.last_day;
    if (mode === "busy" && S.busy) return S.busy.slice();
    if (mode === "90") return [Math.max(first, last - 89), last];
    if (mode === "around") {
      var lo = Math.max(first, S.day - AROUND_DAYS), hi = Math.min(last, lo + 2 * AROUND_DAYS);
      return [Math.max(first, hi - 2 * AROUND_DAYS), hi];
    }
    return [first, last];
  }

  function setupRange(params) {
    S.busy = busyWindow();
    var options = [["all", "All"]];
    if (S.busy) options.push(["busy", "Busy period"]);
    if (S.p.last_day - S.p.first_day > 180) options.push(["90", "Last 90 days"]);
    if (S.p.last_day - S.p.first_day > 2 * AROUND_DAYS + 14) {
      options.push(["around", "±3 weeks"]);
    }
    options.forEach(function (o) {
      ui.range.appendChild(C.el("option", { value: o[0], text: o[1] }));
    });
    var start = C.dayOfIso(S.cfg.date);
    S.day = start === null ? S.p.last_day : start; // the domain must hold the first date
    S.rangeModes = options.map(function (o) { return o[0]; });
    var mode = knownRange(params.range) || (S.busy ? "busy" : "all");
    setRange(mode, true);
    if (S.day < range.lo || S.day > range.hi) setRange("all", true);
    ui.range.disabled = options.length < 2;
    ui.range.addEventListener("change", function () {
      setRange(ui.range.value);
      url.replaceSoon();
    });
    ui.slider.addEventListener("input", function () {
      C.applyDay(parseInt(ui.slider.value, 10));
    });
    ui.slider.disabled = false;
  }

  /* A range from the URL, if it is one this data set offers. */
  function knownRange(mode) {
    return S.rangeModes.indexOf(mode) >= 0 ? mode : null;
  }

  function setRange(mode, quiet) {
    var d = domainOf(mode);
    range = { mode: mode, lo: d[0], hi: d[1] };
    S.range = range;
    ui.range.value = mode;
    ui.slider.min = range.lo;
    ui.slider.max = range.hi;
    ui.rangeStart.textContent = C.dayLabel(range.lo);
    ui.rangeEnd.textContent = C.dayLabel(range.hi);
    ui.slider.setAttribute("aria-description",
      "from " + C.dayLabel(range.lo) + " to " + C.dayLabel(range.hi));
    drawStrip();
    if (!quiet) updateDateUi();
    C.emit("range", range);
  }

  /* The date left the slider's domain (a key, a link, the API): follow it. */
  function followDay() {
    if (S.day < S.p.first_day || S.day > S.p.last_day) return; // clamped, as before
    setRange(range.mode === "around" ? "around" : "all");
  }

  M.getRange = function () {
    return { mode: range.mode, from: C.isoOfDay(range.lo), to: C.isoOfDay(range.hi) };
  };

  // --- the density strip: events per bucket, ticks at change dates ---------------------
  function drawStrip() {
    var canvas = ui.strip;
    var width = canvas.clientWidth, height = canvas.clientHeight;
    if (!width || !height) return;
    var ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    var span = Math.max(1, range.hi - range.lo);
    var x = function (day) { return (day - range.lo) / span * width; };
    // Buckets of whole days, at least 3 px wide; counts by binary search, not by scanning.
    var perBucket = Math.max(1, Math.ceil((span + 1) * 3 / width));
    var counts = [], max = 1;
    for (var d = range.lo; d <= range.hi; d += perBucket) {
      var c = C.upperBound(S.allDays, d + perBucket - 1) - C.lowerBound(S.allDays, d);
      counts.push([d, c]);
      if (c > max) max = c;
    }
    var barWidth = Math.max(2, Math.min(perBucket * width / span * 0.8, 8));
    var top = 5, room = height - top;
    ctx.fillStyle = "#5b7a99";
    counts.forEach(function (pair) {
      if (!pair[1]) return;
      var h = Math.max(2, Math.sqrt(pair[1] / max) * room); // sqrt: one event stays visible
      var cx = x(pair[0] + (perBucket - 1) / 2);
      ctx.fillRect(cx - barWidth / 2, height - h, barWidth, h);
    });
    ctx.fillStyle = "#c0392b";
    var days = S.p.change_days;
    for (var k = C.lowerBound(days, range.lo); k < days.length && days[k] <= range.hi; k++) {
      ctx.fillRect(x(days[k]) - 1, 0, 2, top - 1);
    }
  }

  var resizeQueued = false;
  function onResize() {
    if (resizeQueued) return;
    resizeQueued = true;
    requestAnimationFrame(function () {
      resizeQueued = false;
      drawStrip();
      C.emit("resize");
    });
  }

  // --- date display ----------------------------------------------------------------------
  function updateDateUi() {
    var clamped = Math.min(Math.max(S.day, range.lo), range.hi);
    if (parseInt(ui.slider.value, 10) !== clamped) ui.slider.value = clamped;
    var label = C.dayLabel(S.day);
    ui.slider.setAttribute("aria-valuetext", label);
    ui.date.textContent = label;
    ui.date.setAttribute("data-date", C.isoOfDay(S.day));
    if (document.activeElement !== ui.dateInput) ui.dateInput.value = C.isoOfDay(S.day);
    var days = S.p.change_days;
    ui.prev.disabled = !days.length || days[0] >= S.day;
    ui.next.disabled = !days.length || days[days.length - 1] <= S.day;
  }

  // --- previous / next change, play ------------------------------------------------------
  function prevChangeDay() {
    var k = C.lowerBound(S.p.change_days, S.day) - 1;
    return k >= 0 ? S.p.change_days[k] : null;
  }
  function nextChangeDay() {
    var k = C.upperBound(S.p.change_days, S.day);
    return k < S.p.change_days.length ? S.p.change_days[k] : null;
  }
  function jumpChange(dir) {
    var day = dir < 0 ? prevChangeDay() : nextChangeDay();
    if (day !== null) C.applyDay(day);
  }
  function stepDay(dir) {
    var day = Math.min(Math.max(S.day + dir, S.p.first_day), S.p.last_day);
    if (day !== S.day) C.applyDay(day);
  }

  var player = { timer: null };
  function isPlaying() { return player.timer !== null; }

  function play() {
    if (isPlaying()) return;
    // At the end of the domain, play from its start again.
    if (S.day >= range.hi) C.applyDay(range.lo);
    setPlayButton(true);
    schedule();
  }
  function pause() {
    if (!isPlaying()) return;
    clearTimeout(player.timer);
    player.timer = null;
    setPlayButton(false);
  }
  function togglePlay() { if (isPlaying()) pause(); else play(); }

  function schedule() {
    var speed = ui.speed.value;
    var delay = speed === "change" ? 1000 : 1000 / parseFloat(speed);
    player.timer = setTimeout(tick, delay);
  }
  function tick() {
    var next = ui.speed.value === "change" ? nextChangeDay() : S.day + 1;
    if (next === null || next > range.hi) {
      if (S.day < range.hi) C.applyDay(range.hi);
      pause();
      return;
    }
    C.applyDay(next);
    if (S.day >= range.hi) { pause(); return; }
    schedule();
  }
  function setPlayButton(playing) {
    ui.play.setAttribute("aria-pressed", playing ? "true" : "false");
    ui.play.setAttribute("aria-label", playing ? "Pause" : "Play");
    ui.play.title = playing ? "Pause (Space)" : "Play (Space)";
    ui.play.classList.toggle("is-playing", playing);
  }
  M.isPlaying = isPlaying;
  /* The map's centre and zoom, as kept in the URL's c=lat,lon,zoom. */
  M.getView = function () {
    var c = S.map.getCenter();
    return { lat: c.lat, lon: c.lng, zoom: S.map.getZoom(), view: S.viewId || null };
  };

  function setupButtons() {
    ui.prev.addEventListener("click", function () { jumpChange(-1); });
    ui.next.addEventListener("click", function () { jumpChange(1); });
    ui.play.addEventListener("click", togglePlay);
    [ui.prev, ui.next, ui.play, ui.speed].forEach(function (b) { b.disabled = false; });
  }

  function setupDateInput() {
    ui.dateInput.min = C.isoOfDay(S.p.first_day);
    ui.dateInput.max = C.isoOfDay(S.p.last_day);
    ui.dateInput.disabled = false;
    ui.dateInput.addEventListener("change", function () {
      var day = C.dayOfIso(ui.dateInput.value);
      if (day === null) return; // a half-typed date: wait for the rest
      url.jump(function () { C.applyDay(day); });
    });
  }

  // --- keys --------------------------------------------------------------------------
  var TEXT_INPUTS =
    /^(text|search|email|url|tel|password|number|date|month|week|time|datetime-local)$/;
  function isTextField(t) {
    if (!t || !t.tagName) return false;
    if (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT") return true;
    return t.tagName === "INPUT" && TEXT_INPUTS.test(t.type);
  }
  /* Elements that Space activates by themselves. */
  function spaceActivates(t) {
    if (!t || !t.tagName) return false;
    var role = t.getAttribute && t.getAttribute("role");
    return /^(BUTTON|A|SUMMARY)$/.test(t.tagName) || role === "button" || role === "tab" ||
      (t.tagName === "INPUT" && /^(checkbox|radio|button|submit|reset)$/.test(t.type));
  }
  /* The map keeps its arrow keys (panning) when it was reached with the keyboard; after a
   * click or tap on it, ←/→ move the date like everywhere else. */
  var mapFocus = { byPointer: false, pointerAt: 0 };
  function trackMapFocus() {
    var container = S.map.getContainer();
    document.addEventListener("pointerdown", function (e) {
      mapFocus.pointerAt = Date.now();
      if (container.contains(e.target)) mapFocus.byPointer = true;
    }, true);
    container.addEventListener("focus", function () {
      if (Date.now() - mapFocus.pointerAt > 500) mapFocus.byPointer = false; // Tab
    });
  }
  function mapHasKeyboardFocus(t) {
    return S.map.getContainer().contains(t) && !mapFocus.byPointer;
  }

  function onKey(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (document.querySelector("dialog[open]")) return; // a modal (Share) has the keys
    var t = e.target;
    if (isTextField(t)) return;
    if (e.key === " " || e.key === "Spacebar") {
      if (spaceActivates(t)) return;
      e.preventDefault();
      togglePlay();
      return;
    }
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    if (t && t.getAttribute && t.getAttribute("role") === "tab") return;
    if (mapHasKeyboardFocus(t)) return;
    var dir = e.key === "ArrowRight" ? 1 : -1;
    // On the slider a plain arrow is the browser's own one-day step, unless at an edge
    // of a zoomed domain, where we step past it and the domain follows.
    var atEdge = dir > 0 ? S.day >= range.hi : S.day <= range.lo;
    if (t === ui.slider && !e.shiftKey && !atEdge) return;
    e.preventDefault();
    e.stopPropagation(); // Leaflet would pan the map with the same key
    if (e.shiftKey) jumpChange(dir); else stepDay(dir);
  }
  function setupKeys() {
    trackMapFocus();
    document.addEventListener("keydown", onKey, true);
  }

  // --- map toolbar: named views and the language of place names ------------------------
  function setupToolbar(params) {
    var control = L.control({ position: "topright" });
    control.onAdd = function () {
      var box = C.el("div", { className: "mapapp-toolbar leaflet-bar" });
      ui.view = C.el("select", { id: "mapapp-view", className: "mapapp-select",
                                 "aria-label": "Map view", title: "Map view" });
      ui.view.appendChild(C.el("option", { value: "", text: "Views…" }));
      ui.lang = C.el("button", { type: "button", id: "mapapp-lang",
                                 className: "mapapp-btn mapapp-lang",
                                 "aria-pressed": "false",
                                 "aria-label": "Place names in Arabic",
                                 title: "Place names: English / Arabic" }, [
        C.el("span", { lang: "en", className: "mapapp-lang-en", text: "EN" }),
        C.el("span", { "aria-hidden": "true", text: " / " }),
        C.el("span", { lang: "ar", dir: "rtl", className: "mapapp-lang-ar", text: "عربي" }),
      ]);
      box.appendChild(ui.view);
      box.appendChild(ui.lang);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(S.map);
    ui.lang.addEventListener("click", function () {
      setLang(S.lang === "ar" ? "en" : "ar");
      url.replaceSoon();
    });
    if (params.lang === "ar") setLang("ar");
    ui.view.addEventListener("change", function () {
      var view = S.views && S.views[ui.view.value];
      if (!view) return;
      url.jump(function () {
        S.viewId = ui.view.value;
        C.fitView(view);
      });
    });
    S.viewId = S.cfg.view ? S.cfg.view.id : null;
    // The views are not in the page config: fetched once, after the map is usable.
    fetch(apiUrl("views"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { views: [] }; })
      .then(function (doc) {
        S.views = {};
        doc.views.forEach(function (v) {
          S.views[v.id] = { id: v.id, bounds: v.bbox };
          ui.view.appendChild(C.el("option", { value: v.id, text: v.name }));
        });
        ui.view.value = S.viewId && S.views[S.viewId] ? S.viewId : "";
      });
  }

  /* API URLs next to the data URL, so a page mounted under a prefix still finds them. */
  function apiUrl(name) {
    return String(S.cfg.data_url).replace(/data\/[^/]+\/timeline\.json$/, "api/" + name);
  }

  function setLang(lang) {
    ui.lang.setAttribute("aria-pressed", lang === "ar" ? "true" : "false");
    ui.lang.classList.toggle("is-ar", lang === "ar");
    C.setLang(lang);
  }

  // --- the URL ---------------------------------------------------------------------------
  /* c=lat,lon,zoom is read only here, in the browser: the server ignores it, and a
   * malformed value is dropped with a console warning instead of failing the page. */
  function parseCentre(text) {
    if (!text) return null;
    var parts = text.split(",");
    var ok = parts.length === 3 && parts.every(function (s) {
      return /^-?\d{1,3}(\.\d+)?$/.test(s.trim());
    });
    var v = ok ? parts.map(Number) : null;
    if (!v || Math.abs(v[0]) > 90 || Math.abs(v[1]) > 180 || v[2] < 0 || v[2] > 22) {
      console.warn("mapapp: ignoring malformed c=" + JSON.stringify(text) +
                   " (expected c=lat,lon,zoom, e.g. c=35.33,40.14,13)");
      return null;
    }
    return { lat: v[0], lon: v[1], zoom: v[2] };
  }

  function optionalDay(params, name) {
    var text = params[name];
    if (!text) return null;
    var day = C.dayOfIso(text);
    if (day === null) {
      console.warn("mapapp: ignoring malformed " + name + "=" + JSON.stringify(text));
    }
    return day;
  }

  function readUrl() {
    var q = new URL(window.location.href).searchParams;
    var out = {};
    ["date", "view", "c", "cmp", "range", "lang"].forEach(function (k) { out[k] = q.get(k); });
    return out;
  }

  function currentUrl() {
    var u = new URL(window.location.href);
    var q = u.searchParams;
    var set = function (k, v) {
      if (v === null || v === undefined || v === "") q.delete(k); else q.set(k, v);
    };
    set("date", C.isoOfDay(S.day));
    set("view", S.viewId);
    var centre = S.map.getCenter();
    set("c", centre.lat.toFixed(5) + "," + centre.lng.toFixed(5) + "," +
        (Math.round(S.map.getZoom() * 100) / 100));
    set("cmp", S.cmp ? C.isoOfDay(S.cmp.day) : null);
    set("range", range.mode === (S.busy ? "busy" : "all") ? null : range.mode);
    set("lang", S.lang === "ar" ? "ar" : null);
    return u.toString().replace(/%2C/g, ","); // c=lat,lon,zoom stays readable
  }

  var url = {
    timer: null,
    restoring: false,
    /* Continuous moves (slider, play, pan, zoom) replace the current entry, debounced. */
    replaceSoon: function () {
      if (url.restoring) return;
      clearTimeout(url.timer);
      url.timer = setTimeout(url.flush, URL_DELAY_MS);
    },
    flush: function () {
      clearTimeout(url.timer);
      url.timer = null;
      var next = currentUrl();
      if (next !== window.location.href) window.history.replaceState(null, "", next);
    },
    /* A discrete jump (a view, an event, a typed date) gets its own history entry, so
     * Back returns to where the user was. */
    jump: function (change) {
      url.flush();
      change();
      var next = currentUrl();
      if (next !== window.location.href) window.history.pushState(null, "", next);
    },
  };
  M.core.jump = function (change) { url.jump(change); };

  function setupUrl(params) {
    var centre = parseCentre(params.c);
    if (centre) {
      S.map.setView([centre.lat, centre.lon], centre.zoom, { animate: false });
      S.viewSet = true;
    }
    var cmp = optionalDay(params, "cmp");
    if (cmp !== null) S.pendingCompare = cmp; // mapapp.js sets it once the date is set
    S.map.on("moveend", function () { url.replaceSoon(); });
    window.addEventListener("popstate", restoreFromUrl);
  }

  function restoreFromUrl() {
    var params = readUrl();
    url.restoring = true;
    try {
      var day = optionalDay(params, "date");
      var mode = knownRange(params.range) || (S.busy ? "busy" : "all");
      if (mode !== range.mode) setRange(mode);
      if (day !== null && day !== S.day) C.applyDay(day);
      var centre = parseCentre(params.c);
      var view = params.view && S.views ? S.views[params.view] : null;
      S.viewId = params.view || null;
      if (ui.view) ui.view.value = view ? params.view : "";
      // Back and Forward restore at once, without an animation to wait for.
      if (centre) S.map.setView([centre.lat, centre.lon], centre.zoom, { animate: false });
      else if (view) C.fitView(view, { animate: false });
      var cmp = optionalDay(params, "cmp");
      var current = S.cmp ? S.cmp.day : null;
      if (cmp !== current) C.setCompare(cmp, S.cmp ? S.cmp.outline : true);
      if ((params.lang === "ar") !== (S.lang === "ar")) setLang(params.lang === "ar" ? "ar" : "en");
    } finally {
      // moveend fires after this returns; let it settle before writing the URL again.
      setTimeout(function () { url.restoring = false; }, 0);
    }
  }

  /* Phones show the panel as a drawer over the map; embeds (embed.css) never show it. */
  var phoneQuery = window.matchMedia(PHONE_QUERY); // live: read on every date step
  M.core.isPhone = function () {
    return phoneQuery.matches ||
      document.body.classList.contains("mapapp-embed");
  };
})();
