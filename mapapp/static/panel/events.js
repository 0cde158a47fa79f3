/* The event list: every control change and incident in date order, in step with the
 * slider (later ones dimmed, the date's highlighted and scrolled into view). Only a
 * window of WINDOW rows around the date is in the DOM, so a data set with 30,000 events
 * keeps a short list; "Earlier" and "Later" widen it by hand. */
import { upperBound } from "../days.js";
import { el } from "../dom.js";
import { hook } from "../hooks.js";
import { DayMarks, keepingPlace, incidentLine } from "./lists.js";
import { tr, trn } from "../i18n.js";

const WINDOW = 80, EDGE = 15;

export function setupEvents(app, panel) {
  const en = app.engine;
  const box = document.getElementById("mapapp-events");
  const items = en.allEvents();
  const days = Int32Array.from(items.map((it) => it.day));
  const list = { lo: 0, hi: 0, marks: null, shownBoundary: -1, frameQueued: false };
  document.getElementById("mapapp-events-count").textContent =
    trn("{n} event", "{n} events", items.length);
  const earlier = moreButton(-1), later = moreButton(1);
  box.before(earlier);
  box.after(later);

  function moreButton(dir) {
    const button = el("button", { type: "button", className: "mapapp-btn mapapp-btn-text " +
                                  "mapapp-more", hidden: "hidden" });
    button.addEventListener("click", () => {
      if (dir < 0) {
        // Keep the first item shown where it is while earlier ones are added above it.
        const first = box.firstElementChild;
        const before = first ? first.getBoundingClientRect().top : 0;
        renderWindow(Math.max(0, list.lo - WINDOW), list.hi);
        if (first) box.parentNode.scrollTop += first.getBoundingClientRect().top - before;
      } else {
        renderWindow(list.lo, Math.min(items.length, list.hi + WINDOW));
      }
    });
    return button;
  }

  function renderWindow(lo, hi) {
    list.lo = lo;
    list.hi = hi;
    const nodes = [];
    for (let k = lo; k < hi; k++) nodes.push(eventItem(items[k]));
    box.replaceChildren(...nodes);
    list.marks = new DayMarks(days.subarray(lo, hi), nodes);
    list.marks.update(en.day);
    fillTexts(false);
    list.shownBoundary = -1;
    earlier.hidden = lo === 0;
    earlier.textContent = tr("Earlier events ({n})", { n: lo });
    later.hidden = hi === items.length;
    later.textContent = tr("Later events ({n})", { n: items.length - hi });
  }

  function centreWindow(b) {
    const n = items.length;
    const lo = Math.max(0, Math.min(b - WINDOW / 2, n - WINDOW));
    renderWindow(lo, Math.min(n, lo + WINDOW));
  }

  function eventItem(item) {
    const place = item.kind === "control" ? en.ctlPlace[item.k] : en.p.incidents.place[item.k];
    const name = place >= 0 ? app.labels.placeNameNode(place, "span", "mapapp-ev-place")
                            : el("span", { className: "mapapp-ev-place", text: "" });
    const what = item.kind === "control" ? app.labels.stateLine(item.k) : incidentLine(app, item.k);
    const jump = el("button", { type: "button", className: "mapapp-ev-jump" }, [
      el("span", { className: "mapapp-ev-date", text: app.labels.dayLabel(item.day) }),
      name,
      el("span", { className: "mapapp-ev-what" }, [what]),
    ]);
    jump.addEventListener("click", () => {
      app.jump(() => app.applyDay(item.day));
      panel.closeOnPhone();
      app.nav.showEvent(item.kind, item.k);
    });
    // Summary and source are filled in by fillTexts; incidents' ids come with them.
    const id = item.kind === "control" ? en.p.control.id[item.k] : null;
    return el("li", { className: "mapapp-ev mapapp-ev-" + item.kind, "data-event": id },
              [jump, el("div", { className: "mapapp-ev-text" })]);
  }

  /* Rows of the window still without their summary and source get them, in place. Their
   * chunks are asked for only while the list can be seen: a closed drawer or another tab
   * loads nothing, and rows then take only texts already here. With `keep`, the first row
   * in view stays where it is on the screen. */
  function fillTexts(keep) {
    const marks = list.marks;
    if (!marks) return;
    const shown = panel.showing("events");
    keepingPlace(keep && shown ? marks.nodes : [], currentNode(), () => {
      for (let k = 0; k < marks.nodes.length; k++) {
        const text = marks.nodes[k].lastChild;
        if (text.firstChild) continue;
        const item = items[list.lo + k];
        const d = app.texts.detail(item.kind, item.k, !shown);
        if (!d) continue;
        text.appendChild(el("p", { className: "mapapp-ev-summary", text: d.summary }));
        text.appendChild(app.popups.citation(item.kind, item.k));
        marks.nodes[k].setAttribute("data-event", d.id);
      }
    });
  }

  /* The list's row for the date: its first event of the day when there is one, else the
   * last one before it. */
  function currentNode() {
    const marks = list.marks;
    if (!marks || !marks.nodes.length) return null;
    const k = marks.curLo < marks.curHi ? marks.curLo : Math.max(0, marks.boundary - 1);
    return marks.nodes[k];
  }

  /* Keep the date's place in the list in view; only when it changed, and only when the
   * list can be seen (scrolling a hidden list would force a layout for nothing). */
  function scrollToCurrent(force) {
    const marks = list.marks;
    if (!marks || !marks.nodes.length) return;
    const b = list.lo + marks.boundary;
    if ((!force && b === list.shownBoundary) || !panel.showing("events")) return;
    list.shownBoundary = b;
    const node = currentNode();
    const pane = box.parentNode; // the scrolling pane
    const top = node.getBoundingClientRect().top - pane.getBoundingClientRect().top +
      pane.scrollTop;
    const bottom = top + node.offsetHeight;
    if (top < pane.scrollTop || bottom > pane.scrollTop + pane.clientHeight) {
      pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
    }
  }

  function sync() {
    if (!items.length) return;
    if (!list.marks) centreWindow(upperBound(days, en.day));
    list.marks.update(en.day);
    const b = upperBound(days, en.day);
    if (b !== list.shownBoundary && !list.frameQueued) {
      // Moving the window and measuring for the scroll wait for the next frame, which lays
      // out anyway: the step itself only changes a few classes.
      list.frameQueued = true;
      requestAnimationFrame(() => {
        list.frameQueued = false;
        const now = upperBound(days, en.day), n = items.length;
        if ((now < list.lo + EDGE && list.lo > 0) || (now > list.hi - EDGE && list.hi < n)) {
          centreWindow(now);
        }
        scrollToCurrent(false);
      });
    }
  }

  panel.onShowEvents = () => scrollToCurrent(true);
  hook("day", sync);
  hook("details", () => fillTexts(true));
  hook("lang", () => {
    if (!list.marks) return;
    renderWindow(list.lo, list.hi); // the shown rows are built again
    scrollToCurrent(true);
  });
  // The list comes into sight (its tab, the drawer, a phone turned into a wider screen):
  // its rows ask for their texts.
  hook("tab", (name) => { if (name === "events") fillTexts(true); });
  hook("resize", () => fillTexts(true));
}
