// @ts-check
/**
 * The panel's progress line for work a parameter change started (reading again, cleaning,
 * scoring, segmenting): the stage, a bar when the amount of work is known, and Cancel. Shown
 * only when the work lasts long enough to notice, so quick changes do not flicker.
 */
import { formatInteger } from '../format.js';
import { byId } from '../ui/dom.js';

/** Work shorter than this shows no progress line (ms). */
const SHOW_AFTER_MS = 150;

/**
 * @param {{onCancel: () => void}} actions
 */
export function createJobView({ onCancel }) {
  const box = byId('job');
  const text = byId('job-text');
  const fill = byId('job-fill');
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  byId('job-cancel').addEventListener('click', onCancel);

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    const { job } = state;
    if (!job) {
      clearTimeout(timer);
      timer = undefined;
      box.hidden = true;
      return;
    }
    const p = job.progress;
    // Reading reports bytes; the k sweep reports one step per k.
    const known = !!p && (p.stage === 'read' || p.stage === 'sweep') && p.total > 0;
    text.textContent = !known
      ? job.label
      : p.stage === 'sweep'
        ? `${job.label} ${formatInteger(p.done)} of ${formatInteger(p.total)}`
        : `${job.label} ${Math.round((100 * p.done) / p.total)}% · ${formatInteger(p.rows)} rows`;
    fill.style.width = known && p ? `${(100 * p.done) / p.total}%` : '100%';
    fill.classList.toggle('is-indeterminate', !known);
    if (box.hidden && timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined;
        box.hidden = false;
      }, SHOW_AFTER_MS);
    }
  };
}
