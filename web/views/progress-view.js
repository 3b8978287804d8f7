// @ts-check
/**
 * Reading progress: stage name, a determinate bar, MB read, rows per second, and Cancel.
 */
import { formatInteger, formatMegabytes } from '../format.js';
import { byId } from '../ui/dom.js';

/** @type {Record<import('../api/protocol.js').Stage, string>} */
const STAGE_LABELS = {
  read: 'Reading transactions',
  features: 'Computing recency, frequency and spend per customer',
  clean: 'Applying the cleaning rules',
  scores: 'Scoring customers',
  segment: 'Finding segments',
  cohorts: 'Computing cohorts',
  export: 'Preparing the export',
  cluster: 'Finding segments',
  sweep: 'Comparing k',
  embed: 'Mapping the customers',
};

/**
 * @param {{onCancel: () => void}} actions
 */
export function createProgressView({ onCancel }) {
  const card = byId('progress-card');
  const stage = byId('progress-stage');
  const file = byId('progress-file');
  const bar = byId('progress-bar');
  const fill = byId('progress-fill');
  const detail = byId('progress-detail');

  byId('cancel-button').addEventListener('click', onCancel);

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    const { progress } = state;
    card.hidden = state.phase !== 'loading';
    if (card.hidden || !progress) return;

    const fraction = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
    const percent = Math.round(fraction * 100);
    stage.textContent = STAGE_LABELS[progress.stage];
    file.textContent = state.fileName ?? '';
    fill.style.width = `${progress.stage === 'read' ? percent : 100}%`;
    bar.setAttribute('aria-valuenow', String(progress.stage === 'read' ? percent : 100));

    const seconds = (progress.at - progress.startedAt) / 1000;
    const parts = [
      progress.total > 0
        ? `${formatMegabytes(progress.done)} of ${formatMegabytes(progress.total)} read`
        : `${formatMegabytes(progress.done)} unpacked and read`,
    ];
    parts.push(`${formatInteger(progress.rows)} rows`);
    if (seconds > 0.05 && progress.rows > 0) {
      parts.push(`${formatInteger(progress.rows / seconds)} rows/s`);
    }
    detail.textContent = parts.join(' · ');
  };
}
