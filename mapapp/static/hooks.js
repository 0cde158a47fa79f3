/* The hook registry lives in mapapp.js (a classic script), so that any script can hook in
 * before the modules run; the modules emit through it. And when the page's work beyond
 * the map runs: after the frame that shows the new date (afterPaint). */

const bridge = window.mapapp.folium;

export const hook = window.mapapp.hook;
export function emit(name, a, b) { bridge.emit(name, a, b); }

const HIDDEN_MS = 1000; // a page that became hidden before its frame gets none

/* Returns a function that asks for `fn` to run once, in a task after the next frame is
 * painted, so the work never sits in the frame that shows a new date; requests before it
 * runs are merged. A message posted from a frame callback is handled after that frame;
 * posted once more from there, it also lets the tasks that the frame's own callbacks
 * queued run first. A hidden page has no frames: a timer then. The returned function's
 * `now()` runs `fn` at once if it was asked for. */
export function afterPaint(fn) {
  const channel = new MessageChannel();
  let queued = false, timer = null;
  const run = () => {
    if (!queued) return;
    queued = false;
    clearTimeout(timer);
    fn();
  };
  channel.port1.onmessage = (e) => {
    if (e.data === "frame") channel.port2.postMessage("after");
    else run();
  };
  const request = () => {
    if (queued) return;
    queued = true;
    if (document.hidden) {
      timer = setTimeout(run, 0);
      return;
    }
    requestAnimationFrame(() => channel.port2.postMessage("frame"));
    timer = setTimeout(run, HIDDEN_MS);
  };
  request.now = run;
  return request;
}
