/* A virtual list of fixed-height rows (the event list). Only the rows in view and OVERSCAN
 * on each side exist; as the list scrolls they are reused, their content swapped, never
 * rebuilt. Row k sits at k × the row height, so nothing is measured to place a row or to
 * scroll to one: the pane's size and the list's offset in it come from a ResizeObserver,
 * whose callback runs when layout is already done. */

export const OVERSCAN = 6;

export class VirtualList {
  /* `box`: the list element, in the scrolling `pane`; `count` rows of `rowPx`. `make()`
   * returns a new row `{node}` (the list item); `fill(row, index)` writes a row's content
   * for an index; `onRows()` follows a change of the rows attached (they take the date's
   * marks); `onResize(wasHidden)` follows a change of the pane's size. */
  constructor({ box, pane, count, rowPx, make, fill, onRows, onResize }) {
    this.box = box;
    this.pane = pane;
    this.count = count;
    this.rowPx = rowPx;
    this.make = make;
    this.fill = fill;
    this.onRows = onRows;
    this.rows = []; // attached, in index (and document) order
    this.spare = [];
    this.pinned = -1; // the index of the row that holds the focus: it stays in the DOM
    // The pane's scrollTop and clientHeight, the list's offset in the pane's content, and
    // the largest scrollTop: known from the last write, a scroll event or the observer.
    this.view = { top: 0, height: 0, listTop: 0, maxTop: 0 };
    box.style.setProperty("--mapapp-row", rowPx + "px");
    box.style.height = count * rowPx + "px";
    pane.addEventListener("scroll", () => {
      this.view.top = pane.scrollTop; // a reader's scroll, not a date change
      this.render();
    }, { passive: true });
    box.addEventListener("focusin", (e) => {
      const row = this.rowOf(e.target);
      this.pinned = row ? row.index : -1;
    });
    box.addEventListener("focusout", (e) => {
      if (!box.contains(e.relatedTarget)) this.pinned = -1;
    });
    const observer = new ResizeObserver(() => {
      const wasHidden = this.view.height === 0;
      this.view.height = pane.clientHeight;
      this.view.listTop = box.offsetTop;
      this.view.maxTop = Math.max(0, pane.scrollHeight - pane.clientHeight);
      this.view.top = pane.scrollTop;
      onResize(wasHidden && this.view.height > 0);
    });
    observer.observe(pane);
    // What is above the list (a hint that may wrap) moves it down.
    for (let node = box.previousElementSibling; node; node = node.previousElementSibling) {
      observer.observe(node);
    }
  }

  shown() { return this.view.height > 0; }

  rowOf(node) {
    const li = node && node.closest ? node.closest("li") : null;
    return li ? this.rows.find((row) => row.node === li) || null : null;
  }

  row(index) { return this.rows.find((row) => row.index === index) || null; }

  /* Scrolls, when needed, so that row `index` is in view, a third of the way down. */
  reveal(index) {
    const v = this.view, top = v.listTop + index * this.rowPx;
    if (top >= v.top && top + this.rowPx <= v.top + v.height) return;
    v.top = Math.round(Math.min(Math.max(0, top - v.height / 3), v.maxTop));
    this.pane.scrollTop = v.top;
  }

  /* The rows of the window around the scroll position exist, in order; the others are
   * detached and kept for reuse. */
  render() {
    const v = this.view;
    if (!v.height) return; // hidden: the rows stay as they are until it is seen
    const first = Math.floor((v.top - v.listTop) / this.rowPx);
    const last = Math.ceil((v.top - v.listTop + v.height) / this.rowPx);
    const lo = Math.max(0, first - OVERSCAN), hi = Math.min(this.count, last + OVERSCAN);
    const wanted = (i) => (i >= lo && i < hi) || i === this.pinned;
    const kept = [], free = [];
    for (const row of this.rows) (wanted(row.index) ? kept : free).push(row);
    const have = new Set(kept.map((row) => row.index));
    const missing = [];
    for (let i = lo; i < hi; i++) if (!have.has(i)) missing.push(i);
    if (!missing.length && !free.length) return;
    const take = () => free.shift() || this.spare.pop() || this.make();
    if (!kept.length) {
      // A jump: every row changes. Reused in document order, nothing moves in the DOM.
      const rows = missing.map((i) => this.assign(take(), i));
      for (const row of free) this.detach(row);
      for (const row of rows) if (row.node.parentNode !== this.box) this.box.appendChild(row.node);
      this.rows = rows;
      this.onRows();
      return;
    }
    // A scroll: rows leave at one end and come back at the other. The rows kept (the
    // focused one among them) are never moved, so the focus stays where it is.
    const added = missing.map((i) => this.assign(take(), i));
    for (const row of free) this.detach(row);
    for (const row of added) row.node.remove();
    const rows = kept.concat(added).sort((a, b) => a.index - b.index);
    let next = null;
    for (let j = rows.length - 1; j >= 0; j--) {
      if (!have.has(rows[j].index)) this.box.insertBefore(rows[j].node, next);
      next = rows[j].node;
    }
    this.rows = rows;
    this.onRows();
  }

  assign(row, index) {
    if (row.index !== index) {
      row.index = index;
      row.node.style.top = index * this.rowPx + "px";
      row.node.setAttribute("aria-posinset", index + 1);
      this.fill(row, index);
    }
    return row;
  }

  detach(row) {
    row.node.remove();
    this.spare.push(row);
  }

  /* Every row's content is written again (the language changed). */
  refill() {
    for (const row of this.rows.concat(this.spare)) {
      if (row.index >= 0) this.fill(row, row.index);
    }
  }
}
