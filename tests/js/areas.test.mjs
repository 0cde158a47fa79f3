// The area chart's table (mapapp/static/areas.js) is the payload's areas, in the style's colours.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { areaTable } from "../../mapapp/static/areas.js";

const golden = JSON.parse(readFileSync(new URL("./golden/shipped.json", import.meta.url), "utf-8"));
const { areas, factions, style } = golden.payload;

test("one column per payload column: factions in their colour, contested and no data in the style's", () => {
  const table = areaTable(areas, factions, style);
  assert.deepEqual(table.columns.map((c) => c.id), areas.factions);
  const byId = Object.fromEntries(table.columns.map((c) => [c.id, c]));
  for (const f of factions) assert.equal(byId[f.id].color, f.color);
  assert.deepEqual(byId.contested, { id: "contested", name: style.status_text.contested,
                                     color: style.chart.contested });
  assert.deepEqual(byId["no-data"], { id: "no-data", name: style.status_text["no-data"],
                                      color: style.no_data.fill });
});

test("the numbers are the payload's, and before the first change day all is without data", () => {
  const table = areaTable(areas, factions, style);
  assert.deepEqual(Array.from(table.days), areas.days);
  table.snaps.forEach((row, k) => assert.deepEqual(Array.from(row), areas.km2[k]));
  const noData = areas.factions.indexOf("no-data");
  assert.equal(table.base[noData], table.total);
  assert.ok(table.total > 0);
});
