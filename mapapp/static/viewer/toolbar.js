/* The map toolbar: the named views (fetched from /api/views) and the EN / Arabic switch. */
import { el } from "../dom.js";
import { _ } from "../i18n.js";

export class Toolbar {
  constructor(app, onChange) {
    this.app = app;
    this.views = null; // id -> {id, bounds}, once fetched
    this.viewId = app.cfg.view ? app.cfg.view.id : null;
    const control = L.control({ position: "topright" });
    control.onAdd = () => {
      const box = el("div", { className: "mapapp-toolbar leaflet-bar" });
      this.select = el("select", { id: "mapapp-view", className: "mapapp-select",
                                   "aria-label": _("Map view"), title: _("Map view") });
      this.select.appendChild(el("option", { value: "", text: _("Views…") }));
      this.lang = el("button", { type: "button", id: "mapapp-lang",
                                 className: "mapapp-btn mapapp-lang", "aria-pressed": "false",
                                 "aria-label": _("EN عربي: interface and place names in Arabic"),
                                 title: _("Language: English / Arabic") }, [
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
    // The interface is rendered in its language (docs/i18n.md): switching loads the page
    // in the other one, at the same date, place and view.
    this.lang.addEventListener("click", () => {
      onChange.flush();
      window.location.assign(languageUrl(app.cfg, nextLanguage(app.cfg, app.labels.lang),
                                         window.location.href));
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
    this.lang.setAttribute("aria-pressed", lang !== "en" ? "true" : "false");
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

/* The language after `lang` in the page's list (English ↔ Arabic with two). */
export function nextLanguage(cfg, lang) {
  const codes = (cfg.languages || []).map((l) => l.code);
  if (codes.length < 2) return lang;
  return codes[(codes.indexOf(lang) + 1) % codes.length];
}

/* The page in `lang` at the state of `href`: its own page on a static site, else ?lang=. */
export function languageUrl(cfg, lang, href) {
  const entry = (cfg.languages || []).find((l) => l.code === lang);
  const url = new URL(href);
  if (entry && entry.page) {
    const page = new URL(entry.page, href);
    page.search = url.search;
    page.searchParams.delete("lang");
    return page.toString();
  }
  if (lang === "en") url.searchParams.delete("lang"); else url.searchParams.set("lang", lang);
  return url.toString();
}

/* API URLs next to the data URL, so a page mounted under a prefix still finds them. */
export function apiUrl(cfg, name) {
  return String(cfg.data_url).replace(/data\/[^/]+\/timeline\.json$/, "api/" + name);
}
