// @ts-check
/**
 * LoyaltyLens page: wires the views to the analysis worker, as the steps of the analyst's
 * workflow (Data → Customers → Segments → Profiles → Cohorts → What-if → Export). A file (dropped,
 * picked or the sample) is read once in the worker; each change re-runs only what depends on it
 * there:
 *
 *   column roles, date order …  readFile (the worker still has the File) → scores, segments, cohorts
 *   a cleaning rule             applyRules (the table stays in the wasm)  → scores, segments, cohorts
 *   RFM preset, rules, features rfmScores
 *   k                           segment (the K-Means download) and cluster
 *   algorithm, seed, covariance cluster
 *   clustering features, log1p, cluster, and embed (the map) when the Segments step shows it
 *   winsorizing, scaler
 *   "Compare k"                 kSweep (on demand)
 *   names, colours, what-if,    nothing in the worker
 *   export choices, cohort measure, step, theme
 *
 * The page's start evaluates only this module and the page's frame (top bar, drop zone, progress,
 * notices): the views of the steps are modules of their own (web/steps/), loaded in idle time
 * after the start or when a file is dropped, and ECharts when a file is dropped. So the start is
 * no long task (issue 7).
 */
import { AnalysisClient } from './api/client.js';
import { SweepPool, sweepWorkerCount } from './api/sweep-pool.js';
import { SEGMENT_DEFAULTS } from './api/protocol.js';
import { errorMessage, errorName, isQuiet } from './errors.js';
import { downloadText } from './export/download.js';
import { warmFormats } from './format.js';
import {
  algorithmLabel,
  clusterParams,
  mapKey,
  preprocessParams,
  sweepKey,
  sweepRange,
  validateClusterSettings,
} from './model/cluster-settings.js';
import { whatIfParamsFor } from './model/what-if.js';
import { defaultRules, toWasmRules, validateRules } from './model/cleaning-rules.js';
import { availableSteps, createStore, currentClustering, defaultRfmSettings, initialState, matchesCustomers, stylesOf } from './state.js';
import { createStepLoader } from './steps/step-loader.js';
import { idle, nextTask } from './ui/tasks.js';
import { createDropView } from './views/drop-view.js';
import { createJobView } from './views/job-view.js';
import { createLayoutView } from './views/layout-view.js';
import { createNoticeView, noticeFromError } from './views/notice-view.js';
import { createProgressView } from './views/progress-view.js';
import { createTooltip } from './ui/tooltip.js';
import { createTopbarView } from './views/topbar-view.js';

/**
 * @typedef {import('./state.js').AppState} AppState
 * @typedef {import('./state.js').RfmSettings} RfmSettings
 * @typedef {import('./api/protocol.js').AnalysisResult} AnalysisResult
 * @typedef {import('./api/protocol.js').ReadOverrides} ReadOverrides
 * @typedef {import('./model/cleaning-rules.js').RulesForm} RulesForm
 */

/** Relative, so the page works under any sub-path. */
const SAMPLE_URL = 'samples/online-retail-sample.csv';
const SAMPLE_NAME = 'online-retail-sample.csv';
const THEME_KEY = 'loyaltylens-theme';

/** @returns {import('./state.js').Theme} */
function preferredTheme() {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // Storage can be blocked (private mode, sandboxed frames): fall back to the system theme.
  }
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** @param {import('./state.js').Theme} theme */
function saveTheme(theme) {
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Not saved: the toggle still works for this visit.
  }
}

const store = createStore(initialState(preferredTheme()));

/**
 * What the current worker holds: nothing (new, or replaced after a crash or cancel), the File
 * only (its last read failed), or the read table of the analysis on screen.
 * @type {'none' | 'file' | 'table'}
 */
let workerHolds = 'none';
/** @type {{file: Blob, name: string} | null} the loaded file, to read again after a crash */
let loadedFile = null;
/** The read options of the analysis on screen (the form may show others being tried). @type {ReadOverrides} */
let appliedRead = {};
/** @type {AbortController | null} the first load in progress */
let loadController = null;
/** Bumped by every request of a kind (and by anything that outdates it); older results are ignored. */
const seq = { analysis: 0, scores: 0, segment: 0, cohorts: 0, cluster: 0, sweep: 0, embed: 0 };
/** Parameter changes running in the worker (the panel shows the newest with Cancel). */
let activeJobs = 0;

const client = new AnalysisClient(
  () => new Worker(new URL('./worker/worker.js', import.meta.url), { type: 'module' }),
  {
    onCrash: (error) => {
      workerHolds = 'none';
      const notice = noticeFromError(error);
      if (store.get().phase === 'ready') {
        notice.hint =
          'LoyaltyLens has restarted it and the results stay on screen; the next change reads the ' +
          'file again. Nothing was uploaded.';
      }
      store.set({ notice });
    },
    // "Compare k" on the other cores; ?workers=1 in the URL keeps it on the analysis worker.
    pool: new SweepPool(() => new Worker(new URL('./worker/pool-worker.js', import.meta.url), { type: 'module' }), {
      size: sweepWorkerCount(navigator.hardwareConcurrency, location.search),
      onWorkerLost: (error) =>
        store.set({
          notice: {
            kind: 'info',
            title: 'A helper worker stopped',
            message: error.message,
            hint: 'The comparison of k goes on in the other workers, with the same results. Nothing was uploaded.',
          },
        }),
    }),
  },
);

/**
 * Runs worker work for a parameter change with the panel's progress line.
 * @template T
 * @param {string} label
 * @param {(onProgress: (p: import('./api/protocol.js').Progress) => void) => Promise<T>} work
 * @returns {Promise<T>}
 */
async function withJob(label, work) {
  activeJobs++;
  store.set({ job: { label, progress: null } });
  try {
    return await work((progress) => {
      if (store.get().job) store.set({ job: { label, progress } });
    });
  } finally {
    activeJobs = Math.max(0, activeJobs - 1);
    if (activeJobs === 0) store.set({ job: null });
  }
}

/** The countries seen so far in this file (the country filter lists them). @param {string[]} known @param {string[]} seen */
function unionCountries(known, seen) {
  const all = new Set(known);
  for (const c of seen) all.add(c);
  return all.size === known.length ? known : [...all];
}

/**
 * Shows a new analysis; what depended on the previous one is computed again.
 * @param {AnalysisResult} result
 * @param {ReadOverrides} read
 * @param {RulesForm} rules
 */
function showAnalysis(result, read, rules) {
  const state = store.get();
  appliedRead = read;
  store.set({
    summary: result.summary,
    ledger: result.ledger,
    customers: result.customers,
    featureStats: result.featureStats,
    readOptions: read,
    appliedRules: rules,
    analysisError: null,
    knownCountries: unionCountries(state.knownCountries, result.customers.countries),
    cohorts: null,
    cohortsError: null,
    sweep: null,
    sweepError: null,
    embedding: null,
    embedError: null,
  });
}

/**
 * Makes sure the worker holds the table of the analysis on screen (after a crash or a cancel it
 * starts empty: the file is read again with the same settings, which gives the same analysis).
 */
async function ensureTable() {
  if (workerHolds === 'table') return;
  if (!loadedFile) throw new Error('No file is loaded.');
  const { appliedRules } = store.get();
  await withJob(`Reading ${loadedFile.name} again…`, (onProgress) =>
    client.loadFile(/** @type {Blob} */ (loadedFile?.file), {
      name: loadedFile?.name,
      read: appliedRead,
      rules: toWasmRules(appliedRules),
      onProgress,
    }),
  );
  workerHolds = 'table';
}

/** @param {RfmSettings} s @returns {import('./api/protocol.js').RfmParams} */
function rfmParams(s) {
  const features = { recency: s.recency, frequency: s.frequency, monetary: s.monetary };
  if (s.preset !== 'custom') return { ...features, preset: s.preset };
  return s.rules ? { ...features, rules: s.rules } : { ...features, preset: 'rf-grid' };
}

/** Scores and named segments of the customers on screen. */
async function runScores() {
  const id = ++seq.scores;
  const settings = store.get().rfmSettings;
  store.set({ scoring: true, rfmError: null });
  try {
    await ensureTable();
    const rfm = await withJob('Scoring customers…', (onProgress) => client.rfmScores(rfmParams(settings), { onProgress }));
    if (id !== seq.scores) return;
    const state = store.get();
    const presetRules = settings.preset === 'custom' ? state.presetRules : { ...state.presetRules, [settings.preset]: rfm.rules };
    store.set({
      rfm: { ...rfm, settings },
      scoring: false,
      presetRules,
      rfmSettings: state.rfmSettings === settings && settings.rules === null ? { ...settings, rules: rfm.rules } : state.rfmSettings,
    });
  } catch (err) {
    if (id !== seq.scores) return;
    store.set({ scoring: false, ...(isQuiet(err) ? {} : { rfmError: errorMessage(err) }) });
  }
}

/** K-Means segments of the customers on screen, with the current k. */
async function runSegment() {
  const id = ++seq.segment;
  const { k } = store.get();
  store.set({ segmenting: true, segmentError: null });
  try {
    await ensureTable();
    const segmentation = await withJob(`Finding ${k} segments…`, (onProgress) =>
      client.segment({ ...SEGMENT_DEFAULTS, k }, { onProgress }),
    );
    if (id === seq.segment) store.set({ segmentation, segmenting: false });
  } catch (err) {
    if (id !== seq.segment) return;
    store.set({ segmenting: false, ...(isQuiet(err) ? {} : { segmentation: null, segmentError: errorMessage(err) }) });
  }
}

/**
 * What a new clustering changes besides itself: the what-if inputs and the segments ticked for
 * export are kept while the segments are the same ones (same automatic names, in order), else
 * they start again from their defaults (a segment number would now mean another segment).
 * @param {import('./api/protocol.js').ClusterResult} result
 * @returns {Partial<import('./state.js').AppState>}
 */
function afterClustering(result) {
  const state = store.get();
  const names = (/** @type {{name: string}[] | undefined} */ p) => p?.map((x) => x.name).join('\n');
  const same = names(state.clustering?.profiles) === names(result.profiles);
  const segments = result.profiles.map((p) => ({ segment: p.segment, customers: p.customers, revenue: p.revenue }));
  return {
    whatIf: whatIfParamsFor(segments, same ? state.whatIf : null),
    ...(same ? {} : { exportSettings: { ...state.exportSettings, segments: null } }),
  };
}

/** The Segments step's clustering with the current settings and k. */
async function runCluster() {
  const id = ++seq.cluster;
  const { clusterSettings: settings, k } = store.get();
  if (Object.keys(validateClusterSettings(settings)).length > 0) {
    store.set({ clusterBusy: false }); // the panel says what to fix; a clustering in flight is outdated
    return;
  }
  store.set({ clusterBusy: true, clusterError: null });
  try {
    await ensureTable();
    const result = await withJob(`Finding ${k} segments (${algorithmLabel(settings.algorithm)})…`, (onProgress) =>
      client.cluster(clusterParams(settings, k), { onProgress }),
    );
    if (id !== seq.cluster) return;
    store.set({ ...afterClustering(result), clustering: { ...result, run: { ...settings, k } }, clusterBusy: false });
  } catch (err) {
    if (id !== seq.cluster) return;
    store.set({ clusterBusy: false, ...(isQuiet(err) ? {} : { clusterError: errorMessage(err) }) });
  }
}

/** The key of the map being computed. */
let embedKey = '';

/** The 2-D map of the customers with the current features and preprocessing (when shown). */
async function runEmbed() {
  const state = store.get();
  const { clusterSettings: settings, mapMethod } = state;
  if (Object.keys(validateClusterSettings(settings)).length > 0) return;
  const key = mapKey(settings, mapMethod);
  if (state.embedding?.key === key && matchesCustomers({ length: state.embedding.coords.length / 2 }, state)) return;
  if (state.embedBusy && embedKey === key) return; // already on its way
  embedKey = key;
  const id = ++seq.embed;
  store.set({ embedBusy: true, embedError: null });
  try {
    await ensureTable();
    const result = await withJob(mapMethod === 'tsne' ? 'Computing the t-SNE map…' : 'Computing the PCA map…', (onProgress) =>
      client.embed({ ...preprocessParams(settings), method: mapMethod, ...(mapMethod === 'tsne' ? { seed: settings.seed } : {}) }, { onProgress }),
    );
    if (id !== seq.embed) return;
    store.set({ embedding: { ...result, key }, embedBusy: false });
  } catch (err) {
    if (id !== seq.embed) return;
    if (errorName(err) === 'Unsupported') {
      // No t-SNE in this build: hide the option and show PCA.
      store.set({ embedBusy: false, mapMethod: 'pca', tsneUnsupported: errorMessage(err) });
      runEmbed();
      return;
    }
    store.set({ embedBusy: false, ...(isQuiet(err) ? {} : { embedError: errorMessage(err) }) });
  }
}

/** The k sweep (k = 2…10) for the current settings, on demand. */
async function runSweep() {
  const state = store.get();
  const settings = state.clusterSettings;
  const range = sweepRange(state.customers?.ids.length ?? 0);
  if (!range || Object.keys(validateClusterSettings(settings)).length > 0) return;
  const id = ++seq.sweep;
  store.set({ sweepBusy: true, sweepError: null });
  try {
    await ensureTable();
    const result = await withJob(`Comparing k = ${range.kMin}–${range.kMax} (${algorithmLabel(settings.algorithm)})…`, (onProgress) =>
      client.kSweep({ ...clusterParams(settings, range.kMin), ...range }, { onProgress }),
    );
    if (id !== seq.sweep) return;
    store.set({ sweep: { ...result, key: sweepKey(settings), algorithm: settings.algorithm }, sweepBusy: false });
  } catch (err) {
    if (id !== seq.sweep) return;
    store.set({ sweepBusy: false, ...(isQuiet(err) ? {} : { sweepError: errorMessage(err) }) });
  }
}

/**
 * A change of the clustering settings: clusters again; the map too when the preprocessing changed
 * and the Segments step shows it (else when it is opened).
 * @param {Partial<import('./model/cluster-settings.js').ClusterSettings>} patch
 */
function changeCluster(patch) {
  const before = store.get().clusterSettings;
  const clusterSettings = { ...before, ...patch };
  store.set({ clusterSettings });
  if (Object.keys(validateClusterSettings(clusterSettings)).length > 0) return;
  runCluster();
  const { mapMethod, step } = store.get();
  if (mapKey(before, mapMethod) !== mapKey(clusterSettings, mapMethod) && step === 'segments') runEmbed();
}

/** Monthly cohorts of the rows on screen (computed when the Cohorts step is opened). */
async function runCohorts() {
  const id = ++seq.cohorts;
  store.set({ cohortsLoading: true, cohortsError: null });
  try {
    await ensureTable();
    const cohorts = await withJob('Computing cohorts…', (onProgress) => client.cohorts({ onProgress }));
    if (id === seq.cohorts) store.set({ cohorts, cohortsLoading: false });
  } catch (err) {
    if (id !== seq.cohorts) return;
    store.set({ cohortsLoading: false, ...(isQuiet(err) ? {} : { cohortsError: errorMessage(err) }) });
  }
}

/** Everything computed from the customers, after they changed. */
function runDependents() {
  runScores();
  runCluster();
  runSegment();
  if (store.get().step === 'segments') runEmbed();
  if (store.get().step === 'cohorts') runCohorts();
}

/** Results of the previous analysis in flight are dropped from now on. */
function outdateDependents() {
  seq.scores++;
  seq.segment++;
  seq.cohorts++;
  seq.cluster++;
  seq.sweep++;
  seq.embed++;
  // Nothing starts the sweep or the map again by itself: their flags end with them.
  store.set({ sweepBusy: false, embedBusy: false });
}

/**
 * @param {unknown} err
 * @param {'read' | 'rules'} source
 */
function analysisFailure(err, source) {
  const base = noticeFromError(err);
  const badSetting = errorName(err) === 'InvalidArgument';
  const title =
    source === 'read'
      ? 'The file could not be read with these settings'
      : badSetting
        ? 'A cleaning rule’s setting cannot be used'
        : 'These cleaning rules leave nothing to analyse';
  const hint =
    source === 'read'
      ? 'Choose another column or format above, or press “Use detected settings”. The other steps open again once the file reads.'
      : badSetting
        ? 'Change the setting named above in the panel.'
        : 'Turn a rule off or widen it in the panel; the ledger shows what each rule removed before this change.';
  return { ...base, title, hint, source };
}

/**
 * Reads the file again with other read options (roles, date order, delimiter, decimal mark).
 * @param {ReadOverrides} read
 */
async function reread(read) {
  if (!loadedFile) return;
  const id = ++seq.analysis;
  outdateDependents();
  const rules = store.get().appliedRules;
  store.set({ readOptions: read, rules, notice: null });
  try {
    const payload = { options: read, rules: toWasmRules(rules) };
    const file = loadedFile;
    const result = await withJob(`Reading ${file.name} again…`, (onProgress) =>
      workerHolds === 'none'
        ? client.loadFile(file.file, { name: file.name, read, rules: payload.rules, onProgress })
        : client.readFile(payload, { onProgress }),
    );
    if (id !== seq.analysis) return;
    workerHolds = 'table';
    showAnalysis(result, read, rules);
    runDependents();
  } catch (err) {
    if (id !== seq.analysis || isQuiet(err)) return;
    workerHolds = workerHolds === 'none' ? 'none' : 'file';
    store.set({ analysisError: analysisFailure(err, 'read'), step: 'data' });
  }
}

/**
 * Applies the cleaning rules of the form (when it is valid): cleaning and features again on the
 * table the worker holds, no reading.
 * @param {Partial<RulesForm>} patch
 */
async function changeRules(patch) {
  const rules = { ...store.get().rules, ...patch };
  store.set({ rules });
  if (validateRules(rules).length > 0) return; // the panel says what to fix
  const id = ++seq.analysis;
  outdateDependents();
  try {
    await ensureTable();
    const result = await withJob('Applying the cleaning rules…', (onProgress) =>
      client.applyRules({ rules: toWasmRules(rules) }, { onProgress }),
    );
    if (id !== seq.analysis) return;
    showAnalysis(result, appliedRead, rules);
    runDependents();
  } catch (err) {
    if (id !== seq.analysis || isQuiet(err)) return;
    store.set({ analysisError: analysisFailure(err, 'rules'), step: 'data' });
  }
}

/** @param {RfmSettings} rfmSettings */
function changeRfm(rfmSettings) {
  store.set({ rfmSettings });
  runScores();
}

/** Stops the running change: the worker is replaced, the screen keeps the last complete results. */
function cancelJob() {
  client.cancel();
  workerHolds = 'none';
  activeJobs = 0;
  for (const key of /** @type {(keyof typeof seq)[]} */ (Object.keys(seq))) seq[key]++;
  const state = store.get();
  const rfmMatches = matchesCustomers(state.rfm?.segment, state);
  const segmentsMatch = matchesCustomers(state.segmentation?.labels, state);
  const clusteringMatches = !!currentClustering(state);
  store.set({
    job: null,
    rules: state.appliedRules,
    readOptions: appliedRead,
    scoring: false,
    segmenting: false,
    cohortsLoading: false,
    clusterBusy: false,
    sweepBusy: false,
    embedBusy: false,
    // A cancelled map keeps the method of the map on screen.
    ...(state.embedBusy ? { mapMethod: state.embedding?.method === 'tsne' ? 'tsne' : 'pca' } : {}),
    ...(clusteringMatches ? {} : { clustering: null, clusterError: 'Cancelled before the segments were found. Change a setting to find them.' }),
    ...(rfmMatches ? {} : { rfm: null, rfmError: 'Cancelled before the scores were computed.' }),
    ...(segmentsMatch ? {} : { segmentation: null, segmentError: 'Cancelled before the segments were found. Move the slider to find them.' }),
    notice: {
      kind: 'info',
      title: 'Change cancelled',
      message: 'The results on screen are those of the last complete run.',
      hint: 'Change a setting to run again; the file is read again first (in this browser).',
    },
  });
}

/**
 * Reads a new file in the worker, then scores and segments its customers.
 * @param {string} name
 * @param {(signal: AbortSignal) => Promise<Blob>} getFile
 */
async function load(name, getFile) {
  loadController?.abort();
  const controller = new AbortController();
  loadController = controller;
  for (const key of /** @type {(keyof typeof seq)[]} */ (Object.keys(seq))) seq[key]++;
  workerHolds = 'none';
  loadedFile = null;
  appliedRead = {};
  // In parallel with the read: ECharts (a failure shows when a chart draws) and the views of the
  // other steps (prefetched already unless the file came right after the start).
  import('./ui/chart-host.js').then((charts) => charts.preloadCharts()).catch(() => {});
  const steps = stepLoader.all();
  steps.catch(() => {}); // awaited before the page opens

  /** When the worker started reading (its first report): rows/s leaves out worker start-up. */
  let startedAt = 0;
  /** @param {import('./api/protocol.js').Progress} progress */
  const onProgress = (progress) => {
    if (loadController !== controller) return;
    const at = performance.now();
    startedAt ||= at;
    store.set({ progress: { ...progress, startedAt, at } });
  };
  const fresh = initialState(store.get().theme);
  store.set({
    ...fresh,
    k: store.get().k,
    clusterSettings: store.get().clusterSettings,
    mapMethod: store.get().mapMethod,
    tsneUnsupported: store.get().tsneUnsupported,
    phase: 'loading',
    fileName: name,
    progress: { stage: 'read', done: 0, total: 0, rows: 0, startedAt: 0, at: 0 },
  });

  try {
    const file = await getFile(controller.signal);
    const rules = defaultRules();
    const result = await client.loadFile(file, { name, signal: controller.signal, onProgress });
    workerHolds = 'table';
    loadedFile = { file, name };
    showAnalysis(result, {}, rules);
    const settings = defaultRfmSettings();
    const { k, clusterSettings } = store.get();
    const clusterable = Object.keys(validateClusterSettings(clusterSettings)).length === 0;
    // The first scores and segments come before the page opens, so every step is ready.
    const [rfm, segmentation, clustering] = await Promise.allSettled([
      client.rfmScores(rfmParams(settings), { signal: controller.signal }),
      client.segment({ ...SEGMENT_DEFAULTS, k }, { signal: controller.signal, onProgress }),
      clusterable ? client.cluster(clusterParams(clusterSettings, k), { signal: controller.signal }) : Promise.reject(new Error('')),
    ]);
    for (const r of [rfm, segmentation, clustering]) if (r.status === 'rejected' && isQuiet(r.reason)) throw r.reason;
    await steps; // every step opens with its views
    if (loadController !== controller) return; // a newer file replaced this one meanwhile
    store.set({
      phase: 'ready',
      progress: null,
      ...(clustering.status === 'fulfilled'
        ? { ...afterClustering(clustering.value), clustering: { ...clustering.value, run: { ...clusterSettings, k } } }
        : { clusterError: errorMessage(clustering.reason) || null }),
      ...(rfm.status === 'fulfilled'
        ? {
            rfm: { ...rfm.value, settings },
            rfmSettings: { ...settings, rules: rfm.value.rules },
            presetRules: { [settings.preset]: rfm.value.rules },
          }
        : { rfmError: errorMessage(rfm.reason) }),
      ...(segmentation.status === 'fulfilled' ? { segmentation: segmentation.value } : { segmentError: errorMessage(segmentation.reason) }),
    });
  } catch (err) {
    if (loadController !== controller) return; // a newer file replaced this one
    workerHolds = 'none';
    loadedFile = null;
    const empty = { ...initialState(store.get().theme), k: store.get().k, clusterSettings: store.get().clusterSettings };
    if (errorName(err) === 'AbortError') {
      store.set({
        ...empty,
        notice: {
          kind: 'info',
          title: 'Reading cancelled',
          message: `Stopped reading “${name}”. Nothing was kept.`,
          hint: 'Drop a file, choose one, or try the sample data to start again.',
        },
      });
    } else {
      const crashed = errorName(err) === 'WorkerCrashError'; // already reported by onCrash
      store.set({ ...empty, ...(crashed ? { notice: store.get().notice } : { notice: noticeFromError(err) }) });
    }
  } finally {
    if (loadController === controller) loadController = null;
  }
}

/** @param {import('./state.js').Step} step */
function openStep(step) {
  const state = store.get();
  if (!availableSteps(state)[step] || state.step === step) return;
  store.set({ step });
  if (step === 'cohorts' && !state.cohorts && !state.cohortsLoading) runCohorts();
  if (step === 'segments') runEmbed();
}

/** Saves the worker's CSV of some export. @param {string} label @param {() => Promise<{csv: string}>} make @param {string} fileName */
async function exportCsv(label, make, fileName) {
  try {
    await ensureTable();
    const { csv } = await withJob(label, () => make());
    downloadText(csv, fileName, 'text/csv;charset=utf-8');
  } catch (err) {
    if (!isQuiet(err)) store.set({ notice: { ...noticeFromError(err), title: 'The export failed' } });
  }
}

const drop = createDropView({
  onFile: (file) => load(file.name, async () => file),
  onSample: () =>
    load(SAMPLE_NAME, async (signal) => {
      const response = await fetch(SAMPLE_URL, { signal });
      if (!response.ok) {
        throw new Error(`The sample data could not be fetched (HTTP ${response.status} for ${SAMPLE_URL}).`);
      }
      return new File([await response.blob()], SAMPLE_NAME, { type: 'text/csv' });
    }),
});

createTooltip();

/**
 * The customer table as CSV (features, RFM scores and segments), built in the worker.
 * @param {string} fileName
 * @param {boolean} withSegments  also the shown clustering's segments, by their names
 */
function exportCustomerTable(fileName, withSegments) {
  const state = store.get();
  const { rfm, segmentation } = state;
  const clustering = withSegments ? currentClustering(state) : null;
  if (!rfm || !segmentation) return;
  exportCsv(
    'Preparing the customer table…',
    () =>
      client.customerCsv({
        r: rfm.r,
        f: rfm.f,
        m: rfm.m,
        rfmSegment: rfm.segment,
        rfmNames: rfm.rules.map((r) => r.name),
        labels: segmentation.labels,
        ...(clustering ? { segments: { labels: clustering.labels, names: stylesOf(state).map((s) => s.name) } } : {}),
      }),
    fileName,
  );
}

/**
 * A view's render function with its name (User Timing names slow views) and its step (the views
 * of the step on screen render first; those without one, the frame of the page, before them).
 * @param {string} viewName
 * @param {(state: AppState, previous?: AppState) => void} render
 * @param {import('./state.js').Step} [step]
 */
const named = (viewName, render, step) => Object.assign(render, { viewName, step });

const views = [
  named('layout', createLayoutView({ onStep: openStep })),
  named('topbar', createTopbarView({
    onToggleTheme: () => {
      const theme = store.get().theme === 'dark' ? 'light' : 'dark';
      saveTheme(theme);
      store.set({ theme });
    },
    onOpenFile: drop.openPicker,
  })),
  named('notice', createNoticeView({ onDismiss: () => store.set({ notice: null }) })),
  named('drop', drop.render),
  named('progress', createProgressView({ onCancel: () => loadController?.abort() })),
  named('job', createJobView({ onCancel: cancelJob })),
  // The steps' views join once their modules are loaded (stepLoader below).
];

/**
 * The steps: their views join the page once their modules are loaded, and render the newest
 * state from then on (web/steps/step-loader.js).
 */
const stepLoader = createStepLoader(
  (step, stepViews) => {
    for (const [name, render] of Object.entries(stepViews)) views.push(named(name, render, step));
    renderAll();
  },
  {
    store,
    reread,
    changeRules,
    exportLedger: () => exportCsv('Preparing the ledger…', () => client.ledgerCsv(), 'cleaning-ledger.csv'),
    changeRfm,
    changeCluster,
    runCluster,
    runSegment,
    runEmbed,
    runSweep,
    exportCustomerTable,
  },
);

/**
 * Render passes in slices: the views render the newest state in order, and once a slice has
 * taken SLICE_MS the rest follow in the next task (a new state starts the pass again; a view
 * gets the state it rendered last as `previous`). So a state change that touches every step's
 * views (the analysis arriving, k) never holds the main thread for all of them at once. The
 * layout view goes first (steps shown, flags), then the other views without a step, then those of
 * the step on screen, then the rest; while a pass is unfinished the body says
 * data-busy="true", so tests and benchmarks that wait for "not busy" see every view rendered.
 */
const SLICE_MS = 8;
/** @type {Map<(typeof views)[number], AppState>} */
const lastRendered = new Map();
/** @type {(typeof views)[number][]} */
let toRender = [];
let rendering = false;
let sliced = false;

function renderPass() {
  rendering = true;
  const start = performance.now();
  try {
    while (toRender.length > 0) {
      const state = store.get();
      const render = /** @type {(typeof views)[number]} */ (toRender.shift());
      const previous = lastRendered.get(render);
      if (previous === state) continue;
      const at = performance.now();
      lastRendered.set(render, state);
      render(state, previous);
      // User Timing entries for slow views and passes: bench/longtasks.mjs names what made a long task.
      if (performance.now() - at > 4) performance.measure(`view ${render.viewName}`, { start: at });
      if (toRender.length > 0 && performance.now() - start > SLICE_MS) {
        sliced = true;
        document.body.dataset.busy = 'true';
        nextTask().then(renderPass);
        return;
      }
    }
    if (sliced) {
      sliced = false;
      views[0](store.get(), store.get()); // the layout view's flags, now that every view is done
    }
  } finally {
    rendering = false;
    if (performance.now() - start > 10) performance.measure('views render', { start });
  }
}

/** The views in render order: the page's frame (layout first), the step on screen, the others. */
function renderOrder() {
  const { step } = store.get();
  return [...views.filter((v) => !v.step), ...views.filter((v) => v.step === step), ...views.filter((v) => v.step && v.step !== step)];
}

/** Renders every view with the newest state (in the pass under way, if there is one). */
function renderAll() {
  toRender = renderOrder();
  if (!rendering && !sliced) renderPass();
}

store.subscribe(renderAll);
renderAll();

// After the start, in idle time and each in tasks of its own: the number formats (a page's
// first Intl call loads locale data, 20–45 ms here), the steps' modules, and then the analysis
// worker, which fetches, compiles and warms up its wasm while the page waits for a file. The
// worker last: its compile threads take both cores of a small machine, and every task of the
// page that ran meanwhile took two to four times as long. A file dropped before gets them all at
// once (load()).
idle()
  .then(() => {
    warmFormats();
    return stepLoader.prefetch();
  })
  .then(() => client.prepare());
