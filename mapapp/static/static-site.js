/* mapapp: the page of a static site (`mapapp build-site`). No server reads its ?date= and
 * ?view= into the page config, so this does it in the browser before the map starts, with
 * the server's rules: a real YYYY-MM-DD date, a view the site knows. Anything else is left
 * out (the map opens at the latest date), as a static host cannot answer 400.
 */
(function () {
  "use strict";
  var node = document.getElementById("mapapp-config");
  if (!node) return;
  var cfg = JSON.parse(node.textContent);
  var query = new URL(window.location.href).searchParams;
  var date = query.get("date");
  if (date && /^\d{4}-\d{2}-\d{2}$/.test(date)) {
    var time = Date.parse(date + "T00:00:00Z");
    // 2001-02-30 parses as 2 March: only a date that reads back the same is real.
    if (!isNaN(time) && new Date(time).toISOString().slice(0, 10) === date) cfg.date = date;
  }
  var view = query.get("view");
  var views = (cfg.static && cfg.static.views) || {};
  if (view && Object.prototype.hasOwnProperty.call(views, view)) {
    cfg.view = { id: view, bounds: views[view] };
  }
  node.textContent = JSON.stringify(cfg);
})();
