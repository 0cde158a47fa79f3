/* Dates as whole days since 1970-01-01 UTC (never local time), and binary search. */

export const DAY_MS = 86400000;

const isoCache = new Map(); // tens of thousands of events share a few hundred days

export function isoOfDay(day) {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, iso);
  }
  return iso;
}

/* The day of "YYYY-MM-DD", or null when the text is not such a date (2017-02-30 is not). */
export function dayOfIso(text) {
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const ms = Date.parse(text + "T00:00:00Z");
  if (isNaN(ms)) return null;
  const day = Math.round(ms / DAY_MS);
  return isoOfDay(day) === text ? day : null;
}

/* The first index in [lo, hi) whose value is greater than `value` (arr sorted ascending). */
export function upperBound(arr, value, lo = 0, hi = arr.length) {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] <= value) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/* The first index whose value is at least `value`. */
export function lowerBound(arr, value) {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < value) lo = mid + 1; else hi = mid;
  }
  return lo;
}
