// The page's styles and legend wording come from the payload's "style" (mapapp/style.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { cssFill, darker, fill, legendLabel, outlineOf, stateStyles } from "../../mapapp/static/style.js";

const golden = JSON.parse(readFileSync(new URL("./golden/shipped.json", import.meta.url), "utf-8"));
const { style, factions, states } = golden.payload;

test("every state gets the payload's opacities; no data comes last", () => {
  const out = stateStyles(style, states, factions, (a, b, w) => `stripes(${a},${b},${w})`);
  assert.equal(out.length, states.length + 1);
  states.forEach((st, k) => {
    const tentative = style.tentative.includes(st.confidence);
    assert.equal(out[k].fillOpacity, tentative ? style.fill_opacity.tentative
                                                : style.fill_opacity.firm);
    assert.equal(out[k].color, darker(factions[st.factions[0]].color, style.line_darken));
    if (st.status === "contested") {
      assert.match(out[k].fillColor, new RegExp(`,${style.stripes.contested_width}\\)$`));
    }
  });
  assert.deepEqual(out[states.length], { fillColor: style.no_data.fill,
                                         fillOpacity: style.no_data.fill_opacity,
                                         color: style.no_data.line });
});

for (const name of ["tiny", "shipped"]) {
  test(`${name}: the legend label of every state is the export's (mapapp.style.legend_label)`, () => {
    const data = JSON.parse(readFileSync(new URL(`./golden/${name}.json`, import.meta.url), "utf-8"));
    const { style: st, factions: fs, states: all } = data.payload;
    assert.ok(all.length);
    assert.deepEqual(all.map((state) => legendLabel(st, state, fs)), data.legend);
  });
}

test("a held place's legend label is its faction's full name", () => {
  const held = states.filter((st) => st.status === "held" && st.confidence === "confirmed" &&
                             factions[st.factions[0]].short_name);
  assert.ok(held.length);
  for (const st of held) assert.equal(legendLabel(style, st, factions), factions[st.factions[0]].name);
});

test("templates are filled by plain replacement: braces in a value stay", () => {
  assert.equal(fill("Contested: {factions}", { factions: "{a} vs B" }), "Contested: {a} vs B");
  assert.equal(fill("{unknown} {x}", { x: "1" }), "{unknown} 1");
});

test("outlines by kind; legend swatches for stripes", () => {
  assert.deepEqual(outlineOf(style, "derived", false), { weight: 1.6, dashArray: "5 4" });
  assert.deepEqual(outlineOf(style, "official", false), { weight: 1, dashArray: null });
  assert.deepEqual(outlineOf(style, "point", true), { weight: 2, dashArray: null });
  assert.equal(cssFill(style, "held", ["#111111"]), "#111111");
  assert.equal(cssFill(style, "joint", ["#111111", "#222222"]),
               "repeating-linear-gradient(135deg,#111111 0 3.5px,#222222 3.5px 7px)");
  assert.equal(darker("#ffffff", 0.6), "#999999");
});
