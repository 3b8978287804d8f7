// @ts-check
/**
 * Parameters panel of the Segments step: the k slider (changes apply live, debounced), a
 * status line, and "Download segments".
 */
import { K_RANGE, SEGMENT_DEFAULTS } from '../api/protocol.js';
import { formatInteger, formatOneDecimal } from '../format.js';
import { byId } from './dom.js';

/** Wait this long after the last slider move before re-segmenting (ms). */
const K_DEBOUNCE_MS = 200;

/**
 * @param {{onK: (k: number) => void, onDownload: () => void}} actions
 */
export function createPanelView({ onK, onDownload }) {
  const panel = byId('panel');
  const kInput = byId('k-input', HTMLInputElement);
  const kOutput = byId('k-output', HTMLOutputElement);
  const status = byId('segment-status');
  const download = byId('download-button', HTMLButtonElement);

  kInput.min = String(K_RANGE.min);
  kInput.max = String(K_RANGE.max);
  byId('n-init').textContent = String(SEGMENT_DEFAULTS.nInit);
  byId('seed').textContent = String(SEGMENT_DEFAULTS.seed);

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const commit = () => {
    clearTimeout(timer);
    timer = undefined;
    onK(kInput.valueAsNumber);
  };
  kInput.addEventListener('input', () => {
    kOutput.value = kInput.value;
    clearTimeout(timer);
    timer = setTimeout(commit, K_DEBOUNCE_MS);
  });
  kInput.addEventListener('change', commit);
  download.addEventListener('click', onDownload);

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    panel.hidden = state.phase !== 'ready';
    if (timer === undefined) {
      kInput.value = String(state.k);
      kOutput.value = String(state.k);
    }
    download.disabled = !state.segmentation || state.segmenting;

    status.classList.toggle('is-busy', state.segmenting);
    status.classList.toggle('is-error', !!state.segmentError && !state.segmenting);
    status.removeAttribute('title');
    if (state.segmenting) {
      status.textContent = `Finding ${state.k} segments…`;
    } else if (state.segmentError) {
      status.textContent = state.segmentError;
    } else if (state.segmentation) {
      status.textContent = `${formatInteger(state.segmentation.segments.length)} segments · inertia ${formatOneDecimal(state.segmentation.inertia)}`;
      status.title =
        'Inertia: sum of squared distances from each customer to its segment centre, on log-scaled, standardized features. Lower means tighter segments.';
    } else {
      status.textContent = '';
    }
  };
}
