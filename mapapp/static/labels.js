/* Words and names the page shows: place names in the chosen language, factions with their
 * swatches, states as text. */
import { el, swatch } from "./dom.js";
import { fill, isTentative } from "./style.js";
import { _, N_, formatDay, isSourceLanguage, tr } from "./i18n.js";

// A status before its factions in a comparison's row: "contested ISIS vs Syrian govt".
const SHORT_STATUS = { contested: N_("contested"), joint: N_("joint") };

export class Labels {
  constructor(engine) {
    this.engine = engine;
    this.lang = "en"; // "en" or "ar": the language of place names
  }

  /* English labels come with the payload; another language's are Intl's (i18n.js). */
  dayLabel(day) { return isSourceLanguage ? this.engine.dayLabel(day) : formatDay(day); }

  /* " (claimed)": what a claimed or disputed state adds to its name (style.legend.tentative). */
  tentative(confidence) {
    const style = this.engine.p.style;
    const said = (style.confidence_text && style.confidence_text[confidence]) || confidence;
    return isTentative(style, confidence) ? fill(style.legend.tentative, { confidence: said }) : "";
  }

  /* "Held by", "Contested", …: a status in words (the payload's style.status_text). */
  statusText(status) { return this.engine.p.style.status_text[status]; }

  placeName(i) {
    const places = this.engine.places;
    return this.lang === "ar" && places.name_ar[i] ? places.name_ar[i] : places.name[i];
  }

  /* The place's name in the chosen language, as a node: Arabic is marked lang/dir. */
  placeNameNode(i, tag, className) {
    const places = this.engine.places;
    const ar = this.lang === "ar" && places.name_ar[i];
    return el(tag || "span", {
      className, lang: ar ? "ar" : null, dir: ar ? "rtl" : null,
      text: ar ? places.name_ar[i] : places.name[i],
    });
  }

  /* The name, and under it the other language's. */
  placeTitle(i) {
    const places = this.engine.places;
    const nodes = [this.placeNameNode(i, "h2", "mapapp-popup-title")];
    const other = this.lang === "ar" ? (places.name_ar[i] ? places.name[i] : null)
                                     : places.name_ar[i];
    if (other) {
      nodes.push(this.lang === "ar"
        ? el("div", { className: "mapapp-alt-name", lang: "en", text: other })
        : el("div", { className: "mapapp-ar", lang: "ar", dir: "rtl", text: other }));
    }
    return nodes;
  }

  faction(id) { return this.engine.factions[this.engine.factionIndex[id]]; }

  /* Faction names with swatches, by faction id. */
  factionList(ids) {
    return el("span", null, ids.map((id, k) => {
      const f = this.faction(id);
      return el("span", { className: "mapapp-faction" }, [k ? _(" / ") : null, swatch(f.color), f.name]);
    }));
  }

  /* "held by: Islamic State (ISIS)" from the public API's state. */
  stateText(st) {
    if (st.status === "no-data") return _("no data");
    return tr("{status}: {factions}", {
      status: this.statusText(st.status).toLocaleLowerCase(),
      factions: st.factions.map((f) => this.faction(f).name).join(_(" / ")) });
  }

  /* "Held by: ISIS", with swatches, for event index e (or no data when e < 0). */
  stateLine(e) {
    if (e < 0) return el("span", { text: _("No data") });
    const st = this.engine.stateOfEvent(e);
    const ids = st.factions.map((k) => this.engine.factions[k].id);
    const nodes = [el("strong", { text: tr("{status}: ", { status: this.statusText(st.status) }) }),
                   this.factionList(ids)];
    if (isTentative(this.engine.p.style, st.confidence)) {
      nodes.push(el("span", { className: "mapapp-confidence", text: this.tentative(st.confidence) }));
    }
    return el("span", { className: "mapapp-stateline" }, nodes);
  }

  /* "ISIS", "contested ISIS vs Syrian govt": a short state for the comparison's rows. */
  shortState(e) {
    if (e < 0) return _("no data");
    const st = this.engine.stateOfEvent(e);
    const names = st.factions.map((k) => {
      const f = this.engine.factions[k];
      return f.short_name || f.name;
    });
    if (st.status === "held") return names[0];
    return tr("{status} {factions}", { status: _(SHORT_STATUS[st.status]),
                                         factions: names.join(this.engine.p.style.legend.separator[st.status]) });
  }
}
