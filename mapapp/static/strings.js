/* Interface sentences are whole templates with named slots ("{date}: {list}"), one object
 * per module, so that a translation can reorder the words; no sentence is built by
 * concatenating pieces. The slots are filled by the style's one rule. No DOM. */

export { fill } from "./style.js";
