// @ts-check
/**
 * LoyaltyLens page: wires the views to the analysis worker, as the steps of the analyst's
 * workflow (Data → Customers → Segments → Cohorts). A file (dropped, picked or the sample) is
 * read once in the worker; each change re-runs only what depends on it there:
 *
 *   column roles, date order …  readFile (the worker still has the File) → scores, segments, cohorts
 *   a cleaning rule             applyRules (the table stays in the wasm)  → scores, segments, cohorts
 *   RFM preset, rules, features rfmScores
 *   k                           segment
 *   cohort measure, step, theme nothing in the worker
 */
import { AnalysisClient } from './api/client.js';
import { SEGMENT_DEFAULTS } from './api/protocol.js';
import { cohortMatrixCsv } from './export/csv-export.js';
import { downloadText } from './export/download.js';
import { defaultRules, toWasmRules, validateRules } from './model/cleaning-rules.js';
import { presetOf } from './model/rule-editor.js';
import { availableSteps, createStore, defaultRfmSettings, initialState, matchesCustomers } from './state.js';
import { preloadCharts } from './views/chart-host.js';
import { createCohortsView } from './views/cohorts-view.js';
import { createCustomersView } from './views/customers-view.js';
import { createDataView } from './views/data-view.js';
import { createDropView } from './views/drop-view.js';
import { createJobView } from './views/job-view.js';
import { createLayoutView } from './views/layout-view.js';
import { createLedgerView } from './views/ledger-view.js';
import { createNoticeView, noticeFromError } from './views/notice-view.js';
import { createPanelView } from './views/panel-view.js';
import { createProgressView } from './views/progress-view.js';
import { createReadingView } from './views/reading-view.js';
import { createRfmPanelView } from './views/rfm-panel-view.js';
import { createRuleEditorView } from './views/rule-editor-view.js';
import { createRulesPanelView } from './views/rules-panel-view.js';
import { createScatterView } from './views/scatter-view.js';
import { createSegmentTableView } from './views/segment-table-view.js';
import { createSegmentsSummaryView } from './views/segments-summary-view.js';
import { createTooltipView } from './views/tooltip-view.js';
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

/** @param {unknown} err */
const errorName = (err) => (err instanceof Error || err instanceof DOMException ? err.name : '');
/** @param {unknown} err */
const errorMessage = (err) => (err instanceof Error || err instanceof DOMException ? err.message : String(err));
/** Errors already reported elsewhere (cancel: by the cancel; crash: by onCrash). @param {unknown} err */
const isQuiet = (err) => errorName(err) === 'AbortError' || errorName(err) === 'WorkerCrashError';

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
const seq = { analysis: 0, scores: 0, segment: 0, cohorts: 0 };
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
  runSegment();
  if (store.get().step === 'cohorts') runCohorts();
}

/** Results of the previous analysis in flight are dropped from now on. */
function outdateDependents() {
  seq.scores++;
  seq.segment++;
  seq.cohorts++;
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
  store.set({
    job: null,
    rules: state.appliedRules,
    readOptions: appliedRead,
    scoring: false,
    segmenting: false,
    cohortsLoading: false,
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
  preloadCharts().catch(() => {}); // in parallel with the read; a failure shows when drawing

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
    const { k } = store.get();
    // The first scores and segments come before the page opens, so every step is ready.
    const [rfm, segmentation] = await Promise.allSettled([
      client.rfmScores(rfmParams(settings), { signal: controller.signal }),
      client.segment({ ...SEGMENT_DEFAULTS, k }, { signal: controller.signal, onProgress }),
    ]);
    for (const r of [rfm, segmentation]) if (r.status === 'rejected' && isQuiet(r.reason)) throw r.reason;
    store.set({
      phase: 'ready',
      progress: null,
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
    const empty = { ...initialState(store.get().theme), k: store.get().k };
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

createTooltipView();

const views = [
  createLayoutView({ onStep: openStep }),
  createTopbarView({
    onToggleTheme: () => {
      const theme = store.get().theme === 'dark' ? 'light' : 'dark';
      saveTheme(theme);
      store.set({ theme });
    },
    onOpenFile: drop.openPicker,
  }),
  createNoticeView({ onDismiss: () => store.set({ notice: null }) }),
  drop.render,
  createProgressView({ onCancel: () => loadController?.abort() }),
  createJobView({ onCancel: cancelJob }),
  // Step 1
  createDataView(),
  createReadingView({ onRead: reread }),
  createLedgerView({
    onExport: () => exportCsv('Preparing the ledger…', () => client.ledgerCsv(), 'cleaning-ledger.csv'),
  }),
  createRulesPanelView({ onChange: changeRules }),
  // Step 2
  createCustomersView(),
  createRuleEditorView({
    onRules: (rules) => changeRfm({ ...store.get().rfmSettings, rules, preset: presetOf(rules, store.get().presetRules) }),
    onReset: () => {
      const { rfmSettings, rfm } = store.get();
      const preset = rfmSettings.preset === 'custom' ? rfm?.settings.preset ?? 'rf-grid' : rfmSettings.preset;
      changeRfm({ ...rfmSettings, preset: preset === 'custom' ? 'rf-grid' : preset, rules: null });
    },
  }),
  createRfmPanelView({
    onPreset: (preset) => changeRfm({ ...store.get().rfmSettings, preset, rules: store.get().presetRules[preset] ?? null }),
    onFeature: (patch) => changeRfm({ ...store.get().rfmSettings, ...patch }),
    onDownload: () => {
      const { rfm, segmentation } = store.get();
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
          }),
        'customers.csv',
      );
    },
  }),
  // Step 3
  createSegmentsSummaryView(),
  createPanelView({
    onK: (k) => {
      if (k !== store.get().k || store.get().segmentError) {
        store.set({ k });
        runSegment();
      }
    },
    onDownload: () => {
      const { segmentation } = store.get();
      if (segmentation) downloadText(segmentation.csv, 'segments.csv', 'text/csv;charset=utf-8');
    },
  }),
  createSegmentTableView(),
  createScatterView(),
  // Step 4
  createCohortsView({
    onMeasure: (cohortMeasure) => store.set({ cohortMeasure }),
    onExport: () => {
      const { cohorts, cohortMeasure } = store.get();
      if (cohorts) downloadText(cohortMatrixCsv(cohorts, cohortMeasure), `cohorts-${cohortMeasure}.csv`, 'text/csv;charset=utf-8');
    },
  }),
];

store.subscribe((state, previous) => {
  for (const render of views) render(state, previous);
});
for (const render of views) render(store.get());
