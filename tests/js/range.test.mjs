// The busy period (mapapp/static/viewer/range.js) from the shipped data's engine: the
// changes it counts leave out each place's first control event.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { decodePayload, Engine } from "../../mapapp/static/engine.js";

// range.js reaches the page's hook registry when it loads; under node there is none.
globalThis.window = { mapapp: { folium: { emit() {} }, hook() {} } };
const { busyWindow, changeDays, sortedEventDays } = await import("../../mapapp/static/viewer/range.js");

const GOLDEN = new URL("./golden/", import.meta.url);

function engineOf(name) {
  const golden = JSON.parse(readFileSync(new URL(name + ".json", GOLDEN), "utf-8"));
  return new Engine(decodePayload(golden.payload));
}

test("change days: incidents and every control event but a place's first", () => {
  const en = engineOf("shipped");
  const days = changeDays(en);
  const firsts = new Set();
  let expected = en.incDay.length;
  for (let e = 0; e < en.ctlDay.length; e++) {
    if (firsts.has(en.ctlPlace[e])) expected += 1;
    firsts.add(en.ctlPlace[e]);
  }
  assert.equal(days.length, expected);
  assert.ok(days.length < sortedEventDays(en).length);
  for (let k = 1; k < days.length; k++) assert.ok(days[k - 1] <= days[k]);
});

test("busy window holds three quarters of the changes and is under half the span", () => {
  const en = engineOf("shipped");
  const days = changeDays(en), p = en.p;
  const busy = busyWindow(days, p.first_day, p.last_day);
  assert.ok(busy, "the shipped data has a busy period");
  const inside = days.filter((d) => d >= busy[0] && d <= busy[1]).length;
  assert.ok(inside >= Math.ceil(days.length * 0.75));
  assert.ok(busy[1] - busy[0] < 0.5 * (p.last_day - p.first_day));
});

test("no busy window for a few days of data", () => {
  assert.equal(busyWindow(Int32Array.from([1, 2, 3]), 0, 400), null);
});
