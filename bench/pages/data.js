/* The data every reference page draws: the same polygons as the project's page (GeoJSON,
 * one feature per place, `i` = its index) and, per jump, each place's colour index into
 * `palette`, as one character per place ("A" + index). Written by bench/frame_data.py. */
export const params = new URLSearchParams(location.search);
export const size = { w: Number(params.get("w") || 1104), h: Number(params.get("h") || 800) };

export async function loadData() {
  const base = params.get("data");
  const [places, jumps] = await Promise.all([
    fetch(base + "/places.geojson").then((r) => r.json()),
    fetch(base + "/jumps.json").then((r) => r.json()),
  ]);
  const decode = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0) - 65);
  return { places, palette: jumps.palette, bounds: jumps.bounds,
           initial: decode(jumps.initial), jumps: jumps.jumps.map(decode) };
}

/* The page's map element, sized like the project's map. */
export function mapElement() {
  const el = document.getElementById("map");
  el.style.width = size.w + "px";
  el.style.height = size.h + "px";
  return el;
}

export const nextFrame = () => new Promise((r) => requestAnimationFrame(r));
