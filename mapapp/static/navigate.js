/* Moving the map to a place, an event or a named view. */
import { reducedMotion } from "./dom.js";

export class Navigator {
  constructor({ map, places, incidents, engine }) {
    this.map = map;
    this.places = places;
    this.incidents = incidents;
    this.engine = engine;
  }

  /* Fly to a place (or a lat/lng) and run `arrive` (open a popup) when the map is there. */
  flyToPlace(i, latlng, arrive) {
    const map = this.map;
    const layer = i >= 0 ? this.places.layers[i] : null;
    const bounds = i >= 0 ? this.places.boundsOf(i) : null;
    let animate = !reducedMotion();
    const done = () => { if (arrive) arrive(); };
    if (bounds) {
      map.flyToBounds(bounds, { maxZoom: 13, animate, duration: 0.8, padding: [30, 30] });
    } else if (latlng || (layer && layer.getLatLng)) {
      map.flyTo(latlng || layer.getLatLng(), Math.max(map.getZoom(), 11),
                { animate, duration: 0.8 });
    } else {
      animate = false;
    }
    // Listening only now: flyTo first ends any running animation, whose moveend is not ours.
    if (animate) map.once("moveend", done); else done();
  }

  /* A place and open its popup. */
  showPlace(i) {
    this.flyToPlace(i, null, () => this.places.openPopup(i));
  }

  /* The place of a control event, or where an incident happened, with its popup. */
  showEvent(kind, k) {
    if (kind === "control") {
      this.showPlace(this.engine.ctlPlace[k]);
      return;
    }
    this.flyToPlace(this.engine.p.incidents.place[k], this.incidents.latLng(k), () => {
      const marker = this.incidents.markers[k];
      if (marker) marker.openPopup();
    });
  }

  /* A named view ({bounds: [west, south, east, north]}). */
  fitView(view, options) {
    if (view && view.bounds) {
      const b = view.bounds;
      this.map.fitBounds([[b[1], b[0]], [b[3], b[2]]], options);
    }
  }
}
