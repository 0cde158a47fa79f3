/* The page's public API, window.mapapp (docs/viewer.md), and the embed's postMessage. */
import { dayOfIso, isoOfDay } from "./days.js";
import { escapeHtml } from "./dom.js";

function dayOfDate(iso) {
  const day = dayOfIso(iso);
  if (day === null) throw new Error("not a YYYY-MM-DD date: " + iso);
  return day;
}

/* After the viewer, the panel and the chart are set up: the API reads their parts. */
export function installApi(M, app) {
  const { engine, freshness, places, popups } = app;
  const known = (id) => Object.prototype.hasOwnProperty.call(engine.placeIndex, id);
  M.escapeHtml = escapeHtml;
  M.getDate = () => (engine.day !== null ? isoOfDay(engine.day) : null);
  M.setDate = (iso) => {
    const day = dayOfDate(iso);
    app.applyDay(day);
    return isoOfDay(day);
  };
  /* setDate changes the map's next frame; the rest of the page (legend, panel, chart, URL,
   * popup, mapapp:datechange) follows after that frame: this resolves once it has. */
  M.whenSettled = () => app.whenSettled();
  /* The engine's state, with the day of the place's latest report and whether it is stale. */
  const stateOf = (i) => {
    const last = freshness.lastReportedDay(i);
    return { ...engine.placeState(i), last_reported: last === null ? null : isoOfDay(last),
             stale: freshness.stale[i] === 1 };
  };
  M.getPlaceStateByIndex = stateOf;
  M.getPlaceState = (id) => (known(id) ? stateOf(engine.placeIndex[id]) : null);
  M.popupElement = (id) => (known(id) ? popups.place(engine.placeIndex[id]) : null);
  M.placeIds = () => engine.places.id.slice();
  /* Page coordinates of the point where a place's label and incidents are drawn. */
  M.placeScreenPoint = (id) => {
    const i = engine.placeIndex[id];
    const anchor = i === undefined ? null : engine.places.anchor[i];
    if (!anchor) return null;
    const pt = places.map.latLngToContainerPoint([anchor[1], anchor[0]]);
    const rect = places.map.getContainer().getBoundingClientRect();
    return [rect.left + pt.x, rect.top + pt.y];
  };
  /* The second date of a comparison, or null. */
  M.getCompareDate = () => (app.comparison ? isoOfDay(app.comparison.day) : null);
  /* Places whose holder differs between the compared date and the current one. */
  M.changedPlaces = () => {
    const cmp = app.comparison;
    return cmp ? engine.places.id.filter((id, i) => cmp.changed(i)) : [];
  };
  M.getRange = () => {
    const r = app.range;
    return { mode: r.mode, from: isoOfDay(r.lo), to: isoOfDay(r.hi) };
  };
  M.isPlaying = () => app.transport.isPlaying();
  /* The map's centre and zoom, as kept in the URL's c=lat,lon,zoom. */
  M.getView = () => {
    const c = places.map.getCenter();
    return { lat: c.lat, lon: c.lng, zoom: places.map.getZoom(), view: app.toolbar.viewId || null };
  };
  /* The area chart's numbers at a date, by column id (those of /api/areas). */
  M.areasAt = (iso) => app.areasAt(dayOfDate(iso));
  // For tests and the benchmark: the map's parts, to inspect (not an API to build on).
  M.core = { S: { map: places.map, renderer: places.renderer, places, layers: places.layers,
                  texts: app.texts,
                  placeIndex: engine.placeIndex, p: engine.p } };
  window.addEventListener("message", (ev) => {
    const data = ev.data;
    if (data && data.type === "mapapp:setDate" && typeof data.date === "string") {
      try { M.setDate(data.date); } catch { /* ignore malformed dates from embedders */ }
    }
  });
}
