// Tentative states carry their status by a pattern as well as paleness (issue 15, item 4).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import test from "node:test";

import { cssFill, isTentative, stateStyles, tentativeCss } from "../../mapapp/static/style.js";

const golden = JSON.parse(readFileSync(new URL("./golden/shipped.json", import.meta.url), "utf-8"));
const { style, factions, states } = golden.payload;

test("tentative states, and only they, get the hatch over their fill", () => {
  const stripes = (a, b, w) => `stripes(${a},${b},${w})`;
  const hatch = (fill, h, tile) => `hatch(${fill},${h.color},${h.width},${h.lines},${tile})`;
  const plain = stateStyles(style, states, factions, stripes);
  const hatched = stateStyles(style, states, factions, stripes, hatch);
  const tentative = states.filter((st) => isTentative(style, st.confidence)).length;
  assert.ok(tentative > 0 && tentative < states.length);
  states.forEach((st, k) => {
    if (isTentative(style, st.confidence)) {
      const h = style.tentative_hatch;
      assert.equal(hatched[k].fillColor,
                   `hatch(${plain[k].fillColor},${h.color},${h.width},${h.lines},${style.stripes.tile})`);
    } else {
      assert.equal(hatched[k].fillColor, plain[k].fillColor);
    }
  });
});

test("a tentative swatch is its fill veiled to the opacities' ratio, under the lines", () => {
  const base = cssFill(style, "held", ["#dc3d1f"]);
  const css = tentativeCss(style, base);
  const veil = 1 - style.fill_opacity.tentative / style.fill_opacity.firm;
  assert.ok(css.endsWith("," + base), css);
  assert.ok(css.includes(`rgba(255,255,255,${veil.toFixed(3)})`), css);
  const period = style.stripes.tile / style.tentative_hatch.lines;
  assert.ok(css.startsWith(`repeating-linear-gradient(0deg,${style.tentative_hatch.color} 0 ` +
                           `${style.tentative_hatch.width}px,transparent ` +
                           `${style.tentative_hatch.width}px ${period}px)`), css);
});
