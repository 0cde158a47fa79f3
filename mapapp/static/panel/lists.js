/* Lists of dated rows kept in step with the slider (the event list, a place's history). */
import { lowerBound, upperBound } from "../days.js";
import { _ } from "../i18n.js";

/* Items sorted by day: marks the ones after the current date (dimmed) and the ones on it
 * (highlighted), changing only the items between the old and the new position. */
export class DayMarks {
  constructor(days, nodes) {
    this.days = days;
    this.nodes = nodes;
    this.boundary = 0; // items [0, boundary) are on or before the date
    this.curLo = 0;
    this.curHi = 0;
    for (const node of nodes) node.classList.add("is-future");
  }

  /* True when the date's own rows changed. */
  update(day) {
    const b = upperBound(this.days, day);
    for (let k = Math.min(b, this.boundary); k < Math.max(b, this.boundary); k++) {
      this.nodes[k].classList.toggle("is-future", k >= b);
    }
    this.boundary = b;
    const lo = lowerBound(this.days, day);
    if (lo === this.curLo && b === this.curHi) return false;
    for (let k = this.curLo; k < this.curHi; k++) {
      this.nodes[k].classList.remove("is-today");
      this.nodes[k].removeAttribute("aria-current");
    }
    for (let k = lo; k < b; k++) {
      this.nodes[k].classList.add("is-today");
      this.nodes[k].setAttribute("aria-current", "date");
    }
    this.curLo = lo;
    this.curHi = b;
    return true;
  }
}

/* Runs `change`, which fills some of `rows` in place, and keeps a row where it is on the
 * screen: `preferred` (the date's row) when it is in view, else the first row in view.
 * Texts arriving never move a list under the reader, nor the date's row away. */
export function keepingPlace(rows, preferred, change) {
  if (!rows.length) { change(); return; }
  const paneNode = rows[0].closest(".mapapp-pane");
  const pane = paneNode.getBoundingClientRect();
  let anchor = preferred;
  const box = anchor ? anchor.getBoundingClientRect() : null;
  if (!box || box.bottom <= pane.top || box.top >= pane.bottom) {
    // Rows are in document order: the first one in view is found by bisection.
    let lo = 0, hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rows[mid].getBoundingClientRect().bottom <= pane.top) lo = mid + 1; else hi = mid;
    }
    anchor = rows[Math.min(lo, rows.length - 1)];
  }
  const before = anchor.getBoundingClientRect().top;
  change();
  paneNode.scrollTop += anchor.getBoundingClientRect().top - before;
}

/* "Incident by <factions>" for incident k. */
export function incidentLine(app, k) {
  const en = app.engine;
  const ids = en.p.incidents.factions[k].map((i) => en.factions[i].id);
  const el = document.createElement("span");
  const strong = document.createElement("strong");
  strong.textContent = _("Incident");
  el.appendChild(strong);
  if (ids.length) {
    el.appendChild(document.createTextNode(_(" by ")));
    el.appendChild(app.labels.factionList(ids));
  }
  return el;
}
