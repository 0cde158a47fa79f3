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
    this.markers = {}; // incident k -> the marker that shows it
    this.pool = [];
    this.shown = new Map(); // marker -> the incidents it showed at the last render
    this.groupOf = new Map();
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

  /* The markers of the week before the date, when that set or the zoom changed. Markers
   * are pooled: the same marker objects and icons are moved, retitled and shown or
   * hidden, never rebuilt, so a jump creates no DOM. */
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
    this.markers = {};
    const groups = this.groups(lo, hi);
    this.groupOf = new Map();
    groups.forEach(({ latlng, ks }, j) => {
      const marker = this.pool[j] || this.poolMarker(latlng);
      const before = this.shown.get(marker);
      if (before && marker.isPopupOpen() && before.join() !== ks.join()) marker.closePopup();
      if (!marker.getLatLng().equals(latlng)) marker.setLatLng(latlng);
      const days = ks.map((k) => this.labels.dayLabel(inc.day[k]));
      setOption(marker, "title",
                this.title(ks) || trn("{n} incident", "{n} incidents", ks.length));
      setOption(marker, "alt", ks.length > 1
        ? trn("{n} incident, {from} to {to}", "{n} incidents, {from} to {to}", ks.length,
              { from: days[0], to: days[days.length - 1] })
        : tr("Incident on {date}", { date: days[0] }));
      showMarker(marker, true);
      for (const k of ks) this.markers[k] = marker;
      this.groupOf.set(marker, ks);
    });
    for (let j = groups.length; j < this.pool.length; j++) {
      const marker = this.pool[j];
      if (marker.isPopupOpen()) marker.closePopup();
      showMarker(marker, false);
    }
    this.shown = this.groupOf;
  }

  /* A new marker for the pool, on the layer for good: its popup lists its current group. */
  poolMarker(latlng) {
    const size = this.size;
    const marker = L.marker(latlng, {
      // The ring is drawn at 16 px; the icon around it is the touch target.
      icon: L.divIcon({ className: "mapapp-incident", iconSize: [size, size] }),
      keyboard: true,
    });
    marker.bindPopup(() => {
      const ks = this.groupOf.get(marker) || [];
      return ks.length > 1
        ? el("div", { className: "mapapp-popup-group" }, ks.map((k) => this.popups.incident(k)))
        : this.popups.incident(ks[0]);
    }, { maxWidth: 320 });
    // Put back on the map (the layer switched on again), its icon is new: hidden unless
    // it shows a group.
    marker.on("add", () => showMarker(marker, this.groupOf.has(marker)));
    this.layer.addLayer(marker);
    this.pool.push(marker);
    return marker;
  }

  /* An incidents chunk arrived: the markers shown take their titles and an open incident
   * popup its text, in place (rebuilding the markers would close the popup being read). */
  refreshTexts() {
    for (const [marker, ks] of this.groupOf) {
      const title = this.title(ks, true);
      if (!title) continue;
      setOption(marker, "title", title);
      if (marker.isPopupOpen()) marker.getPopup().update();
    }
  }
}

/* A marker's title or alt text, in its options and on its icon, written only when it
 * changed. Leaflet puts the title on the icon and the alt on image icons only. */
function setOption(marker, name, value) {
  if (marker.options[name] === value) return;
  marker.options[name] = value;
  const icon = marker.getElement();
  if (icon && (name === "title" || icon.tagName === "IMG")) icon[name] = value;
}

/* A pooled marker shown or hidden without leaving its layer (leaving would drop its icon). */
function showMarker(marker, show) {
  const icon = marker.getElement();
  if (!icon || (icon.style.display === "none") === !show) return;
  icon.style.display = show ? "" : "none";
}
