// @ts-check
/**
 * First-visit drop zone, file picker and "Try the sample data". Files dropped anywhere on the
 * page are taken too (so a new file can be dropped over results), and the browser never
 * navigates away to a dropped file.
 */
import { byId } from '../ui/dom.js';

/**
 * @param {{onFile: (file: File) => void, onSample: () => void}} actions
 */
export function createDropView({ onFile, onSample }) {
  const zone = byId('drop-zone');
  const input = byId('file-input', HTMLInputElement);
  const body = document.body;
  let dragDepth = 0;

  /** Opens the system file picker. */
  const openPicker = () => input.click();

  byId('choose-file-button').addEventListener('click', openPicker);
  byId('sample-button').addEventListener('click', onSample);
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) onFile(file);
  });

  /** @param {DragEvent} event */
  const hasFiles = (event) => event.dataTransfer?.types.includes('Files') ?? false;
  const clearDrag = () => {
    dragDepth = 0;
    zone.classList.remove('is-over');
    body.classList.remove('is-dragging');
  };

  window.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    dragDepth++;
    body.classList.add('is-dragging');
  });
  window.addEventListener('dragleave', () => {
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) clearDrag();
  });
  window.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    zone.classList.toggle('is-over', zone.contains(/** @type {Node} */ (event.target)));
  });
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    clearDrag();
    const file = event.dataTransfer?.files[0];
    if (file) onFile(file);
  });

  /** @param {import('../state.js').AppState} state */
  function render(state) {
    zone.hidden = state.phase !== 'empty';
  }

  return { render, openPicker };
}
