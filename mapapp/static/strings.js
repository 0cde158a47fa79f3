/* Interface sentences are whole templates with named slots ("{date}: {list}"), one object
 * per module, so that a translation can reorder the words; no sentence is built by
 * concatenating pieces. No DOM. */

export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (m, key) =>
    (Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : m));
}
