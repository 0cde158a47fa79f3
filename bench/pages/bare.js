/* The physical limit of a 2D canvas: one canvas, a cached Path2D per place (built once, in
 * the pixels of the first view), one Path2D per colour gathered with addPath, one fill per
 * colour. Pan and zoom change the canvas transform and draw everything again. No outlines,
 * stripes or labels: what any page must at least pay to show a date. */
import { loadData, mapElement, nextFrame, size } from "./data.js";

const mercY = (lat) => {
  const r = (lat * Math.PI) / 180;
  return (1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2;
};
const mercX = (lon) => (lon + 180) / 360;

function fit(bounds) {
  const [west, south, east, north] = bounds;
  const x0 = mercX(west), x1 = mercX(east), y0 = mercY(north), y1 = mercY(south);
  const k = Math.min(size.w / (x1 - x0), size.h / (y1 - y0));
  const ox = (size.w - k * (x1 - x0)) / 2 - k * x0, oy = (size.h - k * (y1 - y0)) / 2 - k * y0;
  return (lon, lat) => [k * mercX(lon) + ox, k * mercY(lat) + oy];
}

function pathOf(geometry, project) {
  const path = new Path2D();
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  for (const rings of polygons) {
    for (const ring of rings) {
      ring.forEach(([lon, lat], j) => {
        const [x, y] = project(lon, lat);
        if (j === 0) path.moveTo(x, y); else path.lineTo(x, y);
      });
      path.closePath();
    }
  }
  return path;
}

const data = await loadData();
const project = fit(data.bounds);
const paths = data.places.features.map((f) => pathOf(f.geometry, project));
const canvas = document.createElement("canvas");
canvas.width = size.w;
canvas.height = size.h;
mapElement().appendChild(canvas);
const ctx = canvas.getContext("2d");
let colours = data.initial;
const view = { k: 1, x: 0, y: 0 }; // canvas pixel = k * first-view pixel + (x, y)
let drawRequest = 0;

function draw() {
  drawRequest = 0;
  const batches = data.palette.map(() => new Path2D());
  for (let i = 0; i < paths.length; i++) batches[colours[i]].addPath(paths[i]);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, size.w, size.h);
  ctx.setTransform(view.k, 0, 0, view.k, view.x, view.y);
  batches.forEach((batch, c) => {
    ctx.fillStyle = data.palette[c];
    ctx.fill(batch);
  });
}
const requestDraw = () => { drawRequest = drawRequest || requestAnimationFrame(draw); };

/* Zoom by 2^dz about the canvas centre, or pan by (dx, dy) canvas pixels. */
function move(dz, dx, dy) {
  const f = 2 ** dz, cx = size.w / 2, cy = size.h / 2;
  view.x = cx + f * (view.x - cx) - dx;
  view.y = cy + f * (view.y - cy) - dy;
  view.k *= f;
  requestDraw();
}

requestDraw();
await nextFrame();
window.benchPage = {
  kind: "bare",
  places: paths.length,
  jump(k) { colours = data.jumps[k]; requestDraw(); },
  move(dz, dx, dy) { move(dz, dx, dy); return nextFrame(); },
  // Page coordinates of a point given in lon/lat (for the pixel checks of the tests).
  pointOf(lon, lat) { const [x, y] = project(lon, lat); return [view.k * x + view.x, view.k * y + view.y]; },
  colourOf: (i) => data.palette[colours[i]],
};
