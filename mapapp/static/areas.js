/* The payload's areas per faction (payload.areas, from the engine) as the chart's columns;
 * no DOM, so node tests import it. */

export const NO_DATA = "no-data";

/* The payload's areas as columns with names and colours: one per faction (its own colour),
 * contested and no data (colours and names from the style). Before the first change day
 * every place is without data. */
export function areaTable(areas, factions, style) {
  const byId = {};
  for (const f of factions) byId[f.id] = f;
  const columns = areas.factions.map((id) => {
    if (byId[id]) return { id, name: byId[id].name, color: byId[id].color };
    if (id === NO_DATA) return { id, name: style.status_text[NO_DATA], color: style.no_data.fill };
    return { id, name: style.status_text[id] || id, color: style.chart[id] };
  });
  const snaps = areas.km2.map((row) => Float64Array.from(row));
  const total = snaps.length ? snaps[0].reduce((x, y) => x + y, 0) : 0;
  const base = new Float64Array(columns.length);
  const noData = areas.factions.indexOf(NO_DATA);
  if (noData >= 0) base[noData] = total;
  // Only the bands that ever hold some area are drawn and listed.
  const shown = columns.map((c, k) => base[k] > 1e-9 || snaps.some((t) => t[k] > 1e-9));
  return { columns, base, days: Int32Array.from(areas.days), snaps, total, shown,
           counts: areas.counts };
}
