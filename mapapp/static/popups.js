/* The contents of place and incident popups, and of place tooltips. */
import { el, sourceLink } from "./dom.js";
import { _, tr, trn } from "./i18n.js";

export class Popups {
  /* `showHistory(i)`: the History button of a place's popup was chosen. */
  constructor({ engine, freshness, labels, texts, showHistory }) {
    this.engine = engine;
    this.freshness = freshness;
    this.labels = labels;
    this.texts = texts;
    this.showHistory = showHistory;
  }

  /* "Source: <title> (date)", or "Loading source…" while its chunk is on the way. */
  citation(kind, k) {
    const d = this.texts.detail(kind, k);
    if (!d) return el("p", { className: "mapapp-source", text: _("Loading source…") });
    return el("p", { className: "mapapp-source" }, [
      _("Source: "), sourceLink(d.source_title, d.source_url),
      d.source_date ? " (" + d.source_date + ")" : null,
    ]);
  }

  /* Title, state, since, the History button, then the citation; long texts folded. */
  place(i) {
    const { engine, labels } = this;
    const e = engine.cur[i];
    const nodes = labels.placeTitle(i);
    nodes[0].id = "mapapp-popup-heading"; // the popup is a region named by its heading
    if (e < 0) {
      nodes.push(el("p", { text: tr("No data for {date}: no sourced report of who held " +
                                      "this place yet.", { date: labels.dayLabel(engine.day) }) }));
    } else {
      const st = engine.placeState(i);
      nodes.push(el("p", { className: "mapapp-state" }, [
        el("strong", { text: tr("{status}: ", { status: labels.statusText(st.status) }) }),
        labels.factionList(st.factions),
      ]));
      const since = labels.dayLabel(engine.p.control.since[e]);
      nodes.push(el("p", { className: "mapapp-since", text: tr("Since {date}", { date: since }) +
        labels.tentative(st.confidence) }));
      const stale = this.freshness.note(i);
      if (stale) {
        nodes.push(el("p", { className: "mapapp-stale",
                             text: stale.charAt(0).toUpperCase() + stale.slice(1) }));
      }
    }
    nodes.push(this.historyButton(i));
    if (e >= 0) {
      const d = this.texts.detail("control", e);
      if (d) nodes.push(el("p", { className: "mapapp-summary", text: d.summary }));
      nodes.push(this.citation("control", e));
      if (d && d.notes) nodes.push(more("mapapp-notes", _("Note"), d.notes));
    }
    const quality = engine.places.quality[i];
    if (quality === "derived" || quality === "point") {
      nodes.push(more("mapapp-geometry", quality === "derived" ? _("Approximate outline")
                                                               : _("Location only"),
                      engine.places.geometry_source[i] || ""));
    }
    return el("section", { className: "mapapp-popup", tabindex: "-1",
                           "aria-labelledby": "mapapp-popup-heading" }, nodes);
  }

  historyButton(i) {
    const n = this.engine.placeEvents(i).length;
    if (!n) return null;
    const button = el("button", { type: "button", className: "mapapp-btn mapapp-history-btn",
                                  text: trn("History ({n} event)", "History ({n} events)", n) });
    button.addEventListener("click", () => this.showHistory(i));
    return el("p", { className: "mapapp-popup-actions" }, [button]);
  }

  /* A place's tooltip: "Kanamat — held by: Syrian government", and when the place is
   * stale " · last reported 45 days ago". */
  tooltip(i) {
    const stale = this.freshness.note(i);
    return el("span", null, [this.labels.placeNameNode(i),
                             _(" — ") + this.labels.stateText(this.engine.placeState(i)),
                             stale ? el("span", { className: "mapapp-stale", text: _(" · ") + stale })
                                   : null]);
  }

  incident(k) {
    const { engine, labels } = this;
    const inc = engine.p.incidents;
    const nodes = [el("div", { className: "mapapp-popup-title",
                               text: tr("Incident, {date}", { date: labels.dayLabel(inc.day[k]) }) })];
    if (inc.place[k] >= 0) nodes.push(labels.placeNameNode(inc.place[k], "div"));
    if (inc.factions[k].length) {
      nodes.push(el("p", null, [_("By: "), labels.factionList(inc.factions[k].map(
        (i) => engine.factions[i].id))]));
    }
    const d = this.texts.detail("incidents", k);
    if (d) nodes.push(el("p", { text: d.summary }));
    nodes.push(this.citation("incidents", k));
    return el("div", { className: "mapapp-popup" }, nodes);
  }
}

/* Long secondary text (notes, geometry sources) folded under a one-line summary. */
function more(className, title, text) {
  return el("details", { className }, [el("summary", { text: title }), el("p", { text })]);
}
