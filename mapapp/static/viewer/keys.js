/* Keyboard shortcuts, whenever focus is not in a text field or a select: ←/→ one day,
 * Shift+←/→ previous / next change (mirrored right to left), Space play/pause. */

const TEXT_INPUTS =
  /^(text|search|email|url|tel|password|number|date|month|week|time|datetime-local)$/;

function isTextField(t) {
  if (!t || !t.tagName) return false;
  if (t.isContentEditable || t.tagName === "TEXTAREA" || t.tagName === "SELECT") return true;
  return t.tagName === "INPUT" && TEXT_INPUTS.test(t.type);
}

/* Elements that Space activates by themselves. */
function spaceActivates(t) {
  if (!t || !t.tagName) return false;
  const role = t.getAttribute && t.getAttribute("role");
  return /^(BUTTON|A|SUMMARY)$/.test(t.tagName) || role === "button" || role === "tab" ||
    (t.tagName === "INPUT" && /^(checkbox|radio|button|submit|reset)$/.test(t.type));
}

export function setupKeys(map, slider, range, transport, engine) {
  // The map keeps its arrow keys (panning) when it was reached with the keyboard; after a
  // click or tap on it, ←/→ move the date like everywhere else.
  const focus = { byPointer: false, pointerAt: 0 };
  const container = map.getContainer();
  document.addEventListener("pointerdown", (e) => {
    focus.pointerAt = Date.now();
    if (container.contains(e.target)) focus.byPointer = true;
  }, true);
  container.addEventListener("focus", () => {
    if (Date.now() - focus.pointerAt > 500) focus.byPointer = false; // Tab
  });

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (document.querySelector("dialog[open]")) return; // a modal (Share) has the keys
    const t = e.target;
    if (isTextField(t)) return;
    if (e.key === " " || e.key === "Spacebar") {
      if (spaceActivates(t)) return;
      e.preventDefault();
      transport.toggle();
      return;
    }
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    if (t && t.getAttribute && t.getAttribute("role") === "tab") return;
    if (container.contains(t) && !focus.byPointer) return;
    // Time runs the way the text does: right to left in Arabic (docs/i18n.md), as the
    // range input itself does under dir=rtl.
    const later = document.documentElement.dir === "rtl" ? "ArrowLeft" : "ArrowRight";
    const dir = e.key === later ? 1 : -1;
    // On the slider a plain arrow is the browser's own one-day step, unless at an edge
    // of a zoomed domain, where we step past it and the domain follows.
    const atEdge = dir > 0 ? engine.day >= range.hi : engine.day <= range.lo;
    if (t === slider && !e.shiftKey && !atEdge) return;
    e.preventDefault();
    e.stopPropagation(); // Leaflet would pan the map with the same key
    if (e.shiftKey) transport.jumpChange(dir); else transport.stepDay(dir);
  }, true);
}
