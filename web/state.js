// @ts-check
/**
 * Page state: one plain object, replaced on every change (web/app/store.js); views re-render from
 * it. What the worker computes is in resource slices (`analysis`, `scores`, `segment`, `cohorts`,
 * `cluster`, `sweep`, `embed`: {value, busy, error, key, analysisId}); the rest is what the user
 * chose (settings, forms, step, theme) and what the page shows besides (progress, notices, job).
 */
import { DEFAULT_SUPPRESSION_THRESHOLD, DEFAULT_TARGET_COLUMNS } from './export/defaults.js';
import { defaultRules } from './model/cleaning-rules.js';
import { defaultClusterSettings, segmentDefaults } from './model/cluster-settings.js';
import { defaultsOf, hasSchema } from './model/schema.js';
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
 *   recency: string, frequency: string, monetary: string,
 *   edges: number[][] | null
 * }} RfmSettings  edges: a saved project's frozen bin edges (R, F, M), or null for quintiles
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
 *   analysis: Slice<import('./api/protocol.js').AnalysisResult, AnalysisError>,
 *   knownCountries: string[],
 *   job: Job | null,
 *   rfmSettings: RfmSettings,
 *   presetRules: Partial<Record<import('./api/protocol.js').RfmPreset, import('./api/protocol.js').SegmentRule[]>>,
 *   scores: Slice<Rfm>,
 *   k: number,
 *   segment: Slice<import('./api/protocol.js').SegmentResult>,
 *   cohorts: Slice<import('./api/protocol.js').CohortsResult>,
 *   cohortMeasure: CohortMeasure,
 *   clusterSettings: import('./model/cluster-settings.js').ClusterSettings,
 *   cluster: Slice<Clustering>,
 *   sweep: Slice<Sweep>,
 *   embed: Slice<import('./api/protocol.js').EmbedResult>,
 *   mapMethod: 'pca' | 'tsne',
 *   tsneUnsupported: string | null,
 *   overrides: import('./model/segment-style.js').SegmentOverrides,
 *   profileStat: 'mean' | 'median',
 *   whatIf: import('./model/what-if.js').WhatIfParams | null,
 *   exportSettings: ExportSettings,
 *   exportBusy: boolean,
 *   platformStatus: ExportStatus | null,
 *   reportStatus: ExportStatus | null,
 *   project: import('./model/project.js').Project | null,
 *   lastProject: {fileName: string, savedAt: string} | null,
 * }} AppState
 *   project: the project opened or saved (its segments scored or refitted on the file on screen);
 *   lastProject: the project kept in this browser from an earlier visit, offered on the drop zone
 * @typedef {{text: string, error?: boolean, busy?: boolean}} ExportStatus
 *
 * Why the file could not be read with the settings of the form, or the rules cannot be applied.
 * @typedef {Notice & {source: 'read' | 'rules'}} AnalysisError
 * The RFM scores, with the settings they were computed with.
 * @typedef {import('./api/protocol.js').RfmResult & {settings: RfmSettings}} Rfm
 * The Segments step's clustering, with the settings and k it was computed with.
 * A project's saved segments scored on these customers carry `applied`: the drift report and
 * the segments table (`loyaltylens apply --out`'s bytes).
 * @typedef {import('./api/protocol.js').ClusterResult & {run: import('./model/cluster-settings.js').ClusterRun,
 *            applied?: {drift: import('./model/project.js').DriftReport, csv: string}}} Clustering
 * The k sweep, with the algorithm it ran (its slice's key: model/cluster-settings.js sweepKey;
 * the map's: mapKey).
 * @typedef {import('./api/protocol.js').SweepResult & {algorithm: import('./model/cluster-settings.js').Algorithm}} Sweep
 * @typedef {{segments: number[] | null, columns: string[], bom: boolean, callingCode: string | null,
 *            threshold: number}} ExportSettings
 *   segments: null = every segment; callingCode: null = from the customers' countries
 */

/**
 * What the worker computes lives in resource slices, one per kind of result, all of one shape:
 *
 *   value       the last result that arrived (kept while a newer one is computed, and in the
 *               cases where an error leaves the last results on screen)
 *   busy        a request for it is under way
 *   error       why the last request failed (a message; the analysis: a notice), or null
 *   key         the inputs the value was computed for besides the analysis (the request's
 *               parameters, made in web/app/derived.js)
 *   analysisId  the analysis the value was computed for (web/app/analysis-id.js); the analysis
 *               slice's own id is the current one, so a result belongs to the data on screen
 *               exactly when its id is that id (`currentResult` below)
 *
 * The runner of the requests (web/app/resources.js) fills them.
 * @template V, [E=string]
 * @typedef {{value: V | null, busy: boolean, error: E | null, key: string, analysisId: number}} Slice
 */

/**
 * The resource slices, by name: the analysis (read, cleaning, features) and what is computed
 * from it.
 * @typedef {'analysis' | 'scores' | 'segment' | 'cohorts' | 'cluster' | 'sweep' | 'embed'} SliceName
 */

/** @type {readonly SliceName[]} */
export const SLICES = Object.freeze(['analysis', 'scores', 'segment', 'cohorts', 'cluster', 'sweep', 'embed']);

/** The slices computed from the analysis (they belong to one analysis id). @type {readonly SliceName[]} */
export const DERIVED = Object.freeze(SLICES.filter((name) => name !== 'analysis'));

/**
 * A slice with nothing in it yet (analysis id 0: no analysis).
 * @returns {Slice<any, any>}
 */
export const emptySlice = () => ({ value: null, busy: false, error: null, key: '', analysisId: 0 });

/** @returns {RfmSettings} the core's (its schema): a preset, its rules, R/F/M from the features of those names */
export function defaultRfmSettings() {
  const d = defaultsOf('rfm');
  return { preset: d.preset, rules: null, recency: d.recency, frequency: d.frequency, monetary: d.monetary, edges: null };
}

/**
 * What the state takes from the core's schema: the forms' defaults. Before the schema has come
 * from the analysis worker (the page's first moments, before any file), a placeholder that no
 * view reads: they render those forms once a file is read, and a read waits for the schema.
 */
export function schemaDefaults() {
  return {
    rules: defaultRules(),
    rfmSettings: defaultRfmSettings(),
    k: segmentDefaults().k,
    clusterSettings: defaultClusterSettings(),
  };
}

/**
 * @param {Theme} theme
 * @returns {AppState}
 */
export function initialState(theme) {
  const defaults = hasSchema()
    ? schemaDefaults()
    : /** @type {ReturnType<typeof schemaDefaults>} */ (/** @type {unknown} */ ({ rules: null, rfmSettings: null, k: 0, clusterSettings: null }));
  return {
    phase: 'empty',
    step: 'data',
    theme,
    fileName: null,
    progress: null,
    notice: null,
    readOptions: {},
    rules: defaults.rules,
    analysis: emptySlice(),
    knownCountries: [],
    job: null,
    rfmSettings: defaults.rfmSettings,
    presetRules: {},
    scores: emptySlice(),
    k: defaults.k,
    segment: emptySlice(),
    cohorts: emptySlice(),
    cohortMeasure: 'retention',
    clusterSettings: defaults.clusterSettings,
    cluster: emptySlice(),
    sweep: emptySlice(),
    embed: emptySlice(),
    mapMethod: 'pca',
    tsneUnsupported: null,
    overrides: noOverrides(),
    profileStat: 'mean',
    whatIf: null,
    exportSettings: { segments: null, columns: [...DEFAULT_TARGET_COLUMNS], bom: true, callingCode: null, threshold: DEFAULT_SUPPRESSION_THRESHOLD },
    exportBusy: false,
    platformStatus: null,
    reportStatus: null,
    project: null,
    lastProject: null,
  };
}

/**
 * Which steps can be opened: Data once a file is read; the others once it gave customers.
 * @param {AppState} state
 * @returns {Record<Step, boolean>}
 */
export function availableSteps(state) {
  const ready = state.phase === 'ready';
  const analysis = state.analysis.value;
  const analysed = ready && !!analysis && !state.analysis.error && analysis.customers.ids.length > 0;
  return {
    data: ready && !!analysis,
    customers: analysed,
    segments: analysed,
    profiles: analysed,
    cohorts: analysed,
    whatif: analysed,
    export: analysed,
  };
}

/**
 * A slice's value when it was computed for the analysis on screen, else null (a result of the
 * previous cleaning may still be on screen for a moment, or stay after a cancel).
 * @template {SliceName} N
 * @param {AppState} state
 * @param {N} name
 * @returns {AppState[N]['value']}
 */
export function currentResult(state, name) {
  const slice = state[name];
  const id = slice.analysisId;
  return slice.value !== null && id !== 0 && id === state.analysis.analysisId ? slice.value : null;
}

/**
 * The clustering on screen when it belongs to the customers shown, else null.
 * @param {AppState} state
 */
export const currentClustering = (state) => currentResult(state, 'cluster');

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
  const key = [clustering, state.overrides, state.theme, state.segment.value];
  if (stylesMemo && stylesMemo.key.every((k, i) => k === key[i])) return stylesMemo.styles;
  const styles = clustering
    ? segmentStyles(clustering.profiles, state.overrides, state.theme)
    : numberedStyles(state.segment.value?.segments.length ?? 0, state.theme);
  stylesMemo = { key, styles };
  return styles;
}
