/* The timeline's controls and the page's shareable state: the range and density strip,
 * the transport buttons, keys, the map toolbar, and the URL. Per date step the work here
 * is constant: a few attribute writes and a debounced URL. */
import { hook, emit } from "../hooks.js";
import { Range } from "./range.js";
import { Transport } from "./transport.js";
import { setupKeys } from "./keys.js";
import { Toolbar } from "./toolbar.js";
import { UrlState, readUrl } from "./url.js";

const PHONE_QUERY = "(max-width: 760px)";

/* Phones show the panel as a drawer over the map; embeds (embed.css) never show it. */
const phoneQuery = window.matchMedia(PHONE_QUERY); // live: read on every date step
export function isPhone() {
  return phoneQuery.matches || document.body.classList.contains("mapapp-embed");
}

/* Returns what the URL asks for once the date is set: {viewSet, compare}. */
export function setupViewer(app) {
  const $ = (id) => document.getElementById(id);
  const ui = {
    slider: $("mapapp-slider"), strip: $("mapapp-strip"), date: $("mapapp-date"),
    dateInput: $("mapapp-date-input"), prev: $("mapapp-prev"), next: $("mapapp-next"),
    play: $("mapapp-play"), speed: $("mapapp-speed"), range: $("mapapp-range"),
    rangeStart: $("mapapp-range-start"), rangeEnd: $("mapapp-range-end"),
  };
  const params = readUrl();
  const url = new UrlState(app);
  const range = new Range(app, ui, params.range);
  const transport = new Transport(app, ui, range, url);
  range.onChange = () => transport.updateDate();
  url.range = range;
  app.range = range;
  app.jump = (change) => url.jump(change);
  app.isPhone = isPhone;
  ui.range.addEventListener("change", () => {
    range.set(ui.range.value);
    url.replaceSoon();
  });
  ui.slider.addEventListener("input", () => app.applyDay(parseInt(ui.slider.value, 10)));
  // The slider's own keys step from its value, which follows the date after the map's
  // frame (main.js): bring it to the date first.
  ui.slider.addEventListener("keydown", () => app.settle());
  ui.slider.disabled = false;
  setupKeys(app.map, ui.slider, range, transport, app.engine);
  const toolbar = new Toolbar(app, { replace: () => url.replaceSoon(), jump: (f) => url.jump(f),
                                     flush: () => url.flush() });
  url.toolbar = toolbar;
  toolbar.setLang(app.cfg.lang || "en"); // the page's language, from ?lang= or its page
  const fromUrl = url.start(params);

  hook("day", () => {
    if (!range.contains(app.engine.day)) range.follow();
    transport.updateDate();
    url.replaceSoon();
  });
  let resizeQueued = false;
  window.addEventListener("resize", () => {
    if (resizeQueued) return;
    resizeQueued = true;
    requestAnimationFrame(() => {
      resizeQueued = false;
      range.drawStrip();
      emit("resize");
    });
  });
  app.transport = transport;
  app.toolbar = toolbar;
  return fromUrl;
}
