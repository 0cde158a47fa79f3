/* Event texts (summaries, notes, citations): not in the payload, they come in chunks
 * (payload.py build_detail_chunk), each loaded when the page first shows one of its events.
 */
import { isoOfDay } from "./days.js";
import { _, tr } from "./i18n.js";

const RETRY_MS = 3000;
// The texts of this many events are kept at most (16 chunks of the default 1,000, never
// fewer than 16 chunks): a long visit through years of data keeps the texts it shows, not
// every text it ever showed; the chunk read longest ago goes first.
export const KEPT_EVENTS = 16000;
const MIN_CHUNKS = 16;

export class Texts {
  /* `onArrive(kind)` runs after a chunk of `kind` arrived; `onLoaded(flag)` says whether
   * some chunk has arrived and no request is on the way (mapapp.detailsLoaded). */
  constructor({ engine, url, status, onArrive, onLoaded }) {
    this.engine = engine;
    this.url = url; // the folder of the chunks: <url><kind>-<n>.json
    this.status = status;
    this.onArrive = onArrive;
    this.onLoaded = onLoaded;
    this.chunks = { control: [], incidents: [] };
    this.lastRead = new Map(); // "kind-n" of each chunk kept → when it was last read
    this.reads = 0;
    this.pending = {};
    this.retryAt = {};
    this.inFlight = 0;
    this.arrived = false;
    this.failure = undefined;
  }

  /* The texts of event k of `kind` ("control" or "incidents"): {summary, notes,
   * source_title, source_url, source_date, id, date}, or null while its chunk has not
   * arrived. A null answer starts that chunk's request unless `peek`: what the page shows
   * is what it loads. */
  detail(kind, k, peek) {
    const p = this.engine.p;
    const n = Math.floor(k / p.details.chunk);
    const chunk = this.chunks[kind][n];
    if (!chunk) {
      if (!peek) this.load(kind, n);
      return null;
    }
    this.lastRead.set(kind + "-" + n, ++this.reads);
    const j = k - chunk.start;
    const src = chunk.sources[chunk.source[j]];
    const control = kind === "control";
    return { summary: chunk.summary[j], notes: chunk.notes[j], source_title: src[0],
             source_url: src[1], source_date: src[2],
             // Control events' ids and dates are in the payload; incidents bring theirs.
             id: control ? this.engine.eventId(k) : chunk.id[j],
             date: control ? isoOfDay(this.engine.ctlDay[k]) : chunk.date[j] };
  }

  /* One request per chunk: none while it is on the way or once it is in, and after a
   * failure none for a few seconds. */
  load(kind, n) {
    const key = kind + "-" + n;
    if (this.pending[key] || Date.now() < (this.retryAt[key] || 0)) return;
    this.pending[key] = true;
    this.inFlight += 1;
    this.onLoaded(false);
    fetch(this.url + key + ".json", { credentials: "same-origin" })
      .then((r) => {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then((chunk) => {
        if (chunk.version !== this.engine.p.version) {
          // Texts of another data version do not fit this page's events: the data was
          // updated since the page loaded, or a server still has the old data (a retry
          // may reach one that has the page's).
          throw new Error(_("the data has changed, reload the page"));
        }
        this.chunks[kind][n] = chunk;
        this.lastRead.set(key, ++this.reads);
        this.evict();
      })
      .catch((err) => {
        this.retryAt[key] = Date.now() + RETRY_MS;
        this.failed(err);
      })
      .then(() => {
        delete this.pending[key];
        this.inFlight -= 1;
        try {
          if (this.chunks[kind][n]) {
            this.arrived = true;
            this.clearFailure();
            this.onArrive(kind); // may ask for more chunks
          }
        } finally {
          this.onLoaded(this.arrived && this.inFlight === 0);
        }
      });
  }

  /* Forget the chunks read longest ago beyond the texts of KEPT_EVENTS events (they load
   * again when shown). */
  evict() {
    const most = Math.max(MIN_CHUNKS, Math.ceil(KEPT_EVENTS / this.engine.p.details.chunk));
    while (this.lastRead.size > most) {
      let oldest = null;
      for (const [key, at] of this.lastRead) if (!oldest || at < oldest[1]) oldest = [key, at];
      this.lastRead.delete(oldest[0]);
      const cut = oldest[0].lastIndexOf("-");
      delete this.chunks[oldest[0].slice(0, cut)][Number(oldest[0].slice(cut + 1))];
    }
  }

  /* Said once on the status line; later accesses retry quietly, and the first chunk to
   * arrive after that clears it. */
  failed(err) {
    if (this.failure !== undefined || !this.status) return;
    this.failure = this.status.textContent = tr("Could not load event texts: {error}", { error: err.message });
  }

  clearFailure() {
    if (this.status && this.failure && this.status.textContent === this.failure) {
      this.status.textContent = "";
    }
  }
}
