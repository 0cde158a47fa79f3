/* The place search's folding rule (mapapp/static/search.js) on the shipped place names and
 * on the spellings readers type. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { foldKey, looseKey, nameVariants, NameIndex } from "../../mapapp/static/search.js";

const shipped = JSON.parse(readFileSync(new URL("../../data/places.geojson", import.meta.url)));
const places = shipped.features.map((f) => f.properties);
const index = new NameIndex(places.map((p) => ({ names: [p.name, p.name_ar] })));
const found = (query) => index.search(query).map((i) => places[i].name);

test("Arabic letter variants, harakat and tatweel fold away", () => {
  assert.equal(looseKey("أإآا"), "اااا");
  assert.equal(looseKey("مدرسة"), looseKey("مدرسه"));
  assert.equal(looseKey("مستشفى"), looseKey("مستشفي"));
  assert.equal(looseKey("كَنـــامَات"), "كنامات");
  assert.equal(foldKey("الكنامات"), foldKey("كنامات"));
  assert.notEqual(foldKey("الكنامات"), foldKey("كنامة"));
});

test("Latin spellings of one name fold to one key", () => {
  const deir = foldKey("Deir ez-Zor");
  for (const s of ["deir ezzor", "Deir Ezzor", "Dayr az Zawr", "DEIR EZ ZOR", "Deir el-Zor",
                   "Dayr al-Zawr", "Deir-ez-Zor", "Dèir ez Zór"]) {
    assert.equal(foldKey(s), deir, s);
  }
  assert.notEqual(foldKey("Deir Hafer"), deir);
  assert.equal(foldKey("Sheikh Yasin"), foldKey("Sheikh Yassin"));
  assert.equal(foldKey("al-Hamidiyah"), foldKey("Hameidiyyeh"));
  assert.equal(foldKey("Al Qaim"), foldKey("al-Qa'im"));
  assert.equal(foldKey("Al-Qa’im"), foldKey("qaim"));
  assert.equal(foldKey("Ba'ajein"), foldKey("Baajein"));
});

test("names written as 'A – B' and 'A (B)' give each part as a spelling", () => {
  assert.deepEqual(nameVariants("Afri (al-Arfi)"), ["Afri (al-Arfi)", "Afri", "al-Arfi"]);
  assert.deepEqual(nameVariants("Tashreen – Harabesh"),
                   ["Tashreen – Harabesh", "Tashreen", "Harabesh"]);
  assert.deepEqual(nameVariants("Shuhuda (remainder)"), ["Shuhuda (remainder)", "Shuhuda"]);
});

test("the shipped places are found by their names in either language", () => {
  assert.equal(found("كنامات")[0], "Kanamat");
  assert.equal(found("الكنامات")[0], "Kanamat");
  assert.equal(found("kanamat")[0], "Kanamat");
  assert.equal(found("Kana")[0], "Kanamat");
  assert.equal(found("كنا")[0], "Kanamat");
  assert.equal(found("bukamal")[0], "al-Bukamal");
  assert.equal(found("البوكمال")[0], "al-Bukamal");
  assert.equal(found("Hameidiyyeh")[0], "al-Hamidiyah");
  assert.equal(found("harabesh")[0], "Tashreen – Harabesh");
  assert.equal(found("arfi")[0], "Afri (al-Arfi)");
  assert.equal(found("الشيخ ياسين")[0], "Sheikh Yassin");
  assert.deepEqual(found("zzzz"), []);
  assert.deepEqual(found("qqqq"), []);
  assert.deepEqual(found("  "), []);
});

test("whole names rank before names that only start or contain the query", () => {
  const idx = new NameIndex([{ names: ["Workers 2"] }, { names: ["Workers 1"] },
                             { names: ["Qosour"] }, { names: ["Deir ez-Zor"] }]);
  assert.deepEqual(idx.search("workers"), [0, 1]);
  assert.deepEqual(idx.search("workers 1"), [1]);
  assert.deepEqual(idx.search("deir ezzor"), [3]);
  assert.deepEqual(idx.search("dayr az zawr"), [3]);
  assert.deepEqual(idx.search("Kusur"), [2]);
});
