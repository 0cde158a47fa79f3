/* The slider's engine: the state of every place at a date, with no DOM (node imports it).
 *
 * The payload (mapapp/payload.py) carries the control events as columns sorted by day.
 * Moving to a date applies (forward) or rewinds (backward) only the events between the
 * two positions: the cost of a step is the events it crosses, never the number of places.
 */
import { isoOfDay, upperBound } from "./days.js";
import { Shapes } from "./geometry.js";

export const NO_DATA_STATE = -1;

// --- the compact payload back into plain arrays, typed arrays and GeoJSON ------------------------------
const DEPTH = { Point: 0, MultiPoint: 1, LineString: 1, Polygon: 2, MultiLineString: 2,
                MultiPolygon: 3 };

function decodeLine(flat, scale) {
  const out = new Array(flat.length / 2);
  let x = 0, y = 0;
  for (let k = 0; k < flat.length; k += 2) {
    x += flat[k]; y += flat[k + 1];
    out[k / 2] = [x / scale, y / scale];
  }
  return out;
}
function decodeCoords(coords, depth, scale) {
  if (depth === 0) return [coords[0] / scale, coords[1] / scale];
  if (depth === 1) return decodeLine(coords, scale);
  return coords.map((c) => decodeCoords(c, depth - 1, scale));
}
function expand(indexed) {
  return indexed.index.map((k) => indexed.values[k]);
}

/* States that differ only in confidence hold the same: one key per (status, factions). */
export function holdKeys(states) {
  const seen = new Map();
  return Int32Array.from(states.map((st) => {
    const key = st.status + ":" + st.factions.join(",");
    if (!seen.has(key)) seen.set(key, seen.size);
    return seen.get(key);
  }));
}

/* The payload as sent becomes plain columns (in place): GeoJSON features, expanded
 * indexed columns, and per control event its day, the place's previous event, its id and
 * its "since". */
export function decodePayload(p) {
  const ids = p.places.id;
  // Polygons into typed arrays (geometry.js); points and lines as GeoJSON, for Leaflet.
  p.shapes = new Shapes(p.geometry, ids.length,
                        (coords, type, scale) => decodeCoords(coords, DEPTH[type], scale));
  const features = p.shapes.others;
  for (const f of features) f.id = ids[f.properties.i];
  p.shapes.others = null;
  p.geometry = { type: "FeatureCollection", features };
  for (const key of ["kind", "quality", "geometry_source"]) p.places[key] = expand(p.places[key]);
  const c = p.control;
  const n = c.place.length;
  // Typed columns: 100,000 events hold 0.4 MB each, not 0.8 MB of boxed array.
  const day = new Int32Array(n), prev = new Int32Array(n), since = new Int32Array(n);
  const last = new Int32Array(ids.length).fill(-1);
  const hold = holdKeys(p.states);
  let d = p.first_day; // the server's differences start from the first day
  for (let e = 0; e < n; e++) {
    d += c.day_delta[e];
    day[e] = d;
    const before = last[c.place[e]];
    prev[e] = before;
    last[c.place[e]] = e;
    // "Since" is when the current holder took over, as the engine says: a later report
    // that only confirms the same status and factions keeps it.
    since[e] = before >= 0 && hold[c.state[before]] === hold[c.state[e]] ? since[before] : d;
  }
  c.day = day; c.prev = prev; c.since = since; // c.id: 0 where Engine.eventId derives it
  c.place = Int32Array.from(c.place);
  c.state = Int32Array.from(c.state);
  delete c.day_delta;
  return p;
}

// --- the engine --------------------------------------------------------------------------
export class Engine {
  /* `p`: a decoded payload. */
  constructor(p) {
    const n = p.places.id.length;
    this.p = p;
    this.places = p.places;
    this.factions = p.factions;
    this.states = p.states;
    this.ctlDay = p.control.day;
    this.ctlPlace = p.control.place;
    this.ctlState = p.control.state;
    this.ctlPrev = p.control.prev;
    this.incDay = Int32Array.from(p.incidents.day);
    this.holdKey = holdKeys(p.states);
    /* cur[i]: the control event in force at place i, or -1 (no data yet). */
    this.cur = new Int32Array(n).fill(-1);
    this.pos = 0; // events [0, pos) are applied
    this.day = null;
    // Each step stamps the places it touches with a new number, so a place crossed by
    // several events is listed once without clearing a set.
    this.stamp = new Int32Array(n);
    this.stampValue = 0;
    // How many places are in each state: the legend is rebuilt only when a count crosses
    // zero, so a step costs nothing there unless the set of states shown changes.
    this.stateCount = new Int32Array(p.states.length);
    this.noDataCount = n;
    this.countsChanged = true;
    this.placeIndex = {};
    p.places.id.forEach((id, i) => { this.placeIndex[id] = i; });
    this.factionIndex = {};
    p.factions.forEach((f, i) => { this.factionIndex[f.id] = i; });
    this._placeEvents = null;
  }

  /* Moves to `day`; returns the places whose event in force changed. */
  applyDay(day) {
    const target = upperBound(this.ctlDay, day);
    const touched = [], before = [];
    const { cur, stamp, ctlPlace } = this;
    const mark = ++this.stampValue;
    if (target > this.pos) {
      for (let e = this.pos; e < target; e++) {
        const i = ctlPlace[e];
        if (stamp[i] !== mark) { stamp[i] = mark; touched.push(i); before.push(cur[i]); }
        cur[i] = e;
      }
    } else {
      for (let e = this.pos - 1; e >= target; e--) {
        const i = ctlPlace[e];
        if (stamp[i] !== mark) { stamp[i] = mark; touched.push(i); before.push(cur[i]); }
        cur[i] = this.ctlPrev[e];
      }
    }
    this.pos = target;
    this.day = day;
    for (let k = 0; k < touched.length; k++) {
      this._count(before[k], -1);
      this._count(cur[touched[k]], 1);
    }
    return touched;
  }


  _count(e, delta) {
    let n;
    if (e < 0) n = (this.noDataCount += delta);
    else n = (this.stateCount[this.ctlState[e]] += delta);
    if (n === 0 || (delta > 0 && n === 1)) this.countsChanged = true;
  }

  /* True once after a step that made some state appear or vanish (the legend's cue). */
  takeCountsChanged() {
    const changed = this.countsChanged;
    this.countsChanged = false;
    return changed;
  }

  /* The states held by at least one place now, and whether some place has no data. */
  statesShown() {
    const shown = [];
    for (let s = 0; s < this.stateCount.length; s++) if (this.stateCount[s] > 0) shown.push(s);
    return { states: shown, noData: this.noDataCount > 0 };
  }

  /* The event in force for every place at `day`, walked from the current state: the cost
   * is the events between the two dates, plus one copy. */
  stateArrayAt(day) {
    const out = Int32Array.from(this.cur);
    const target = upperBound(this.ctlDay, day);
    if (target > this.pos) {
      for (let e = this.pos; e < target; e++) out[this.ctlPlace[e]] = e;
    } else {
      for (let e = this.pos - 1; e >= target; e--) out[this.ctlPlace[e]] = this.ctlPrev[e];
    }
    return out;
  }

  /* Who holds what under event e, ignoring confidence (NO_DATA_STATE without an event). */
  holdOf(e) { return e < 0 ? NO_DATA_STATE : this.holdKey[this.ctlState[e]]; }

  stateOfEvent(e) { return e < 0 ? null : this.states[this.ctlState[e]]; }

  /* The state of place i now, as the public API gives it. */
  placeState(i) {
    const e = this.cur[i];
    if (e < 0) return { status: "no-data", factions: [], since: null, event: null };
    const st = this.states[this.ctlState[e]];
    return {
      status: st.status,
      factions: st.factions.map((k) => this.factions[k].id),
      since: isoOfDay(this.p.control.since[e]),
      event: this.eventId(e),
      confidence: st.confidence,
    };
  }

  /* Every event at place i, oldest first ({kind, k, day}): its control events and its
   * incidents. Built for all places on first use. */
  placeEvents(i) {
    if (!this._placeEvents) {
      const out = this.places.id.map(() => []);
      for (let e = 0; e < this.ctlDay.length; e++) {
        out[this.ctlPlace[e]].push({ kind: "control", k: e, day: this.ctlDay[e] });
      }
      const inc = this.p.incidents;
      for (let k = 0; k < inc.day.length; k++) {
        if (inc.place[k] >= 0) out[inc.place[k]].push({ kind: "incidents", k, day: inc.day[k] });
      }
      for (const list of out) list.sort(byDayControlFirst);
      this._placeEvents = out;
    }
    return this._placeEvents[i];
  }

  /* Every event, control changes and incidents, in date order. */
  /* Control event e's id: the payload's, or "<ISO day>-<place id>" where it left it to us
   * (0), made when asked: 100,000 of them would hold a few megabytes of strings. */
  eventId(e) {
    const id = this.p.control.id[e];
    return id === 0 ? isoOfDay(this.ctlDay[e]) + "-" + this.places.id[this.ctlPlace[e]] : id;
  }

  /* Every event in the event list's order (byDayControlFirst), as typed columns rather
   * than an object per event (100,000 of them held 4 MB): `day[j]`, `k[j]` (its index in
   * its kind), `control[j]` (1: a control event); `item(j)` the list's {kind, k, day}. */
  allEvents() {
    const nc = this.ctlDay.length, inc = this.p.incidents, ni = inc.day.length;
    // Control events come sorted by day (payload.py); incidents are sorted here, then
    // the two are merged, a control event first on a common day.
    const incOrder = Int32Array.from({ length: ni }, (_, k) => k)
      .sort((a, b) => inc.day[a] - inc.day[b] || a - b);
    const n = nc + ni, day = new Int32Array(n), k = new Int32Array(n), control = new Uint8Array(n);
    for (let j = 0, c = 0, i = 0; j < n; j++) {
      if (i >= ni || (c < nc && this.ctlDay[c] <= inc.day[incOrder[i]])) {
        day[j] = this.ctlDay[c]; k[j] = c++; control[j] = 1;
      } else {
        day[j] = inc.day[incOrder[i]]; k[j] = incOrder[i++];
      }
    }
    return { length: n, day, k, control,
             item: (j) => ({ kind: control[j] ? "control" : "incidents", k: k[j], day: day[j] }) };
  }

  /* '31 Oct 2017': labels come with the payload, so no time zone can shift them. */
  dayLabel(day) {
    const k = day - this.p.first_day;
    return k >= 0 && k < this.p.day_labels.length ? this.p.day_labels[k] : isoOfDay(day);
  }
}

// A consistent order (sort is stable): by day, control before incidents, else as given.
function byDayControlFirst(a, b) {
  return a.day - b.day || (a.kind === b.kind ? 0 : a.kind === "control" ? -1 : 1);
}

// --- a comparison: the state at a second date, kept as an array of event indexes --------
export class Comparison {
  constructor(engine, day, outline) {
    this.engine = engine;
    this.day = day;
    this.cur = engine.stateArrayAt(day);
    this.outline = outline !== false;
  }

  /* The place's holder differs between the two dates (confidence aside): the rule of the
   * engine's changed_places. */
  changed(i) {
    const en = this.engine;
    return en.holdOf(en.cur[i]) !== en.holdOf(this.cur[i]);
  }

  /* The events in force at the earlier and at the later of the two dates. */
  beforeAfter(i) {
    const now = this.engine.cur[i];
    return this.engine.day >= this.day ? [this.cur[i], now] : [now, this.cur[i]];
  }

  /* The colour of whoever holds the place at the later of the two dates: the gainer. */
  gainerColor(i) {
    const later = this.beforeAfter(i)[1];
    if (later < 0) return "#555555";
    const st = this.engine.stateOfEvent(later);
    return this.engine.factions[st.factions[0]].color;
  }

  /* The outline colour a changed place gets on the map, or null. */
  outlineColor(i) {
    return this.outline && this.changed(i) ? this.gainerColor(i) : null;
  }
}
