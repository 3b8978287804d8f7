// @ts-check
/**
 * Step 3's canvas beyond the recency × spend scatter and the table: the settings line, the
 * core's error when a method refuses, the 2-D customer map (PCA, t-SNE when the module has it),
 * the silhouette plot, the dendrogram of the hierarchical methods, and the k sweep (on demand,
 * with its progress in the panel). Charts are drawn only while the step is shown.
 */
import { dendrogramOption } from '../charts/dendrogram-chart.js';
import { embeddingOption, loadingsNote } from '../charts/embedding-chart.js';
import { kSweepOption, sweepChartHeight } from '../charts/k-sweep-chart.js';
import { silhouetteOption } from '../charts/silhouette-chart.js';
import { formatInteger, plural } from '../format.js';
import { criterionLabel } from '../model/k-sweep.js';
import { algorithmLabel, isHierarchical, isKMeansDefault, mapKey, sweepKey, sweepRange } from '../model/cluster-settings.js';
import { feature } from '../model/definitions.js';
import { DENDROGRAM_LEAVES, dendrogramData } from '../model/dendrogram.js';
import { silhouettePlotData } from '../model/silhouette-plot.js';
import { currentResult, currentClustering, stylesOf } from '../state.js';
import { createChartHost } from '../ui/chart-host.js';
import { byId } from '../ui/dom.js';

/**
 * @typedef {import('../state.js').AppState} AppState
 */

/**
 * The settings of a clustering in words (the line under the summary, the report).
 * @param {import('../model/cluster-settings.js').ClusterRun} run
 */
export function settingsText(run) {
  const features = run.features.map((f) => feature(f).label.toLowerCase()).join(', ');
  const scaled = { standard: 'standardized', robust: 'robust-scaled (median, IQR)', minmax: 'min–max scaled', none: 'not scaled' }[run.scaler];
  const steps = [run.log1p ? 'log1p' : null, run.winsorLo > 0 || run.winsorHi < 100 ? `clipped at percentiles ${run.winsorLo}–${run.winsorHi}` : null, scaled]
    .filter(Boolean)
    .join(', ');
  const method = run.algorithm === 'gmm' ? `${algorithmLabel(run.algorithm)} (${run.covariance} covariance)` : algorithmLabel(run.algorithm);
  return `${method} on ${features} (${steps}), k = ${run.k}, seed ${run.seed}`;
}

/**
 * How many customers the default clustering and the `segment` binding put differently (they must
 * agree: segments.csv is made from the latter). 0 when they are not comparable.
 * @param {AppState} state
 */
export function defaultMismatch(state) {
  const c = currentClustering(state);
  const s = currentResult(state, 'segment');
  // A project's saved segments are not refitted: they may differ from a K-Means of this file.
  if (!c || !s || c.applied || !isKMeansDefault(c.run) || c.run.k !== s.segments.length) return 0;
  let n = 0;
  for (let i = 0; i < s.labels.length; i++) if (s.labels[i] !== c.labels[i]) n++;
  return n;
}

/**
 * A mixture's collapsed components, said beside its settings (cpp/core/gmm.h GmmResult::collapsed).
 * @param {number[]} collapsed  segment indices, 0-based
 */
function collapsedText(collapsed) {
  if (collapsed.length === 0) return '';
  const which = collapsed.map((c) => c + 1).join(', ');
  return ` · segment${collapsed.length === 1 ? '' : 's'} ${which} collapsed onto customers who share one value of a feature (e.g. one order): BIC and memberships there say little`;
}

/**
 * @param {{onSweep: () => void, onMapMethod: (method: 'pca' | 'tsne') => void}} actions
 */
export function createSegmentsView({ onSweep, onMapMethod }) {
  const detail = byId('segments-detail');
  const errorBox = byId('cluster-error');
  const errorMessage = byId('cluster-error-message');
  const errorHint = byId('cluster-error-hint');
  const mapContainer = byId('embedding-chart');
  const mapNote = byId('map-note');
  const mapTitle = byId('map-title');
  const methodBox = byId('map-method');
  const tsneOption = byId('map-method-tsne');
  const silhouetteContainer = byId('silhouette-chart');
  const silhouetteNote = byId('silhouette-note');
  const dendrogramCard = byId('dendrogram-card');
  const dendrogramContainer = byId('dendrogram-chart');
  const dendrogramNote = byId('dendrogram-note');
  const sweepContainer = byId('sweep-chart');
  const sweepNote = byId('sweep-note');
  const sweepButton = byId('sweep-button', HTMLButtonElement);

  /** @type {AppState | null} */
  let current = null;
  const map = createChartHost(mapContainer);
  const silhouette = createChartHost(silhouetteContainer);
  const dendrogram = createChartHost(dendrogramContainer);
  const sweep = createChartHost(sweepContainer, {
    onResize: (width) => {
      const s = current?.sweep.value;
      if (!s) return null;
      sweepContainer.style.height = `${sweepChartHeight(width)}px`;
      return kSweepOption(s, s.algorithm, current?.theme ?? 'light', width);
    },
  });

  sweepButton.addEventListener('click', onSweep);
  methodBox.addEventListener('change', (event) => {
    const input = /** @type {HTMLInputElement} */ (event.target);
    onMapMethod(/** @type {'pca' | 'tsne'} */ (input.value));
  });

  /** @type {Record<string, unknown[]>} */
  const drawn = { map: [], silhouette: [], dendrogram: [], sweep: [] };
  /** @param {keyof typeof drawn} name @param {unknown[]} key */
  const changed = (name, key) => {
    if (key.length === drawn[name].length && key.every((k, i) => k === drawn[name][i])) return false;
    drawn[name] = key;
    return true;
  };

  /** @param {AppState} state */
  function renderMap(state) {
    const embedding = state.embed.value;
    const shown = currentResult(state, 'embed'); // the map of the customers on screen
    const customers = state.analysis.value?.customers;
    const clustering = currentClustering(state);
    for (const input of methodBox.querySelectorAll('input')) input.checked = input.value === state.mapMethod;
    tsneOption.hidden = !!state.tsneUnsupported;
    const wanted = mapKey(state.clusterSettings, state.mapMethod);
    const fresh = !!shown && state.embed.key === wanted;
    mapContainer.classList.toggle('is-stale', state.embed.busy || !fresh);
    mapTitle.textContent = embedding?.method === 'tsne' ? 'Customer map (t-SNE)' : 'Customer map (PCA)';
    if (state.embed.error) {
      mapNote.textContent = `The map could not be computed: ${state.embed.error}`;
      return;
    }
    if (!shown || !customers || !clustering) {
      mapNote.textContent = state.embed.busy ? 'Computing the map…' : '';
      return;
    }
    const note =
      shown.method === 'pca'
        ? `The two directions that keep most of the variance of the clustering features. ${shown.loadings ? loadingsNote(shown.loadings, shown.features, (f) => feature(f).label) : ''}`
        : 't-SNE keeps neighbourhoods: nearby customers are alike; distances between groups and the axes mean nothing.' +
          (shown.sampled && shown.sampleSize
            ? ` Run on ${formatInteger(shown.sampleSize)} customers drawn at random; the others are placed among their nearest neighbours.`
            : '') +
          (shown.note ? ` ${shown.note}` : '');
    mapNote.textContent = state.tsneUnsupported && state.mapMethod === 'pca' ? `${note} t-SNE is not in this build of the analysis module.` : note;
    const styles = stylesOf(state);
    if (!changed('map', [shown, clustering.labels, styles])) return;
    map.draw(() =>
      embeddingOption(
        { ...customers, coords: shown.coords, explainedVarianceRatio: shown.explainedVarianceRatio, method: shown.method, labels: clustering.labels },
        styles,
        state.theme,
        mapContainer.clientWidth,
      ),
    );
  }

  /** @param {AppState} state */
  function renderQuality(state) {
    const clustering = currentClustering(state);
    silhouetteContainer.classList.toggle('is-stale', state.cluster.busy);
    dendrogramContainer.classList.toggle('is-stale', state.cluster.busy);
    const hierarchical = !!clustering?.linkage && isHierarchical(clustering.run.algorithm);
    dendrogramCard.hidden = !hierarchical;
    if (!clustering) return;
    const styles = stylesOf(state);
    const sil = clustering.silhouette;
    if (!sil) {
      silhouetteNote.textContent = 'No silhouette: it needs at least two segments with customers.';
      silhouette.clear();
      drawn.silhouette = [];
    } else if (changed('silhouette', [clustering, styles])) {
      // Computed only when the clustering or the styles change (not on every progress report),
      // when the chart draws: in a task of its own.
      silhouette.draw(() => {
        const plot = silhouettePlotData(sil.values, sil.values.length === clustering.labels.length ? null : sil.rows, clustering.labels, styles.length);
        silhouetteNote.textContent =
          `Mean ${sil.mean.toFixed(2)}${sil.sampled ? ` on a sample of ${formatInteger(sil.values.length)} customers` : ''}. ` +
          'Near 1: the customer sits well in its segment; below 0: closer to another segment.' +
          (plot.reduced ? ' Long segments drawn from evenly spaced customers.' : '');
        return silhouetteOption(plot, styles, state.theme, silhouetteContainer.clientWidth);
      });
    }
    if (hierarchical && clustering.linkage && changed('dendrogram', [clustering, styles])) {
      const linkage = clustering.linkage;
      const ids = state.analysis.value?.customers?.ids ?? [];
      dendrogram.draw(() => {
        const tree = dendrogramData(linkage, clustering.labels, styles.length);
        dendrogramNote.textContent = tree.truncated
          ? `The last ${DENDROGRAM_LEAVES - 1} merges only (as SciPy’s truncate_mode="lastp"): a leaf “(n)” is a group of n customers merged earlier. Dashed: the cut into ${styles.length} segments.`
          : `Every merge; dashed: the cut into ${styles.length} segments.`;
        return dendrogramOption(tree, styles, ids, state.theme);
      });
    }
  }

  /** @param {AppState} state */
  function renderSweep(state) {
    const range = sweepRange(state.analysis.value?.customers?.ids.length ?? 0);
    const s = state.sweep.value;
    const fresh = !!s && state.sweep.key === sweepKey(state.clusterSettings);
    sweepButton.disabled = state.sweep.busy || !range;
    sweepButton.textContent = range ? `${fresh ? 'Compare again' : 'Compare'} k = ${range.kMin}–${range.kMax}` : 'Compare k';
    sweepContainer.hidden = !s;
    sweepContainer.classList.toggle('is-stale', state.sweep.busy || !fresh);
    if (state.sweep.error) {
      sweepNote.textContent = `The comparison could not be run: ${state.sweep.error}`;
    } else if (state.sweep.busy) {
      sweepNote.textContent = `Running ${algorithmLabel(state.clusterSettings.algorithm)} for each k… (progress and Cancel in the panel)`;
    } else if (!range) {
      sweepNote.textContent = 'Too few customers to compare numbers of segments.';
    } else if (!s) {
      sweepNote.textContent = `Runs ${algorithmLabel(state.clusterSettings.algorithm)} with these features for every k from ${range.kMin} to ${range.kMax} and plots how well the segments separate.`;
    } else {
      const suggestion = s.suggestion;
      sweepNote.textContent =
        (fresh ? '' : 'The settings changed since this comparison: compare again. ') +
        (suggestion && suggestion.k > 0
          ? `Suggested k = ${suggestion.k} (by ${criterionLabel(suggestion.criterion)}). ${suggestion.reason} Hover for every value.`
          : `No k is suggested. ${suggestion?.reason ?? ''}`) +
        (s.silhouetteSampled ? ' Silhouettes on a sample of 5,000 customers.' : '');
    }
    if (!s) return;
    if (!changed('sweep', [s, state.theme])) return;
    sweep.draw(() => {
      sweepContainer.style.height = `${sweepChartHeight(sweepContainer.clientWidth)}px`;
      return kSweepOption(s, s.algorithm, state.theme, sweepContainer.clientWidth);
    });
  }

  /** @param {AppState} state */
  return function render(state) {
    if (state.phase !== 'ready' || !state.analysis.value?.customers) return;
    current = state;
    const clustering = currentClustering(state);
    detail.textContent = clustering
      ? `${clustering.applied ? 'Saved segments of the project (not refitted): ' : ''}${settingsText(clustering.run)}${clustering.run.algorithm === 'kmedoids' && clustering.sampled ? ' · medoids found on samples (FastCLARA)' : ''}${clustering.converged ? '' : ' · stopped before converging'}${collapsedText(clustering.collapsed ?? [])}`
      : '';
    const mismatch = defaultMismatch(state);
    const error =
      state.cluster.error && !state.cluster.busy
        ? state.cluster.error
        : mismatch > 0
          ? `${plural(mismatch, 'customer is', 'customers are')} in another segment here than in segments.csv, with the same K-Means settings.`
          : '';
    errorBox.hidden = !error;
    errorMessage.textContent = error;
    errorHint.textContent = state.cluster.error
      ? 'The message is the analysis module’s. Choose another method or fewer customers (step 1’s rules) in the panel; the results shown are those of the last run that worked.'
      : 'The analysis module’s two K-Means paths disagree: please report this with the file.';
    if (state.step !== 'segments') return;
    renderMap(state);
    renderQuality(state);
    renderSweep(state);
  };
}
