// The page's engine (mapapp/static/engine.js) against the Python Timeline: golden files
// written by tests/js_golden.py hold a payload and every place's state at every change day.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { decodePayload, Engine, Comparison } from "../../mapapp/static/engine.js";
import { isoOfDay, dayOfIso } from "../../mapapp/static/days.js";

const GOLDEN = new URL("./golden/", import.meta.url);
const SETS = ["tiny", "shipped"];

function load(name) {
  const golden = JSON.parse(readFileSync(new URL(name + ".json", GOLDEN), "utf-8"));
  return { golden, engine: new Engine(decodePayload(golden.payload)) };
}

/* Every place's state in the golden file's form: [status, factions, since, event, confidence]. */
function statesOf(engine) {
  return engine.places.id.map((id, i) => {
    const st = engine.placeState(i);
    return [st.status, st.factions, st.since, st.event, st.confidence ?? null];
  });
}

function agreeAt(engine, golden, day, how) {
  engine.applyDay(day);
  const got = statesOf(engine), want = golden.expected[String(day)];
  golden.place_ids.forEach((id, i) => {
    assert.deepEqual(got[i], want[i], `${id} on ${isoOfDay(day)} (${how})`);
  });
}

for (const name of SETS) {
  test(`${name}: the engine agrees with the Timeline at every change day, forward`, () => {
    const { golden, engine } = load(name);
    assert.deepEqual(engine.places.id, golden.place_ids);
    for (const day of golden.days) agreeAt(engine, golden, day, "forward");
  });

  test(`${name}: ... and backward, rewinding from the last day`, () => {
    const { golden, engine } = load(name);
    engine.applyDay(golden.days[golden.days.length - 1]);
    for (const day of [...golden.days].reverse()) agreeAt(engine, golden, day, "backward");
  });

  test(`${name}: ... and in a random order of jumps`, () => {
    const { golden, engine } = load(name);
    let seed = 20171031;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let k = 0; k < 4 * golden.days.length; k++) {
      const day = golden.days[Math.floor(random() * golden.days.length)];
      agreeAt(engine, golden, day, `jump ${k}`);
    }
  });

  test(`${name}: the state at a second date equals the state after moving there`, () => {
    const { golden, engine } = load(name);
    const days = golden.days;
    engine.applyDay(days[days.length - 1]);
    for (const day of days) {
      const at = engine.stateArrayAt(day);
      const other = load(name).engine;
      other.applyDay(day);
      assert.deepEqual(Array.from(at), Array.from(other.cur), isoOfDay(day));
    }
  });

  test(`${name}: a comparison lists the places whose status or factions differ`, () => {
    const { golden, engine } = load(name);
    const days = golden.days, a = days[0], b = days[days.length - 1];
    engine.applyDay(b);
    const cmp = new Comparison(engine, a, true);
    const want = golden.place_ids.filter((id, i) => {
      const x = golden.expected[String(a)][i], y = golden.expected[String(b)][i];
      return x[0] !== y[0] || x[1].join() !== y[1].join();
    });
    assert.deepEqual(golden.place_ids.filter((id, i) => cmp.changed(i)), want);
  });

  test(`${name}: the counts of places per state follow every step`, () => {
    const { golden, engine } = load(name);
    for (const day of [...golden.days, ...[...golden.days].reverse()]) {
      engine.applyDay(day);
      const total = engine.stateCount.reduce((x, y) => x + y, 0) + engine.noDataCount;
      assert.equal(total, engine.places.id.length);
      const noData = golden.expected[String(day)].filter((s) => s[0] === "no-data").length;
      assert.equal(engine.noDataCount, noData, isoOfDay(day));
    }
  });
}

test("days: ISO dates and day numbers round-trip; impossible dates are refused", () => {
  assert.equal(isoOfDay(0), "1970-01-01");
  assert.equal(dayOfIso("2017-10-31"), 17470);
  assert.equal(isoOfDay(dayOfIso("1965-03-01")), "1965-03-01");
  for (const bad of ["2017-02-30", "2017-1-01", "", null, "2017-10-31T00:00"]) {
    assert.equal(dayOfIso(bad), null, String(bad));
  }
});

test("the event list's columns: by day, control events first on a day, else as given", () => {
  for (const name of SETS) {
    const { engine } = load(name);
    const inc = engine.p.incidents, want = [];
    for (let e = 0; e < engine.ctlDay.length; e++) want.push(["control", e, engine.ctlDay[e]]);
    for (let k = 0; k < inc.day.length; k++) want.push(["incidents", k, inc.day[k]]);
    want.sort((a, b) => a[2] - b[2] || (a[0] === b[0] ? a[1] - b[1] : a[0] === "control" ? -1 : 1));
    const list = engine.allEvents();
    assert.equal(list.length, want.length);
    assert.ok(list.length > 0 && inc.day.length > 0, name);
    const got = Array.from({ length: list.length }, (_, j) => {
      const it = list.item(j);
      return [it.kind, it.k, it.day];
    });
    assert.deepEqual(got, want, name);
  }
});
