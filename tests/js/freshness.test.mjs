// The page's stale rule (mapapp/static/freshness.js) against mapapp/freshness.py and the
// Timeline's last_reported: golden files written by tests/js_golden.py.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { decodePayload, Engine } from "../../mapapp/static/engine.js";
import { Freshness } from "../../mapapp/static/freshness.js";
import { isoOfDay } from "../../mapapp/static/days.js";

const GOLDEN = new URL("./golden/", import.meta.url);

for (const name of ["tiny", "shipped"]) {
  test(`${name}: last report and staleness equal the Timeline's at every change day`, () => {
    const golden = JSON.parse(readFileSync(new URL(name + ".json", GOLDEN), "utf-8"));
    const engine = new Engine(decodePayload(golden.payload));
    const fresh = new Freshness(engine, golden.freshness);
    let seenStale = false;
    // Backward from the last day as well as forward: update() follows either way.
    for (const day of [...golden.days, ...[...golden.days].reverse()]) {
      engine.applyDay(day);
      fresh.update();
      golden.place_ids.forEach((id, i) => {
        const last = fresh.lastReportedDay(i);
        const got = [last === null ? null : isoOfDay(last), fresh.stale[i] === 1];
        assert.deepEqual(got, golden.reported[String(day)][i], `${id} on ${isoOfDay(day)}`);
        seenStale ||= got[1];
      });
      assert.equal(fresh.count, fresh.stale.reduce((a, b) => a + b, 0));
    }
    if (name === "shipped") assert.ok(seenStale, "some shipped place is stale on some day");
  });
}

test("the age in words is freshness.age_text's, and the note is its label", () => {
  const golden = JSON.parse(readFileSync(new URL("shipped.json", GOLDEN), "utf-8"));
  const engine = new Engine(decodePayload(golden.payload));
  const fresh = new Freshness(engine, golden.freshness);
  for (const [age, words] of Object.entries(golden.ages)) {
    assert.equal(fresh.ageText(Number(age)), words, `${age} days`);
  }
  // Two years after a place's very last report, well after the data: "2 years".
  engine.applyDay(golden.days[golden.days.length - 1]);
  const i = engine.cur.findIndex((e) => e >= 0);
  const reports = fresh.reportsOf(i);
  engine.applyDay(reports[reports.length - 1] + 730);
  fresh.update();
  assert.equal(fresh.note(i), golden.freshness.label.replace("{age}", golden.ages["730"]));
  assert.equal(fresh.note(i), "last reported 2 years ago");
});

test("no data is never stale, and without a rule nothing is", () => {
  const golden = JSON.parse(readFileSync(new URL("tiny.json", GOLDEN), "utf-8"));
  const engine = new Engine(decodePayload(golden.payload));
  const fresh = new Freshness(engine, golden.freshness);
  engine.applyDay(golden.days[0] + 100000);
  fresh.update();
  engine.cur.forEach((e, i) => { if (e < 0) assert.equal(fresh.stale[i], 0); });
  assert.ok(fresh.count > 0);
  const none = new Freshness(engine, null);
  none.update();
  assert.equal(none.count, 0);
  assert.equal(none.lastReportedDay(0), null);
});
