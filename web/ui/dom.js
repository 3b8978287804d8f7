// @ts-check
/** Small DOM helpers shared by the views. Text always goes in as text, never as HTML. */

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

/**
 * Creates an element with attributes, properties and children (strings become text nodes).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {{className?: string, text?: string, attrs?: Record<string, string | number | boolean | null | undefined>,
 *          props?: Record<string, unknown>}} [options]
 *   attrs: false/null/undefined leave the attribute out, true sets it empty
 * @param {...(Node | string | null | undefined | false)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, { className, text, attrs, props } = {}, ...children) {
  const node = h(tag, { className, text });
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  Object.assign(node, props ?? {});
  for (const child of children) if (child) node.append(child);
  return node;
}

/**
 * A term with a definition: the definition shows on hover and on keyboard focus (the page's
 * tooltip, see tooltip.js) and is read out as the element's description.
 * @param {string} text
 * @param {string} definition
 * @param {string} [className]
 */
export function term(text, definition, className = 'term') {
  const node = h('span', { className, text });
  node.tabIndex = 0;
  node.dataset.tip = definition;
  node.setAttribute('aria-description', definition);
  return node;
}

/**
 * A <select> with options; `value` selected.
 * @param {{id?: string, label?: string, value: string, options: {value: string, label: string, title?: string}[]}} spec
 */
export function select({ id, label, value, options }) {
  const node = el('select', { className: 'select', attrs: { id, 'aria-label': label } });
  for (const o of options) {
    const option = el('option', { text: o.label, attrs: { title: o.title } });
    option.value = o.value;
    node.append(option);
  }
  node.value = value;
  return node;
}
