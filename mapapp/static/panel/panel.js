/* The side panel (a drawer on phones) with four tabs: events, place, compare, areas. */
import { emit } from "../hooks.js";
import { setupEvents } from "./events.js";
import { setupHistory } from "./history.js";
import { setupCompare } from "./compare.js";

export const TABS = ["events", "place", "compare", "areas"];

/* Tabs and drawer: which tab is shown, and whether the panel can be seen. */
export class Panel {
  constructor(app) {
    const $ = (id) => document.getElementById(id);
    this.app = app;
    this.active = "events";
    this.node = $("mapapp-panel");
    this.toggle = $("mapapp-panel-toggle");
    for (const name of TABS) this.button(name).addEventListener("click", () => this.show(name));
    // Arrow keys move between tabs (the ARIA tabs pattern); focus follows selection.
    $("mapapp-tabs").addEventListener("keydown", (e) => {
      if (e.key !== "ArrowLeft" && e.key !== "ArrowRight" && e.key !== "Home" && e.key !== "End") {
        return;
      }
      let k = TABS.indexOf(this.active);
      if (e.key === "ArrowLeft") k = (k + TABS.length - 1) % TABS.length;
      else if (e.key === "ArrowRight") k = (k + 1) % TABS.length;
      else k = e.key === "Home" ? 0 : TABS.length - 1;
      e.preventDefault();
      this.show(TABS[k]);
      this.button(TABS[k]).focus();
    });
    this.toggle.addEventListener("click", () => {
      if (this.node.classList.contains("is-open")) this.close(); else this.open();
    });
    $("mapapp-panel-close").addEventListener("click", () => { this.close(); this.toggle.focus(); });
    this.node.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && app.isPhone()) { this.close(); this.toggle.focus(); }
    });
    this.onShowEvents = null; // the event list scrolls to the date when it is shown
  }

  button(name) { return document.getElementById("mapapp-tab-" + name); }

  show(name) {
    this.active = name;
    for (const t of TABS) {
      const selected = t === name;
      const button = this.button(t);
      button.setAttribute("aria-selected", selected ? "true" : "false");
      button.tabIndex = selected ? 0 : -1;
      document.getElementById("mapapp-pane-" + t).hidden = !selected;
    }
    if (name === "events" && this.onShowEvents) this.onShowEvents();
    emit("tab", name);
  }

  open(tab) {
    if (this.app.isPhone()) this.app.map.closePopup(); // it would sit under the drawer
    this.node.classList.add("is-open");
    this.toggle.setAttribute("aria-expanded", "true");
    if (tab) this.show(tab); else emit("tab", this.active);
    if (this.active === "events" && this.onShowEvents) this.onShowEvents();
  }

  close() {
    this.node.classList.remove("is-open");
    this.toggle.setAttribute("aria-expanded", "false");
  }

  /* On a phone the drawer covers the map: close it before showing something there. */
  closeOnPhone() { if (this.app.isPhone()) this.close(); }

  visible() { return !this.app.isPhone() || this.node.classList.contains("is-open"); }

  /* The panel can be seen with `tab` shown. */
  showing(tab) { return this.visible() && this.active === tab; }
}

export function setupPanel(app) {
  const panel = new Panel(app);
  app.panel = panel;
  setupEvents(app, panel);
  setupHistory(app, panel);
  setupCompare(app, panel);
  return panel;
}
