/* The incidents of the days before the date (style.incident_days), as markers on the map. */
import { upperBound } from "./days.js";

export class Incidents {
  constructor({ layer, engine, labels, texts, popups, noHover }) {
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

  /* The markers of the week before the date; rebuilt only when that set changes. */
  render() {
    const en = this.engine, inc = en.p.incidents;
    if (!this.layer || !inc.day.length) return;
    const lo = upperBound(en.incDay, en.day - en.p.style.incident_days);
    const hi = upperBound(en.incDay, en.day);
    const key = lo + ":" + hi;
    if (key === this.key) return;
    this.key = key;
    this.layer.clearLayers();
    this.markers = {};
    for (let k = lo; k < hi; k++) {
      const latlng = this.latLng(k);
      if (!latlng) continue;
      const text = this.texts.detail("incidents", k);
      const marker = L.marker(latlng, {
        // The ring is drawn at 16 px; the icon around it is the touch target.
        icon: L.divIcon({ className: "mapapp-incident",
                          iconSize: this.noHover ? [40, 40] : [22, 22] }),
        keyboard: true,
        title: text ? text.summary : "Incident",
        alt: "Incident on " + this.labels.dayLabel(inc.day[k]),
      });
      marker.bindPopup(() => this.popups.incident(k), { maxWidth: 320 });
      this.layer.addLayer(marker);
      this.markers[k] = marker;
    }
  }

  /* An incidents chunk arrived: the markers shown take their titles and an open incident
   * popup its text, in place (rebuilding the markers would close the popup being read). */
  refreshTexts() {
    for (const key of Object.keys(this.markers)) {
      const marker = this.markers[key];
      const d = this.texts.detail("incidents", +key, true);
      if (!d) continue;
      marker.options.title = d.summary;
      const icon = marker.getElement();
      if (icon) icon.title = d.summary;
      if (marker.isPopupOpen()) marker.getPopup().update();
    }
  }
}
