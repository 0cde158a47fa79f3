/* The date shown, previous / next change, play / pause at a speed, and "Go to". */
import { dayOfIso, isoOfDay, lowerBound, upperBound } from "../days.js";
import { reducedMotion, setAttr, setText } from "../dom.js";
import { _ } from "../i18n.js";

// With prefers-reduced-motion, play takes one step (a day, or a change) every 2 s at most.
export const REDUCED_DELAY = 2000;

export class Transport {
  constructor(app, ui, range, url) {
    this.app = app;
    this.ui = ui;
    this.range = range;
    this.timer = null;
    const en = app.engine;
    ui.prev.addEventListener("click", () => this.jumpChange(-1));
    ui.next.addEventListener("click", () => this.jumpChange(1));
    ui.play.addEventListener("click", () => this.toggle());
    for (const b of [ui.prev, ui.next, ui.play, ui.speed]) b.disabled = false;
    ui.dateInput.min = isoOfDay(en.p.first_day);
    ui.dateInput.max = isoOfDay(en.p.last_day);
    ui.dateInput.disabled = false;
    ui.dateInput.addEventListener("change", () => {
      const day = dayOfIso(ui.dateInput.value);
      if (day === null) return; // a half-typed date: wait for the rest
      url.jump(() => app.applyDay(day));
    });
  }

  updateDate() {
    const ui = this.ui, en = this.app.engine, day = en.day;
    const clamped = Math.min(Math.max(day, this.range.lo), this.range.hi);
    if (parseInt(ui.slider.value, 10) !== clamped) ui.slider.value = clamped;
    // Only what differs is written (dom.js setText, setAttr).
    const label = this.app.labels.dayLabel(day), iso = isoOfDay(day);
    setAttr(ui.slider, "aria-valuetext", label);
    setText(ui.date, label);
    setAttr(ui.date, "data-date", iso);
    if (document.activeElement !== ui.dateInput && ui.dateInput.value !== iso) {
      ui.dateInput.value = iso;
    }
    const days = en.p.change_days;
    const noPrev = !days.length || days[0] >= day, noNext = !days.length || days[days.length - 1] <= day;
    if (ui.prev.disabled !== noPrev) ui.prev.disabled = noPrev;
    if (ui.next.disabled !== noNext) ui.next.disabled = noNext;
  }

  prevChangeDay() {
    const days = this.app.engine.p.change_days;
    const k = lowerBound(days, this.app.engine.day) - 1;
    return k >= 0 ? days[k] : null;
  }
  nextChangeDay() {
    const days = this.app.engine.p.change_days;
    const k = upperBound(days, this.app.engine.day);
    return k < days.length ? days[k] : null;
  }
  jumpChange(dir) {
    const day = dir < 0 ? this.prevChangeDay() : this.nextChangeDay();
    if (day !== null) this.app.applyDay(day);
  }
  stepDay(dir) {
    const en = this.app.engine;
    const day = Math.min(Math.max(en.day + dir, en.p.first_day), en.p.last_day);
    if (day !== en.day) this.app.applyDay(day);
  }

  isPlaying() { return this.timer !== null; }

  play() {
    if (this.isPlaying()) return;
    // At the end of the domain, play from its start again.
    if (this.app.engine.day >= this.range.hi) this.app.applyDay(this.range.lo);
    this.setButton(true);
    this.schedule();
  }
  pause() {
    if (!this.isPlaying()) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.setButton(false);
  }
  toggle() { if (this.isPlaying()) this.pause(); else this.play(); }

  schedule() {
    const speed = this.ui.speed.value;
    const delay = speed === "change" ? 1000 : 1000 / parseFloat(speed);
    this.timer = setTimeout(() => this.tick(), reducedMotion() ? REDUCED_DELAY : delay);
  }
  tick() {
    const en = this.app.engine, hi = this.range.hi;
    const next = this.ui.speed.value === "change" ? this.nextChangeDay() : en.day + 1;
    if (next === null || next > hi) {
      if (en.day < hi) this.app.applyDay(hi);
      this.pause();
      return;
    }
    this.app.applyDay(next);
    if (en.day >= hi) { this.pause(); return; }
    this.schedule();
  }
  setButton(playing) {
    const play = this.ui.play;
    play.setAttribute("aria-pressed", playing ? "true" : "false");
    play.setAttribute("aria-label", playing ? _("Pause") : _("Play"));
    play.title = playing ? _("Pause (Space)") : _("Play (Space)");
    play.classList.toggle("is-playing", playing);
  }
}
