// @ts-check
/**
 * First-visit drop zone, file picker and "Try the sample data", and the project kept from an
 * earlier visit (Open it / Forget it). Files dropped anywhere on the page are taken too (so a
 * new file can be dropped over results; a project with or without its data file), and the
 * browser never navigates away to a dropped file.
 */
import { byId } from '../ui/dom.js';

/**
 * @param {{onFiles: (files: File[]) => void, onSample: () => void, onOpenLast: () => void,
 *          onForgetLast: () => void, onOpenProject: () => void}} actions
 */
export function createDropView({ onFiles, onSample, onOpenLast, onForgetLast, onOpenProject }) {
  const zone = byId('drop-zone');
  const input = byId('file-input', HTMLInputElement);
  const last = byId('last-project');
  const lastText = byId('last-project-text');
  byId('last-project-open').addEventListener('click', onOpenLast);
  byId('last-project-forget').addEventListener('click', onForgetLast);
  byId('drop-open-project-button').addEventListener('click', onOpenProject);
  const body = document.body;
  let dragDepth = 0;

  /** Opens the system file picker. */
  const openPicker = () => input.click();

  byId('choose-file-button').addEventListener('click', openPicker);
  byId('sample-button').addEventListener('click', onSample);
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length > 0) onFiles(files);
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
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length > 0) onFiles(files);
  });

  /** @param {import('../state.js').AppState} state */
  function render(state) {
    zone.hidden = state.phase !== 'empty';
    const kept = state.lastProject;
    last.hidden = !kept || state.project !== null;
    if (kept) lastText.textContent = `Last project in this browser: ${kept.fileName} (kept ${kept.savedAt.slice(0, 10)}).`;
  }

  return { render, openPicker };
}
