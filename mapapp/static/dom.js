/* Small DOM helpers: every data string reaches the page as text or an attribute. */

export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const key of Object.keys(attrs)) {
      const value = attrs[key];
      if (value === null || value === undefined) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value);
    }
  }
  for (const child of children || []) {
    if (child === null || child === undefined) continue;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/* Only http(s) links are followed. */
export function safeUrl(url) {
  return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
}

export function sourceLink(title, url) {
  const href = safeUrl(url);
  if (!href) return el("span", { text: title || "source" });
  return el("a", { href, target: "_blank", rel: "noopener noreferrer nofollow",
                   text: title || href });
}

export function swatch(background) {
  const node = el("span", { className: "mapapp-swatch", "aria-hidden": "true" });
  if (background) node.style.background = background;
  return node;
}

/* For the few places that take HTML (Leaflet's attribution). */
export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export function reducedMotion() {
  return !!window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}

/* Text and attributes written only when they differ: a date step rewrites nothing that it
 * did not change (no style, layout or paint for it, no mutation for a screen reader). */
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

export function setAttr(node, name, value) {
  const text = String(value);
  if (node.getAttribute(name) !== text) node.setAttribute(name, text);
}
