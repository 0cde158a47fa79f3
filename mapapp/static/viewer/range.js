/* The slider's domain ("range") and the density strip above it.
 *
 * Ranges: all the data, its busy period, the last 90 days, or a window around the date,
 * so a few busy weeks in years of data can be scrubbed day by day.
 */
import { dayOfIso, lowerBound, upperBound } from "../days.js";
import { el } from "../dom.js";
import { emit } from "../hooks.js";
import { _, tr } from "../i18n.js";

export const AROUND_DAYS = 21;

/* Every event's day, sorted: control changes and incidents. */
export function sortedEventDays(engine) {
  const days = Array.from(engine.ctlDay).concat(engine.p.incidents.day);
  days.sort((a, b) => a - b);
  return Int32Array.from(days);
}

/* The days of changes, sorted: incidents and every control event but a place's first,
 * which only sets where the place starts (often a report years before the period the
 * data is about). */
export function changeDays(engine) {
  const days = Array.from(engine.incDay);
  for (let e = 0; e < engine.ctlDay.length; e++) {
    if (engine.ctlPrev[e] >= 0) days.push(engine.ctlDay[e]);
  }
  days.sort((a, b) => a - b);
  return Int32Array.from(days);
}

/* The shortest window holding three quarters of the changes, padded a little: where the
 * data is dense. Null when that is most of the data anyway. */
export function busyWindow(days, first, last) {
  const n = days.length;
  if (n < 8 || last - first < 120) return null;
  const want = Math.ceil(n * 0.75);
  let best = null;
  for (let k = 0; k + want - 1 < n; k++) {
    const width = days[k + want - 1] - days[k];
    if (best === null || width < best[1] - best[0]) best = [days[k], days[k + want - 1]];
  }
  const pad = Math.max(7, Math.round((best[1] - best[0]) * 0.1));
  const lo = Math.max(first, best[0] - pad), hi = Math.min(last, best[1] + pad);
  return (hi - lo) < 0.5 * (last - first) ? [lo, hi] : null;
}

export class Range {
  constructor(app, ui, requestedMode) {
    this.app = app;
    this.ui = ui;
    const p = app.engine.p;
    this.allDays = sortedEventDays(app.engine);
    this.busy = busyWindow(changeDays(app.engine), p.first_day, p.last_day);
    const options = [["all", _("All")]];
    if (this.busy) options.push(["busy", _("Busy period")]);
    if (p.last_day - p.first_day > 180) options.push(["90", _("Last 90 days")]);
    if (p.last_day - p.first_day > 2 * AROUND_DAYS + 14) options.push(["around", _("±3 weeks")]);
    for (const [value, text] of options) ui.range.appendChild(el("option", { value, text }));
    this.modes = options.map((o) => o[0]);
    this.defaultMode = this.busy ? "busy" : "all";
    const start = dayOfIso(app.cfg.date);
    // The domain must hold the first date, set only after every module's setup.
    this.startDay = start === null ? p.last_day : start;
    this.mode = "all"; this.lo = p.first_day; this.hi = p.last_day;
    this.set(this.known(requestedMode) || this.defaultMode, true);
    if (this.startDay < this.lo || this.startDay > this.hi) this.set("all", true);
    ui.range.disabled = options.length < 2;
  }

  /* A range from the URL, if it is one this data set offers. */
  known(mode) { return this.modes.indexOf(mode) >= 0 ? mode : null; }

  domainOf(mode) {
    const p = this.app.engine.p, first = p.first_day, last = p.last_day;
    const day = this.app.engine.day === null ? this.startDay : this.app.engine.day;
    if (mode === "busy" && this.busy) return this.busy.slice();
    if (mode === "90") return [Math.max(first, last - 89), last];
    if (mode === "around") {
      const lo = Math.max(first, day - AROUND_DAYS), hi = Math.min(last, lo + 2 * AROUND_DAYS);
      return [Math.max(first, hi - 2 * AROUND_DAYS), hi];
    }
    return [first, last];
  }

  set(mode, quiet) {
    const [lo, hi] = this.domainOf(mode);
    const ui = this.ui, labels = this.app.labels;
    this.mode = mode; this.lo = lo; this.hi = hi;
    ui.range.value = mode;
    ui.slider.min = lo;
    ui.slider.max = hi;
    ui.rangeStart.textContent = labels.dayLabel(lo);
    ui.rangeEnd.textContent = labels.dayLabel(hi);
    ui.slider.setAttribute("aria-description",
      tr("from {from} to {to}", { from: labels.dayLabel(lo), to: labels.dayLabel(hi) }));
    this.drawStrip();
    if (!quiet && this.onChange) this.onChange();
    emit("range", { mode, lo, hi });
  }

  /* The date left the slider's domain (a key, a link, the API): follow it. */
  follow() {
    const en = this.app.engine;
    if (en.day < en.p.first_day || en.day > en.p.last_day) return; // clamped, as before
    this.set(this.mode === "around" ? "around" : "all");
  }

  contains(day) { return day >= this.lo && day <= this.hi; }

  /* Events per bucket of days (at least 3 px wide, counted by binary search, square-root
   * heights so one event stays visible) and red ticks at change dates. */
  drawStrip() {
    const canvas = this.ui.strip;
    const width = canvas.clientWidth, height = canvas.clientHeight;
    if (!width || !height) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const { lo, hi } = this;
    const span = Math.max(1, hi - lo);
    const x = (day) => (day - lo) / span * width;
    const perBucket = Math.max(1, Math.ceil((span + 1) * 3 / width));
    const counts = [];
    let max = 1;
    for (let d = lo; d <= hi; d += perBucket) {
      const c = upperBound(this.allDays, d + perBucket - 1) - lowerBound(this.allDays, d);
      counts.push([d, c]);
      if (c > max) max = c;
    }
    const barWidth = Math.max(2, Math.min(perBucket * width / span * 0.8, 8));
    const top = 5, room = height - top;
    ctx.fillStyle = "#5b7a99";
    for (const [day, c] of counts) {
      if (!c) continue;
      const h = Math.max(2, Math.sqrt(c / max) * room);
      ctx.fillRect(x(day + (perBucket - 1) / 2) - barWidth / 2, height - h, barWidth, h);
    }
    ctx.fillStyle = "#c0392b";
    const days = this.app.engine.p.change_days;
    for (let k = lowerBound(days, lo); k < days.length && days[k] <= hi; k++) {
      ctx.fillRect(x(days[k]) - 1, 0, 2, top - 1);
    }
  }
}
