/* mapapp's entry module: builds the engine from the payload and wires the map, the legend,
 * the popups, the timeline, the panel and the chart together (docs/viewer.md).
 *
 * One step of the slider is App.applyDay: the engine applies or rewinds the events between
 * the two dates, the places they touched are restyled and the map is redrawn in the next
 * frame. The rest of the page (legend, open popup, panel, chart, URL, announcer, the
 * mapapp:datechange event) follows once, in a task after that frame is painted, through
 * the "day" hook with the places touched by every step since (App.settle).
 */
import { dayOfIso, isoOfDay } from "./days.js";
import { decodePayload, Engine, Comparison } from "./engine.js";
import { Freshness } from "./freshness.js";
import { afterPaint, emit } from "./hooks.js";
import { Labels } from "./labels.js";
import { Texts } from "./texts.js";
import { Popups } from "./popups.js";
import { Places } from "./places.js";
import { Incidents } from "./incidents.js";
import { Legend, addCredit } from "./legend.js";
import { Navigator } from "./navigate.js";
import { installApi } from "./api.js";
import { setupViewer } from "./viewer/viewer.js";
import { setupPanel } from "./panel/panel.js";
import { setupChart } from "./chart.js";
import { Finder, FINDER_TEXT, PlaceOpener } from "./finder.js";
import { setupPlacesList } from "./panel/places-list.js";
import { setupAnnouncer } from "./announce.js";
import { tr, translateFactions, translateLeaflet, translateStyle } from "./i18n.js";

const M = window.mapapp;
const bridge = M.folium;

/* What the modules share: each part by its job, and the three actions that change what
 * the page shows (the date, the comparison, the language). */
class App {
  constructor(opts, cfg, payload) {
    const p = decodePayload(payload);
    translateStyle(p.style);
    translateFactions(p.factions);
    const status = document.getElementById("mapapp-status");
    this.cfg = cfg;
    this.map = opts.map;
    this.engine = new Engine(p);
    this.freshness = new Freshness(this.engine, cfg.freshness);
    this.labels = new Labels(this.engine);
    this.comparison = null;
    this.texts = new Texts({
      engine: this.engine, url: cfg.details_url, status,
      onArrive: (kind) => this.textsArrived(kind),
      onLoaded: (flag) => { M.detailsLoaded = flag; },
    });
    this.popups = new Popups({ engine: this.engine, freshness: this.freshness,
                               labels: this.labels, texts: this.texts,
                               showHistory: (i) => emit("place", i) });
    this.noHover = window.matchMedia("(hover: none)").matches;
    this.places = new Places({
      map: this.map, renderer: opts.map.options.renderer, // renderer.js, set by mapview.py
      engine: this.engine, freshness: this.freshness, style: p.style, popups: this.popups,
      noHover: this.noHover,
      onPopup: (i) => emit("popup", i),
    });
    this.incidents = new Incidents({ map: this.map, layer: opts.incidents,
                                     engine: this.engine,
                                     labels: this.labels, texts: this.texts,
                                     popups: this.popups, noHover: this.noHover });
    this.legend = new Legend({ map: bridge.legendMap, engine: this.engine,
                               freshness: this.freshness, labels: this.labels, style: p.style });
    this.nav = new Navigator({ map: this.map, places: this.places, incidents: this.incidents,
                               engine: this.engine });
    // What applyDay left for after the frame: the places touched (marked once each) and
    // those whose staleness changed, since the last settle; promises of whenSettled().
    this.pending = { queued: false, mark: new Uint8Array(this.engine.places.id.length),
                     touched: [], aged: new Set(), waiters: [] };
    this.settleSoon = afterPaint(() => this.settle());
  }

  addPlaces(layer) {
    this.places.addShapes(layer);
    bridge.placeHandler = (i, placeLayer) => this.places.register(i, placeLayer);
    layer.addData(this.engine.p.geometry);
    for (const [i, placeLayer] of bridge.pendingPlaces) this.places.register(i, placeLayer);
    bridge.pendingPlaces = [];
  }

  /* Only what the map's next frame shows runs here: the engine, staleness, the styles of
   * the places that changed, the redraw request and the week's incident markers (on the
   * map, a few DOM writes: in the same frame as the places). */
  applyDay(day) {
    const touched = this.engine.applyDay(day);
    const aged = this.freshness.update(); // after the engine: staleness reads its state
    for (const i of touched) this.places.restyle(i);
    for (const i of aged.changed) this.places.restyle(i);
    if (aged.countCrossed) this.legend.dirty = true;
    this.places.redraw();
    this.incidents.render();
    const p = this.pending;
    for (const i of touched) {
      if (!p.mark[i]) { p.mark[i] = 1; p.touched.push(i); }
    }
    for (const i of aged.changed) p.aged.add(i);
    p.queued = true;
    this.settleSoon();
  }

  /* The rest of the page follows the date, once for the steps since the last settle: after
   * the map's frame is painted (afterPaint), or at once when called directly. */
  settle() {
    const p = this.pending;
    if (!p.queued) return;
    const touched = p.touched, aged = p.aged, waiters = p.waiters;
    const open = this.places.openPlace;
    // An open popup's text depends on the date only if its state changed, or while it is
    // stale ("last reported N days ago" grows with the date).
    const refresh = open !== null && (p.mark[open] === 1 || this.engine.cur[open] < 0 ||
                                      this.freshness.stale[open] === 1 || aged.has(open));
    for (const i of touched) p.mark[i] = 0;
    Object.assign(p, { queued: false, touched: [], aged: new Set(), waiters: [] });
    try {
      this.legend.update(this.comparison);
      if (refresh) this.places.refreshOpenPopup();
      emit("day", touched);
      window.dispatchEvent(new CustomEvent("mapapp:datechange",
                                           { detail: { date: isoOfDay(this.engine.day) } }));
    } finally {
      for (const resolve of waiters) resolve();
    }
  }

  /* Resolved once the page has followed the current date (docs/viewer.md). */
  whenSettled() {
    const p = this.pending;
    return p.queued ? new Promise((resolve) => p.waiters.push(resolve)) : Promise.resolve();
  }

  /* A second date (a day number), or null to end the comparison. */
  setCompare(day, outline) {
    this.comparison = day === null ? null : new Comparison(this.engine, day, outline);
    this.places.setComparison(this.comparison);
    this.legend.dirty = true;
    this.legend.update(this.comparison);
    emit("compare", this.comparison);
  }

  setLang(lang) {
    this.labels.lang = lang; // place names are Arabic or English (labels.js)
    this.places.refreshOpenPopup();
    emit("lang", this.labels.lang);
  }

  /* What shows texts is filled in where it stands: an open popup is updated, not
   * reopened, and the panel (on the "details" hook) keeps its scroll position. */
  textsArrived(kind) {
    if (kind === "incidents") this.incidents.refreshTexts();
    this.places.refreshOpenPopup();
    emit("details", kind);
  }
}

function start(payload) {
  const opts = bridge.opts, cfg = bridge.cfg;
  const app = new App(opts, cfg, payload);
  app.addPlaces(opts.places);
  addCredit(app.map, cfg);
  translateLeaflet(L.control.scale({ imperial: false, position: "topleft" }).addTo(app.map),
                   app.map);
  // The viewer first (it reads the URL), then the panel and the chart, which follow it.
  const fromUrl = setupViewer(app);
  setupPanel(app);
  setupChart(app);
  // The map is a landmark; search box and place list (docs/viewer.md, keyboard).
  app.map.getContainer().setAttribute("role", "region");
  app.map.getContainer().setAttribute("aria-label", FINDER_TEXT.map);
  const opener = new PlaceOpener(app);
  new Finder(app, opener).addTo(app.map);
  setupPlacesList(app, app.panel, opener);
  app.announcer = setupAnnouncer(app);
  installApi(M, app);
  emit("setup", M.core);
  if (!fromUrl.viewSet) app.nav.fitView(cfg.view);
  const day = dayOfIso(cfg.date);
  app.applyDay(day === null ? app.engine.p.last_day : day);
  app.settleSoon.now(); // the page is whole when it says it is ready
  // A comparison from the URL is derived from the current state: set it after the date.
  if (fromUrl.compare !== null) app.setCompare(fromUrl.compare);
  document.getElementById("mapapp-status").textContent = "";
  document.documentElement.setAttribute("data-mapapp-ready", "true");
}

if (bridge.payload) {
  bridge.payload.then(start).then(bridge.resolveReady, (err) => {
    const status = document.getElementById("mapapp-status");
    if (status) status.textContent = tr("Could not load the data: {error}", { error: err.message });
    bridge.rejectReady(err);
  });
}
