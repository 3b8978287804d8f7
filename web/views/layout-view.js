// @ts-check
/**
 * Page frame: theme, phase (which decides the grid), the step shown in the canvas and the panel,
 * and the steps rail (each step can be opened once its inputs exist).
 */
import { formatInteger, plural } from '../format.js';
import { availableSteps, currentClustering } from '../state.js';
import { byId } from '../ui/dom.js';
import { nextTask } from '../ui/tasks.js';
import { signedPercent, whatIfResult } from './whatif-summary.js';

/** @typedef {import('../state.js').Step} Step */

/** @type {Step[]} */
export const STEPS = ['data', 'customers', 'segments', 'profiles', 'cohorts', 'whatif', 'export'];

/**
 * The short note under each step name in the rail.
 * @param {import('../state.js').AppState} state
 * @returns {Record<Step, string>}
 */
export function stepNotes(state) {
  const summary = state.analysis.value?.summary;
  const {
    scores: { value: rfm },
    segment: { value: segmentation },
    cohorts: { value: cohorts },
  } = state;
  const analysisError = state.analysis.error;
  const clustering = analysisError ? null : currentClustering(state);
  const k = clustering?.profiles.length ?? segmentation?.segments.length;
  const whatIf = clustering ? whatIfResult(state) : null;
  return {
    data: analysisError ? 'needs attention' : summary ? `${formatInteger(summary.rowsKept)} rows kept` : '',
    customers: !analysisError && summary ? plural(summary.customers, 'customer', 'customers') : '',
    segments: !analysisError && k ? plural(k, 'segment', 'segments') : '',
    profiles: clustering ? 'names, snake plot' : '',
    cohorts: !analysisError && cohorts ? plural(cohorts.months.length, 'cohort', 'cohorts') : rfm && !analysisError ? 'monthly retention' : '',
    whatif: whatIf ? `${signedPercent(whatIf.total.changeShare)} revenue` : '',
    export: clustering ? 'lists, files, report' : '',
  };
}

/**
 * @param {{onStep: (step: Step) => void}} actions
 */
export function createLayoutView({ onStep }) {
  const rail = byId('rail');
  const panel = byId('panel');
  /** @type {Record<Step, {button: HTMLButtonElement, note: HTMLElement, section: HTMLElement, panel: HTMLElement}>} */
  const parts = /** @type {any} */ ({});
  for (const step of STEPS) {
    parts[step] = {
      button: byId(`step-${step}`, HTMLButtonElement),
      note: byId(`step-note-${step}`),
      section: byId(`${step}-section`),
      panel: byId(`panel-${step}`),
    };
    // The step opens in a task after the click's: the click's own task (with the browser's work
    // for the input) stays short, and the new step's layout and paint follow in a frame.
    parts[step].button.addEventListener('click', () => nextTask().then(() => onStep(step)));
  }
  // Arrow keys move along the rail (as in a tab list); Tab leaves it.
  rail.addEventListener('keydown', (event) => {
    if (!['ArrowDown', 'ArrowUp', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    const buttons = STEPS.map((s) => parts[s].button).filter((b) => !b.disabled);
    const i = buttons.indexOf(/** @type {HTMLButtonElement} */ (document.activeElement));
    if (i < 0) return;
    event.preventDefault();
    const forward = event.key === 'ArrowDown' || event.key === 'ArrowRight';
    const next = event.key === 'Home' ? 0 : event.key === 'End' ? buttons.length - 1 : (i + (forward ? 1 : -1) + buttons.length) % buttons.length;
    buttons[next].focus();
  });

  /** @type {Step | null} */
  let shownStep = null;
  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    document.documentElement.dataset.theme = state.theme;
    document.body.dataset.phase = state.phase;
    document.body.dataset.step = state.step;
    // Whether the worker is computing something for the page (tests wait on it; styles may too).
    document.body.dataset.busy = String(
      !!state.job ||
        state.scores.busy ||
        state.segment.busy ||
        state.cohorts.busy ||
        state.cluster.busy ||
        state.sweep.busy ||
        state.embed.busy ||
        state.exportBusy ||
        state.phase === 'loading',
    );
    const ready = state.phase === 'ready';
    rail.hidden = !ready;
    panel.hidden = !ready;
    const available = availableSteps(state);
    const notes = stepNotes(state);
    for (const step of STEPS) {
      const { button, note, section, panel: stepPanel } = parts[step];
      const current = step === state.step;
      button.disabled = !available[step];
      if (current) button.setAttribute('aria-current', 'step');
      else button.removeAttribute('aria-current');
      button.title = available[step] ? '' : 'Available once the file gives customers: see step 1, Data.';
      note.textContent = notes[step];
      section.hidden = !ready || !current;
      stepPanel.hidden = !current;
    }
    // On narrow screens the rail is a strip that scrolls: keep the current step in view. In the
    // next frame, once every view has updated: scrolling now would lay the page out twice.
    if (state.step !== shownStep) {
      shownStep = state.step;
      const button = parts[state.step].button;
      requestAnimationFrame(() => button.scrollIntoView?.({ block: 'nearest', inline: 'nearest' }));
    }
  };
}
