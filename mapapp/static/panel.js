/* mapapp panel: the side panel (a drawer on phones) with four tabs.
 *
 * - Events: every control change and incident in date order, synced with the slider
 *   (future ones dimmed, the current day's highlighted and scrolled into view); a click
 *   jumps to the date and flies to the place.
 * - Place: the history of one place, oldest first, with sources.
 * - Compare: a second date; places that changed hands are outlined in the gainer's
 *   colour and listed.
 * - Areas: the area chart (chart.js draws it).
 * Per date step the work is a binary search and class changes on the items crossed; the
 * compare list is rebuilt only on steps that change some place.
 */
(function () {
  "use strict";

  var M = window.mapapp;
  var C = null;
  var S = null;
  var ui = {};
  var TABS = ["events", "place", "compare", "areas"];
  var activeTab = "events";

  function $(id) { return document.getElementById(id); }

  M.hook("setup", function (core) {
    C = core;
    S = core.S;
    ui = {
      panel: $("mapapp-panel"), toggle: $("mapapp-panel-toggle"), close: $("mapapp-panel-close"),
      events: $("mapapp-events"), place: $("mapapp-place"),
      cmpDate: $("mapapp-compare-date"), cmpWeek: $("mapapp-compare-week"),
      cmpClear: $("mapapp-compare-clear"), cmpOutline: $("mapapp-compare-outline"),
      cmpSummary: $("mapapp-compare-summary"), cmpGains: $("mapapp-compare-gains"),
      cmpList: $("mapapp-compare-list"),
    };
    setupTabs();
    setupDrawer();
    buildEventList();
    setupCompare();
  });

  M.hook("day", function (touched) {
    syncEventList();
    syncHistory(touched);
    if (S.cmp) syncCompare(touched);
  });
  M.hook("details", function () {
    fillEventTexts(true);
    fillHistoryTexts();
  });
  M.hook("lang", function () {
    if (!C) return; // a language from the URL is set before this module's setup
    refreshEventList();
    if (hist.place !== null) renderHistory(hist.place);
    if (S.cmp) renderCompare();
  });
  // The list comes into sight (its tab, the drawer, a phone turned into a wider screen):
  // its rows ask for their texts.
  M.hook("tab", function (name) { if (name === "events") fillEventTexts(true); });
  M.hook("resize", function () { fillEventTexts(true); });
  M.hook("place", function (i) {
    renderHistory(i);
    openPanel("place");
  });
  M.hook("popup", function (i) {
    if (activeTab === "place" && panelVisible()) renderHistory(i);
  });
  M.hook("compare", function () {
    rebuildChangedSet();
    renderCompare();
  });

  // --- tabs and the phone drawer -------------------------------------------------------
  function tabButton(name) { return $("mapapp-tab-" + name); }

  function setupTabs() {
    TABS.forEach(function (name) {
      tabButton(name).addEventListener("click", function () { showTab(name); });
    });
    // Arrow keys move between tabs (the ARIA tabs pattern); focus follows selection.
    $("mapapp-tabs").addEventListener("keydown", function (e) {
      if (e.key !== "ArrowLeft" && e.key !== "ArrowRight" && e.key !== "Home" && e.key !== "End") {
        return;
      }
      var k = TABS.indexOf(activeTab);
      if (e.key === "ArrowLeft") k = (k + TABS.length - 1) % TABS.length;
      else if (e.key === "ArrowRight") k = (k + 1) % TABS.length;
      else k = e.key === "Home" ? 0 : TABS.length - 1;
      e.preventDefault();
      showTab(TABS[k]);
      tabButton(TABS[k]).focus();
    });
  }

  function showTab(name) {
    activeTab = name;
    TABS.forEach(function (t) {
      var selected = t === name;
      var button = tabButton(t);
      button.setAttribute("aria-selected", selected ? "true" : "false");
      button.tabIndex = selected ? 0 : -1;
      $("mapapp-pane-" + t).hidden = !selected;
    });
    if (name === "events") scrollToCurrent(true);
    C.emit("tab", name);
  }

  function setupDrawer() {
    ui.toggle.addEventListener("click", function () {
      if (ui.panel.classList.contains("is-open")) closePanel(); else openPanel();
    });
    ui.close.addEventListener("click", function () { closePanel(); ui.toggle.focus(); });
    ui.panel.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && C.isPhone()) { closePanel(); ui.toggle.focus(); }
    });
  }

  function openPanel(tab) {
    if (C.isPhone()) S.map.closePopup(); // it would sit under the drawer
    ui.panel.classList.add("is-open");
    ui.toggle.setAttribute("aria-expanded", "true");
    if (tab) showTab(tab); else C.emit("tab", activeTab);
    if (activeTab === "events") scrollToCurrent(true);
  }
  function closePanel() {
    ui.panel.classList.remove("is-open");
    ui.toggle.setAttribute("aria-expanded", "false");
  }
  /* On a phone the drawer covers the map: close it before showing something there. */
  function closeOnPhone() { if (C.isPhone()) closePanel(); }
  function panelVisible() { return !C.isPhone() || ui.panel.classList.contains("is-open"); }
  M.core.panelVisible = function (tab) { return panelVisible() && activeTab === tab; };

  // --- a list of dated items kept in step with the slider ------------------------------
  /* Items sorted by day; marks the ones after the current date (dimmed) and the ones on
   * it (highlighted), changing only the items between the old and the new position. */
  function DayMarks(days, nodes) {
    this.days = days;
    this.nodes = nodes;
    this.boundary = 0; // items [0, boundary) are on or before the date
    this.curLo = 0;
    this.curHi = 0;
    for (var k = 0; k < nodes.length; k++) nodes[k].classList.add("is-future");
  }
  DayMarks.prototype.update = function (day) {
    var b = C.upperBound(this.days, day);
    var k;
    for (k = Math.min(b, this.boundary); k < Math.max(b, this.boundary); k++) {
      this.nodes[k].classList.toggle("is-future", k >= b);
    }
    this.boundary = b;
    var lo = C.lowerBound(this.days, day);
    if (lo !== this.curLo || b !== this.curHi) {
      for (k = this.curLo; k < this.curHi; k++) {
        this.nodes[k].classList.remove("is-today");
        this.nodes[k].removeAttribute("aria-current");
      }
      for (k = lo; k < b; k++) {
        this.nodes[k].classList.add("is-today");
        this.nodes[k].setAttribute("aria-current", "date");
      }
      this.curLo = lo;
      this.curHi = b;
      return true;
    }
    return false;
  };

  // --- the event list: a window of it around the date ------------------------------------
  /* Only WINDOW items are in the DOM, around the slider's date, so a data set with 30,000
   * events keeps a short list. The window moves when the date comes near one of its edges;
   * "Earlier" and "Later" buttons widen it by hand. */
  var WINDOW = 80, EDGE = 15;
  var list = { items: [], days: null, lo: 0, hi: 0, marks: null, shownBoundary: -1 };

  function buildEventList() {
    var items = [];
    var e, k;
    for (e = 0; e < S.ctlDay.length; e++) items.push({ kind: "control", k: e, day: S.ctlDay[e] });
    var inc = S.p.incidents;
    for (k = 0; k < inc.day.length; k++) items.push({ kind: "incidents", k: k, day: inc.day[k] });
    items.sort(function (a, b) { return a.day - b.day || (a.kind === "control" ? -1 : 1); });
    list.items = items;
    list.days = Int32Array.from(items.map(function (it) { return it.day; }));
    $("mapapp-events-count").textContent = items.length + (items.length === 1 ? " event" :
                                                           " events");
    ui.earlier = moreButton(-1);
    ui.later = moreButton(1);
    ui.events.before(ui.earlier);
    ui.events.after(ui.later);
  }

  function moreButton(dir) {
    var button = C.el("button", { type: "button", className: "mapapp-btn mapapp-btn-text " +
                                  "mapapp-more", hidden: "hidden" });
    button.addEventListener("click", function () {
      if (dir < 0) {
        // Keep the first item shown where it is while earlier ones are added above it.
        var first = ui.events.firstElementChild;
        var before = first ? first.getBoundingClientRect().top : 0;
        renderWindow(Math.max(0, list.lo - WINDOW), list.hi);
        if (first) ui.events.parentNode.scrollTop += first.getBoundingClientRect().top - before;
      } else {
        renderWindow(list.lo, Math.min(list.items.length, list.hi + WINDOW));
      }
    });
    return button;
  }

  function renderWindow(lo, hi) {
    list.lo = lo;
    list.hi = hi;
    var nodes = [];
    for (var k = lo; k < hi; k++) nodes.push(eventItem(list.items[k]));
    ui.events.replaceChildren.apply(ui.events, nodes);
    list.marks = new DayMarks(list.days.subarray(lo, hi), nodes);
    list.marks.update(S.day);
    fillEventTexts(false);
    list.shownBoundary = -1;
    ui.earlier.hidden = lo === 0;
    ui.earlier.textContent = "Earlier events (" + lo + ")";
    ui.later.hidden = hi === list.items.length;
    ui.later.textContent = "Later events (" + (list.items.length - hi) + ")";
  }

  function centreWindow(b) {
    var n = list.items.length;
    var lo = Math.max(0, Math.min(b - WINDOW / 2, n - WINDOW));
    renderWindow(lo, Math.min(n, lo + WINDOW));
  }

  function placeOf(item) {
    return item.kind === "control" ? S.ctlPlace[item.k] : S.p.incidents.place[item.k];
  }

  function eventItem(item) {
    var place = placeOf(item);
    var name = place >= 0 ? C.placeNameNode(place, "span", "mapapp-ev-place")
                          : C.el("span", { className: "mapapp-ev-place", text: "" });
    var what = item.kind === "control" ? C.stateLine(item.k) : incidentLine(item.k);
    var jump = C.el("button", { type: "button", className: "mapapp-ev-jump" }, [
      C.el("span", { className: "mapapp-ev-date", text: C.dayLabel(item.day) }),
      name,
      C.el("span", { className: "mapapp-ev-what" }, [what]),
    ]);
    jump.addEventListener("click", function () { goToEvent(item); });
    // Summary and source are filled in by fillEventTexts; incidents' ids come with them.
    var id = item.kind === "control" ? S.p.control.id[item.k] : null;
    return C.el("li", { className: "mapapp-ev mapapp-ev-" + item.kind, "data-event": id },
                [jump, C.el("div", { className: "mapapp-ev-text" })]);
  }

  function listShown() { return panelVisible() && activeTab === "events"; }

  /* Rows of the window still without their summary and source get them, in place. Their
   * chunks are asked for only while the list can be seen: a closed drawer or another tab
   * loads nothing, and rows then take only texts already here. With `keep`, the first row
   * in view stays where it is on the screen. */
  function fillEventTexts(keep) {
    var marks = list.marks;
    if (!marks) return;
    var shown = listShown();
    keepingPlace(keep && shown ? marks.nodes : [], currentNode(), function () {
      for (var k = 0; k < marks.nodes.length; k++) {
        var box = marks.nodes[k].lastChild;
        if (box.firstChild) continue;
        var item = list.items[list.lo + k];
        var d = C.detail(item.kind, item.k, !shown);
        if (!d) continue;
        box.appendChild(C.el("p", { className: "mapapp-ev-summary", text: d.summary }));
        box.appendChild(C.citation(item.kind, item.k));
        marks.nodes[k].setAttribute("data-event", d.id);
      }
    });
  }

  /* Runs `change`, which fills some of `rows` in place, and keeps a row where it is on
   * the screen: `preferred` (the date's row) when it is in view, else the first row in
   * view. Texts arriving never move a list under the reader, nor the date's row away. */
  function keepingPlace(rows, preferred, change) {
    if (!rows.length) { change(); return; }
    var paneNode = rows[0].closest(".mapapp-pane");
    var pane = paneNode.getBoundingClientRect();
    var anchor = preferred;
    var box = anchor ? anchor.getBoundingClientRect() : null;
    if (!box || box.bottom <= pane.top || box.top >= pane.bottom) {
      // Rows are in document order: the first one in view is found by bisection.
      var lo = 0, hi = rows.length;
      while (lo < hi) {
        var mid = (lo + hi) >>> 1;
        if (rows[mid].getBoundingClientRect().bottom <= pane.top) lo = mid + 1; else hi = mid;
      }
      anchor = rows[Math.min(lo, rows.length - 1)];
    }
    var before = anchor.getBoundingClientRect().top;
    change();
    paneNode.scrollTop += anchor.getBoundingClientRect().top - before;
  }

  function incidentLine(k) {
    var ids = S.p.incidents.factions[k].map(function (i) { return S.factions[i].id; });
    return C.el("span", null, [C.el("strong", { text: "Incident" }),
                               ids.length ? " by " : null, ids.length ? C.factionList(ids) : null]);
  }

  /* The language changed: the shown items are built again. */
  function refreshEventList() {
    if (!list.marks) return;
    renderWindow(list.lo, list.hi);
    scrollToCurrent(true);
  }

  function goToEvent(item) {
    C.jump(function () { C.applyDay(item.day); });
    closeOnPhone();
    C.showEvent(item.kind, item.k);
  }

  function syncEventList() {
    if (!list.items.length) return;
    if (!list.marks) centreWindow(C.upperBound(list.days, S.day));
    list.marks.update(S.day);
    var b = C.upperBound(list.days, S.day);
    if (b !== list.shownBoundary && !list.frameQueued) {
      // Moving the window and measuring for the scroll wait for the next frame, which lays
      // out anyway: the step itself only changes a few classes.
      list.frameQueued = true;
      requestAnimationFrame(function () {
        list.frameQueued = false;
        var now = C.upperBound(list.days, S.day), n = list.items.length;
        if ((now < list.lo + EDGE && list.lo > 0) || (now > list.hi - EDGE && list.hi < n)) {
          centreWindow(now);
        }
        scrollToCurrent(false);
      });
    }
  }

  /* The list's row for the date: its first event of the day when there is one, else the
   * last one before it. */
  function currentNode() {
    var marks = list.marks;
    if (!marks || !marks.nodes.length) return null;
    var k = marks.curLo < marks.curHi ? marks.curLo : Math.max(0, marks.boundary - 1);
    return marks.nodes[k];
  }

  /* Keep the date's place in the list in view; only when it changed, and only
   * when the list can be seen (scrolling a hidden list would force a layout for nothing). */
  function scrollToCurrent(force) {
    var marks = list.marks;
    if (!marks || !marks.nodes.length) return;
    var b = list.lo + marks.boundary;
    if ((!force && b === list.shownBoundary) || !panelVisible() || activeTab !== "events") {
      return;
    }
    list.shownBoundary = b;
    var node = currentNode();
    var box = ui.events.parentNode; // the scrolling pane
    var top = node.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    var bottom = top + node.offsetHeight;
    if (top < box.scrollTop || bottom > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    }
  }

  // --- the history of one place --------------------------------------------------------
  var hist = { place: null, entries: [], rows: [], waiting: [], marks: null, inForce: null };

  function renderHistory(i) {
    hist.place = i;
    var entries = C.placeEvents(i);
    var nodes = C.placeTitle(i);
    var kind = S.places.kind[i];
    if (kind) nodes.push(C.el("div", { className: "mapapp-place-kind", text: kind }));
    nodes.push(C.el("p", { className: "mapapp-place-count",
                           text: entries.length + (entries.length === 1 ? " event" : " events") +
                             ", oldest first" }));
    var ol = C.el("ol", { className: "mapapp-history", "aria-label": "History" });
    var rows = entries.map(function (entry) {
      var li = historyEntry(entry);
      ol.appendChild(li);
      return li;
    });
    hist.waiting = entries.map(function (entry) { return !C.detail(entry.kind, entry.k, true); });
    if (!entries.length) {
      ol.appendChild(C.el("li", { text: "No event is recorded at this place." }));
    }
    nodes.push(ol);
    ui.place.replaceChildren.apply(ui.place, nodes);
    hist.entries = entries;
    hist.rows = rows;
    hist.marks = new DayMarks(Int32Array.from(entries.map(function (x) { return x.day; })),
                                 rows);
    hist.inForce = null;
    hist.marks.update(S.day);
    markInForce();
  }

  function historyEntry(entry) {
    var date = C.el("button", { type: "button", className: "mapapp-hist-date",
                                text: C.dayLabel(entry.day),
                                title: "Show the map on this date" });
    date.addEventListener("click", function () {
      C.jump(function () { C.applyDay(entry.day); });
    });
    var what = entry.kind === "control" ? C.stateLine(entry.k) : incidentLine(entry.k);
    var li = C.el("li", { className: "mapapp-hist mapapp-ev-" + entry.kind,
                          "data-event": entry.kind === "control" ? S.p.control.id[entry.k]
                                                                 : null },
                  [C.el("div", { className: "mapapp-hist-head" }, [date, " ", what])]);
    // Asking for the texts here loads the chunks of a history being shown.
    if (!historyTexts(li, entry, false)) li.appendChild(C.citation(entry.kind, entry.k));
    return li;
  }

  /* Summary, source and notes under a row's head, once its texts are here (true). */
  function historyTexts(li, entry, peek) {
    var d = C.detail(entry.kind, entry.k, peek);
    if (!d) return false;
    var nodes = [li.firstChild,
                 C.el("p", { className: "mapapp-ev-summary", text: d.summary }),
                 C.citation(entry.kind, entry.k)];
    if (d.notes) nodes.push(C.el("p", { className: "mapapp-notes", text: "Note: " + d.notes }));
    li.replaceChildren.apply(li, nodes);
    li.setAttribute("data-event", d.id);
    return true;
  }

  /* A chunk arrived: rows still "Loading source…" take their texts, in place. */
  function fillHistoryTexts() {
    if (hist.place === null) return;
    var shown = panelVisible() && activeTab === "place";
    keepingPlace(shown ? hist.rows : [], hist.inForce, function () {
      hist.entries.forEach(function (entry, k) {
        if (hist.waiting[k]) hist.waiting[k] = !historyTexts(hist.rows[k], entry, true);
      });
    });
  }

  /* The control event in force at the current date is marked "now". */
  function markInForce() {
    var e = S.cur[hist.place];
    var row = null;
    for (var k = 0; k < hist.entries.length; k++) {
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

  function syncHistory(touched) {
    if (hist.place === null) return;
    hist.marks.update(S.day);
    if (touched.indexOf(hist.place) >= 0) markInForce();
  }

  // --- compare two dates ---------------------------------------------------------------
  var changed = new Set();
  var MAX_COMPARE_ROWS = 300; // the list stays short; the map outlines every one

  function setupCompare() {
    ui.cmpDate.min = C.isoOfDay(S.p.first_day);
    ui.cmpDate.max = C.isoOfDay(S.p.last_day);
    ui.cmpDate.addEventListener("change", function () {
      var day = C.dayOfIso(ui.cmpDate.value);
      if (day === null && ui.cmpDate.value) return; // half-typed
      C.jump(function () { C.setCompare(day, ui.cmpOutline.checked); });
    });
    ui.cmpWeek.addEventListener("click", function () {
      C.jump(function () { C.setCompare(S.day - 7, ui.cmpOutline.checked); });
    });
    ui.cmpClear.addEventListener("click", function () {
      C.jump(function () { C.setCompare(null); });
    });
    ui.cmpOutline.addEventListener("change", function () {
      if (S.cmp) C.setCompare(S.cmp.day, ui.cmpOutline.checked);
    });
    renderCompare();
  }

  function rebuildChangedSet() {
    changed.clear();
    if (!S.cmp) return;
    for (var i = 0; i < S.cur.length; i++) if (C.changedSince(i)) changed.add(i);
  }

  function syncCompare(touched) {
    var dirty = false;
    for (var k = 0; k < touched.length; k++) {
      var i = touched[k];
      var now = C.changedSince(i);
      if (now !== changed.has(i)) dirty = true;
      if (now) changed.add(i); else changed.delete(i);
      if (now) dirty = true; // its "to" state changed
    }
    if (dirty) scheduleCompare();
    else if (!cmpView.dirty) ui.cmpSummary.textContent = compareSentence();
  }

  /* "4 places changed hands between 24 Oct 2017 and 3 Nov 2017; 2 more were first
   * reported." A place without data at the earlier date did not change hands. */
  function compareSentence() {
    var a = Math.min(S.day, S.cmp.day), b = Math.max(S.day, S.cmp.day);
    if (a === b) return "The two dates are the same: pick another one.";
    var earlier = S.day <= S.cmp.day ? S.cur : S.cmp.cur;
    var first = 0;
    changed.forEach(function (i) { if (earlier[i] < 0) first += 1; });
    var n = changed.size - first;
    var text = (n === 0 ? "No place" : n === 1 ? "1 place" : n + " places") +
      " changed hands between " + C.dayLabel(a) + " and " + C.dayLabel(b);
    if (first) {
      text += "; " + first + (first === 1 ? " more was" : " more were") + " first reported";
    }
    return text + (changed.size ? ":" : ".");
  }

  /* Holders of a state: the holder of held/contested, every faction of joint. */
  function holders(e) {
    if (e < 0) return [];
    var st = S.p.states[S.ctlState[e]];
    return st.status === "joint" ? st.factions : [st.factions[0]];
  }

  function shortState(e) {
    if (e < 0) return "no data";
    var st = S.p.states[S.ctlState[e]];
    var names = st.factions.map(function (k) {
      return S.factions[k].short_name || S.factions[k].name;
    });
    if (st.status === "held") return names[0];
    return (st.status === "contested" ? "contested " : "joint ") + names.join(st.status ===
      "contested" ? " vs " : " + ");
  }

  /* The list is rebuilt in the next frame, and only while it can be seen: during play a
   * step only updates the set of changed places. */
  var cmpView = { dirty: false, queued: false, rank: null, rankLang: null };
  function scheduleCompare() {
    cmpView.dirty = true;
    if (cmpView.queued) return;
    cmpView.queued = true;
    requestAnimationFrame(function () {
      cmpView.queued = false;
      if (panelVisible() && activeTab === "compare") renderCompare();
    });
  }
  M.hook("tab", function (name) { if (name === "compare" && cmpView.dirty) renderCompare(); });

  /* Places in name order, as ranks: sorting the changed ones is then a sort of integers. */
  function nameRank() {
    if (cmpView.rankLang !== S.lang) {
      var order = S.places.id.map(function (id, i) { return i; });
      var names = order.map(function (i) { return C.placeName(i); });
      order.sort(function (x, y) { return names[x].localeCompare(names[y]); });
      cmpView.rank = new Int32Array(order.length);
      order.forEach(function (i, r) { cmpView.rank[i] = r; });
      cmpView.rankLang = S.lang;
    }
    return cmpView.rank;
  }

  function renderCompare() {
    cmpView.dirty = false;
    var active = !!S.cmp;
    ui.cmpDate.value = active ? C.isoOfDay(S.cmp.day) : "";
    ui.cmpClear.disabled = !active;
    ui.cmpOutline.checked = active ? S.cmp.outline : ui.cmpOutline.checked;
    $("mapapp-compare-now").textContent = C.dayLabel(S.day);
    if (!active) {
      ui.cmpSummary.textContent = "Pick a second date: places that changed hands between it " +
        "and the map's date are outlined in the new holder's colour and listed here.";
      ui.cmpGains.replaceChildren();
      ui.cmpList.replaceChildren();
      return;
    }
    ui.cmpSummary.textContent = compareSentence();
    var laterIsNow = S.day >= S.cmp.day;
    var rows = [];
    var gain = {}, loss = {};
    var rank = nameRank();
    var sorted = Array.from(changed).sort(function (x, y) { return rank[x] - rank[y]; });
    sorted.forEach(function (i, n) {
      var before = laterIsNow ? S.cmp.cur[i] : S.cur[i];
      var after = laterIsNow ? S.cur[i] : S.cmp.cur[i];
      tally(gain, loss, holders(before), holders(after), S.places.area_km2[i] || 0);
      if (n < MAX_COMPARE_ROWS) rows.push(compareRow(i, before, after));
    });
    if (changed.size > MAX_COMPARE_ROWS) {
      rows.push(C.el("li", { className: "mapapp-hint",
                             text: "… and " + (changed.size - MAX_COMPARE_ROWS) +
                               " more, outlined on the map." }));
    }
    ui.cmpList.replaceChildren.apply(ui.cmpList, rows);
    ui.cmpGains.replaceChildren.apply(ui.cmpGains, gainRows(gain, loss));
  }

  /* Per faction: places (and km²) it holds at the later date and not at the earlier one
   * (gain), or the other way round (loss). */
  function tally(gain, loss, before, after, area) {
    var add = function (table, f) {
      table[f] = table[f] || [0, 0];
      table[f][0] += 1;
      table[f][1] += area;
    };
    after.forEach(function (f) { if (before.indexOf(f) < 0) add(gain, f); });
    before.forEach(function (f) { if (after.indexOf(f) < 0) add(loss, f); });
  }

  function gainRows(gain, loss) {
    var out = [];
    S.factions.forEach(function (f, k) {
      if (!gain[k] && !loss[k]) return;
      var parts = [];
      if (gain[k]) parts.push("gained " + count(gain[k][0]) + " (" + km2(gain[k][1]) + ")");
      if (loss[k]) parts.push("lost " + count(loss[k][0]) + " (" + km2(loss[k][1]) + ")");
      var sw = C.el("span", { className: "mapapp-swatch", "aria-hidden": "true" });
      sw.style.background = f.color;
      out.push(C.el("li", null, [sw, C.el("strong", { text: f.name }), " " + parts.join(", ")]));
    });
    return out;
  }
  function count(n) { return n + (n === 1 ? " place" : " places"); }
  function km2(x) {
    if (x <= 0) return "points only"; // border crossings and other point places
    return (x >= 100 ? Math.round(x).toLocaleString("en-GB") : x.toFixed(1)) + " km²";
  }

  function compareRow(i, before, after) {
    var name = C.placeNameNode(i, "span");
    var button = C.el("button", { type: "button", className: "mapapp-cmp-place" }, [name]);
    button.addEventListener("click", function () {
      closeOnPhone();
      C.flyToPlace(i, null, function () { if (S.layers[i]) S.layers[i].openPopup(); });
    });
    var li = C.el("li", { className: "mapapp-cmp-row" }, [
      button, C.el("span", { className: "mapapp-cmp-change",
                             text: shortState(before) + " → " + shortState(after) }),
    ]);
    li.style.borderLeftColor = C.gainerColor(i);
    return li;
  }

  M.hook("compare", function () {
    $("mapapp-compare-now").textContent = C.dayLabel(S.day);
  });
  M.hook("day", function () {
    if (S.cmp || activeTab === "compare") $("mapapp-compare-now").textContent = C.dayLabel(S.day);
  });
})();
