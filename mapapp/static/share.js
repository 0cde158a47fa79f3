/* mapapp: the Share / Export dialog of the map page.
 *
 * A button (top left, under the zoom control) opens a native <dialog> with a link to the
 * current date, embed code for an iframe, and downloads of every export at that date.
 * Everything follows the slider through the "mapapp:datechange" event. Text reaches the
 * DOM through textContent and attributes only; no libraries.
 */
(function () {
  "use strict";

  // The page's catalogue (static/i18n.js); msgids are the English text.
  function _(msgid) { var i18n = window.mapapp && window.mapapp.i18n; return i18n ? i18n._(msgid) : msgid; }
  function N_(msgid) { return msgid; } // translated where shown
  function tr(msgid, values) {
    var i18n = window.mapapp && window.mapapp.i18n;
    return i18n ? i18n.tr(msgid, values) : msgid.replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? String(values[k]) : m;
    });
  }

  var ANIMATION_DAYS = 30; // a GIF of the month up to the date stays under the frame cap

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function config() {
    var node = document.getElementById("mapapp-config");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (err) { return {}; }
  }

  function shiftDays(iso, days) {
    var d = new Date(Date.parse(iso + "T00:00:00Z") + days * 86400000);
    return d.toISOString().slice(0, 10);
  }

  // URLs relative to the page, so the app also works below a path prefix.
  function url(path, params) {
    var u = new URL(path, document.baseURI);
    Object.keys(params).forEach(function (k) {
      if (params[k] !== null && params[k] !== undefined && params[k] !== "") {
        u.searchParams.set(k, params[k]);
      }
    });
    return u.toString();
  }

  var cfg = config();
  var state = { date: cfg.date || null };
  var ui = null;
  var EARTH_RADIUS = 6378137; // Web Mercator, as Leaflet
  var MAX_LAT = 85.05112878;

  function currentDate() {
    var api = window.mapapp;
    return (api && typeof api.getDate === "function" && api.getDate()) || state.date;
  }

  // The page keeps what the viewer sees in its URL (view, c=lat,lon,zoom, lang, cmp).
  function pageState() {
    var q = new URL(window.location.href).searchParams;
    var api = window.mapapp;
    var compare = api && typeof api.getCompareDate === "function" ? api.getCompareDate() : null;
    return {
      view: q.get("view") || (cfg.view && cfg.view.id) || null,
      centre: q.get("c"),
      lang: cfg.lang && cfg.lang !== "en" ? cfg.lang : null,
      compare: compare || q.get("cmp") || null,
    };
  }

  /* The map's visible box from its centre and zoom, so an image shows what is on screen.
   * null when the URL has no centre yet (then the named view is used). */
  function visibleBbox(centre) {
    var m = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/.exec(centre || "");
    var box = document.querySelector(".leaflet-container");
    if (!m || !box || !box.clientWidth || !box.clientHeight) return null;
    var lat = +m[1], lon = +m[2], zoom = +m[3];
    var perPixel = 2 * Math.PI * EARTH_RADIUS / (256 * Math.pow(2, zoom));
    var x = EARTH_RADIUS * lon * Math.PI / 180;
    var y = EARTH_RADIUS * Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360));
    var dx = box.clientWidth / 2 * perPixel, dy = box.clientHeight / 2 * perPixel;
    function toLon(v) { return Math.max(-180, Math.min(180, v / EARTH_RADIUS * 180 / Math.PI)); }
    function toLat(v) {
      var deg = (2 * Math.atan(Math.exp(v / EARTH_RADIUS)) - Math.PI / 2) * 180 / Math.PI;
      return Math.max(-MAX_LAT, Math.min(MAX_LAT, deg));
    }
    var b = [toLon(x - dx), toLat(y - dy), toLon(x + dx), toLat(y + dy)];
    if (!(b[0] < b[2] && b[1] < b[3])) return null;
    return b.map(function (v) { return v.toFixed(5); }).join(",");
  }

  function links(date) {
    if (cfg.static) return staticLinks(date);
    var page = pageState();
    var bbox = visibleBbox(page.centre);
    var title = ui.title.value.trim() || null;
    // Images show what is on screen (bbox) when it is known, else the named view.
    var where = bbox ? { bbox: bbox } : { view: page.view };
    var image = function (extra) {
      return Object.assign({ date: date, title: title, lang: page.lang }, where, extra || {});
    };
    var since = page.compare && page.compare < date ? page.compare :
      shiftDays(date, -ANIMATION_DAYS);
    var shared = new URL(window.location.href);
    shared.searchParams.set("date", date);  // the URL is updated a moment after a move
    return {
      page: shared.toString(),
      embed: url("embed", { date: ui.pin.checked ? date : null, view: page.view,
                           lang: page.lang }),
      downloads: [
        [_("Map image"), [
          ["PNG", url("export/snapshot.png", image())],
          [_("SVG (editable)"), url("export/snapshot.svg", image())],
          [_("PDF, A4 print"), url("export/snapshot.pdf", image({ preset: "a4" }))],
          [_("Social card"), url("export/snapshot.png", image({ preset: "social" }))],
          [_("Square"), url("export/snapshot.png", image({ preset: "square" }))],
          [tr("Changes since {date}", { date: since }), url("export/snapshot.png", image({ compare: since }))],
          [_("Animation (GIF)"), url("export/animation.gif", Object.assign({
            from: shiftDays(date, -ANIMATION_DAYS), to: date, step: "change", title: title,
            lang: page.lang }, where))],
        ]],
        [_("Data at this date"), [
          ["GeoJSON", url("export/state.geojson", { date: date })],
          ["CSV", url("export/state.csv", { date: date })],
          ["GeoPackage", url("export/state.gpkg", { date: date })],
        ]],
        [_("Events up to this date"), [
          ["CSV", url("export/events.csv", { to: date })],
          ["GeoJSON", url("export/events.geojson", { to: date })],
        ]],
      ],
    };
  }

  /* A static site (mapapp build-site) has no server to render a file on demand: the
   * dialog offers the files rendered at build time, and no embed code. */
  function staticLinks(date) {
    var shared = new URL(window.location.href);
    shared.searchParams.set("date", date);
    return {
      page: shared.toString(),
      embed: null,
      downloads: cfg.static.downloads.map(function (group) {
        return [group[0], group[1].map(function (item) {
          return [item[0], new URL(item[1], document.baseURI).toString()];
        })];
      }),
    };
  }

  function embedCode(src) {
    // Built as a string for copying, never parsed as HTML here: shown via textarea.value.
    var safe = src.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
    return '<iframe src="' + safe + '" title="' + _("Territorial control map").replace(/&/g, "&amp;").replace(/"/g, "&quot;") +
      '" width="100%" ' +
      'height="520" style="border:0" loading="lazy" allowfullscreen></iframe>';
  }

  function copy(field, status) {
    var text = field.value;
    function done(ok) {
      status.textContent = ok ? _("Copied.") : _("Select the text and copy it.");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () {
        field.select();
        done(document.execCommand && document.execCommand("copy"));
      });
    } else {
      field.select();
      done(document.execCommand && document.execCommand("copy"));
    }
  }

  function copyRow(labelText, field, buttonText) {
    var status = el("span", { className: "mapapp-share-status", role: "status" });
    var button = el("button", { type: "button", className: "mapapp-share-copy",
                                text: _(buttonText) });
    button.addEventListener("click", function () { copy(field, status); });
    var id = "mapapp-share-" + labelText.toLowerCase().replace(/[^a-z]+/g, "-");
    field.id = id;
    return el("div", { className: "mapapp-share-row" }, [
      el("label", { for: id, text: _(labelText) }), field,
      el("div", { className: "mapapp-share-actions" }, [button, status]),
    ]);
  }

  function build() {
    var dialog = el("dialog", { id: "mapapp-share", className: "mapapp-share",
                                "aria-labelledby": "mapapp-share-title" });
    var title = el("h2", { id: "mapapp-share-title", text: _("Share or export") });
    var when = el("p", { className: "mapapp-share-when" });
    var titleField = el("input", { type: "text", id: "mapapp-share-title-input",
                                   maxlength: "200", placeholder: _("Title on the images") });
    titleField.addEventListener("input", function () { render(); });
    var link = el("input", { type: "text", readonly: "readonly", spellcheck: "false" });
    var code = el("textarea", { rows: "4", readonly: "readonly", spellcheck: "false" });
    var pin = el("input", { type: "checkbox", id: "mapapp-share-pin", checked: "checked" });
    var pinRow = el("div", { className: "mapapp-share-pin" }, [
      pin, el("label", { for: "mapapp-share-pin",
                         text: " " + _("Pin the embed to this date (else it shows the latest)") }),
    ]);
    var downloads = el("div", { className: "mapapp-share-downloads" });
    var close = el("button", { type: "button", className: "mapapp-share-close",
                               text: _("Close") });
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (ev) {
      if (ev.target === dialog) dialog.close(); // a click on the backdrop
    });
    pin.addEventListener("change", function () { render(); });
    dialog.appendChild(el("div", { className: "mapapp-share-body" }, [
      title, when,
      copyRow(N_("Link"), link, N_("Copy link")),
      copyRow(N_("Embed code"), code, N_("Copy embed code")),
      pinRow,
      el("h3", { text: _("Download") }),
      el("div", { className: "mapapp-share-row" }, [
        el("label", { for: "mapapp-share-title-input", text: _("Title (optional)") }), titleField,
      ]),
      downloads,
      el("p", { className: "mapapp-share-note",
                text: _("Images and data carry the credit line and the sources; please keep " +
                        "them when you publish.") }),
      el("div", { className: "mapapp-share-footer" }, [close]),
    ]));
    document.body.appendChild(dialog);
    return { dialog: dialog, when: when, link: link, code: code, pin: pin,
             title: titleField, downloads: downloads };
  }

  function render() {
    if (!ui) return;
    var date = currentDate();
    if (!date) return;
    var all = links(date);
    var label = document.getElementById("mapapp-date");
    var page = pageState();
    var on = (label && label.textContent) || date;
    ui.when.textContent = page.view ? tr("Map on {date} · view: {view}", { date: on, view: page.view })
      : tr("Map on {date}", { date: on });
    ui.link.value = all.page;
    ui.code.value = all.embed ? embedCode(all.embed) : "";
    [ui.code, ui.pin, ui.title].forEach(function (field) {
      field.parentNode.hidden = !all.embed; // no server: no embed, no custom images
    });
    var groups = all.downloads.map(function (group) {
      var items = group[1].map(function (item) {
        var a = el("a", { href: item[1], download: "", className: "mapapp-share-download",
                          text: item[0] });
        return el("li", null, [a]);
      });
      return el("div", { className: "mapapp-share-group" }, [
        el("h4", { text: group[0] }), el("ul", null, items),
      ]);
    });
    ui.downloads.replaceChildren.apply(ui.downloads, groups);
  }

  // Under whatever Leaflet stacks top left (zoom, scale), wherever the page's CSS puts it.
  function placeBelowMapControls(button) {
    var corner = document.querySelector(".leaflet-top.leaflet-left");
    if (!corner) return;
    var bottom = 0;
    Array.prototype.forEach.call(corner.children, function (child) {
      bottom = Math.max(bottom, child.getBoundingClientRect().bottom);
    });
    if (bottom > 0) button.style.top = Math.round(bottom + 10) + "px";
  }

  function setup() {
    var button = el("button", { type: "button", className: "mapapp-share-button",
                                "aria-label": _("Share or export"), "aria-haspopup": "dialog",
                                title: _("Share or export") },
                    [el("span", { "aria-hidden": "true", text: _("Share") })]);
    document.body.appendChild(button);
    // Leaflet adds some controls late (the scale bar): place again once the map is ready.
    var place = function () { placeBelowMapControls(button); };
    place();
    window.addEventListener("resize", place);
    window.addEventListener("load", place);
    ui = build();
    button.addEventListener("click", function () {
      render();
      ui.dialog.showModal();
    });
    var placed = false;
    window.addEventListener("mapapp:datechange", function (ev) {
      state.date = ev.detail && ev.detail.date;
      // Measuring forces a layout: do it once the map is ready, not on every slider step.
      if (!placed) { place(); placed = true; }
      if (ui.dialog.open) render();  // a closed dialog is rebuilt when it opens
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
