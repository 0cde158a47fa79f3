/* The map toolbar: the named views (fetched from /api/views) and the EN / Arabic switch. */
import { el } from "../dom.js";

export class Toolbar {
  constructor(app, onChange) {
    this.app = app;
    this.views = null; // id -> {id, bounds}, once fetched
    this.viewId = app.cfg.view ? app.cfg.view.id : null;
    const control = L.control({ position: "topright" });
    control.onAdd = () => {
      const box = el("div", { className: "mapapp-toolbar leaflet-bar" });
      this.select = el("select", { id: "mapapp-view", className: "mapapp-select",
                                   "aria-label": "Map view", title: "Map view" });
      this.select.appendChild(el("option", { value: "", text: "Views…" }));
      this.lang = el("button", { type: "button", id: "mapapp-lang",
                                 className: "mapapp-btn mapapp-lang", "aria-pressed": "false",
                                 "aria-label": "EN عربي: place names in Arabic",
                                 title: "Place names: English / Arabic" }, [
        el("span", { lang: "en", className: "mapapp-lang-en", text: "EN" }),
        el("span", { "aria-hidden": "true", text: " / " }),
        el("span", { lang: "ar", dir: "rtl", className: "mapapp-lang-ar", text: "عربي" }),
      ]);
      box.appendChild(this.select);
      box.appendChild(this.lang);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(app.map);
    this.lang.addEventListener("click", () => {
      this.setLang(app.labels.lang === "ar" ? "en" : "ar");
      onChange.replace();
    });
    this.select.addEventListener("change", () => {
      const view = this.views && this.views[this.select.value];
      if (!view) return;
      onChange.jump(() => {
        this.viewId = this.select.value;
        app.nav.fitView(view);
      });
    });
    // The views are not in the page config: fetched once, after the map is usable.
    fetch(apiUrl(app.cfg, "views"), { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : { views: [] }))
      .then((doc) => {
        this.views = {};
        for (const v of doc.views) {
          this.views[v.id] = { id: v.id, bounds: v.bbox };
          this.select.appendChild(el("option", { value: v.id, text: v.name }));
        }
        this.select.value = this.viewId && this.views[this.viewId] ? this.viewId : "";
      });
  }

  setLang(lang) {
    this.lang.setAttribute("aria-pressed", lang === "ar" ? "true" : "false");
    this.lang.classList.toggle("is-ar", lang === "ar");
    this.app.setLang(lang);
  }

  /* Back or Forward: the view named in the URL, shown in the selector. */
  showView(id) {
    const view = id && this.views ? this.views[id] : null;
    this.viewId = id || null;
    this.select.value = view ? id : "";
    return view;
  }
}

/* API URLs next to the data URL, so a page mounted under a prefix still finds them. */
export function apiUrl(cfg, name) {
  return String(cfg.data_url).replace(/data\/[^/]+\/timeline\.json$/, "api/" + name);
}
