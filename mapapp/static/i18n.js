/* The interface words of the page's language: the catalogue mapapp/i18n.py writes into
 * #mapapp-catalogue (the messages the page uses, msgid → translation; English msgids are
 * the text, so English needs none). Lookups by msgid with named slots ("{date}: {list}"),
 * counted messages by the language's plural rule (Intl.PluralRules: the server checks that
 * the catalogue's Plural-Forms agree with it), dates by Intl with the server's digits.
 * No DOM beyond reading the catalogue: node imports this module and gets English. */
import { fill } from "./style.js";

function readCatalogue() {
  const node = globalThis.document ? globalThis.document.getElementById("mapapp-catalogue") : null;
  const doc = node ? JSON.parse(node.textContent) : null;
  return doc || { lang: "en", dir: "ltr", numbering: "latn", plural: ["one", "other"],
                  date: "yMMMd", messages: {} };
}

export const catalogue = readCatalogue();
const plurals = new Intl.PluralRules(catalogue.lang);
// Intl options of the skeletons the server formats with (mapapp.i18n.DATE_SKELETON).
const SKELETONS = { yMMMd: { year: "numeric", month: "short", day: "numeric" } };
const dates = new Intl.DateTimeFormat(catalogue.lang, Object.assign(
  { timeZone: "UTC", numberingSystem: catalogue.numbering }, SKELETONS[catalogue.date]));
const numbers = new Intl.NumberFormat(catalogue.lang, { numberingSystem: catalogue.numbering });

/* A message in the page's language (the msgid itself when it has no translation). */
export function _(msgid) {
  const m = catalogue.messages[msgid];
  return typeof m === "string" && m ? m : msgid;
}

/* Marks a msgid for the catalogue where it is defined; translated where shown with _(). */
export function N_(msgid) { return msgid; }

/* The plural form of a counted message for n. */
export function ngettext(singular, plural, n) {
  const forms = catalogue.messages[singular];
  if (Array.isArray(forms)) {
    const form = forms[catalogue.plural.indexOf(plurals.select(n))];
    if (form) return form;
  }
  return n === 1 ? singular : plural;
}

/* A message translated, its named slots filled. */
export function tr(msgid, values) { return fill(_(msgid), values || {}); }

/* A counted message, {n} and the other slots filled. */
export function trn(singular, plural, n, values) {
  return fill(ngettext(singular, plural, n), Object.assign({ n: formatNumber(n) }, values));
}

export function formatNumber(n) { return numbers.format(n); }

/* A day (days since 1970) as the page's language writes it: "31 أكتوبر 2017". */
export function formatDay(day) { return dates.format(new Date(day * 86400000)); }

export const isSourceLanguage = catalogue.lang === "en";

// Classic scripts (share.js, updates.js) look words up through window.mapapp.
if (globalThis.window && globalThis.window.mapapp) {
  globalThis.window.mapapp.i18n = { _, ngettext, tr, trn, formatDay, catalogue };
}

/* Marks a counted message (singular and plural msgids) for the catalogue: [s, p]. */
export function Nn_(singular, plural) { return [singular, plural]; }

/* The payload's words (mapapp/style.py, English msgids) in the page's language, once,
 * before anything reads them; the faction-name fields of style.legend.name are not words. */
export function translateStyle(style) {
  const each = (obj) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, _(v)]));
  for (const [key, value] of Object.entries(style.legend)) {
    if (key === "name") continue;
    style.legend[key] = typeof value === "string" ? _(value) : each(value);
  }
  style.status_text = each(style.status_text);
  if (style.confidence_text) style.confidence_text = each(style.confidence_text);
  return style;
}

/* The factions' names in the page's language, once, before anything reads them: Arabic
 * pages take the payload's name_ar/short_name_ar where a faction has them (an Arabic name
 * without a short one empties the short name, which falls back to the name), so every
 * module that shows f.name or f.short_name shows them in the page's language. */
export function translateFactions(factions, lang = catalogue.lang) {
  if (lang !== "ar") return factions;
  for (const f of factions) {
    if (f.short_name_ar) f.short_name = f.short_name_ar;
    else if (f.name_ar) f.short_name = null;
    if (f.name_ar) f.name = f.name_ar;
  }
  return factions;
}

/* Leaflet's own words: the zoom buttons, the layer control's button and the scale bar
 * ("2 km", written by Leaflet as it measures), in the page's language. */
export function translateLeaflet(scale, map) {
  const label = (node, words) => {
    if (!node) return;
    node.title = words;
    node.setAttribute("aria-label", words);
  };
  const box = map.getContainer();
  label(box.querySelector(".leaflet-control-zoom-in"), _("Zoom in"));
  label(box.querySelector(".leaflet-control-zoom-out"), _("Zoom out"));
  label(box.querySelector(".leaflet-control-layers-toggle"), _("Layers"));
  map.on("popupopen", (e) => {
    const close = e.popup.getElement() &&
      e.popup.getElement().querySelector(".leaflet-popup-close-button");
    label(close, _("Close popup"));
  });
  const update = scale._updateScale; // Leaflet 1.9: (element, "2 km", ratio)
  scale._updateScale = function (element, words, ratio) {
    const m = /^([\d.]+) (km|m)$/.exec(words);
    const local = !m ? words : m[2] === "km" ? tr("{n} km", { n: m[1] }) : tr("{n} m", { n: m[1] });
    update.call(this, element, local, ratio);
  };
  scale._update();
}
