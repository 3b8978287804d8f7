// @ts-check
/**
 * The worker message protocol (docs/protocol.md §2), shared by the page and the worker.
 *
 *   request  {id, type, payload}
 *   reply    {id, type: 'progress', payload: {stage, done, total, rows}}
 *            {id, type: 'result',   payload}
 *            {id, type: 'error',    payload: {name, message}}
 */

/** Request types the worker understands. */
export const RequestType = Object.freeze({
  // The core's schema of every parameter (cpp/core/schema.h): asked once at start.
  schema: 'schema',
  loadFile: 'loadFile',
  readFile: 'readFile',
  applyRules: 'applyRules',
  rfmScores: 'rfmScores',
  segment: 'segment',
  cohorts: 'cohorts',
  ledgerCsv: 'ledgerCsv',
  customerCsv: 'customerCsv',
  cluster: 'cluster',
  kSweep: 'kSweep',
  // The k a whole sweep suggests (cpp/core/clustering.h suggest_k), once its ks are joined.
  suggestK: 'suggestK',
  embed: 'embed',
  // A k sweep split over workers (web/api/sweep-pool.js): the analysis worker prepares the points,
  // each worker holds a copy and runs its ks on it; the sweep workers answer only the last two.
  preparedPoints: 'preparedPoints',
  holdPoints: 'holdPoints',
  sweepPoints: 'sweepPoints',
  // K-Means restarts split the same way (SweepPool.restarts): each worker runs some restarts of one
  // clustering on its copy; the analysis worker then runs the winning restart alone (`cluster`).
  restartsPoints: 'restartsPoints',
  // Projects (cpp/core/model.h): the settings and fitted model saved, read back, and applied to
  // the current customers without refitting.
  saveProject: 'saveProject',
  openProject: 'openProject',
  applyProject: 'applyProject',
});

/** Reply types the worker sends. */
export const ReplyType = Object.freeze({
  progress: 'progress',
  result: 'result',
  error: 'error',
});

/** Segmentation defaults; the native CLI uses the same, so the exported CSV matches it byte for byte. */

/** Progress replies are throttled to about this interval (ms). */
export const PROGRESS_INTERVAL_MS = 100;

/** Column roles of ReadOptions.roles and Summary.roles, in the order the page lists them. */
export const ROLES = Object.freeze(
  /** @type {const} */ (['customer', 'invoice', 'date', 'quantity', 'price', 'amount', 'product', 'description', 'country', 'email', 'phone', 'return']),
);

/**
 * @typedef {typeof RequestType[keyof typeof RequestType]} RequestTypeName
 * @typedef {{id: number, type: RequestTypeName, payload: object}} Request
 * @typedef {{id: number, type: 'progress' | 'result' | 'error', payload: any}} Reply
 * @typedef {'read' | 'features' | 'clean' | 'scores' | 'segment' | 'cohorts' | 'export' | 'cluster' | 'sweep' | 'embed'} Stage
 * @typedef {{stage: Stage, done: number, total: number, rows: number}} Progress
 * @typedef {{name: string, message: string}} ErrorPayload
 *
 * @typedef {typeof ROLES[number]} Role
 * @typedef {Record<Role, string | null>} RoleMap  role → header column, or null for none
 *
 * How to read the file (docs/protocol.md §1 ReadOptions, without fileName); unset: detected.
 * `mode`: 'table' keeps the rows, 'stream' cleans and aggregates while reading (customers only),
 * 'auto' (the worker's default) streams when the file is estimated above `streamAboveRows` rows
 * (the module's default: 4,000,000) and the rules allow it.
 * @typedef {'table' | 'stream' | 'auto'} ReadMode
 * The CSV dialect's parts (`quote`, `escape`, `comment`: one character or 'none'), the ragged-row
 * policy and the reader's heuristics (`normalizeIds`, `amountIs`: 'auto' decides from the file).
 * @typedef {'auto' | 'on' | 'off'} AutoSetting
 * @typedef {{
 *   delimiter?: ',' | ';' | 'tab' | '|' | 'space', decimal?: '.' | ',', dateOrder?: 'auto' | 'mdy' | 'dmy',
 *   quote?: '"' | "'" | 'none', escape?: '\\' | 'none', comment?: '#' | 'none', skipInitialSpace?: AutoSetting,
 *   ragged?: 'keep' | 'skip', normalizeIds?: AutoSetting, amountIs?: 'auto' | 'line' | 'order',
 *   roles?: Partial<RoleMap>, mode?: ReadMode, streamAboveRows?: number
 * }} ReadOverrides
 *
 * Cleaning rules as the wasm takes them (docs/protocol.md §1 CleaningRules).
 * @typedef {{
 *   missingCustomer: 'drop' | 'synthetic', dropDuplicates: boolean, cancellations: 'drop' | 'net',
 *   cancelPrefix?: AutoSetting, warnShare?: number,
 *   dropNonProduct: boolean, nonProductCodes?: string[], dropBadPrice: boolean, countries: string[],
 *   excludeCountries: boolean, windowMonths: number, windowStart?: string, windowEnd?: string,
 *   outliers: 'off' | 'percentile' | 'iqr', outlierPercentile: number, iqrFactor: number,
 *   minProductCustomers: number
 * }} CleaningRules
 * @typedef {{asOf?: string, recentDays?: number}} FeatureParams
 *
 * The summary is the core's (cpp/core/report.h summary_json), with `unreadableExamples` added by
 * the worker and, for a container, `container` and `containerNote`.
 * @typedef {{
 *   file: string, bytes: number, encoding: string, delimiter: string, layout: string,
 *   dateFormat: string, numberFormat: string, columns: string[], roles: Partial<RoleMap>,
 *   rowsRead: number, rowsKept: number, rowsNoCustomer: number, rowsCancelled: number,
 *   rowsUnreadable: number, warnings: string[], unreadableExamples: string[], customers: number,
 *   returnsOnlyCustomers: number, negativeSpendCustomers?: number, firstDate: string, lastDate: string,
 *   asOf: string, customerLevel?: boolean,
 *   readMode?: 'table' | 'stream', duplicatesChecked?: boolean, tableRowLimit?: number, streamNote?: string,
 *   analysisId?: number, dialect?: Dialect, ragged?: RaggedRows, decisions?: Decision[],
 *   roleReasons?: Partial<Record<Role, string>>, container?: string, containerNote?: string
 * }} Summary
 * @typedef {{delimiter: string, quote: string, escape: string, comment: string, skipInitialSpace: boolean,
 *            commentLines: number, evidence: string[]}} Dialect
 *
 * What a heuristic decided on the file and why (cpp/core/evidence.h).
 * @typedef {{key: string, title: string, applies: boolean, forced: boolean, outcome: string,
 *            evidence: string, examples: string[]}} Decision
 * @typedef {{policy: 'keep' | 'skip', shortRows: number, shortLines: number[], longRows: number,
 *            longLines: number[]}} RaggedRows
 *
 * @typedef {{rows: number, customers: number, revenue: number}} LedgerTotals
 * @typedef {{
 *   rule: string, title: string, detail: string, enabled: boolean, rows: number,
 *   customers: number, revenue: number, examples: string[], decision?: Decision | null, warning?: string
 * }} LedgerEntry
 * @typedef {{before: LedgerTotals, after: LedgerTotals, rules: LedgerEntry[]}} Ledger
 *
 * One entry per customer, in file order; `features` holds every feature of
 * cpp/core/customer_features.h by name (NaN where undefined). `emails` and `phones`: the
 * customer's first non-empty value of the email / phone column ('' for none), or null when the
 * analysis module does not return contact values.
 * @typedef {{
 *   ids: string[], countries: string[], recency: Float64Array, frequency: Float64Array,
 *   monetary: Float64Array, features: Record<string, Float64Array>,
 *   emails?: string[] | null, phones?: string[] | null
 * }} Customers
 *
 * @typedef {{file: Blob, name?: string, options?: ReadOverrides, rules?: CleaningRules,
 *            featureParams?: FeatureParams}} LoadFilePayload
 * @typedef {{options?: ReadOverrides, rules?: CleaningRules, featureParams?: FeatureParams}} ReadFilePayload
 * @typedef {{rules?: CleaningRules, featureParams?: FeatureParams}} ApplyRulesPayload
 * @typedef {import('../model/feature-stats.js').FeatureStats} FeatureStats
 * @typedef {{summary: Summary, ledger: Ledger, customers: Customers,
 *            featureStats: Record<string, FeatureStats>, analysisId?: number}} AnalysisResult
 * @typedef {AnalysisResult} LoadFileResult
 *
 * @typedef {{name: string, rMin: number, rMax: number, fMin: number, fMax: number,
 *            mMin: number, mMax: number}} SegmentRule
 * @typedef {'rf-grid' | 'rfm-package'} RfmPreset
 * @typedef {{
 *   method?: 'quintiles' | 'thresholds', thresholds?: number[][],
 *   recency?: string, frequency?: string, monetary?: string,
 *   preset?: RfmPreset, rules?: SegmentRule[]
 * }} RfmParams
 * @typedef {{score: number, customers: number, min: number, max: number}} ScoreBin
 * @typedef {{uncovered: string[], overlapping: string[], unreachable: string[], invalid: string[]}} RuleCheck
 * @typedef {{
 *   r: Uint8Array, f: Uint8Array, m: Uint8Array, bins: ScoreBin[][], rules: SegmentRule[],
 *   segment: Int32Array, check: RuleCheck
 * }} RfmResult
 *
 * @typedef {{k: number, seed: number, nInit: number}} SegmentParams
 * @typedef {{
 *   segment: number, customers: number, meanRecency: number, meanFrequency: number,
 *   meanMonetary: number, revenue: number
 * }} SegmentStats
 * @typedef {{
 *   labels: Int32Array, centers: Float64Array, inertia: number, iterations: number,
 *   segments: SegmentStats[], csv: string
 * }} SegmentResult
 *
 * Monthly acquisition cohorts: row i = customers whose first purchase was in months[i];
 * active[i][n] customers bought, revenue[i][n] was spent, n months later.
 * @typedef {{months: string[], active: Float64Array[], revenue: Float64Array[]}} CohortsResult
 *
 * The scores and segments shown on the page, joined in the worker with the features it holds;
 * `segments` (optional) adds the clustering's segment number and name as the last two columns.
 * @typedef {{
 *   r: Uint8Array, f: Uint8Array, m: Uint8Array, rfmSegment: Int32Array, rfmNames: string[],
 *   labels: Int32Array, segments?: {labels: Int32Array, names: string[]}
 * }} CustomerCsvPayload
 *
 * Clustering (docs/protocol.md §1 ClusterParams).
 * @typedef {{
 *   features?: string[], log1p?: boolean, winsorLo?: number, winsorHi?: number,
 *   scaler?: 'standard' | 'robust' | 'minmax' | 'none',
 *   algorithm?: 'kmeans' | 'kmedoids' | 'gmm' | 'ward' | 'average' | 'complete' | 'single',
 *   k?: number, seed?: number, nInit?: number, covariance?: 'full' | 'diag',
 *   restartBegin?: number, restartEnd?: number
 * }} ClusterParams
 * `restartBegin`/`restartEnd` (k-means): run only those restarts of the nInit, each from the seeds
 * it has in the full run (the pool's split; the result names the winner in `restart`).
 * @typedef {{restart: number, inertia: number}} RestartsResult
 * @typedef {{mean: number, values: Float64Array, rows: Float64Array, sampled: boolean, stdError: number}} Silhouette
 * @typedef {{
 *   segment: number, name: string, customers: number, customerShare: number, revenue: number,
 *   revenueShare: number, mean: Float64Array, median: Float64Array, relative: Float64Array,
 *   valueScore: number
 * }} SegmentProfile
 * @typedef {{
 *   labels: Int32Array, centers: Float64Array, medoids: Int32Array | null, objective: number,
 *   inertia: number, iterations: number, converged: boolean, restart: number, sampled: boolean,
 *   logLikelihood: number, bic: number, aic: number, linkage: Float64Array | null,
 *   silhouette: Silhouette | null, daviesBouldin: number | null, calinskiHarabasz: number | null,
 *   profiles: SegmentProfile[], profileFeatures: string[], overallMean: Float64Array,
 *   features: string[], collapsed: number[]
 * }} ClusterResult
 * `collapsed` (mixtures): the segments (0-based, as the labels) whose component collapsed onto
 * customers who share one value of a feature (cpp/core/gmm.h GmmResult::collapsed).
 * @typedef {ClusterParams & {kMin: number, kMax: number}} SweepParams
 * @typedef {{
 *   k: Int32Array, objective: Float64Array, inertia: Float64Array, silhouette: Float64Array,
 *   daviesBouldin: Float64Array, calinskiHarabasz: Float64Array, bic: Float64Array,
 *   collapsed: Int32Array, silhouetteSampled: boolean, suggestion?: KSuggestion
 * }} SweepResult
 * `collapsed`: per k, the mixture components that collapsed (their BIC is not comparable).
 * `suggestion`: the k the whole sweep suggests, by the method's criterion (cpp/core suggest_k):
 * k 0 when none; criterion 'silhouette' | 'bic-minimum' | 'bic-elbow' | 'none'; reason a sentence.
 * @typedef {{k: number, criterion: 'silhouette' | 'bic-minimum' | 'bic-elbow' | 'none', reason: string}} KSuggestion
 * The matrix clustering runs on (features chosen, log1p, winsorized, scaled): n × d, row-major.
 * @typedef {{points: Float64Array, n: number, d: number}} Points
 * @typedef {ClusterParams & {method?: 'pca' | 'tsne', perplexity?: number}} EmbedParams
 * PCA gives explainedVarianceRatio and loadings (d × 2); t-SNE gives klDivergence, sampled (it ran
 * on sampleSize customers and placed the others), the perplexity used and a note.
 * @typedef {{
 *   coords: Float64Array, features: string[], method: string,
 *   explainedVarianceRatio?: Float64Array, loadings?: Float64Array,
 *   klDivergence?: number, sampled?: boolean, sampleSize?: number, perplexity?: number, note?: string
 * }} EmbedResult
 * @typedef {{csv: string}} CsvResult
 *
 * Projects (web/model/project.js). Save: the groups of the page's requests and the names and
 * colours shown, or a project (applied, not refitted) with new names and colours.
 * @typedef {{rfm?: RfmParams, cluster?: ClusterParams, map?: {method: string}, project?: string,
 *            names: string[], colors: string[]}} SaveProjectPayload
 * @typedef {ClusterResult & {drift: import('../model/project.js').DriftReport, csv: string}} ApplyResult
 */

/**
 * Serialises any thrown value into an error reply payload.
 * @param {unknown} err
 * @returns {ErrorPayload}
 */
export function toErrorPayload(err) {
  if (err instanceof Error) return { name: err.name || 'Error', message: err.message };
  if (err && typeof err === 'object' && 'message' in err) {
    const e = /** @type {{name?: unknown, message: unknown}} */ (err);
    return { name: String(e.name ?? 'Error'), message: String(e.message) };
  }
  return { name: 'Error', message: String(err) };
}

/**
 * Rebuilds an Error (with the worker's `name`) from an error reply payload.
 * @param {ErrorPayload} payload
 * @returns {Error}
 */
export function fromErrorPayload(payload) {
  const error = new Error(payload.message);
  error.name = payload.name;
  return error;
}

/** How deep `transferables` looks: result → customers → features → a Float64Array. */
const TRANSFER_DEPTH = 3;

/**
 * The ArrayBuffers of all typed arrays found in a result (in objects and arrays up to three
 * levels deep), so the worker can transfer them instead of copying.
 * @param {unknown} value
 * @returns {ArrayBuffer[]}
 */
export function transferables(value) {
  /** @type {Set<ArrayBuffer>} */
  const buffers = new Set();
  /** @param {unknown} v @param {number} depth */
  const visit = (v, depth) => {
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
    } else if (v && typeof v === 'object' && depth < TRANSFER_DEPTH) {
      for (const child of Array.isArray(v) ? v : Object.values(v)) visit(child, depth + 1);
    }
  };
  visit(value, 0);
  return [...buffers];
}
