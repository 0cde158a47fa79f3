/* How places look, from the payload's "style" (mapapp/style.py): fills, outlines, stripes
 * and the legend's wording. No colour or opacity is written here. */

/* The outline colour of a fill: its colour darkened by style.line_darken. */
export function darker(hex, factor) {
  const n = parseInt(hex.slice(1), 16);
  const r = Math.round(((n >> 16) & 255) * factor), g = Math.round(((n >> 8) & 255) * factor),
        b = Math.round((n & 255) * factor);
  return "#" + ((1 << 24) + (r << 16) + (g << 8) + b).toString(16).slice(1);
}

export function isTentative(style, confidence) {
  return style.tentative.indexOf(confidence) >= 0;
}

/* The outline of a place: its weight and dash (as Leaflet's dashArray), by kind. */
export function outlineOf(style, quality, isPoint) {
  const o = style.outline[isPoint ? "point" : (quality === "derived" ? "derived" : "official")];
  return { weight: o.weight, dashArray: o.dash ? o.dash.join(" ") : null };
}

/* A CSS background for a legend swatch: the canvas stripes as a gradient. */
export function cssFill(style, status, colors) {
  const tile = style.stripes.tile / 2; // a 45° stripe period, as drawn on the map
  if (status === "contested") {
    const w = style.stripes.contested_width * 2 / 3;
    return "repeating-linear-gradient(135deg," + colors[1] + " 0 " + w + "px," + colors[0] +
      " " + w + "px " + tile + "px)";
  }
  if (status === "joint") {
    const half = tile / 2; // equal halves of the period, as on the map
    return "repeating-linear-gradient(135deg," + colors[0] + " 0 " + half + "px," +
      colors[1] + " " + half + "px " + 2 * half + "px)";
  }
  return colors[0];
}

/* A tentative swatch's CSS background: the fill veiled by white to the ratio of the
 * tentative opacity to the firm one, under the tentative hatch's horizontal lines. */
export function tentativeCss(style, background) {
  const h = style.tentative_hatch, period = style.stripes.tile / h.lines;
  const veil = (1 - style.fill_opacity.tentative / style.fill_opacity.firm).toFixed(3);
  return "repeating-linear-gradient(0deg," + h.color + " 0 " + h.width + "px,transparent " +
    h.width + "px " + period + "px),linear-gradient(rgba(255,255,255," + veil +
    "),rgba(255,255,255," + veil + "))," + background;
}

/* Leaflet path options per payload state, then one for no data (index states.length).
 * `pattern(background, foreground, width, tile)` makes the stripes' canvas pattern;
 * `hatch(fill, style.tentative_hatch, tile)`, when given, the tentative states' lines. */
export function stateStyles(style, states, factions, pattern, hatch) {
  const fill = style.fill_opacity;
  const out = states.map((st) => {
    const colors = st.factions.map((i) => factions[i].color);
    let fillColor = colors[0];
    if (st.status === "contested") {
      fillColor = pattern(colors[0], colors[1], style.stripes.contested_width, style.stripes.tile);
    }
    if (st.status === "joint") {
      fillColor = pattern(colors[0], colors[1], style.stripes.joint_width, style.stripes.tile);
    }
    const tentative = isTentative(style, st.confidence);
    if (tentative && hatch) fillColor = hatch(fillColor, style.tentative_hatch, style.stripes.tile);
    return { fillColor, fillOpacity: tentative ? fill.tentative : fill.firm,
             color: darker(colors[0], style.line_darken) };
  });
  const none = style.no_data;
  out.push({ fillColor: none.fill, fillOpacity: none.fill_opacity, color: none.line });
  return out;
}

/* "{faction}" → "ISIS": a template's named fields filled by plain replacement, as
 * mapapp.style.fill_template does (braces in the values are left alone). */
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (m, key) =>
    (Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : m));
}

/* A state's legend label, by the payload's templates (mapapp.style.legend_label): each
 * status names its factions by the field style.legend.name gives (a missing short name
 * falls back to the name) and joins them with its separator; tentative states say so. */
export function legendLabel(style, st, factions) {
  const words = style.legend;
  const field = words.name[st.status];
  const shown = st.factions.map((i) => factions[i][field] || factions[i].name);
  let label = st.status === "held"
    ? fill(words.held, { faction: shown[0] })
    : fill(words[st.status], { factions: shown.join(words.separator[st.status]) });
  if (isTentative(style, st.confidence)) {
    const said = style.confidence_text && style.confidence_text[st.confidence];
    label += fill(words.tentative, { confidence: said || st.confidence });
  }
  return label;
}

/* A stale place's style (mapapp/freshness.py) from its state's: paler by
 * style.stale.opacity_factor, its fill dotted. `dotted(fillColor, stale, tile)` makes the
 * pattern, on the stripes' tile. */
export function staleStyle(style, base, dotted) {
  return { fillColor: dotted(base.fillColor, style.stale, style.stripes.tile),
           fillOpacity: base.fillOpacity * style.stale.opacity_factor, color: base.color };
}

/* The legend swatch of stale places: white dots on the style's grey. */
export function staleCss(style) {
  const s = style.stale, r = s.dot_radius, tile = style.stripes.tile / 2;
  return "radial-gradient(circle, " + s.dot + " " + (r * 2 / 3) + "px, transparent " +
    (r * 8 / 9) + "px) 0 0 / " + tile + "px " + tile + "px, " + s.swatch;
}
