// @ts-check
/** Small DOM helpers shared by the views. */

/**
 * The element with this id; throws if the page lacks it (a broken page should fail loudly).
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} [type]
 * @returns {T}
 */
export function byId(id, type) {
  const el = document.getElementById(id);
  if (!el || (type && !(el instanceof type))) throw new Error(`Missing element #${id}`);
  return /** @type {T} */ (el);
}

/**
 * Creates an element with text content and class.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {{className?: string, text?: string}} [options]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, { className, text } = {}) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}
