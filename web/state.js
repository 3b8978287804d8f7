// @ts-check
/**
 * Page state: one plain object, replaced on every change; views re-render from it.
 */
import { SEGMENT_DEFAULTS } from './api/protocol.js';
import { defaultRules } from './model/cleaning-rules.js';

/**
 * @typedef {import('./charts/palette.js').Theme} Theme
 * @typedef {'empty' | 'loading' | 'ready'} Phase
 * @typedef {'data' | 'customers' | 'segments' | 'cohorts'} Step
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
 * }} AppState
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
  return { data: ready && !!state.summary, customers: analysed, segments: analysed, cohorts: analysed };
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
