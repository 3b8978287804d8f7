// @ts-check
/**
 * The Segments step's clustering settings: what the panel offers, their defaults, how they become
 * the `clusterCustomers` / `kSweep` / `embed` parameters of the wasm (docs/protocol.md §1), and
 * which changes need which request (k and the algorithm re-cluster; features and preprocessing also
 * move the 2-D map; names and colours need nothing). Pure, no DOM.
 */
import { defaultOf, defaultsOf, getSchema, param } from './schema.js';

/**
 * @typedef {'kmeans' | 'kmedoids' | 'gmm' | 'ward' | 'average' | 'complete' | 'single'} Algorithm
 * @typedef {'standard' | 'robust' | 'minmax' | 'none'} Scaler
 * @typedef {{
 *   algorithm: Algorithm, features: string[], log1p: boolean, winsorLo: number, winsorHi: number,
 *   scaler: Scaler, seed: number, covariance: 'full' | 'diag'
 * }} ClusterSettings  k lives in the page state (`state.k`), shared with the K-Means download
 * @typedef {ClusterSettings & {k: number}} ClusterRun  what one clustering was computed with
 */

/** Above this many customers average and complete linkage refuse (the core's limit, from its schema). */
export const pairwiseLinkageLimit = () => getSchema().limits.pairwiseLinkageRows;
/**
 * A number as the definitions say it ("10,000"), without Intl: a page's first Intl call loads
 * locale data (web/format.js).
 * @param {number} n
 */
const thousands = (n) => String(n).replace(/\B(?=(\d{3})+$)/g, ',');

/** @type {{id: Algorithm, label: string, definition: string, hierarchical: boolean}[]} */
export const ALGORITHMS = [
  {
    id: 'kmeans',
    label: 'K-Means',
    hierarchical: false,
    get definition() {
      return `K-Means: k centres; each customer joins the nearest. Best of ${getSchema().restarts.kmeans} seeded starts (k-means++), the lowest inertia wins.`;
    },
  },
  {
    id: 'kmedoids',
    label: 'K-Medoids',
    hierarchical: false,
    definition: 'K-Medoids (FasterPAM): like K-Means, but each centre is a real customer (the medoid); less pulled by extreme spenders.',
  },
  {
    id: 'gmm',
    label: 'Gaussian mixture',
    hierarchical: false,
    definition: 'Gaussian mixture (EM): each segment is an ellipsoid cloud; a customer joins the most likely one. BIC compares k.',
  },
  {
    id: 'ward',
    label: 'Ward (hierarchical)',
    hierarchical: true,
    definition: 'Ward linkage: merges, bottom-up, the two groups whose union adds the least within-segment variance; cut into k.',
  },
  {
    id: 'average',
    label: 'Average linkage',
    hierarchical: true,
    get definition() {
      return `Average linkage: merges the two groups with the smallest mean pairwise distance. Keeps every pairwise distance: up to ${thousands(pairwiseLinkageLimit())} customers.`;
    },
  },
  {
    id: 'complete',
    label: 'Complete linkage',
    hierarchical: true,
    get definition() {
      return `Complete linkage: merges the two groups whose farthest members are closest. Keeps every pairwise distance: up to ${thousands(pairwiseLinkageLimit())} customers.`;
    },
  },
  {
    id: 'single',
    label: 'Single linkage',
    hierarchical: true,
    definition: 'Single linkage: merges the two groups with the closest pair of members; tends to chain outliers into tiny segments.',
  },
];

/** @type {{id: Scaler, label: string, definition: string}[]} */
export const SCALERS = [
  { id: 'standard', label: 'Standard (z-score)', definition: 'Standard: subtract the mean, divide by the standard deviation.' },
  { id: 'robust', label: 'Robust (median, IQR)', definition: 'Robust: subtract the median, divide by the interquartile range; outliers pull less.' },
  { id: 'minmax', label: 'Min–max (0 to 1)', definition: 'Min–max: rescale each feature to 0…1.' },
  { id: 'none', label: 'None', definition: 'None: features as they are (after log1p and winsorizing); large-valued features dominate.' },
];

/** @param {Algorithm} algorithm */
export const isHierarchical = (algorithm) => ALGORITHMS.some((a) => a.id === algorithm && a.hierarchical);

/** @param {Algorithm} algorithm */
export const algorithmLabel = (algorithm) => ALGORITHMS.find((a) => a.id === algorithm)?.label ?? algorithm;

/** @returns {ClusterSettings} the core's defaults (K-Means, as `loyaltylens segment`) */
export function defaultClusterSettings() {
  const d = defaultsOf('cluster');
  return {
    algorithm: d.algorithm,
    features: d.features,
    log1p: d.log1p,
    winsorLo: d.winsorLo,
    winsorHi: d.winsorHi,
    scaler: d.scaler,
    seed: d.seed,
    covariance: d.covariance,
  };
}

/** The K-Means download's parameters besides k: the core's seed and restarts. */
export const segmentDefaults = () => ({ k: defaultOf('cluster', 'k'), seed: defaultOf('cluster', 'seed'), nInit: defaultOf('cluster', 'nInit') });

/** The k the page offers: the k sweep's default range (the core's schema). */
export const kRange = () => ({ min: defaultOf('sweep', 'kMin'), max: defaultOf('sweep', 'kMax') });

/**
 * Whether these settings are those of the `segment` binding (and so of `loyaltylens segment`):
 * K-Means on log1p(recency, frequency, monetary), standardized, no clipping, seed 1.
 * @param {ClusterSettings} s
 */
export function isKMeansDefault(s) {
  const d = defaultClusterSettings();
  return (
    s.algorithm === d.algorithm &&
    s.features.length === 3 &&
    s.features.every((f, i) => f === d.features[i]) &&
    s.log1p === d.log1p &&
    s.winsorLo === d.winsorLo &&
    s.winsorHi === d.winsorHi &&
    s.scaler === d.scaler &&
    s.seed === d.seed
  );
}

/**
 * What is wrong with the settings, per field (empty when they can be used).
 * @param {ClusterSettings} s
 * @returns {Partial<Record<'features' | 'winsor' | 'seed', string>>}
 */
export function validateClusterSettings(s) {
  /** @type {Partial<Record<'features' | 'winsor' | 'seed', string>>} */
  const errors = {};
  if (s.features.length === 0) errors.features = 'Tick at least one feature.';
  const lo = s.winsorLo;
  const hi = s.winsorHi;
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo < 0 || hi > 100 || lo >= hi) {
    errors.winsor = 'Percentiles between 0 and 100, the lower one below the upper one (0 and 100: no clipping).';
  }
  const seed = param('cluster', 'seed');
  if (!Number.isInteger(s.seed) || s.seed < /** @type {number} */ (seed.min) || s.seed > /** @type {number} */ (seed.max)) {
    errors.seed = `A whole number from ${seed.min} to ${thousands(/** @type {number} */ (seed.max))}.`;
  }
  return errors;
}

/**
 * The features and preprocessing (the part of the parameters the 2-D map depends on).
 * @param {ClusterSettings} s
 */
export function preprocessParams(s) {
  return { features: [...s.features], log1p: s.log1p, winsorLo: s.winsorLo, winsorHi: s.winsorHi, scaler: s.scaler };
}

/**
 * `clusterCustomers` parameters (docs/protocol.md §1 ClusterParams).
 * @param {ClusterSettings} s
 * @param {number} k
 */
export function clusterParams(s, k) {
  return {
    ...preprocessParams(s),
    algorithm: s.algorithm,
    k,
    seed: s.seed,
    ...(s.algorithm === 'gmm' ? { covariance: s.covariance } : {}),
  };
}

/**
 * A key that changes exactly when the preprocessing changes (the map and the k sweep need it again).
 * @param {ClusterSettings} s
 */
export const preprocessKey = (s) => JSON.stringify(preprocessParams(s));

/**
 * A key of the 2-D map: the preprocessing, the method, and for t-SNE the seed.
 * @param {ClusterSettings} s
 * @param {'pca' | 'tsne'} method
 */
export const mapKey = (s, method) => `${preprocessKey(s)}|${method}${method === 'tsne' ? `|${s.seed}` : ''}`;

/**
 * A key that changes when anything the k sweep depends on changes (everything but k).
 * @param {ClusterSettings} s
 */
export const sweepKey = (s) => JSON.stringify(clusterParams(s, 0));

/**
 * The k range of the sweep: the core's default range, at most customers − 1 (the core's limit).
 * @param {number} customers
 * @returns {{kMin: number, kMax: number} | null}  null when there are too few customers
 */
export function sweepRange(customers) {
  const { min, max } = kRange();
  const kMax = Math.min(max, customers - 1);
  return kMax >= min ? { kMin: min, kMax } : null;
}

/**
 * Why this algorithm cannot run on this many customers (the core refuses too, with its own
 * message; this lets the panel say so next to the choice), or ''.
 * @param {Algorithm} algorithm
 * @param {number} customers
 */
export function algorithmLimitNote(algorithm, customers) {
  if ((algorithm === 'average' || algorithm === 'complete') && customers > pairwiseLinkageLimit()) {
    return `${algorithmLabel(algorithm)} keeps every pairwise distance and stops at ${pairwiseLinkageLimit().toLocaleString('en-US')} customers; this file has ${customers.toLocaleString('en-US')}.`;
  }
  return '';
}
