/* The page's shareable state in the URL: date, view, map centre/zoom (c=lat,lon,zoom),
 * compare date, range and language. Continuous moves replace the current history entry
 * (debounced), discrete jumps push one; Back and Forward restore them. */
import { dayOfIso, isoOfDay } from "../days.js";

const URL_DELAY_MS = 250;

/* c=lat,lon,zoom is read only here, in the browser: the server ignores it, and a
 * malformed value is dropped with a console warning instead of failing the page. */
export function parseCentre(text) {
  if (!text) return null;
  const parts = text.split(",");
  const ok = parts.length === 3 && parts.every((s) => /^-?\d{1,3}(\.\d+)?$/.test(s.trim()));
  const v = ok ? parts.map(Number) : null;
  if (!v || Math.abs(v[0]) > 90 || Math.abs(v[1]) > 180 || v[2] < 0 || v[2] > 22) {
    console.warn("mapapp: ignoring malformed c=" + JSON.stringify(text) +
                 " (expected c=lat,lon,zoom, e.g. c=35.33,40.14,13)");
    return null;
  }
  return { lat: v[0], lon: v[1], zoom: v[2] };
}

function optionalDay(params, name) {
  const text = params[name];
  if (!text) return null;
  const day = dayOfIso(text);
  if (day === null) console.warn("mapapp: ignoring malformed " + name + "=" + JSON.stringify(text));
  return day;
}

export function readUrl() {
  const q = new URL(window.location.href).searchParams;
  const out = {};
  for (const k of ["date", "view", "c", "cmp", "range", "lang"]) out[k] = q.get(k);
  return out;
}

export class UrlState {
  constructor(app) {
    this.app = app;
    this.timer = null;
    this.restoring = false;
    this.range = null; // set by the viewer once made
    this.toolbar = null;
  }

  /* What the page's URL from the start asks for that is set after the date: the centre
   * (applied now) and a comparison (set by main.js once the date is). */
  start(params) {
    const map = this.app.map;
    const centre = parseCentre(params.c);
    if (centre) map.setView([centre.lat, centre.lon], centre.zoom, { animate: false });
    map.on("moveend", () => this.replaceSoon());
    window.addEventListener("popstate", () => this.restore());
    return { viewSet: !!centre, compare: optionalDay(params, "cmp") };
  }

  current() {
    const app = this.app, u = new URL(window.location.href), q = u.searchParams;
    const set = (k, v) => { if (v === null || v === undefined || v === "") q.delete(k); else q.set(k, v); };
    set("date", isoOfDay(app.engine.day));
    set("view", this.toolbar.viewId);
    const centre = app.map.getCenter();
    set("c", centre.lat.toFixed(5) + "," + centre.lng.toFixed(5) + "," +
        (Math.round(app.map.getZoom() * 100) / 100));
    set("cmp", app.comparison ? isoOfDay(app.comparison.day) : null);
    set("range", this.range.mode === this.range.defaultMode ? null : this.range.mode);
    // A static site has one page per language; the server reads ?lang=.
    set("lang", app.labels.lang === "en" || app.cfg.static ? null : app.labels.lang);
    return u.toString().replace(/%2C/g, ","); // c=lat,lon,zoom stays readable
  }

  /* Continuous moves (slider, play, pan, zoom) replace the current entry, debounced. */
  replaceSoon() {
    if (this.restoring) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), URL_DELAY_MS);
  }

  flush() {
    clearTimeout(this.timer);
    this.timer = null;
    const next = this.current();
    if (next !== window.location.href) window.history.replaceState(null, "", next);
  }

  /* A discrete jump (a view, an event, a typed date) gets its own history entry, so Back
   * returns to where the user was. */
  jump(change) {
    this.flush();
    change();
    const next = this.current();
    if (next !== window.location.href) window.history.pushState(null, "", next);
  }

  restore() {
    const app = this.app, params = readUrl(), range = this.range;
    this.restoring = true;
    try {
      const day = optionalDay(params, "date");
      const mode = range.known(params.range) || range.defaultMode;
      if (mode !== range.mode) range.set(mode);
      if (day !== null && day !== app.engine.day) app.applyDay(day);
      const centre = parseCentre(params.c);
      const view = this.toolbar.showView(params.view);
      // Back and Forward restore at once, without an animation to wait for.
      if (centre) app.map.setView([centre.lat, centre.lon], centre.zoom, { animate: false });
      else if (view) app.nav.fitView(view, { animate: false });
      const cmp = optionalDay(params, "cmp");
      const current = app.comparison ? app.comparison.day : null;
      if (cmp !== current) app.setCompare(cmp, app.comparison ? app.comparison.outline : true);
      if (!app.cfg.static && (params.lang || "en") !== app.labels.lang) {
        window.location.reload(); // the interface language is the page's: load it again
      }
    } finally {
      // moveend fires after this returns; let it settle before writing the URL again.
      setTimeout(() => { this.restoring = false; }, 0);
    }
  }
}
