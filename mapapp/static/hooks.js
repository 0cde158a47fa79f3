/* The hook registry lives in mapapp.js (a classic script), so that any script can hook in
 * before the modules run; the modules emit through it. */

const bridge = window.mapapp.folium;

export const hook = window.mapapp.hook;
export function emit(name, a, b) { bridge.emit(name, a, b); }
