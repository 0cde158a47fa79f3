/* Finding places by name: the one folding rule for Arabic and Latin spellings, and a small
 * index that ranks names against what was typed. No DOM (tested under node).
 *
 * Two keys per name. The loose key only drops case, diacritics, harakat, tatweel, letter
 * variants and separators, so a half-typed word still matches. The folded key also drops
 * the Arabic article (ال, al-, el-, ez-, ezz…) and folds common transliteration variants, so
 * "Dayr az Zawr", "Deir ez-Zor" and "Deir Ezzor" all fold to "dirzur".
 */

const HARAKAT = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g; // and tatweel
const ARABIC_LETTERS = { "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي" };
const APOSTROPHES = /['\u2018\u2019\u02BB\u02BC\u02BE\u02BF`\u00B4]/g;
const SEPARATORS = /[^\p{L}\p{N}]+/u;
// Latin forms of the Arabic article, written apart ("al Qaim", "ez-Zor").
const LATIN_ARTICLES = new Set(["al", "el", "il", "ul", "ad", "ed", "an", "en", "ar", "er",
                                "as", "es", "ash", "esh", "at", "et", "az", "ez", "adh", "ath"]);
// Applied in order to a word without article: vowels and letters spelt differently.
const LATIN_VARIANTS = [
  [/(\p{L})\1+/gu, "$1"], // double letters: Yassin, Hamidiyyah
  [/dh/g, "d"], [/q/g, "k"], [/ou|oo|aw|au|ow|o/g, "u"], [/ay|ai|ei|ey|ee|ie/g, "i"],
  [/iy/g, "i"], [/(\p{L}{3,})[ae]h?$/u, "$1a"], // the feminine ending: -iyah, -iyeh, -ia
];

function letters(text) {
  let s = String(text || "").normalize("NFD").replace(/\p{M}/gu, "");
  s = s.replace(HARAKAT, "").replace(/[أإآٱةى]/g, (c) => ARABIC_LETTERS[c]);
  return s.toLowerCase().replace(APOSTROPHES, "");
}

function words(text) { return letters(text).split(SEPARATORS).filter(Boolean); }

/* Case, diacritics, Arabic letter variants and separators folded; nothing else. */
export function looseKey(text) { return words(text).join(""); }

function foldWord(word, alone) {
  if (/[\u0600-\u06FF]/.test(word)) {
    return word.length > 3 && word.startsWith("ال") ? word.slice(2) : word;
  }
  // An article written onto the word with its sun letter doubled: "ezzor", "ashsham".
  let w = alone ? word : word.replace(/^[ae]([bcdfghjklmnpqrstvwxyz])\1(?=\p{L}{2})/u, "$1");
  w = w.replace(/^(al|el)(?=\p{L}{3})/u, (m) => (alone ? m : "")); // "alqaim" as one word
  for (const [pattern, to] of LATIN_VARIANTS) w = w.replace(pattern, to);
  return w;
}

/* The key names are compared on: loose, without the article, transliterations folded. */
export function foldKey(text) {
  const ws = words(text);
  const kept = ws.length > 1 ? ws.filter((w) => !LATIN_ARTICLES.has(w)) : ws;
  return (kept.length ? kept : ws).map((w) => foldWord(w, ws.length === 1 && w.length < 4))
    .join("");
}

/* The spellings of one name that are worth matching: the whole name, and the parts of
 * "A – B" and "A (B)" (alternative names written into one field). */
export function nameVariants(name) {
  if (!name) return [];
  const out = new Set([name]);
  for (const part of name.split(/\s+[–—-]\s+|[()]/)) {
    const t = part.trim();
    if (t && !/^(remainder)$/i.test(t)) out.add(t);
  }
  return [...out];
}

/* Places by name: `entries` is [{names: [...]}] (English, Arabic, any others); `search`
 * returns the indexes of matching entries, best first. */
export class NameIndex {
  constructor(entries) {
    this.keys = entries.map((entry) => {
      const variants = entry.names.flatMap(nameVariants);
      return { loose: variants.map(looseKey), folded: variants.map(foldKey) };
    });
  }

  /* 0 (the whole name), 1 (its start), 2 (inside it), or -1 (no match). */
  static rank(keys, q) {
    let best = -1;
    for (const key of keys) {
      if (!q || !key) continue;
      const at = key.indexOf(q);
      if (at < 0) continue;
      const r = key === q ? 0 : at === 0 ? 1 : 2;
      if (best < 0 || r < best) best = r;
    }
    return best;
  }

  search(query, limit = 20) {
    const loose = looseKey(query), folded = foldKey(query);
    if (!loose && !folded) return [];
    // A query that folds to almost nothing ("qqqq" → "k") would match everything.
    const foldedOk = folded.length >= 3 || folded === loose;
    const hits = [];
    this.keys.forEach((keys, i) => {
      const a = NameIndex.rank(keys.loose, loose);
      const b = foldedOk ? NameIndex.rank(keys.folded, folded) : -1;
      const r = a < 0 ? b : b < 0 ? a : Math.min(a, b);
      if (r >= 0) hits.push([r, i]);
    });
    hits.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    return hits.slice(0, limit).map((h) => h[1]);
  }
}
