/* Data that shows its age, with no DOM (node imports it): a place whose latest report (any
 * event about it, control or incident, on or before the date) is at least the threshold
 * old is stale. The threshold, the age units and the words come from the page config
 * (mapapp/freshness.py page_settings); a place with no data is never stale. */
import { upperBound } from "./days.js";
import { trn, tr } from "./i18n.js";

export class Freshness {
  /* `rule`: cfg.freshness ({after_days, units, label, legend}), or null for none. */
  constructor(engine, rule) {
    const n = engine.places.id.length;
    this.engine = engine;
    this.rule = rule || null;
    this.stale = new Uint8Array(n);
    this.count = 0;
    this.reportDay = null;
    if (!this.rule) return;
    // Every place's report days, sorted, one place after another (two arrays, not one
    // per place): place i's are reportDay[reportStart[i]] .. reportDay[reportStart[i + 1] - 1].
    const inc = engine.p.incidents, start = new Int32Array(n + 1);
    for (let e = 0; e < engine.ctlDay.length; e++) start[engine.ctlPlace[e] + 1]++;
    for (let k = 0; k < inc.day.length; k++) if (inc.place[k] >= 0) start[inc.place[k] + 1]++;
    for (let i = 0; i < n; i++) start[i + 1] += start[i];
    const day = new Int32Array(start[n]), next = start.slice(0, n);
    for (let e = 0; e < engine.ctlDay.length; e++) day[next[engine.ctlPlace[e]]++] = engine.ctlDay[e];
    for (let k = 0; k < inc.day.length; k++) if (inc.place[k] >= 0) day[next[inc.place[k]]++] = inc.day[k];
    for (let i = 0; i < n; i++) day.subarray(start[i], start[i + 1]).sort();
    this.reportStart = start;
    this.reportDay = day;
  }

  /* Place i's report days, sorted. */
  reportsOf(i) { return this.reportDay.subarray(this.reportStart[i], this.reportStart[i + 1]); }

  /* The day of the latest report about place i on or before `day`, or null. */
  lastReport(i, day) {
    if (!this.rule || day === null) return null;
    const lo = this.reportStart[i], n = upperBound(this.reportDay, day, lo, this.reportStart[i + 1]);
    return n > lo ? this.reportDay[n - 1] : null;
  }

  /* Stale at `day` given the event in force `e` (-1: no data, never stale). */
  isStale(i, e, day) {
    if (!this.rule || e < 0) return false;
    const last = this.lastReport(i, day);
    return last !== null && day - last >= this.rule.after_days;
  }

  /* After the engine moved: the places whose staleness changed (this.stale follows), and
   * whether some place became the first stale one or the last ceased to be. */
  update() {
    const changed = [];
    if (!this.rule) return { changed, countCrossed: false };
    const { cur, day } = this.engine;
    const before = this.count > 0;
    for (let i = 0; i < this.stale.length; i++) {
      const stale = this.isStale(i, cur[i], day) ? 1 : 0;
      if (stale === this.stale[i]) continue;
      this.stale[i] = stale;
      this.count += stale ? 1 : -1;
      changed.push(i);
    }
    return { changed, countCrossed: before !== this.count > 0 };
  }

  /* "45 days", "3 months", "2 years": the first unit whose bound the age is under. */
  ageText(age) {
    for (const [unit, size, below] of this.rule.units) {
      if (below === null || age < below) {
        const n = Math.floor(age / size + 0.5);
        const forms = this.rule.unit_text[unit];
        return trn(forms[0], forms[1], n);
      }
    }
    return null;
  }

  /* "last reported 3 months ago" for place i now, or null when it is not stale. */
  note(i) {
    if (!this.rule || !this.stale[i]) return null;
    const day = this.engine.day;
    return tr(this.rule.label, { age: this.ageText(day - this.lastReport(i, day)) });
  }

  /* What getPlaceState adds: the ISO day of the latest report, and whether it is stale. */
  lastReportedDay(i) { return this.lastReport(i, this.engine.day); }
}
