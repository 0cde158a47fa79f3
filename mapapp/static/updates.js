/* mapapp updates: tells the reader, quietly, when the map's data has been updated.
 *
 * The page keeps working on the data version it loaded: the server keeps serving that
 * version's files by their versioned URLs for a grace period. This module asks the small
 * /data/version.json (cacheable for a few seconds) every two minutes or so, with jitter so
 * that pages opened together do not ask together, and only while the page is visible.
 * Once a newer version exists it shows a polite status line with a Reload button, and
 * stops asking.
 */
(function () {
  "use strict";

  // The page's catalogue (static/i18n.js); msgids are the English text.
  function _(msgid) { var i18n = window.mapapp && window.mapapp.i18n; return i18n ? i18n._(msgid) : msgid; }

  var M = window.mapapp;
  var POLL_MS = M.updatePollMs || 120000; // a test may set window.mapapp.updatePollMs first
  var JITTER = 0.25;
  var cfg = null; // the page's config: the version it loaded and where to ask for the latest
  var timer = null;
  var notice = null;

  M.hook("setup", function () {
    var node = document.getElementById("mapapp-config");
    cfg = node ? JSON.parse(node.textContent) : {};
    if (!cfg.version_url) return;
    region();
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && !notice && timer === null) schedule();
    });
    schedule();
  });

  function schedule() {
    var delay = POLL_MS * (1 - JITTER + 2 * JITTER * Math.random());
    timer = setTimeout(poll, delay);
  }

  function poll() {
    timer = null;
    if (document.hidden) return; // asked again when the reader comes back
    // Past the browser's own cache (the interval bounds the load), not past a shared one.
    fetch(cfg.version_url, { credentials: "same-origin", cache: "no-cache" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body && typeof body.version === "string" && body.version !== cfg.version) {
          showNotice();
        }
      })
      .catch(function () { /* offline or a server restarting: ask again later */ })
      .then(function () { if (!notice) schedule(); });
  }

  /* The live region exists, empty, from the start: screen readers announce what is
   * added to it later, not a region that appears with its text. */
  function region() {
    var box = document.getElementById("mapapp-update");
    if (!box) {
      box = el("div", "mapapp-update");
      box.id = "mapapp-update";
      box.setAttribute("role", "status");
      document.body.appendChild(box);
    }
    return box;
  }

  function showNotice() {
    notice = region();
    var reload = el("button", "mapapp-update-reload", _("Reload"));
    reload.addEventListener("click", function () { window.location.reload(); });
    var close = el("button", "mapapp-update-close", "\u00d7");
    close.setAttribute("aria-label", _("Dismiss"));
    close.addEventListener("click", function () { notice.hidden = true; });
    notice.appendChild(document.createTextNode(_("This map has been updated.") + " "));
    notice.appendChild(reload);
    notice.appendChild(close);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (tag === "button") node.type = "button";
    if (text) node.textContent = text;
    return node;
  }
})();
