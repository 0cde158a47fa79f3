/* mapapp: what Folium's inline script calls, loaded as a classic script before it.
 *
 * The page's own code is ES modules (main.js and what it imports), which run only after
 * the document is parsed, so after Folium's inline script. This file takes what that
 * script hands over (the map, its layers, each place layer as GeoJSON adds it), starts the
 * payload's request at once, and keeps the hook registry so that classic scripts can hook
 * in before the modules have loaded. main.js picks all of it up from `mapapp.folium`.
 */
(function () {
  "use strict";

  var M = (window.mapapp = window.mapapp || {});
  var hooks = {};
  var bridge = (M.folium = {
    opts: null, cfg: null, payload: null, legendMap: null,
    placeHandler: null, pendingPlaces: [],
    emit: function (name, a, b) {
      var list = hooks[name];
      if (!list) return;
      for (var k = 0; k < list.length; k++) list[k](a, b);
    },
  });

  /* How the viewer's modules, and any other script, follow the engine (docs/viewer.md). */
  M.hook = function (name, fn) { (hooks[name] = hooks[name] || []).push(fn); };

  M.ready = new Promise(function (resolve, reject) {
    bridge.resolveReady = resolve;
    bridge.rejectReady = reject;
  });

  /* Called by the TimeSlider element: fetch the payload while the modules load. */
  M.init = function (opts) {
    var node = document.getElementById("mapapp-config");
    bridge.cfg = node ? JSON.parse(node.textContent) : {};
    bridge.opts = opts;
    bridge.payload = fetch(bridge.cfg.data_url, { credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) throw new Error("data request failed: " + r.status);
        return r.json();
      });
    return M.ready;
  };

  /* GeoJSON calls this for each place layer it makes (when main.js adds the places). */
  M.onEachPlace = function (feature, layer) {
    if (bridge.placeHandler) bridge.placeHandler(feature.properties.i, layer);
    else bridge.pendingPlaces.push([feature.properties.i, layer]);
  };

  M.legendOn = function (map) { bridge.legendMap = map; };

  /* Towns of the context layer: a permanent label, its text set as text. */
  M.onEachTown = function (feature, layer) {
    var name = feature.properties && feature.properties.name;
    if (!name) return;
    var label = document.createElement("span");
    label.textContent = String(name);
    layer.bindTooltip(label, {
      permanent: true, direction: "right", offset: [4, 0], className: "mapapp-town-label",
    });
  };
})();
