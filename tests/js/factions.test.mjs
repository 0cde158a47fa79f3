// Faction names in the page's language: the payload's Arabic columns on an Arabic page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { translateFactions } from "../../mapapp/static/i18n.js";
import { legendLabel } from "../../mapapp/static/style.js";

const golden = () => JSON.parse(readFileSync(new URL("./golden/shipped.json", import.meta.url),
                                             "utf-8")).payload;

test("an Arabic page takes the shipped factions' Arabic names, everywhere they are read", () => {
  const { style, factions, states } = golden();
  const english = factions.map((f) => f.name);
  translateFactions(factions, "ar");
  const isis = factions.find((f) => f.id === "isis");
  assert.equal(isis.name, "تنظيم الدولة الإسلامية (داعش)");
  assert.equal(isis.short_name, "داعش");
  assert.ok(factions.every((f, k) => f.name !== english[k]));
  const contested = states.find((st) => st.status === "contested");
  const label = legendLabel(style, contested, factions); // node has the English words
  const shorts = contested.factions.map((i) => factions[i].short_name);
  assert.ok(shorts.every((name) => name && label.includes(name)), label);
  assert.doesNotMatch(label, /ISIS|govt/, label);
});

test("English pages and factions without Arabic names keep the English names", () => {
  const { factions } = golden();
  const before = JSON.stringify(factions);
  translateFactions(factions, "en");
  assert.equal(JSON.stringify(factions), before);
  const mixed = [{ name: "Blue League", short_name: "Blue", name_ar: null, short_name_ar: null },
                 { name: "Green Union", short_name: "Green", name_ar: "اتحاد الأخضر",
                   short_name_ar: null }];
  translateFactions(mixed, "ar");
  assert.deepEqual(mixed.map((f) => [f.name, f.short_name || f.name]),
                   [["Blue League", "Blue"], ["اتحاد الأخضر", "اتحاد الأخضر"]]);
});
