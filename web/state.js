// @ts-check
/**
 * Page state: one plain object, replaced on every change; views re-render from it.
 */
import { SEGMENT_DEFAULTS } from './api/protocol.js';
import { DEFAULT_SUPPRESSION_THRESHOLD, DEFAULT_TARGET_COLUMNS } from './export/defaults.js';
import { defaultRules } from './model/cleaning-rules.js';
import { defaultClusterSettings } from './model/cluster-settings.js';
import { noOverrides, numberedStyles, segmentStyles } from './model/segment-style.js';

/**
 * @typedef {import('./charts/palette.js').Theme} Theme
 * @typedef {'empty' | 'loading' | 'ready'} Phase
 * @typedef {'data' | 'customers' | 'segments' | 'profiles' | 'cohorts' | 'whatif' | 'export'} Step
 * @typedef {import('./api/protocol.js').Progress & {startedAt: number, at: number}} ProgressState
 *          progress plus when the load started and when this report arrived (ms)
 * @typedef {{kind: 'error' | 'info', title: string, message: string, hint: string}} Notice
 * @typedef {import('./export/csv-export.js').CohortMeasure} CohortMeasure
 *
 * Work running in the worker for a parameter change (the panel shows it, with Cancel).
 * @typedef {{label: string, progress: import('./api/protocol.js').Progress | null}} Job
 *
 * The RFM settings: a preset of the core or custom rules, and the features behind R, F and M.
 * @typedef {{
 *   preset: import('./model/rule-editor.js').PresetChoice,
 *   rules: import('./api/protocol.js').SegmentRule[] | null,
 *   recency: string, frequency: string, monetary: string
 * }} RfmSettings
 *
 * @typedef {{
 *   phase: Phase,
 *   step: Step,
 *   theme: Theme,
 *   fileName: string | null,
 *   progress: ProgressState | null,
 *   notice: Notice | null,
 *   readOptions: import('./api/protocol.js').ReadOverrides,
 *   rules: import('./model/cleaning-rules.js').RulesForm,
 *   appliedRules: import('./model/cleaning-rules.js').RulesForm,
 *   summary: import('./api/protocol.js').Summary | null,
 *   ledger: import('./api/protocol.js').Ledger | null,
 *   customers: import('./api/protocol.js').Customers | null,
 *   featureStats: Record<string, import('./model/feature-stats.js').FeatureStats> | null,
 *   analysisError: (Notice & {source: 'read' | 'rules'}) | null,
 *   knownCountries: string[],
 *   job: Job | null,
 *   rfmSettings: RfmSettings,
 *   presetRules: Partial<Record<import('./api/protocol.js').RfmPreset, import('./api/protocol.js').SegmentRule[]>>,
 *   rfm: (import('./api/protocol.js').RfmResult & {settings: RfmSettings}) | null,
 *   scoring: boolean,
 *   rfmError: string | null,
 *   k: number,
 *   segmentation: import('./api/protocol.js').SegmentResult | null,
 *   segmenting: boolean,
 *   segmentError: string | null,
 *   cohorts: import('./api/protocol.js').CohortsResult | null,
 *   cohortsLoading: boolean,
 *   cohortsError: string | null,
 *   cohortMeasure: CohortMeasure,
 *   clusterSettings: import('./model/cluster-settings.js').ClusterSettings,
 *   clustering: Clustering | null,
 *   clusterBusy: boolean,
 *   clusterError: string | null,
 *   sweep: Sweep | null,
 *   sweepBusy: boolean,
 *   sweepError: string | null,
 *   embedding: Embedding | null,
 *   embedBusy: boolean,
 *   embedError: string | null,
 *   mapMethod: 'pca' | 'tsne',
 *   tsneUnsupported: string | null,
 *   overrides: import('./model/segment-style.js').SegmentOverrides,
 *   profileStat: 'mean' | 'median',
 *   whatIf: import('./model/what-if.js').WhatIfParams | null,
 *   exportSettings: ExportSettings,
 *   exportBusy: boolean,
 *   platformStatus: ExportStatus | null,
 *   reportStatus: ExportStatus | null,
 * }} AppState
 * @typedef {{text: string, error?: boolean, busy?: boolean}} ExportStatus
 *
 * The Segments step's clustering, with the settings and k it was computed with.
 * @typedef {import('./api/protocol.js').ClusterResult & {run: import('./model/cluster-settings.js').ClusterRun}} Clustering
 * The k sweep, with the key of the settings it was computed for (model/cluster-settings.js sweepKey).
 * @typedef {import('./api/protocol.js').SweepResult & {key: string, algorithm: import('./model/cluster-settings.js').Algorithm}} Sweep
 * The 2-D map, with the key of the preprocessing it was computed for (preprocessKey + method).
 * @typedef {import('./api/protocol.js').EmbedResult & {key: string}} Embedding
 * @typedef {{segments: number[] | null, columns: string[], bom: boolean, callingCode: string | null,
 *            threshold: number}} ExportSettings
 *   segments: null = every segment; callingCode: null = from the customers' countries
 */

/** @returns {RfmSettings} */
export function defaultRfmSettings() {
  return { preset: 'rf-grid', rules: null, recency: 'recency', frequency: 'frequency', monetary: 'monetary' };
}

/**
 * @param {Theme} theme
 * @returns {AppState}
 */
export function initialState(theme) {
  return {
    phase: 'empty',
    step: 'data',
    theme,
    fileName: null,
    progress: null,
    notice: null,
    readOptions: {},
    rules: defaultRules(),
    appliedRules: defaultRules(),
    summary: null,
    ledger: null,
    customers: null,
    featureStats: null,
    analysisError: null,
    knownCountries: [],
    job: null,
    rfmSettings: defaultRfmSettings(),
    presetRules: {},
    rfm: null,
    scoring: false,
    rfmError: null,
    k: SEGMENT_DEFAULTS.k,
    segmentation: null,
    segmenting: false,
    segmentError: null,
    cohorts: null,
    cohortsLoading: false,
    cohortsError: null,
    cohortMeasure: 'retention',
    clusterSettings: defaultClusterSettings(),
    clustering: null,
    clusterBusy: false,
    clusterError: null,
    sweep: null,
    sweepBusy: false,
    sweepError: null,
    embedding: null,
    embedBusy: false,
    embedError: null,
    mapMethod: 'pca',
    tsneUnsupported: null,
    overrides: noOverrides(),
    profileStat: 'mean',
    whatIf: null,
    exportSettings: { segments: null, columns: [...DEFAULT_TARGET_COLUMNS], bom: true, callingCode: null, threshold: DEFAULT_SUPPRESSION_THRESHOLD },
    exportBusy: false,
    platformStatus: null,
    reportStatus: null,
  };
}

/**
 * Which steps can be opened: Data once a file is read; the others once it gave customers.
 * @param {AppState} state
 * @returns {Record<Step, boolean>}
 */
export function availableSteps(state) {
  const ready = state.phase === 'ready';
  const analysed = ready && !!state.customers && !state.analysisError && state.customers.ids.length > 0;
  return {
    data: ready && !!state.summary,
    customers: analysed,
    segments: analysed,
    profiles: analysed,
    cohorts: analysed,
    whatif: analysed,
    export: analysed,
  };
}

/**
 * The clustering on screen when it belongs to the customers shown, else null.
 * @param {AppState} state
 */
export const currentClustering = (state) => (state.clustering && matchesCustomers(state.clustering.labels, state) ? state.clustering : null);

/** @type {{key: unknown[], styles: import('./model/segment-style.js').SegmentStyle[]} | null} */
let stylesMemo = null;

/**
 * Names and colours of the segments on screen (the same array while nothing they depend on
 * changes, so views can compare by identity).
 * @param {AppState} state
 * @returns {import('./model/segment-style.js').SegmentStyle[]}
 */
export function stylesOf(state) {
  const clustering = currentClustering(state);
  const key = [clustering, state.overrides, state.theme, state.segmentation];
  if (stylesMemo && stylesMemo.key.every((k, i) => k === key[i])) return stylesMemo.styles;
  const styles = clustering
    ? segmentStyles(clustering.profiles, state.overrides, state.theme)
    : numberedStyles(state.segmentation?.segments.length ?? 0, state.theme);
  stylesMemo = { key, styles };
  return styles;
}

/**
 * Whether a result computed for some customers belongs to the customers now shown (a result of
 * the previous cleaning may still be on screen for a moment).
 * @param {{length: number} | undefined | null} perCustomer  an array with one entry per customer
 * @param {AppState} state
 */
export const matchesCustomers = (perCustomer, state) =>
  !!perCustomer && !!state.customers && perCustomer.length === state.customers.ids.length;

/**
 * A tiny store: `set` merges a patch and notifies subscribers with the new and previous state.
 * @param {AppState} initial
 */
export function createStore(initial) {
  let state = initial;
  /** @type {Set<(state: AppState, previous: AppState) => void>} */
  const listeners = new Set();
  return {
    get: () => state,
    /** @param {Partial<AppState>} patch */
    set(patch) {
      const previous = state;
      state = { ...state, ...patch };
      for (const listener of listeners) listener(state, previous);
    },
    /** @param {(state: AppState, previous: AppState) => void} listener */
    subscribe(listener) {
      listeners.add(listener);
    },
  };
}

/** @typedef {ReturnType<typeof createStore>} Store */
