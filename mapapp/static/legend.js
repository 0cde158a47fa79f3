/* The legend (a map control) and the credit line: rows for the states shown now, in the
 * payload's wording (style.legend). */
import { el, escapeHtml } from "./dom.js";
import { cssFill, fill, isTentative, legendLabel, staleCss, tentativeCss } from "./style.js";
import { _, trn } from "./i18n.js";

export class Legend {
  constructor({ map, engine, freshness, labels, style }) {
    this.engine = engine;
    this.freshness = freshness;
    this.labels = labels;
    this.style = style;
    this.key = null;
    this.rows = null;
    this.made = new Map(); // row key -> its node (row())
    this.dirty = true;
    if (map) this.addTo(map);
  }

  addTo(map) {
    const control = L.control({ position: "bottomright" });
    control.onAdd = () => {
      // <details>: collapsible on phones, where it starts closed to leave the map visible.
      const box = el("details", { className: "mapapp-legend leaflet-bar", role: "region",
                                  "aria-label": _("Legend") });
      if (window.matchMedia("(min-width: 761px)").matches) box.open = true;
      box.appendChild(el("summary", { className: "mapapp-legend-title", text: _("Legend") }));
      this.rows = el("div", { className: "mapapp-legend-rows" });
      box.appendChild(this.rows);
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    control.addTo(map);
  }

  /* Follows the set of states shown and the comparison, when either changed. */
  update(comparison) {
    const en = this.engine;
    const countsChanged = en.takeCountsChanged();
    if (!this.rows || !(this.dirty || countsChanged)) return;
    this.dirty = false;
    const shown = en.statesShown();
    const outline = comparison && comparison.outline;
    const stale = this.freshness.count > 0;
    const key = shown.states.join(",") + (shown.noData ? "+n" : "") + (stale ? "+s" : "") +
      (outline ? "+c" + comparison.day : "");
    if (key === this.key) return;
    this.key = key;
    const words = this.style.legend;
    const rows = shown.states.map((s) => this.row("s" + s, () => {
      const st = en.states[s];
      const colors = st.factions.map((i) => en.factions[i].color);
      const background = cssFill(this.style, st.status, colors);
      // Paler and hatched as on the map, the swatch's border kept at full contrast.
      return swatchRow(isTentative(this.style, st.confidence)
        ? tentativeCss(this.style, background) : background,
                       legendLabel(this.style, st, en.factions));
    }));
    if (shown.noData) {
      rows.push(this.row("n", () => swatchRow(this.style.no_data.fill, words.no_data)));
    }
    if (stale) {
      const forms = this.freshness.rule.legend, n = this.freshness.rule.after_days;
      rows.push(this.row("t", () => swatchRow(staleCss(this.style), trn(forms[0], forms[1], n))));
    }
    rows.push(this.row("d", () => swatchRow(null, words.derived_outline,
                                            "mapapp-swatch-derived")));
    rows.push(this.row("i", () => swatchRow(
      null, fill(words.incident, { days: this.style.incident_days }), "mapapp-incident-key")));
    if (outline) {
      // Made anew: its date is the comparison's, so one kept row per date would only grow.
      rows.push(swatchRow(null, fill(words.changed, { date: this.labels.dayLabel(comparison.day) }),
                          "mapapp-swatch-changed"));
    }
    placeInOrder(this.rows, rows);
  }

  /* The row of `key` (a state, or one of the fixed entries), made once: a jump that shows
   * another set of states moves, adds and removes rows, and never rebuilds the others. */
  row(key, make) {
    let node = this.made.get(key);
    if (!node) this.made.set(key, (node = make()));
    return node;
  }
}

/* `box`'s children become `nodes`, in order, with as few DOM moves as that takes: what is
 * already in place is not touched (nor laid out or painted again). */
function placeInOrder(box, nodes) {
  let at = box.firstChild;
  for (const node of nodes) {
    if (node === at) at = at.nextSibling;
    else box.insertBefore(node, at);
  }
  while (at) {
    const next = at.nextSibling;
    at.remove();
    at = next;
  }
}

function swatchRow(background, label, extraClass) {
  const sw = el("span", { className: "mapapp-swatch" + (extraClass ? " " + extraClass : ""),
                          "aria-hidden": "true" });
  if (background) sw.style.background = background;
  return el("div", { className: "mapapp-legend-row" }, [sw, label]);
}

/* The data's credit line and a link to its sources, in Leaflet's attribution. */
export function addCredit(map, cfg) {
  if (!map.attributionControl) return;
  // Leaflet inserts attributions as HTML, so the data's credit line is escaped first.
  const credit = escapeHtml(cfg.credit || "");
  const link = '<a href="' + escapeHtml(cfg.sources_url || "#") + '">' + escapeHtml(_("Sources")) +
    "</a>";
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(credit + " · " + link);
}
