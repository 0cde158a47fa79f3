/* What a screen reader hears when the date settles: one polite announcement per settled
 * change (not one per frame while the slider is dragged or the map plays), naming the
 * places whose holder changed since the last announcement. */
import { el } from "./dom.js";
import { hook } from "./hooks.js";
import { fill } from "./strings.js";
import { _, Nn_, ngettext } from "./i18n.js";

export const ANNOUNCE_TEXT = {
  none: _("{date}: no place changed hands."),
  changed: Nn_("{date}: {n} place changed hands: {list}.",
               "{date}: {n} places changed hands: {list}."),
  held: _("{place} to {factions}"),
  contested: _("{place} contested by {factions}"),
  joint: _("{place} under joint control of {factions}"),
  "no-data": _("{place} without data"),
  more: _("{list} and {n} more"),
  listSeparator: _(", "),
  factionSeparator: _(" and "),
};
export const SETTLE_MS = 700; // quiet time after the last step before announcing
const MAX_NAMED = 8;

export class Announcer {
  constructor(app, text = ANNOUNCE_TEXT) {
    this.app = app;
    this.text = text;
    this.node = el("div", { id: "mapapp-announce", className: "mapapp-visually-hidden",
                            role: "status", "aria-live": "polite", "aria-atomic": "true" });
    document.body.appendChild(this.node);
    this.held = null; // the holder of each place at the last announcement
    this.touched = new Set();
    this.timer = null;
  }

  /* The state the first announcement is measured from. */
  start() {
    const en = this.app.engine;
    this.held = Array.from(en.cur, (e) => en.holdOf(e));
  }

  stepped(touched) {
    if (this.held === null) { this.start(); return; }
    for (const i of touched) this.touched.add(i);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.settle(), SETTLE_MS);
  }

  settle() {
    this.timer = null;
    if (this.app.transport && this.app.transport.isPlaying()) {
      this.timer = setTimeout(() => this.settle(), SETTLE_MS); // announce when play stops
      return;
    }
    this.node.textContent = this.sentence();
  }

  /* "1 Nov 2017: 2 places changed hands: Kanamat to Syrian government, Badr to …." */
  sentence() {
    const en = this.app.engine, t = this.text;
    const changed = [];
    for (const i of [...this.touched].sort((a, b) => a - b)) {
      const now = en.holdOf(en.cur[i]);
      if (now !== this.held[i]) changed.push(i);
      this.held[i] = now;
    }
    this.touched.clear();
    const date = this.app.labels.dayLabel(en.day);
    if (!changed.length) return fill(t.none, { date });
    const names = changed.slice(0, MAX_NAMED).map((i) => this.change(i));
    let list = names.join(t.listSeparator);
    if (changed.length > MAX_NAMED) list = fill(t.more, { list, n: changed.length - MAX_NAMED });
    return fill(ngettext(t.changed[0], t.changed[1], changed.length),
                { date, n: changed.length, list });
  }

  change(i) {
    const st = this.app.engine.placeState(i), labels = this.app.labels;
    const factions = st.factions.map((f) => labels.faction(f).name)
      .join(this.text.factionSeparator);
    return fill(this.text[st.status], { place: labels.placeName(i), factions });
  }
}

export function setupAnnouncer(app) {
  const announcer = new Announcer(app);
  hook("day", (touched) => announcer.stepped(touched));
  return announcer;
}
