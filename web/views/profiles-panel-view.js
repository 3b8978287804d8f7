// @ts-check
/**
 * Step 4's panel: a name and a colour per segment. The automatic name is the core's; typing a
 * new one (applied as you type, after a short pause) or picking a colour changes every chart,
 * table and export at once and runs nothing in the worker.
 */
import { plural } from '../format.js';
import { MAX_NAME_LENGTH, duplicateNames } from '../model/segment-style.js';
import { currentClustering, stylesOf } from '../state.js';
import { byId, el } from '../ui/dom.js';

/** Typing a name applies after this pause (ms). */
const NAME_DEBOUNCE_MS = 300;

/**
 * @param {{onName: (autoName: string, name: string) => void, onColor: (autoName: string, color: string | null) => void,
 *          onReset: () => void}} actions
 */
export function createProfilesPanelView({ onName, onColor, onReset }) {
  const list = byId('name-list');
  const warning = byId('name-warning');
  const reset = byId('names-reset-button', HTMLButtonElement);
  reset.addEventListener('click', onReset);
  /** @type {Map<HTMLInputElement, ReturnType<typeof setTimeout>>} */
  const typing = new Map();
  /** @type {unknown} */
  let builtFor = null;
  /** @type {{name: HTMLInputElement, color: HTMLInputElement, auto: HTMLElement, autoName: string}[]} */
  let rows = [];

  /** @param {import('../model/segment-style.js').SegmentStyle[]} styles */
  function build(styles) {
    rows = styles.map((style, s) => {
      const nameInput = el('input', {
        className: 'input input-name',
        attrs: { type: 'text', id: `segment-name-${s + 1}`, maxlength: MAX_NAME_LENGTH, 'aria-label': `Name of segment ${s + 1}`, spellcheck: 'false' },
      });
      const colorInput = el('input', {
        className: 'color-input',
        attrs: { type: 'color', id: `segment-color-${s + 1}`, 'aria-label': `Colour of segment ${s + 1}` },
      });
      const auto = el('span', { className: 'name-auto' });
      const commit = () => {
        clearTimeout(typing.get(nameInput));
        typing.delete(nameInput);
        onName(style.autoName, nameInput.value);
      };
      nameInput.addEventListener('input', () => {
        clearTimeout(typing.get(nameInput));
        typing.set(nameInput, setTimeout(commit, NAME_DEBOUNCE_MS));
      });
      nameInput.addEventListener('change', commit);
      colorInput.addEventListener('input', () => onColor(style.autoName, colorInput.value));
      list.append(el('li', { className: 'name-row' }, colorInput, el('div', { className: 'name-fields' }, nameInput, auto)));
      return { name: nameInput, color: colorInput, auto, autoName: style.autoName };
    });
  }

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    if (state.phase !== 'ready') return;
    const clustering = currentClustering(state);
    const styles = clustering ? stylesOf(state) : [];
    // Rebuilt when the segments change (k, method …), not while a name is typed.
    const key = clustering ? styles.map((s) => s.autoName).join('\n') : null;
    if (key !== builtFor) {
      builtFor = key;
      for (const timer of typing.values()) clearTimeout(timer);
      typing.clear();
      list.replaceChildren();
      build(styles);
    }
    rows.forEach((row, s) => {
      const style = styles[s];
      if (!style) return;
      if (!typing.has(row.name) && document.activeElement !== row.name) row.name.value = style.name;
      row.name.placeholder = style.autoName;
      row.color.value = style.color.toLowerCase();
      row.auto.textContent = style.customName ? `automatic: ${style.autoName}` : plural(clustering?.profiles[s].customers ?? 0, 'customer', 'customers');
    });
    const twice = duplicateNames(styles);
    warning.hidden = twice.size === 0;
    warning.textContent = twice.size ? 'Two segments share a name: target lists and platform tags would mix them. Give each its own name.' : '';
    reset.hidden = Object.keys(state.overrides.names).length === 0 && Object.keys(state.overrides.colors).length === 0;
  };
}
