// @ts-check
/**
 * Step 2's panel: the segment rule preset, the features behind R, F and M, the scoring status,
 * and "Download customer table (CSV)".
 */
import { feature, SCORE_FEATURES } from '../model/definitions.js';
import { PRESETS } from '../model/rule-editor.js';
import { plural } from '../format.js';
import { currentResult } from '../state.js';
import { byId, el } from '../ui/dom.js';

/**
 * @typedef {import('../state.js').RfmSettings} RfmSettings
 */

/**
 * @param {{onPreset: (preset: import('../api/protocol.js').RfmPreset) => void,
 *          onFeature: (patch: Partial<RfmSettings>) => void, onDownload: () => void,
 *          onFrozenEdges: (frozen: boolean) => void}} actions
 */
export function createRfmPanelView({ onPreset, onFeature, onDownload, onFrozenEdges }) {
  const bins = byId('rfm-bins');
  const binsNote = byId('rfm-bins-note');
  const binRadios = /** @type {HTMLInputElement[]} */ ([...bins.querySelectorAll('input[name="rfm-bins"]')]);
  for (const radio of binRadios) radio.addEventListener('change', () => radio.checked && onFrozenEdges(radio.value === 'frozen'));
  const preset = byId('preset-select', HTMLSelectElement);
  const presetNote = byId('preset-note');
  const status = byId('rfm-status');
  const download = byId('customer-download-button', HTMLButtonElement);
  const downloadK = byId('download-k');

  for (const p of PRESETS) preset.append(el('option', { text: p.label, props: { value: p.id } }));
  const custom = el('option', { text: 'Custom rules (edited)', props: { value: 'custom', disabled: true } });
  preset.append(custom);
  preset.addEventListener('change', () => {
    if (preset.value !== 'custom') onPreset(/** @type {import('../api/protocol.js').RfmPreset} */ (preset.value));
  });

  /** @type {Record<'recency' | 'frequency' | 'monetary', HTMLSelectElement>} */
  const selects = {
    recency: byId('feature-r', HTMLSelectElement),
    frequency: byId('feature-f', HTMLSelectElement),
    monetary: byId('feature-m', HTMLSelectElement),
  };
  for (const [key, control] of /** @type {[keyof typeof selects, HTMLSelectElement][]} */ (Object.entries(selects))) {
    for (const name of SCORE_FEATURES[key]) {
      const def = feature(name);
      control.append(el('option', { text: def.label, props: { value: name }, attrs: { title: def.definition } }));
    }
    control.addEventListener('change', () => onFeature({ [key]: control.value }));
  }
  download.addEventListener('click', onDownload);

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    if (state.phase !== 'ready') return;
    const s = state.rfmSettings;
    preset.value = s.preset;
    custom.hidden = s.preset !== 'custom';
    presetNote.textContent =
      s.preset === 'custom'
        ? 'Your edited rules. “Reset to preset” below the rules brings back the chosen preset.'
        : (PRESETS.find((p) => p.id === s.preset)?.note ?? '');
    for (const [key, control] of Object.entries(selects)) control.value = s[/** @type {'recency'} */ (key)];
    bins.hidden = !state.project;
    for (const radio of binRadios) radio.checked = (radio.value === 'frozen') === !!s.edges;
    binsNote.textContent = s.edges
      ? `Each score is cut where the project’s quintiles were (fitted on ${state.project?.model.fittedOn.file ?? 'its file'}), so a 5 means what it meant then.`
      : 'Each score is a fifth of this file’s customers, as a new analysis would cut them.';

    const ready = !!currentResult(state, 'scores');
    const segmented = !!currentResult(state, 'segment');
    download.disabled = !ready || !segmented || !!state.job;
    downloadK.textContent = state.segment.value ? `k = ${state.segment.value.segments.length}, as “Download segments”` : 'step 3';

    status.classList.toggle('is-busy', state.scores.busy);
    status.classList.toggle('is-error', !!state.scores.error && !state.scores.busy);
    if (state.scores.busy) status.textContent = 'Scoring customers…';
    else if (state.scores.error) status.textContent = state.scores.error;
    else if (ready && state.analysis.value?.customers)
      status.textContent = `${plural(state.analysis.value?.customers.ids.length, 'customer', 'customers')} scored ${s.edges ? 'on the project’s bin edges' : 'by quintile'}`;
    else status.textContent = '';
  };
}
