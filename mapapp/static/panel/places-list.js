/* The panel's "Places" list: every place by name, with a filter box (the place search's
 * folding), each row a button with the place's state at the date that flies there and
 * opens its popup. The page's skip link ("Skip to place list") lands here. */
import { el, setText } from "../dom.js";
import { hook } from "../hooks.js";
import { fill } from "../strings.js";
import { _, Nn_, ngettext } from "../i18n.js";
import { placeIndex, placeRow, placeStateText } from "../finder.js";

export const PLACES_TEXT = {
  heading: _("Places"),
  filter: _("Filter places"),
  count: Nn_("{shown} of {n} place", "{shown} of {n} places"),
  none: _("No place matches."),
  more: _("{n} more: type in the filter to find them."),
};
const MAX_ROWS = 300; // a very large data set is reached through the filter

export function setupPlacesList(app, panel, opener, text = PLACES_TEXT) {
  const en = app.engine;
  const index = placeIndex(en);
  const filter = el("input", { id: "mapapp-places-filter", type: "search",
                               className: "mapapp-input", autocomplete: "off" });
  const count = el("p", { className: "mapapp-hint", "aria-live": "polite" });
  const list = el("ul", { id: "mapapp-places-list", className: "mapapp-places-list",
                          "aria-labelledby": "mapapp-places-heading" });
  const section = el("section", { id: "mapapp-places", className: "mapapp-places",
                                  "aria-labelledby": "mapapp-places-heading" }, [
    el("h2", { id: "mapapp-places-heading", className: "mapapp-pane-heading",
               text: text.heading }),
    el("label", { for: "mapapp-places-filter", className: "mapapp-field-label",
                  text: text.filter }),
    filter, count, list,
  ]);
  document.getElementById("mapapp-pane-place").appendChild(section);
  const states = new Map(); // place index → its row's state text, for the rows shown

  function byName() {
    const collator = new Intl.Collator(app.labels.lang === "ar" ? "ar" : "en");
    return en.places.id.map((_, i) => i)
      .sort((a, b) => collator.compare(app.labels.placeName(a), app.labels.placeName(b)));
  }

  function render() {
    const q = filter.value.trim();
    const all = q ? index.search(q, en.places.id.length) : byName();
    states.clear();
    const items = all.slice(0, MAX_ROWS).map((i) => {
      const row = placeRow(app, i);
      const button = el("button", { type: "button", className: "mapapp-place-button" }, [row]);
      button.addEventListener("click", () => opener.open(i));
      states.set(i, row.querySelector(".mapapp-place-state"));
      return el("li", null, [button]);
    });
    if (!items.length) items.push(el("li", { className: "mapapp-hint", text: text.none }));
    if (all.length > MAX_ROWS) {
      items.push(el("li", { className: "mapapp-hint",
                            text: fill(text.more, { n: all.length - MAX_ROWS }) }));
    }
    list.replaceChildren(...items);
    const n = en.places.id.length;
    count.textContent = fill(ngettext(text.count[0], text.count[1], n), { shown: all.length, n });
  }

  /* Only the state texts of the places the step touched, and only where they changed. */
  function restate(touched) {
    for (const i of touched) {
      const state = states.get(i);
      if (state) setText(state, placeStateText(app, i));
    }
  }

  filter.addEventListener("input", render);
  hook("day", restate);
  hook("lang", render);
  render();

  const skip = document.getElementById("mapapp-skip-places");
  if (skip) {
    skip.addEventListener("click", (e) => {
      e.preventDefault();
      panel.open("place");
      filter.focus();
    });
  }
  return { filter, list, render };
}
