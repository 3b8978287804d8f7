// @ts-check
/**
 * Parameters panel of the Segments step: the method (K-Means, K-Medoids, Gaussian mixture with
 * its covariance, four linkages), k, and under "Features and scaling" the features to use, log1p,
 * winsorizing, the scaler and the seed. Changes apply live (sliders and number fields debounced);
 * a setting that cannot be used says why under its field. Then "Download segments": always the
 * K-Means defaults with this k, byte for byte `loyaltylens segment FILE --k K --seed 1`.
 */
import { formatInteger } from '../format.js';
import {
  ALGORITHMS,
  SCALERS,
  algorithmLabel,
  defaultClusterSettings,
  kRange,
  isHierarchical,
  isKMeansDefault,
  validateClusterSettings,
} from '../model/cluster-settings.js';
import { FEATURES } from '../model/definitions.js';
import { currentClustering } from '../state.js';
import { byId, el } from '../ui/dom.js';

/** Wait this long after the last slider move before re-segmenting (ms). */
const K_DEBOUNCE_MS = 200;
/** Typing in a number field applies after this pause (ms). */
const INPUT_DEBOUNCE_MS = 500;

/**
 * @typedef {import('../model/cluster-settings.js').ClusterSettings} ClusterSettings
 */

/**
 * The status line of a clustering: segments, method and the quality numbers, in words.
 * @param {NonNullable<import('../state.js').AppState['cluster']['value']>} c
 */
export function clusterStatusText(c) {
  const parts = [`${formatInteger(c.profiles.length)} segments`, algorithmLabel(c.run.algorithm)];
  if (c.silhouette) parts.push(`silhouette ${c.silhouette.mean.toFixed(2)}${c.silhouette.sampled ? ' (sample)' : ''}`);
  if (c.run.algorithm === 'gmm' && Number.isFinite(c.bic)) parts.push(`BIC ${formatInteger(c.bic)}`);
  return parts.join(' · ');
}

/**
 * @param {{onK: (k: number) => void, onSettings: (patch: Partial<ClusterSettings>) => void, onDownload: () => void}} actions
 */
export function createPanelView({ onK, onSettings, onDownload }) {
  const panel = byId('panel');
  const algorithm = byId('algorithm-select', HTMLSelectElement);
  const algorithmNote = byId('algorithm-note');
  const covarianceField = byId('covariance-field');
  const covariance = byId('covariance-select', HTMLSelectElement);
  const kInput = byId('k-input', HTMLInputElement);
  const kOutput = byId('k-output', HTMLOutputElement);
  const status = byId('segment-status');
  const details = byId('cluster-details', HTMLDetailsElement);
  const detailsNote = byId('cluster-details-note');
  const featureList = byId('cluster-features');
  const log1p = byId('log1p-input', HTMLInputElement);
  const winsorLo = byId('winsor-lo', HTMLInputElement);
  const winsorHi = byId('winsor-hi', HTMLInputElement);
  const scaler = byId('scaler-select', HTMLSelectElement);
  const seed = byId('seed-input', HTMLInputElement);
  const reset = byId('cluster-reset-button', HTMLButtonElement);
  const download = byId('download-button', HTMLButtonElement);
  const downloadNote = byId('download-note');
  const errors = {
    features: byId('error-cluster-features'),
    winsor: byId('error-cluster-winsor'),
    seed: byId('error-cluster-seed'),
  };

  for (const a of ALGORITHMS) algorithm.append(el('option', { text: a.label, props: { value: a.id }, attrs: { title: a.definition } }));
  for (const s of SCALERS) scaler.append(el('option', { text: s.label, props: { value: s.id }, attrs: { title: s.definition } }));
  /** @type {Map<string, HTMLInputElement>} */
  const featureBoxes = new Map();
  for (const def of FEATURES) {
    const id = `cluster-feature-${def.name}`;
    const box = el('input', { attrs: { type: 'checkbox', id, value: def.name } });
    featureBoxes.set(def.name, box);
    featureList.append(el('label', { className: 'check', attrs: { for: id, 'data-tip': def.definition } }, box, el('span', { text: def.label })));
  }
  kInput.min = String(kRange().min);
  kInput.max = String(kRange().max);
  // Open on wide screens; a phone shows the method and k first, the rest on demand.
  const wide = matchMedia('(min-width: 821px)');
  details.open = wide.matches;
  wide.addEventListener('change', () => {
    details.open = wide.matches;
  });

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let kTimer;
  const commitK = () => {
    clearTimeout(kTimer);
    kTimer = undefined;
    onK(kInput.valueAsNumber);
  };
  kInput.addEventListener('input', () => {
    kOutput.value = kInput.value;
    clearTimeout(kTimer);
    kTimer = setTimeout(commitK, K_DEBOUNCE_MS);
  });
  kInput.addEventListener('change', commitK);

  algorithm.addEventListener('change', () => onSettings({ algorithm: /** @type {ClusterSettings['algorithm']} */ (algorithm.value) }));
  covariance.addEventListener('change', () => onSettings({ covariance: /** @type {'full' | 'diag'} */ (covariance.value) }));
  scaler.addEventListener('change', () => onSettings({ scaler: /** @type {ClusterSettings['scaler']} */ (scaler.value) }));
  log1p.addEventListener('change', () => onSettings({ log1p: log1p.checked }));
  featureList.addEventListener('change', () => {
    // In the core's order, whatever the order of the clicks.
    onSettings({ features: FEATURES.map((f) => f.name).filter((name) => featureBoxes.get(name)?.checked) });
  });
  reset.addEventListener('click', () => onSettings(defaultClusterSettings()));
  download.addEventListener('click', onDownload);

  /** Fields being typed in: the state does not overwrite them. @type {Map<HTMLInputElement, ReturnType<typeof setTimeout>>} */
  const typing = new Map();
  /**
   * @param {HTMLInputElement} input
   * @param {(value: number) => Partial<ClusterSettings>} patch
   */
  const numberField = (input, patch) => {
    const commit = () => {
      clearTimeout(typing.get(input));
      typing.delete(input);
      onSettings(patch(input.value.trim() === '' ? NaN : Number(input.value)));
    };
    input.addEventListener('input', () => {
      clearTimeout(typing.get(input));
      typing.set(input, setTimeout(commit, INPUT_DEBOUNCE_MS));
    });
    input.addEventListener('change', commit);
  };
  numberField(winsorLo, (v) => ({ winsorLo: v }));
  numberField(winsorHi, (v) => ({ winsorHi: v }));
  numberField(seed, (v) => ({ seed: v }));

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    panel.hidden = state.phase !== 'ready';
    if (state.phase !== 'ready') return;
    const s = state.clusterSettings;
    if (kTimer === undefined) {
      kInput.value = String(state.k);
      kOutput.value = String(state.k);
    }
    algorithm.value = s.algorithm;
    covarianceField.hidden = s.algorithm !== 'gmm';
    covariance.value = s.covariance;
    const customers = state.analysis.value?.customers?.ids.length ?? 0;
    const def = ALGORITHMS.find((a) => a.id === s.algorithm);
    algorithmNote.textContent =
      (def?.definition ?? '') +
      (isHierarchical(s.algorithm) && customers > 5000 ? ` With ${formatInteger(customers)} customers the tree takes a few seconds.` : '');
    for (const [name, box] of featureBoxes) box.checked = s.features.includes(name);
    log1p.checked = s.log1p;
    scaler.value = s.scaler;
    if (!typing.has(winsorLo)) winsorLo.value = Number.isFinite(s.winsorLo) ? String(s.winsorLo) : '';
    if (!typing.has(winsorHi)) winsorHi.value = Number.isFinite(s.winsorHi) ? String(s.winsorHi) : '';
    if (!typing.has(seed)) seed.value = Number.isFinite(s.seed) ? String(s.seed) : '';
    const invalid = validateClusterSettings(s);
    for (const [key, slot] of /** @type {[keyof typeof errors, HTMLElement][]} */ (Object.entries(errors))) {
      slot.textContent = invalid[key] ?? '';
      slot.hidden = !invalid[key];
    }
    winsorLo.setAttribute('aria-invalid', String(!!invalid.winsor));
    winsorHi.setAttribute('aria-invalid', String(!!invalid.winsor));
    seed.setAttribute('aria-invalid', String(!!invalid.seed));
    const defaults = isKMeansDefault(s);
    reset.hidden = defaults && s.covariance === 'full';
    detailsNote.textContent = `(${s.features.length} ${s.features.length === 1 ? 'feature' : 'features'}${s.log1p ? ', log1p' : ''}, ${s.scaler})`;

    const clustering = currentClustering(state);
    status.classList.toggle('is-busy', state.cluster.busy);
    status.classList.toggle('is-error', !!state.cluster.error && !state.cluster.busy);
    status.removeAttribute('title');
    if (state.cluster.busy) {
      status.textContent = `Finding ${state.k} segments…`;
    } else if (state.cluster.error) {
      status.textContent = state.cluster.error;
    } else if (clustering) {
      status.textContent = clusterStatusText(clustering);
      status.title = 'Silhouette: how well each customer fits its segment compared with the next-closest one, −1 to 1.';
    } else {
      status.textContent = '';
    }

    if (clustering?.applied && state.project) {
      // A project's saved segments: their table with names, `loyaltylens apply`'s bytes.
      download.disabled = state.cluster.busy;
      downloadNote.textContent = `segments.csv: one row per customer with its saved segment (1 spends the most then), recency, orders, spend and the segment’s name — the bytes \`loyaltylens apply ${state.project.fileName} FILE --out segments.csv\` writes.`;
      return;
    }
    // segments.csv is the `segment` binding's K-Means with this k: the CLI's bytes.
    download.disabled = !state.segment.value || state.segment.busy;
    const k = state.segment.value?.segments.length ?? state.k;
    const shownIsDefault = !!clustering && isKMeansDefault(clustering.run) && clustering.run.k === k;
    downloadNote.textContent = shownIsDefault
      ? `segments.csv: one row per customer with its segment (1 spends the most), recency, orders and spend — the bytes \`loyaltylens segment FILE --k ${k} --seed 1\` writes.`
      : `segments.csv follows the K-Means defaults (recency, orders, spend; log1p, standardized; seed 1; k = ${k}), so it equals \`loyaltylens segment FILE --k ${k} --seed 1\`: it is not the ${algorithmLabel(s.algorithm)} segments shown. Export those from step 7.`;
  };
}
