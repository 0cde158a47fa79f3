/* The incidents of the days before the date (style.incident_days), as markers on the map.
 * Incidents that would be drawn closer than a touch target on screen share one marker (its
 * popup lists them), so no marker covers another; the grouping follows the zoom. */
import { upperBound } from "./days.js";
import { el } from "./dom.js";
import { tr, trn } from "./i18n.js";

export class Incidents {
  constructor({ map, layer, engine, labels, texts, popups, noHover }) {
    this.map = map;
    this.layer = layer;
    this.engine = engine;
    this.labels = labels;
    this.texts = texts;
    this.popups = popups;
    this.noHover = noHover;
    this.key = null;
    this.markers = {};
  }

  /* Where incident k is drawn: its own coordinates, else its place's anchor. */
  latLng(k) {
    const inc = this.engine.p.incidents;
    if (inc.lon[k] !== null && inc.lat[k] !== null) return [inc.lat[k], inc.lon[k]];
    const place = inc.place[k];
    const anchor = place >= 0 ? this.engine.places.anchor[place] : null;
    return anchor ? [anchor[1], anchor[0]] : null;
  }

  /* The touch target around the ring, in px: a marker's icon, and how far apart markers are. */
  get size() { return this.noHover ? 40 : 24; }

  /* The incidents [lo, hi) that have a location, in groups drawn within one target of the
   * group's first on screen. */
  groups(lo, hi) {
    const out = [], size = this.size;
    for (let k = lo; k < hi; k++) {
      const latlng = this.latLng(k);
      if (!latlng) continue;
      const pt = this.map.latLngToLayerPoint(latlng);
      const near = out.find((g) =>
        Math.abs(g.pt.x - pt.x) < size && Math.abs(g.pt.y - pt.y) < size);
      if (near) near.ks.push(k);
      else out.push({ latlng, pt, ks: [k] });
    }
    return out;
  }

  /* A marker's title: the incidents' summaries, once their texts are loaded. */
  title(ks, peek) {
    const parts = [];
    for (const k of ks) {
      const d = this.texts.detail("incidents", k, peek);
      if (d) parts.push(d.summary);
    }
    return parts.length === ks.length ? parts.join(" / ") : null;
  }

  /* The markers of the week before the date; rebuilt only when that set or the zoom changes. */
  render() {
    const en = this.engine, inc = en.p.incidents;
    if (!this.layer || !inc.day.length) return;
    const lo = upperBound(en.incDay, en.day - en.p.style.incident_days);
    const hi = upperBound(en.incDay, en.day);
    const key = lo + ":" + hi + ":" + this.map.getZoom();
    if (key === this.key) return;
    if (!this.zoomHooked) {
      this.zoomHooked = true;
      this.map.on("zoomend", () => this.render());
    }
    this.key = key;
    this.layer.clearLayers();
    this.markers = {};
    this.groupOf = new Map();
    const size = this.size;
    for (const { latlng, ks } of this.groups(lo, hi)) {
      const days = ks.map((k) => this.labels.dayLabel(inc.day[k]));
      const marker = L.marker(latlng, {
        // The ring is drawn at 16 px; the icon around it is the touch target.
        icon: L.divIcon({ className: "mapapp-incident", iconSize: [size, size] }),
        keyboard: true,
        title: this.title(ks) || trn("{n} incident", "{n} incidents", ks.length),
        alt: ks.length > 1
          ? trn("{n} incident, {from} to {to}", "{n} incidents, {from} to {to}", ks.length,
                  { from: days[0], to: days[days.length - 1] })
          : tr("Incident on {date}", { date: days[0] }),
      });
      marker.bindPopup(() => (ks.length > 1
        ? el("div", { className: "mapapp-popup-group" }, ks.map((k) => this.popups.incident(k)))
        : this.popups.incident(ks[0])), { maxWidth: 320 });
      this.layer.addLayer(marker);
      for (const k of ks) this.markers[k] = marker;
      this.groupOf.set(marker, ks);
    }
  }

  /* An incidents chunk arrived: the markers shown take their titles and an open incident
   * popup its text, in place (rebuilding the markers would close the popup being read). */
  refreshTexts() {
    for (const [marker, ks] of this.groupOf || []) {
      const title = this.title(ks, true);
      if (!title) continue;
      marker.options.title = title;
      const icon = marker.getElement();
      if (icon) icon.title = title;
      if (marker.isPopupOpen()) marker.getPopup().update();
    }
  }
}
