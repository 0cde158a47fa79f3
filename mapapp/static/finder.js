/* "Find a place": a combobox over the map (the WAI-ARIA combobox pattern with a listbox
 * popup) that lists matching places as the reader types, each with its state at the map's
 * date; Enter or a click flies to the place and opens its popup, with focus in it.
 * The folding of names is search.js's. */
import { el } from "./dom.js";
import { emit, hook } from "./hooks.js";
import { fill } from "./strings.js";
import { _, Nn_, ngettext } from "./i18n.js";
import { NameIndex } from "./search.js";

export const FINDER_TEXT = {
  map: _("Map"),
  label: _("Find a place"),
  placeholder: _("Find a place"),
  listLabel: _("Places found"),
  none: _("No place matches “{query}”."),
  found: Nn_("{n} place found.", "{n} places found."),
};
const MAX_OPTIONS = 12;

const indexes = new WeakMap();

/* The names each place is found by (English, Arabic): one index per engine, shared by the
 * search box and the places list, and built at the first search (3.5 MB at 20,000 places,
 * which most visits never use). */
export function placeIndex(engine) {
  let index = indexes.get(engine);
  if (!index) {
    let built = null;
    index = {
      search(query, limit) {
        const places = engine.places;
        built = built || new NameIndex(places.id.map((_, i) => ({
          names: [places.name[i], places.name_ar[i]] })));
        return built.search(query, limit);
      },
    };
    indexes.set(engine, index);
  }
  return index;
}

/* A row for place i: its name in the chosen language and its state at the date (the
 * element of class mapapp-place-state, its text placeStateText). */
export function placeRow(app, i, tag = "span") {
  return el(tag, { className: "mapapp-place-row" }, [
    app.labels.placeNameNode(i, "span", "mapapp-place-name"),
    el("span", { className: "mapapp-place-state", text: placeStateText(app, i) }),
  ]);
}

export function placeStateText(app, i) {
  return app.labels.stateText(app.engine.placeState(i));
}

/* Fly to place i and open its popup; focus moves into the popup when it opens. */
export class PlaceOpener {
  constructor(app) {
    this.app = app;
    this.pending = null;
    hook("popup", (i) => {
      if (this.pending !== i) return;
      this.pending = null;
      const popup = this.app.places.popupOf(i);
      const node = popup && popup.getElement();
      const box = node && node.querySelector(".mapapp-popup");
      if (box) box.focus({ preventScroll: true });
    });
  }

  open(i) {
    if (!this.app.places.isDrawn(i)) {
      // Not drawn (no known outline or point): its history in the panel is all there is.
      emit("place", i);
      const heading = document.querySelector("#mapapp-place .mapapp-popup-title");
      if (heading) { heading.tabIndex = -1; heading.focus(); }
      return;
    }
    this.pending = i;
    if (this.app.panel) this.app.panel.closeOnPhone();
    this.app.nav.showPlace(i);
  }
}

export class Finder {
  constructor(app, opener, text = FINDER_TEXT) {
    this.app = app;
    this.opener = opener;
    this.text = text;
    this.index = placeIndex(app.engine);
    this.matches = [];
    this.active = -1;
    this.input = el("input", { id: "mapapp-find", type: "text", className: "mapapp-input",
                               role: "combobox", "aria-autocomplete": "list",
                               "aria-expanded": "false", "aria-controls": "mapapp-find-list",
                               autocomplete: "off", spellcheck: "false",
                               placeholder: text.placeholder });
    this.list = el("ul", { id: "mapapp-find-list", className: "mapapp-find-list",
                           role: "listbox", "aria-label": text.listLabel });
    this.list.hidden = true;
    this.status = el("div", { className: "mapapp-visually-hidden", role: "status" });
    this.box = el("div", { className: "mapapp-find leaflet-bar", role: "search" }, [
      el("label", { for: "mapapp-find", className: "mapapp-visually-hidden", text: text.label }),
      this.input, this.list, this.status,
    ]);
    this.input.addEventListener("input", () => this.update());
    this.input.addEventListener("keydown", (e) => this.key(e));
    this.input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
    // A press on an option must not take the focus (and close the list) before the click.
    this.list.addEventListener("mousedown", (e) => e.preventDefault());
    this.list.addEventListener("click", (e) => {
      const option = e.target.closest("[role=option]");
      if (option) this.choose(parseInt(option.dataset.k, 10));
    });
    hook("day", () => { if (!this.list.hidden) this.render(); });
    hook("lang", () => { if (!this.list.hidden) this.render(); });
  }

  /* A Leaflet control, first in the top-left corner (before zoom in Tab order too). */
  addTo(map) {
    const control = L.control({ position: "topleft" });
    control.onAdd = () => this.box;
    control.addTo(map);
    L.DomEvent.disableClickPropagation(this.box);
    L.DomEvent.disableScrollPropagation(this.box);
    const corner = this.box.parentNode;
    corner.insertBefore(this.box, corner.firstChild);
  }

  update() {
    const query = this.input.value;
    this.matches = this.index.search(query, MAX_OPTIONS);
    this.active = -1;
    this.render();
    const t = this.text, n = this.matches.length;
    this.status.textContent = !query.trim() ? ""
      : fill(n === 0 ? t.none : ngettext(t.found[0], t.found[1], n), { n, query: query.trim() });
  }

  render() {
    const rows = this.matches.map((i, k) => {
      const li = el("li", { id: "mapapp-find-opt-" + k, role: "option",
                            className: "mapapp-find-option",
                            "aria-selected": k === this.active ? "true" : "false",
                            "data-k": String(k) }, [placeRow(this.app, i)]);
      return li;
    });
    this.list.replaceChildren(...rows);
    const open = rows.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (this.active >= 0 && open) {
      this.input.setAttribute("aria-activedescendant", "mapapp-find-opt-" + this.active);
      rows[this.active].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  }

  key(e) {
    const n = this.matches.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!n) { this.update(); return; }
      if (this.list.hidden) this.active = -1;
      const step = e.key === "ArrowDown" ? 1 : -1;
      this.active = this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n;
      this.render();
    } else if (e.key === "Enter") {
      if (!n || this.list.hidden) return;
      e.preventDefault();
      this.choose(this.active >= 0 ? this.active : 0);
    } else if (e.key === "Escape") {
      if (!this.list.hidden) { e.preventDefault(); this.close(); } else this.input.value = "";
    }
  }

  close() {
    this.list.hidden = true;
    this.active = -1;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  choose(k) {
    const i = this.matches[k];
    if (i === undefined) return;
    this.input.value = this.app.labels.placeName(i);
    this.close();
    this.opener.open(i);
  }
}
