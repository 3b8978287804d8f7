// @ts-check
/**
 * Top bar: file name, rows and customers of the loaded file, the project open (with Close),
 * "Save project", "Open project…", "Open file…" and the theme toggle.
 */
import { formatInteger } from '../format.js';
import { currentClustering } from '../state.js';
import { byId } from '../ui/dom.js';

/**
 * @param {{onToggleTheme: () => void, onOpenFile: () => void, onSaveProject: () => void,
 *          onOpenProject: (file: File) => void, onCloseProject: () => void}} actions
 */
export function createTopbarView({ onToggleTheme, onOpenFile, onSaveProject, onOpenProject, onCloseProject }) {
  const info = byId('file-info');
  const file = byId('info-file');
  const rows = byId('info-rows');
  const customers = byId('info-customers');
  const openButton = byId('open-file-button', HTMLButtonElement);
  const themeToggle = byId('theme-toggle', HTMLButtonElement);
  const chip = byId('project-chip');
  const chipName = byId('project-chip-name');
  const closeProject = byId('project-close-button', HTMLButtonElement);
  const saveProject = byId('save-project-button', HTMLButtonElement);
  const openProject = byId('open-project-button', HTMLButtonElement);
  const projectInput = byId('project-input', HTMLInputElement);

  themeToggle.addEventListener('click', onToggleTheme);
  openButton.addEventListener('click', onOpenFile);
  saveProject.addEventListener('click', onSaveProject);
  closeProject.addEventListener('click', onCloseProject);
  openProject.addEventListener('click', () => projectInput.click());
  projectInput.addEventListener('change', () => {
    const picked = projectInput.files?.[0];
    projectInput.value = '';
    if (picked) onOpenProject(picked);
  });

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
    const project = state.project;
    chip.hidden = !project;
    if (project) {
      chipName.textContent = project.fileName;
      chip.title = `${project.fileName}: ${project.scoring === 'saved' ? 'its saved segments score the customers on screen' : 'its settings, segments fitted on this file'}`;
    }
    saveProject.hidden = state.phase !== 'ready';
    saveProject.disabled = !currentClustering(state) || state.cluster.busy || state.analysis.busy;
    // With a file on screen, "Open file…" takes a project too (and a drop anywhere does).
    openProject.hidden = state.phase !== 'empty';
    themeToggle.setAttribute('aria-pressed', String(state.theme === 'dark'));
  };
}
