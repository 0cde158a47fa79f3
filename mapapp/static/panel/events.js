/* The event list: every control change and incident in date order, in step with the
 * slider (later ones dimmed, the date's highlighted and scrolled to). A virtual list of
 * rows of one height (rows.js): a data set with 100,000 events keeps a few dozen rows in
 * the DOM. The list follows a date change on the "day" hook, which main.js runs after the
 * map's frame is painted; the update computes where the date's row is (its index ×
 * ROW_PX), so it never measures. */
import { lowerBound, upperBound } from "../days.js";
import { el } from "../dom.js";
import { afterPaint, hook } from "../hooks.js";
import { incidentLine } from "./lists.js";
import { VirtualList } from "./rows.js";
import { trn } from "../i18n.js";

// A row's height in CSS px: the CSS reads it (--mapapp-row) and clamps the text to fit.
const ROW_PX = 116;

export function setupEvents(app, panel) {
  const en = app.engine;
  const box = document.getElementById("mapapp-events");
  const pane = box.closest(".mapapp-pane");
  const items = en.allEvents();
  const days = items.day;
  document.getElementById("mapapp-events-count").textContent =
    trn("{n} event", "{n} events", items.length);
  if (!items.length) return;
  // The date's boundary (events [0, b) are on or before it) the last scroll was for.
  const state = { shownBoundary: -1, force: false };

  const list = new VirtualList({
    box, pane, count: items.length, rowPx: ROW_PX, make: makeRow, fill: fillRow,
    onRows: markRows,
    onResize: (appeared) => {
      if (appeared) state.force = true;
      update(); // in the observer's callback: the pane shows its rows in this frame
    },
  });

  function makeRow() {
    const date = el("span", { className: "mapapp-ev-date" });
    const head = el("span", { className: "mapapp-ev-head" }, [date]);
    const what = el("span", { className: "mapapp-ev-what" });
    const jump = el("button", { type: "button", className: "mapapp-ev-jump" }, [head, what]);
    const text = el("div", { className: "mapapp-ev-text" });
    const node = el("li", { className: "mapapp-ev", "aria-setsize": items.length },
                    [jump, text]);
    return { node, jump, head, date, place: null, what, text, index: -1, kind: null,
             hasText: false, future: null, today: null };
  }

  /* A row takes the content of event `index`: what the payload has now, the summary and
   * source when their chunk is here. Long lines are clamped by the CSS; their full text
   * stays in the DOM (read by screen readers, shown on focus) and in a title. */
  function fillRow(row, index) {
    const item = items.item(index);
    if (row.kind !== item.kind) {
      if (row.kind) row.node.classList.remove("mapapp-ev-" + row.kind);
      row.node.classList.add("mapapp-ev-" + item.kind);
      row.kind = item.kind;
    }
    const place = item.kind === "control" ? en.ctlPlace[item.k] : en.p.incidents.place[item.k];
    const name = place >= 0 ? app.labels.placeNameNode(place, "span", "mapapp-ev-place")
                            : el("span", { className: "mapapp-ev-place", text: "" });
    row.date.textContent = app.labels.dayLabel(item.day);
    if (row.place) row.place.replaceWith(name); else row.head.appendChild(name);
    row.place = name;
    row.head.title = row.date.textContent + " " + name.textContent;
    const what = item.kind === "control" ? app.labels.stateLine(item.k) : incidentLine(app, item.k);
    row.what.replaceChildren(what);
    row.what.title = what.textContent;
    // Incidents' ids come with their texts.
    const id = item.kind === "control" ? en.eventId(item.k) : null;
    if (id === null) row.node.removeAttribute("data-event");
    else row.node.setAttribute("data-event", id);
    row.hasText = false;
    row.text.replaceChildren();
    row.future = row.today = null;
  }

  /* The summary and source of a row, when their chunk is here. Asked for only while the
   * list can be seen (a closed drawer or another tab loads nothing). */
  function fillText(row, peek) {
    if (row.hasText) return;
    const item = items.item(row.index);
    const d = app.texts.detail(item.kind, item.k, peek);
    if (!d) return;
    row.hasText = true;
    const summary = el("p", { className: "mapapp-ev-summary", text: d.summary, title: d.summary });
    const source = app.popups.citation(item.kind, item.k);
    source.title = source.textContent;
    row.text.replaceChildren(summary, source);
    if (d.id !== null && d.id !== undefined) row.node.setAttribute("data-event", d.id);
  }

  /* The date's marks on the rows attached, written only where they differ. */
  function markRows() {
    const day = en.day, b = upperBound(days, day);
    const peek = !panel.showing("events");
    for (const row of list.rows) {
      const future = row.index >= b, today = days[row.index] === day;
      if (future !== row.future) {
        row.node.classList.toggle("is-future", future);
        row.future = future;
      }
      if (today !== row.today) {
        row.node.classList.toggle("is-today", today);
        if (today) row.node.setAttribute("aria-current", "date");
        else row.node.removeAttribute("aria-current");
        row.today = today;
      }
      fillText(row, peek);
    }
  }

  /* The list's row for the date: its first event of the day when there is one, else the
   * last one before it. */
  function currentIndex() {
    const b = upperBound(days, en.day), lo = lowerBound(days, en.day);
    return lo < b ? lo : Math.max(0, b - 1);
  }

  /* Scroll (only when the date's place in the list changed, or it was just shown), then
   * rows and marks. Nothing here reads the layout. */
  function update() {
    if (!list.shown()) return;
    const b = upperBound(days, en.day);
    if (state.force || b !== state.shownBoundary) {
      state.force = false;
      state.shownBoundary = b;
      list.reveal(currentIndex());
    }
    list.render();
    markRows();
  }
  const updateAfterPaint = afterPaint(update);

  /* Moves the focus to row `index` (arrow keys, Home, End), attaching it first. */
  function focusRow(index) {
    const k = Math.min(Math.max(index, 0), items.length - 1);
    list.reveal(k);
    list.render();
    const row = list.row(k);
    if (row) row.jump.focus();
  }

  box.addEventListener("click", (e) => {
    const jump = e.target.closest(".mapapp-ev-jump");
    const row = jump && list.rowOf(jump);
    if (!row) return;
    const item = items.item(row.index);
    app.jump(() => app.applyDay(item.day));
    panel.closeOnPhone();
    app.nav.showEvent(item.kind, item.k);
  });
  const KEY_STEP = { ArrowDown: 1, ArrowUp: -1 };
  box.addEventListener("keydown", (e) => {
    const row = e.target.closest(".mapapp-ev-jump") && list.rowOf(e.target);
    if (!row) return;
    if (e.key in KEY_STEP) focusRow(row.index + KEY_STEP[e.key]);
    else if (e.key === "Home") focusRow(0);
    else if (e.key === "End") focusRow(items.length - 1);
    else return;
    e.preventDefault();
  });

  panel.onShowEvents = () => { state.force = true; updateAfterPaint(); };
  hook("day", update); // already after the map's frame (main.js)
  hook("details", () => { if (list.shown()) markRows(); });
  hook("lang", () => {
    list.refill(); // place names in the other language
    markRows();
  });
}
