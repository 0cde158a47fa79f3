/* Compare two dates: the places whose holder differs (replayed in the browser, so the
 * list and the map's outlines follow the slider), and per faction the places gained and
 * lost, from the engine (GET /api/gains-losses): a place first reported in between is not
 * a gain. */
import { dayOfIso, isoOfDay } from "../days.js";
import { el, setText, swatch } from "../dom.js";
import { hook } from "../hooks.js";
import { apiUrl } from "../viewer/toolbar.js";
import { _, formatNumber, trn, tr } from "../i18n.js";

const MAX_ROWS = 300; // the list stays short; the map outlines every one

export function setupCompare(app, panel) {
  const en = app.engine, labels = app.labels;
  const $ = (id) => document.getElementById(id);
  const ui = {
    date: $("mapapp-compare-date"), week: $("mapapp-compare-week"),
    clear: $("mapapp-compare-clear"), outline: $("mapapp-compare-outline"),
    summary: $("mapapp-compare-summary"), gains: $("mapapp-compare-gains"),
    list: $("mapapp-compare-list"), now: $("mapapp-compare-now"),
  };
  const changed = new Set();
  const view = { dirty: false, queued: false, rank: null, rankLang: null };
  const gains = new Map(); // "from/to" -> the engine's answer (a promise)

  ui.date.min = isoOfDay(en.p.first_day);
  ui.date.max = isoOfDay(en.p.last_day);
  ui.date.addEventListener("change", () => {
    const day = dayOfIso(ui.date.value);
    if (day === null && ui.date.value) return; // half-typed
    app.jump(() => app.setCompare(day, ui.outline.checked));
  });
  ui.week.addEventListener("click", () => {
    app.jump(() => app.setCompare(en.day - 7, ui.outline.checked));
  });
  ui.clear.addEventListener("click", () => app.jump(() => app.setCompare(null)));
  ui.outline.addEventListener("change", () => {
    if (app.comparison) app.setCompare(app.comparison.day, ui.outline.checked);
  });

  function rebuildChanged() {
    changed.clear();
    const cmp = app.comparison;
    if (!cmp) return;
    for (let i = 0; i < en.cur.length; i++) if (cmp.changed(i)) changed.add(i);
  }

  function sync(touched) {
    const cmp = app.comparison;
    let dirty = false;
    for (const i of touched) {
      const now = cmp.changed(i);
      if (now) { changed.add(i); dirty = true; } // added, or its "to" state changed
      else if (changed.delete(i)) dirty = true;
    }
    if (dirty) schedule();
    else if (!view.dirty) ui.summary.textContent = sentence();
  }

  /* "4 places changed hands between 24 Oct 2017 and 3 Nov 2017; 2 more were first
   * reported:". A place without data at the earlier date did not change hands. */
  function sentence() {
    const cmp = app.comparison;
    const a = Math.min(en.day, cmp.day), b = Math.max(en.day, cmp.day);
    if (a === b) return _("The two dates are the same: pick another one.");
    let first = 0;
    changed.forEach((i) => { if (cmp.beforeAfter(i)[0] < 0) first += 1; });
    const n = changed.size - first;
    const dates = { from: labels.dayLabel(a), to: labels.dayLabel(b) };
    let out = n === 0 ? tr("No place changed hands between {from} and {to}", dates)
      : trn("{n} place changed hands between {from} and {to}",
              "{n} places changed hands between {from} and {to}", n, dates);
    if (first) {
      out += trn("; {n} more was first reported", "; {n} more were first reported", first);
    }
    return out + (changed.size ? _(":") : _("."));
  }

  /* The list is rebuilt in the next frame, and only while it can be seen: during play a
   * step only updates the set of changed places. */
  function schedule() {
    view.dirty = true;
    if (view.queued) return;
    view.queued = true;
    requestAnimationFrame(() => {
      view.queued = false;
      if (panel.showing("compare")) render();
    });
  }

  /* Places in name order, as ranks: sorting the changed ones is then a sort of integers. */
  function nameRank() {
    if (view.rankLang !== labels.lang) {
      const order = en.places.id.map((id, i) => i);
      const names = order.map((i) => labels.placeName(i));
      order.sort((x, y) => names[x].localeCompare(names[y]));
      view.rank = new Int32Array(order.length);
      order.forEach((i, r) => { view.rank[i] = r; });
      view.rankLang = labels.lang;
    }
    return view.rank;
  }

  function render() {
    view.dirty = false;
    const cmp = app.comparison;
    ui.date.value = cmp ? isoOfDay(cmp.day) : "";
    ui.clear.disabled = !cmp;
    if (cmp) ui.outline.checked = cmp.outline;
    setText(ui.now, labels.dayLabel(en.day));
    if (!cmp) {
      ui.summary.textContent = _("Pick a second date: places that changed hands between it " +
        "and the map's date are outlined in the new holder's colour and listed here.");
      ui.gains.replaceChildren();
      ui.list.replaceChildren();
      return;
    }
    ui.summary.textContent = sentence();
    const rank = nameRank();
    const sorted = Array.from(changed).sort((x, y) => rank[x] - rank[y]);
    const rows = sorted.slice(0, MAX_ROWS).map((i) => row(i, ...cmp.beforeAfter(i)));
    if (changed.size > MAX_ROWS) {
      rows.push(el("li", { className: "mapapp-hint",
                           text: tr("… and {n} more, outlined on the map.", { n: changed.size - MAX_ROWS }) }));
    }
    ui.list.replaceChildren(...rows);
    showGains(Math.min(en.day, cmp.day), Math.max(en.day, cmp.day));
  }

  /* Per faction, from the engine: "Syrian government gained 3 places (12.0 km²)", then
   * losses and first reports (GainsAndLosses.tally: gained, lost, first_reported, *_km2). */
  function showGains(a, b) {
    const key = isoOfDay(a) + "/" + isoOfDay(b);
    if (a === b) { ui.gains.replaceChildren(); return; }
    if (!gains.has(key)) {
      const query = "?from=" + isoOfDay(a) + "&to=" + isoOfDay(b);
      gains.set(key, fetch(apiUrl(app.cfg, "gains-losses") + query, { credentials: "same-origin" })
        .then((r) => { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
        .catch((err) => { gains.delete(key); throw err; }));
    }
    ui.gains.setAttribute("aria-busy", "true");
    gains.get(key).then((body) => {
      const cmp = app.comparison;
      // Only the answer for the dates compared now is shown.
      if (!cmp || key !== isoOfDay(Math.min(en.day, cmp.day)) + "/" +
          isoOfDay(Math.max(en.day, cmp.day))) return;
      ui.gains.replaceChildren(...gainRows(body.factions));
      ui.gains.removeAttribute("aria-busy");
    }, (err) => {
      ui.gains.replaceChildren(el("li", { className: "mapapp-hint",
                                          text: tr("Could not load gains and losses: {error}", { error: err.message }) }));
      ui.gains.removeAttribute("aria-busy");
    });
  }

  function gainRows(table) {
    const out = [];
    for (const f of en.factions) {
      const t = table[f.id];
      if (!t || (!t.gained && !t.lost && !t.first_reported)) continue;
      const parts = [];
      if (t.gained) {
        parts.push(trn("gained {n} place{area}", "gained {n} places{area}", t.gained,
                         { area: km2(t.gained_km2) }));
      }
      if (t.lost) {
        parts.push(trn("lost {n} place{area}", "lost {n} places{area}", t.lost,
                         { area: km2(t.lost_km2) }));
      }
      // as on the exported change map: a first report is listed apart, never as a gain
      if (t.first_reported) {
        parts.push(trn("first reported holding {n} place{area}",
                         "first reported holding {n} places{area}", t.first_reported,
                         { area: km2(t.first_reported_km2) }));
      }
      out.push(el("li", null, [swatch(f.color), el("strong", { text: f.name }),
                               " " + parts.join(_(", "))]));
    }
    return out;
  }

  function row(i, before, after) {
    const button = el("button", { type: "button", className: "mapapp-cmp-place" },
                      [labels.placeNameNode(i, "span")]);
    button.addEventListener("click", () => {
      panel.closeOnPhone();
      app.nav.showPlace(i);
    });
    const li = el("li", { className: "mapapp-cmp-row" }, [
      button, el("span", { className: "mapapp-cmp-change",
                           text: labels.shortState(before) + " → " + labels.shortState(after) }),
    ]);
    li.style.borderLeftColor = app.comparison.gainerColor(i);
    return li;
  }

  hook("day", (touched) => {
    if (app.comparison) sync(touched);
    if (app.comparison || panel.active === "compare") setText(ui.now, labels.dayLabel(en.day));
  });
  hook("lang", () => { if (app.comparison) render(); });
  hook("tab", (name) => { if (name === "compare" && view.dirty) render(); });
  hook("compare", () => {
    rebuildChanged();
    render();
  });
  render();
}


/* " (12.0 km²)"; places known only as points have no area. */
function km2(x) {
  if (x <= 0) return _(" (points only)");
  return tr(" ({area} km²)", { area: x >= 100 ? formatNumber(Math.round(x)) : x.toFixed(1) });
}
