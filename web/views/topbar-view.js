// @ts-check
/**
 * Top bar: file name, rows and customers of the loaded file, "Open file…" and the theme toggle.
 */
import { formatInteger } from '../format.js';
import { byId } from '../ui/dom.js';

/**
 * @param {{onToggleTheme: () => void, onOpenFile: () => void}} actions
 */
export function createTopbarView({ onToggleTheme, onOpenFile }) {
  const info = byId('file-info');
  const file = byId('info-file');
  const rows = byId('info-rows');
  const customers = byId('info-customers');
  const openButton = byId('open-file-button', HTMLButtonElement);
  const themeToggle = byId('theme-toggle', HTMLButtonElement);

  themeToggle.addEventListener('click', onToggleTheme);
  openButton.addEventListener('click', onOpenFile);

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    const summary = state.analysis.value?.summary;
    info.hidden = !summary;
    openButton.hidden = state.phase !== 'ready';
    if (summary) {
      file.textContent = summary.file;
      file.title = summary.file;
      rows.textContent = formatInteger(summary.rowsRead);
      customers.textContent = formatInteger(summary.customers);
    }
    themeToggle.setAttribute('aria-pressed', String(state.theme === 'dark'));
  };
}
