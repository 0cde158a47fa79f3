/* A place's history: every event at it, oldest first, with sources; the change in force at
 * the date is marked, later ones dimmed. */
import { el } from "../dom.js";
import { hook } from "../hooks.js";
import { DayMarks, keepingPlace, incidentLine } from "./lists.js";
import { _, tr, trn } from "../i18n.js";

export function setupHistory(app, panel) {
  const en = app.engine;
  const box = document.getElementById("mapapp-place");
  const hist = { place: null, entries: [], rows: [], waiting: [], marks: null, inForce: null };

  function render(i) {
    hist.place = i;
    const entries = en.placeEvents(i);
    const nodes = app.labels.placeTitle(i);
    const kind = en.places.kind[i];
    if (kind) nodes.push(el("div", { className: "mapapp-place-kind", text: kind }));
    nodes.push(el("p", { className: "mapapp-place-count",
                         text: trn("{n} event, oldest first", "{n} events, oldest first",
                                     entries.length) }));
    const ol = el("ol", { className: "mapapp-history", "aria-label": _("History") });
    const rows = entries.map((entry) => {
      const li = historyRow(entry);
      ol.appendChild(li);
      return li;
    });
    hist.waiting = entries.map((entry) => !app.texts.detail(entry.kind, entry.k, true));
    if (!entries.length) ol.appendChild(el("li", { text: "No event is recorded at this place." }));
    nodes.push(ol);
    box.replaceChildren(...nodes);
    hist.entries = entries;
    hist.rows = rows;
    hist.marks = new DayMarks(Int32Array.from(entries.map((x) => x.day)), rows);
    hist.inForce = null;
    hist.marks.update(en.day);
    markInForce();
  }

  function historyRow(entry) {
    const date = el("button", { type: "button", className: "mapapp-hist-date",
                                text: app.labels.dayLabel(entry.day),
                                title: _("Show the map on this date") });
    date.addEventListener("click", () => app.jump(() => app.applyDay(entry.day)));
    const what = entry.kind === "control" ? app.labels.stateLine(entry.k)
                                          : incidentLine(app, entry.k);
    const li = el("li", { className: "mapapp-hist mapapp-ev-" + entry.kind,
                          "data-event": entry.kind === "control" ? en.eventId(entry.k)
                                                                 : null },
                  [el("div", { className: "mapapp-hist-head" }, [date, " ", what])]);
    // Asking for the texts here loads the chunks of a history being shown.
    if (!texts(li, entry, false)) li.appendChild(app.popups.citation(entry.kind, entry.k));
    return li;
  }

  /* Summary, source and notes under a row's head, once its texts are here (true). */
  function texts(li, entry, peek) {
    const d = app.texts.detail(entry.kind, entry.k, peek);
    if (!d) return false;
    const nodes = [li.firstChild,
                   el("p", { className: "mapapp-ev-summary", text: d.summary }),
                   app.popups.citation(entry.kind, entry.k)];
    if (d.notes) nodes.push(el("p", { className: "mapapp-notes", text: tr("Note: {notes}", { notes: d.notes }) }));
    li.replaceChildren(...nodes);
    li.setAttribute("data-event", d.id);
    return true;
  }

  /* A chunk arrived: rows still "Loading source…" take their texts, in place. */
  function fillTexts() {
    if (hist.place === null) return;
    keepingPlace(panel.showing("place") ? hist.rows : [], hist.inForce, () => {
      hist.entries.forEach((entry, k) => {
        if (hist.waiting[k]) hist.waiting[k] = !texts(hist.rows[k], entry, true);
      });
    });
  }

  /* The control event in force at the current date is marked. */
  function markInForce() {
    const e = en.cur[hist.place];
    let row = null;
    for (let k = 0; k < hist.entries.length; k++) {
      if (hist.entries[k].kind === "control" && hist.entries[k].k === e) {
        row = hist.rows[k];
        break;
      }
    }
    if (row === hist.inForce) return;
    if (hist.inForce) hist.inForce.classList.remove("is-in-force");
    if (row) row.classList.add("is-in-force");
    hist.inForce = row;
  }

  hook("day", (touched) => {
    if (hist.place === null) return;
    hist.marks.update(en.day);
    if (touched.indexOf(hist.place) >= 0) markInForce();
  });
  hook("details", fillTexts);
  hook("lang", () => { if (hist.place !== null) render(hist.place); });
  hook("place", (i) => {
    render(i);
    panel.open("place");
  });
  hook("popup", (i) => { if (panel.showing("place")) render(i); });
}
