// @ts-check
/**
 * Worker request handlers as plain async functions over the wasm module (docs/protocol.md §2).
 * No Worker, DOM or Vite specifics here, so Node tests can run them against the real wasm.
 *
 * What stays here between requests, so a change re-runs only what depends on it:
 *   - the File of the last `loadFile` (a change of column roles or date order reads it again:
 *     `readFile`);
 *   - in the wasm, the compact transaction table (a change of cleaning rule re-runs cleaning and
 *     features only: `applyRules`); or, for a file read in one pass (`mode` 'stream', or 'auto'
 *     on a large file), its customers only: a change of rule then streams the kept File again;
 *   - how the current analysis was read (its read options and mode, whether lines were hashed
 *     for the duplicates rule), so `applyRules` knows when it must read the file again;
 *   - the customers of the current analysis (scores, segments, cohorts and exports run on them);
 *   - during a pooled k sweep, the prepared points of its share (web/worker/points.js).
 * Results hand out copies of held arrays, because the worker transfers results.
 */
import { openCsvStream } from './containers.js';
import { PROGRESS_INTERVAL_MS } from '../api/protocol.js';
import { customerTableCsv } from '../export/csv-export.js';
import { allFeatureStats } from '../model/feature-stats.js';
import { joinSweeps } from '../model/k-sweep.js';
import { createPointsHandlers } from './points.js';

/**
 * @typedef {import('../api/protocol.js').Progress} Progress
 * @typedef {import('../api/protocol.js').Summary} Summary
 * @typedef {import('../api/protocol.js').Ledger} Ledger
 * @typedef {import('../api/protocol.js').LoadFilePayload} LoadFilePayload
 * @typedef {import('../api/protocol.js').ReadFilePayload} ReadFilePayload
 * @typedef {import('../api/protocol.js').ApplyRulesPayload} ApplyRulesPayload
 * @typedef {import('../api/protocol.js').AnalysisResult} AnalysisResult
 * @typedef {import('../api/protocol.js').ReadOverrides} ReadOverrides
 * @typedef {import('../api/protocol.js').ReadMode} ReadMode
 * @typedef {import('../api/protocol.js').CleaningRules} CleaningRules
 * @typedef {import('../api/protocol.js').FeatureParams} FeatureParams
 * @typedef {import('../api/protocol.js').RfmParams} RfmParams
 * @typedef {import('../api/protocol.js').RfmResult} RfmResult
 * @typedef {import('../api/protocol.js').SegmentParams} SegmentParams
 * @typedef {import('../api/protocol.js').SegmentResult} SegmentResult
 * @typedef {import('../api/protocol.js').SegmentStats} SegmentStats
 * @typedef {import('../api/protocol.js').CohortsResult} CohortsResult
 * @typedef {import('../api/protocol.js').CustomerCsvPayload} CustomerCsvPayload
 * @typedef {(progress: Progress) => void} ProgressFn
 *
 * @typedef {{ok: false, error: {name: string, message: string}}} WasmFailure
 * @typedef {{ok: true}} WasmOk
 * @typedef {{summary: Summary, ledger?: Ledger, analysisId?: number, unreadableExamples?: string[],
 *            customerIds: string, countries?: string,
 *            emails?: string, phones?: string,
 *            recency: Float64Array, frequency: Float64Array, monetary: Float64Array,
 *            features?: Record<string, Float64Array>}} IngestResult
 *
 * The Embind functions of web/generated/loyaltylens.js (docs/protocol.md §1).
 * @typedef {{
 *   schema?(): (WasmOk & import('../model/schema.js').Schema) | WasmFailure,
 *   ingestBegin(options: ReadOverrides & {fileName: string, size?: number, rules?: CleaningRules | {},
 *               featureParams?: FeatureParams, findDuplicates?: boolean}): WasmOk | WasmFailure,
 *   ingestChunk(bytes: Uint8Array): (WasmOk & {rowsRead: number}) | WasmFailure,
 *   ingestFinish(rules?: CleaningRules | {}, params?: FeatureParams): (WasmOk & IngestResult) | WasmFailure,
 *   applyRules?(rules: CleaningRules | {}, params: FeatureParams): (WasmOk & IngestResult) | WasmFailure,
 *   ruleNeedingAllRows?(rules: CleaningRules | {}): (WasmOk & {rule: string}) | WasmFailure,
 *   ledgerCsv?(): (WasmOk & {csv: string}) | WasmFailure,
 *   cohorts?(): (WasmOk & CohortsResult) | WasmFailure,
 *   rfmScores?(params: RfmParams): (WasmOk & RfmResult) | WasmFailure,
 *   segment(params: SegmentParams): (WasmOk & ClusterResult & {csv: string}) | WasmFailure,
 *   clusterCustomers?(params: ClusterParams): (WasmOk & ClusterResult & {responsibilities?: unknown}) | WasmFailure,
 *   kSweep?(params: SweepParams): (WasmOk & SweepResult) | WasmFailure,
 *   suggestK?(sweep: SweepResult, params: ClusterParams): (WasmOk & import('../api/protocol.js').KSuggestion) | WasmFailure,
 *   preparedPoints?(params: ClusterParams): (WasmOk & Points & {features: string[]}) | WasmFailure,
 *   sweepPoints?(points: Float64Array, n: number, d: number, params: SweepParams): (WasmOk & SweepResult) | WasmFailure,
 *   restartsPoints?(points: Float64Array, n: number, d: number, params: ClusterParams): (WasmOk & {restart: number, inertia: number}) | WasmFailure,
 *   embed?(params: EmbedParams): (WasmOk & EmbedResult) | WasmFailure,
 *   saveProject?(params: {settings: object, names?: string[], colors?: string[]}):
 *     (WasmOk & {text: string, analysisId: number}) | WasmFailure,
 *   openProject?(text: string, fileName: string): (WasmOk & {settings: any, model: any}) | WasmFailure,
 *   applyProject?(text: string, options: {fileName?: string, refitRfm?: boolean}):
 *     (WasmOk & import('../api/protocol.js').ApplyResult) | WasmFailure,
 * }} WasmModule
 * @typedef {import('../api/protocol.js').ClusterParams} ClusterParams
 * @typedef {import('../api/protocol.js').ClusterResult} ClusterResult
 * @typedef {import('../api/protocol.js').SweepParams} SweepParams
 * @typedef {import('../api/protocol.js').SweepResult} SweepResult
 * @typedef {import('../api/protocol.js').Points} Points
 * @typedef {import('../api/protocol.js').EmbedParams} EmbedParams
 * @typedef {import('../api/protocol.js').EmbedResult} EmbedResult
 */

/**
 * Returns a successful wasm result, or throws its error with the wasm's error name.
 * @template T
 * @param {(WasmOk & T) | WasmFailure} result
 * @returns {T}
 */
function unwrap(result) {
  if (!result.ok) {
    const error = new Error(result.error.message);
    error.name = result.error.name;
    throw error;
  }
  return result;
}

/** @param {string} message @param {string} [name] */
function fail(message, name = 'InvalidArgument') {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * Splits the wasm's newline-joined ids or countries; there must be one per customer (a value
 * holding a line break would shift them all, so that is an error, not a silent misalignment).
 * @param {string | undefined} joined
 * @param {number} n  customers
 * @param {string} what
 * @returns {string[]}
 */
function splitLines(joined, n, what) {
  if (joined === undefined) return new Array(n).fill('');
  const parts = n === 0 ? [] : joined.split('\n');
  if (parts.length !== n) {
    throw fail(`The analysis module returned ${parts.length} ${what} for ${n} customers (a value with a line break?).`, 'InternalError');
  }
  return parts;
}

/**
 * @template {Function} F
 * @param {F | undefined} fn
 * @param {string} name
 * @returns {F}
 */
function required(fn, name) {
  if (!fn) throw fail(`This build of the analysis module has no ${name}: run "npm run build:wasm".`, 'InternalError');
  return fn;
}

/**
 * @param {WasmModule} module  the instantiated wasm module
 * @param {{now?: () => number}} [options]  clock in ms (tests pass a fake one)
 */
export function createHandlers(module, { now = () => performance.now() } = {}) {
  /** @type {IngestResult | null} the current analysis (held arrays: copy before returning) */
  let customers = null;
  /** Whether the wasm holds a read table (a failed applyRules leaves it, without customers). */
  let hasTable = false;
  /** @type {{file: Blob, fileName: string} | null} the file of the last loadFile */
  let source = null;
  /**
   * How the held analysis was read: the read options (mode included) and rules it was read with,
   * and what the wasm reported about it (summary.readMode, duplicatesChecked, rowsRead,
   * tableRowLimit). Kept when a later applyRules fails, like the table.
   * @type {{options: ReadOverrides, rules: CleaningRules | undefined, featureParams: FeatureParams | undefined, summary: Summary} | null}
   */
  let lastRead = null;

  /**
   * The page's view of an analysis: typed arrays copied (the held ones stay usable).
   * @param {IngestResult} result
   * @returns {AnalysisResult}
   */
  function analysisResult(result) {
    /** @type {Record<string, Float64Array>} */
    const features = {};
    for (const [name, values] of Object.entries(result.features ?? {})) features[name] = values.slice();
    const n = result.recency.length;
    const ids = splitLines(result.customerIds, n, 'customer ids');
    return {
      analysisId: result.analysisId,
      // The reader's unreadable rows are the analysis'; the page shows them with the summary.
      summary: { ...result.summary, unreadableExamples: result.unreadableExamples ?? [] },
      featureStats: allFeatureStats(result.features ?? { recency: result.recency, frequency: result.frequency, monetary: result.monetary }),
      ledger: result.ledger ?? { before: { rows: 0, customers: 0, revenue: 0 }, after: { rows: 0, customers: 0, revenue: 0 }, rules: [] },
      customers: {
        ids,
        countries: splitLines(result.countries, n, 'countries'),
        // Contact values come only from a module that returns them (docs/protocol.md §1).
        emails: result.emails === undefined ? null : splitLines(result.emails, n, 'emails'),
        phones: result.phones === undefined ? null : splitLines(result.phones, n, 'phones'),
        recency: result.recency.slice(),
        frequency: result.frequency.slice(),
        monetary: result.monetary.slice(),
        features,
      },
    };
  }

  /**
   * Streams `file` through the wasm reader, then cleans and computes features.
   * @param {Blob} file
   * @param {string} fileName
   * @param {ReadFilePayload} payload
   * @param {ProgressFn} progress
   * @returns {Promise<AnalysisResult>}
   */
  async function read(file, fileName, { options = {}, rules, featureParams }, progress) {
    customers = null;
    hasTable = false;
    lastRead = null;
    // Plain CSV streams as it is; .csv.gz, Parquet and .xlsx become CSV bytes on the way in.
    let note = '';
    // The name breaks ties between containers; a Blob without one gets it (no copy of the bytes).
    const named = /** @type {Partial<File>} */ (file).name ? file : new File([file], fileName);
    const opened = await openCsvStream(/** @type {Blob & {name?: string}} */ (named), {
      onNote: (text) => {
        note = text;
      },
    });
    unwrap(
      module.ingestBegin({
        ...options,
        // 'auto' streams a large file (the module's row estimate) when the rules allow it.
        mode: options.mode ?? 'auto',
        fileName,
        ...(opened.size !== null ? { size: opened.size } : {}),
        // A streamed read cleans while reading: it needs the rules now (ingestFinish gets the same).
        rules: rules ?? {},
        featureParams: featureParams ?? {},
        // Hashing each line for exact duplicates costs ~10% of the read: only when the rule is on
        // (applyRules reads the file again with it when the rule is turned on later).
        findDuplicates: Boolean(rules?.dropDuplicates),
      }),
    );

    // Unpacked streams have no known length: the bar then shows bytes read without a total.
    const total = opened.size ?? 0;
    let done = 0;
    let rows = 0;
    let lastReport = now();
    progress({ stage: 'read', done, total, rows });
    const reader = opened.stream.getReader();
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      rows = unwrap(module.ingestChunk(value)).rowsRead;
      done += value.byteLength;
      if (now() - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = now();
        progress({ stage: 'read', done, total, rows });
      }
    }
    progress({ stage: 'features', done, total, rows });

    const result = rules || featureParams ? unwrap(module.ingestFinish(rules ?? {}, featureParams ?? {})) : unwrap(module.ingestFinish());
    customers = result;
    hasTable = true;
    lastRead = { options, rules, featureParams, summary: result.summary };
    result.summary.container = opened.container;
    result.summary.containerNote = note;
    return analysisResult(result);
  }

  /**
   * Reads a file (kept for `readFile`), with optional read overrides and cleaning rules.
   * @param {LoadFilePayload} payload
   * @param {ProgressFn} progress
   * @returns {Promise<AnalysisResult>}
   */
  async function loadFile({ file, name, ...rest }, progress) {
    const fileName = name ?? /** @type {Partial<File>} */ (file).name ?? 'data.csv';
    source = { file, fileName };
    return read(file, fileName, rest, progress);
  }

  /**
   * Reads the file of the last `loadFile` again with other read options (roles, date order, …).
   * @param {ReadFilePayload} payload
   * @param {ProgressFn} progress
   * @returns {Promise<AnalysisResult>}
   */
  async function readFile(payload, progress) {
    if (!source) throw fail('No file to read again: drop or choose the file.');
    return read(source.file, source.fileName, payload, progress);
  }

  /** @returns {IngestResult} */
  function current() {
    if (!customers) throw fail('No customers yet: load a file first.');
    return customers;
  }

  /**
   * Cleaning and features again on the table the wasm holds, without reading; or, when the
   * rules need it (see readAgain), the kept file read again with them, with its progress.
   * @param {ApplyRulesPayload} payload
   * @param {ProgressFn} progress
   * @returns {Promise<AnalysisResult>}
   */
  async function applyRules({ rules, featureParams }, progress) {
    if (!hasTable || !lastRead) throw fail('No file read yet: load a file first.');
    const again = readAgain(lastRead, rules, featureParams);
    if (again) {
      if (!source) throw fail('No file to read again: drop or choose the file.');
      return read(source.file, source.fileName, { options: { ...lastRead.options, mode: again }, rules, featureParams }, progress);
    }
    progress({ stage: 'clean', done: 0, total: 1, rows: 0 });
    // A failure leaves no analysis to build on (the wasm may hold a half-updated one).
    customers = null;
    const result = unwrap(required(module.applyRules, 'applyRules').call(module, rules ?? {}, featureParams ?? {}));
    customers = result;
    return analysisResult(result);
  }

  /**
   * Whether these rules need the kept file read again, and in which mode; null when the table
   * (or streamed result) in the wasm serves them. Throws, leaving the analysis as it is, when a
   * rule needs every row and the file is too big to keep them in the tab.
   * @param {NonNullable<typeof lastRead>} from
   * @param {CleaningRules | undefined} rules
   * @param {FeatureParams | undefined} featureParams
   * @returns {ReadMode | null}
   */
  function readAgain(from, rules, featureParams) {
    const mode = from.options.mode ?? 'auto';
    if (from.summary.readMode !== 'stream') {
      // Read without line hashes: the duplicates rule needs them (a read with the rule on hashes).
      return rules?.dropDuplicates && from.summary.duplicatesChecked === false ? mode : null;
    }
    // Streamed with its rules fixed: the same rules and parameters are served as they are.
    if (JSON.stringify([rules ?? {}, featureParams ?? {}]) === JSON.stringify([from.rules ?? {}, from.featureParams ?? {}])) return null;
    const rule = unwrap(required(module.ruleNeedingAllRows, 'ruleNeedingAllRows').call(module, rules ?? {})).rule;
    if (!rule) return mode; // streams again with the new rules
    const title = customers?.ledger?.rules?.find((r) => r.rule === rule)?.title;
    const named = `The cleaning rule “${title ?? rule}”`;
    const rows = from.summary.rowsRead;
    if (mode === 'stream') {
      throw fail(
        `${named} needs every row of the file at once, and the file was read in one pass (mode 'stream'), without keeping its rows. Read it with mode 'auto' or 'table', or turn the rule off.`,
      );
    }
    const limit = from.summary.tableRowLimit ?? Infinity;
    if (rows > limit) {
      throw fail(
        `${named} needs every row of the file at once, and this file's ${rows.toLocaleString('en-US')} rows are more than the ` +
          `${limit.toLocaleString('en-US')} this browser tab can keep (it was read in one pass, keeping customers only). ` +
          'Turn the rule off, or run the native command-line tool (loyaltylens), which has no such limit.',
      );
    }
    return 'table'; // fits the table: read it again, keeping the rows
  }

  /**
   * RFM scores and named segments of the current customers.
   * @param {RfmParams} params
   * @param {ProgressFn} progress
   * @returns {Promise<RfmResult>}
   */
  async function rfmScores(params, progress) {
    const { recency } = current();
    progress({ stage: 'scores', done: 0, total: 1, rows: recency.length });
    const { r, f, m, bins, rules, segment, check } = unwrap(required(module.rfmScores, 'rfmScores').call(module, params));
    return { r, f, m, bins, rules, segment, check };
  }

  /**
   * K-Means segments of the current customers with the core's default settings and this k, seed
   * and restarts, plus the CSV `loyaltylens segment` writes for them (the same call).
   * @param {SegmentParams} params
   * @param {ProgressFn} progress
   * @returns {Promise<SegmentResult>}
   */
  async function segment({ k, seed, nInit }, progress) {
    if (!customers) throw fail('No customers to segment: load a file first.');
    progress({ stage: 'segment', done: 0, total: 1, rows: customers.recency.length });
    const result = unwrap(module.segment({ k, seed, nInit }));
    // The profile's features are the core's feature names: recency, frequency, monetary first.
    const at = (/** @type {string} */ name) => result.profileFeatures.indexOf(name);
    return {
      labels: result.labels,
      centers: result.centers,
      inertia: result.objective, // K-Means' inertia, what the algorithm minimised
      iterations: result.iterations,
      segments: result.profiles.map((/** @type {any} */ p) => ({
        segment: p.segment,
        customers: p.customers,
        meanRecency: p.mean[at('recency')],
        meanFrequency: p.mean[at('frequency')],
        meanMonetary: p.mean[at('monetary')],
        revenue: p.revenue,
      })),
      csv: result.csv,
    };
  }

  /**
   * Monthly acquisition cohorts of the current cleaned rows.
   * @param {unknown} _payload
   * @param {ProgressFn} progress
   * @returns {Promise<CohortsResult>}
   */
  async function cohorts(_payload, progress) {
    current();
    progress({ stage: 'cohorts', done: 0, total: 1, rows: customers?.summary.rowsKept ?? 0 });
    const { months, active, revenue } = unwrap(required(module.cohorts, 'cohorts').call(module));
    return { months, active, revenue };
  }

  /**
   * The cleaning ledger of the current analysis as CSV.
   * @returns {Promise<{csv: string}>}
   */
  async function ledgerCsv() {
    current();
    const { csv } = unwrap(required(module.ledgerCsv, 'ledgerCsv').call(module));
    return { csv };
  }

  /**
   * The customer table (every feature, R/F/M scores, RFM cell and segment, K-Means segment) as
   * CSV. The scores and segments come from the page, so the file matches what it shows.
   * @param {CustomerCsvPayload} payload
   * @param {ProgressFn} progress
   * @returns {Promise<{csv: string}>}
   */
  async function customerCsv({ r, f, m, rfmSegment, rfmNames, labels, segments }, progress) {
    const held = current();
    progress({ stage: 'export', done: 0, total: 1, rows: held.recency.length });
    const n = held.recency.length;
    const ids = splitLines(held.customerIds, n, 'customer ids');
    const features = held.features ?? { recency: held.recency, frequency: held.frequency, monetary: held.monetary };
    const csv = customerTableCsv({
      ids,
      countries: splitLines(held.countries, n, 'countries'),
      features,
      r,
      f,
      m,
      rfmSegment,
      rfmNames,
      labels,
      asOf: held.summary.asOf,
      ...(segments ? { segments } : {}),
    });
    return { csv };
  }

  /**
   * Clusters the current customers (docs/protocol.md §1 clusterCustomers). GMM's n × k
   * responsibilities are left out: the page does not show them.
   * @param {ClusterParams} params
   * @param {ProgressFn} progress
   * @returns {Promise<ClusterResult>}
   */
  async function cluster(params, progress) {
    const held = current();
    progress({ stage: 'cluster', done: 0, total: 1, rows: held.recency.length });
    const r = unwrap(required(module.clusterCustomers, 'clusterCustomers').call(module, params));
    return clusterOf(r, held.recency.length);
  }

  /**
   * Quality curves over k = kMin…kMax. Centre-based algorithms run one k at a time so progress
   * can be reported after each (the same calls the core's sweep makes: same seed, same results);
   * a linkage is built once and cut at every k, so it runs as one call.
   * @param {SweepParams} params
   * @param {ProgressFn} progress
   * @returns {Promise<SweepResult>}
   */
  async function kSweep(params, progress) {
    const held = current();
    const sweep = required(module.kSweep, 'kSweep');
    const { kMin, kMax } = params;
    const total = kMax - kMin + 1;
    const rows = held.recency.length;
    const hierarchical = ['ward', 'average', 'complete', 'single'].includes(params.algorithm ?? 'kmeans');
    if (hierarchical || total <= 1) {
      progress({ stage: 'sweep', done: 0, total: 0, rows });
      const whole = pickSweep(unwrap(sweep.call(module, params)));
      return { ...whole, suggestion: await suggestK({ sweep: whole, params }) };
    }
    /** @type {SweepResult[]} */
    const parts = [];
    for (let k = kMin; k <= kMax; k++) {
      progress({ stage: 'sweep', done: k - kMin, total, rows });
      parts.push(pickSweep(unwrap(sweep.call(module, { ...params, kMin: k, kMax: k }))));
    }
    progress({ stage: 'sweep', done: total, total, rows });
    const joined = /** @type {SweepResult} */ (joinSweeps(parts));
    return { ...joined, suggestion: await suggestK({ sweep: joined, params }) };
  }

  /**
   * The k a whole sweep suggests (the core's rule for the method), for curves joined from one
   * worker's ks or from the pool's (web/api/sweep-pool.js).
   * @param {{sweep: SweepResult, params: ClusterParams}} request
   * @returns {Promise<import('../api/protocol.js').KSuggestion>}
   */
  async function suggestK({ sweep, params }) {
    const { k, criterion, reason } = unwrap(required(module.suggestK, 'suggestK').call(module, sweep, params));
    return { k, criterion, reason };
  }

  /**
   * The matrix clustering with these params runs on, for a pooled sweep or clustering: the page
   * hands a copy to each worker (`holdPoints`), which then runs its ks (`sweepPoints`) or K-Means
   * restarts (`restartsPoints`) on it.
   * @param {ClusterParams} params
   * @returns {Promise<Points & {features: string[]}>}
   */
  async function preparedPoints(params) {
    current();
    const { points, n, d, features } = unwrap(required(module.preparedPoints, 'preparedPoints').call(module, params));
    return { points, n, d, features };
  }

  /**
   * The 2-D map of the current customers. A module without t-SNE answers a t-SNE request with
   * PCA (or an error): either way the page is told `Unsupported`, so it can hide the option.
   * @param {EmbedParams} params
   * @param {ProgressFn} progress
   * @returns {Promise<EmbedResult>}
   */
  async function embed(params, progress) {
    const held = current();
    progress({ stage: 'embed', done: 0, total: 1, rows: held.recency.length });
    const method = params.method ?? 'pca';
    const result = required(module.embed, 'embed').call(module, params);
    if (method !== 'pca' && (!result.ok || result.method !== method)) {
      const why = result.ok ? `it returned ${result.method ?? 'another method'} instead` : result.error.message;
      throw fail(`This build of the analysis module has no ${method} map (${why}).`, 'Unsupported');
    }
    const r = unwrap(result);
    /** @type {EmbedResult} */
    const out = { coords: r.coords, features: r.features, method: r.method };
    // PCA: how much variance the axes keep and what they are made of; t-SNE: how it was run.
    for (const key of /** @type {const} */ (['explainedVarianceRatio', 'loadings', 'klDivergence', 'sampled', 'sampleSize', 'perplexity', 'note'])) {
      if (r[key] !== undefined) /** @type {any} */ (out)[key] = r[key];
    }
    return out;
  }

  /** The core's schema of every parameter (cpp/core/schema.h). */
  async function schema() {
    const { ok, ...schema } = unwrap(required(module.schema, 'schema').call(module));
    return schema;
  }

  /**
   * The project file of the current analysis (settings and the fitted model, no customer data).
   * @param {{settings: object, names?: string[], colors?: string[]}} payload
   * @returns {Promise<{text: string, analysisId: number}>}
   */
  async function saveProject(payload) {
    current();
    const { text, analysisId } = unwrap(required(module.saveProject, 'saveProject').call(module, payload));
    return { text, analysisId };
  }

  /**
   * Reads a project file's text: its settings and the model's summary, or an error naming the field.
   * @param {{text: string, fileName: string}} payload
   */
  async function openProject({ text, fileName }) {
    const { settings, model } = unwrap(required(module.openProject, 'openProject').call(module, text, fileName));
    return { settings, model };
  }

  /**
   * The current customers scored with a saved project, without refitting: the saved segments as
   * a clustering (cluster's shape), the drift report, and the segments table with their names.
   * @param {{text: string, fileName?: string}} payload
   * @param {ProgressFn} progress
   * @returns {Promise<import('../api/protocol.js').ApplyResult>}
   */
  async function applyProject({ text, fileName = 'project.json' }, progress) {
    const held = current();
    progress({ stage: 'segment', done: 0, total: 1, rows: held.recency.length });
    const r = unwrap(required(module.applyProject, 'applyProject').call(module, text, { fileName }));
    return { ...clusterOf(r, held.recency.length), drift: r.drift, csv: r.csv };
  }

  return {
    schema,
    saveProject,
    openProject,
    applyProject,
    loadFile,
    readFile,
    applyRules,
    rfmScores,
    segment,
    cohorts,
    ledgerCsv,
    customerCsv,
    cluster,
    kSweep,
    suggestK,
    embed,
    preparedPoints,
    ...createPointsHandlers(module),
  };
}

/**
 * The clustering fields of a wasm result (without `ok`), checked against the customers held.
 * @param {any} r
 * @param {number} n  customers held
 * @returns {ClusterResult}
 */
function clusterOf(r, n) {
  if (r.labels.length !== n) throw fail(`The analysis module returned ${r.labels.length} labels for ${n} customers.`, 'InternalError');
  return {
    labels: r.labels,
    centers: r.centers,
    medoids: r.medoids ?? null,
    objective: r.objective,
    inertia: r.inertia,
    iterations: r.iterations,
    converged: r.converged,
    restart: r.restart,
    sampled: r.sampled,
    logLikelihood: r.logLikelihood,
    bic: r.bic,
    aic: r.aic,
    linkage: r.linkage ?? null,
    silhouette: r.silhouette ?? null,
    daviesBouldin: r.daviesBouldin ?? null,
    calinskiHarabasz: r.calinskiHarabasz ?? null,
    profiles: r.profiles,
    profileFeatures: r.profileFeatures,
    overallMean: r.overallMean,
    features: r.features,
    collapsed: r.collapsed ?? [],
  };
}

/**
 * The sweep fields of a wasm result (without `ok`).
 * @param {SweepResult} r
 * @returns {SweepResult}
 */
function pickSweep(r) {
  const { k, objective, inertia, silhouette, daviesBouldin, calinskiHarabasz, bic, collapsed, silhouetteSampled } = r;
  return { k, objective, inertia, silhouette, daviesBouldin, calinskiHarabasz, bic, collapsed, silhouetteSampled };
}
