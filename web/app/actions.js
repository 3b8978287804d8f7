// @ts-check
/**
 * What the page's events do. A file (dropped, picked or the sample) is read once in the worker;
 * each change re-runs only what depends on it there:
 *
 *   column roles, date order …  readFile (the worker still has the File) → scores, segments, cohorts
 *   a cleaning rule             applyRules (the table stays in the wasm)  → scores, segments, cohorts
 *   RFM and clustering settings, k, "Compare k", the map: web/app/derived.js
 *   names, colours, what-if,    nothing in the worker
 *   export choices, cohort measure, step, theme
 *
 * Every request goes through the runner (web/app/resources.js), but the first read of a file
 * (web/app/load.js): it has its own progress bar and Cancel, and the page opens once its first
 * scores, segments and clustering are there.
 */
import { errorName, isQuiet } from '../errors.js';
import { downloadText } from '../export/download.js';
import { toWasmRules, validateRules } from '../model/cleaning-rules.js';
import { mapKey } from '../model/cluster-settings.js';
import { availableSteps, currentClustering, currentResult, stylesOf } from '../state.js';
import { noticeFromError } from '../views/notice-view.js';
import { afterAnalysis, clusterable, createDerived } from './derived.js';
import { createLoader } from './load.js';
import { createProjectActions } from './project.js';
import { saveTheme } from './theme.js';

/**
 * @typedef {import('../state.js').AppState} AppState
 * @typedef {import('../state.js').RfmSettings} RfmSettings
 * @typedef {import('../api/protocol.js').AnalysisResult} AnalysisResult
 * @typedef {import('../api/protocol.js').ReadOverrides} ReadOverrides
 * @typedef {import('../model/cleaning-rules.js').RulesForm} RulesForm
 */

/**
 * @param {unknown} err
 * @param {'read' | 'rules'} source
 * @returns {{error: import('../state.js').AnalysisError, also: Partial<AppState>}}
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
  return { error: { ...base, title, hint, source }, also: { step: 'data' } };
}

/**
 * @param {{
 *   store: import('./store.js').Store,
 *   client: import('../api/client.js').AnalysisClient,
 *   ensureSchema: () => Promise<void>,
 *   resources: import('./resources.js').Resources,
 *   loadSteps: () => Promise<void>,
 * }} app  loadSteps: every step's views (awaited before a file's page opens)
 */
export function createActions({ store, client, resources, ensureSchema, loadSteps }) {
  const derived = createDerived({ store, client, resources });
  const loader = createLoader({ store, client, resources, ensureSchema, loadSteps });

  /** A setting of the segments changed: a project's saved segments give way to a refit. */
  function leaveSavedSegments() {
    const { project } = store.get();
    if (project?.scoring === 'saved') store.set({ project: { ...project, scoring: 'refit' } });
  }

  /**
   * Reads the file again with other read options (roles, date order, delimiter, decimal mark).
   * @param {ReadOverrides} read
   */
  async function reread(read) {
    const { file, name, rules } = resources.worker;
    if (!file) return;
    derived.outdateDependents();
    const wasmRules = toWasmRules(rules);
    const outcome = await resources.runAnalysis({
      label: `Reading ${name} again…`,
      readOptions: read,
      rules,
      rereads: true,
      start: { readOptions: read, rules, notice: null },
      send: (onProgress, worker) =>
        worker.holds === 'none'
          ? client.loadFile(file, { name, read, rules: wasmRules, onProgress })
          : client.readFile({ options: read, rules: wasmRules }, { onProgress }),
      also: (result, state) => afterAnalysis(result, read, state),
      failure: (err) => analysisFailure(err, 'read'),
    });
    if (outcome.status === 'done') derived.runDependents();
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
    derived.outdateDependents();
    const { readOptions } = resources.worker;
    const outcome = await resources.runAnalysis({
      label: 'Applying the cleaning rules…',
      readOptions,
      rules,
      rereads: false,
      send: (onProgress) => client.applyRules({ rules: toWasmRules(rules) }, { onProgress }),
      also: (result, state) => afterAnalysis(result, readOptions, state),
      failure: (err) => analysisFailure(err, 'rules'),
    });
    if (outcome.status === 'done') derived.runDependents();
  }

  /** Stops the running change: the worker is replaced, the screen keeps the last complete results. */
  function cancelJob() {
    resources.cancel();
    const state = store.get();
    /**
     * A slice no longer busy; a result of another analysis than the one on screen is dropped,
     * with this message, where one is given.
     * @param {import('../state.js').SliceName} name
     * @param {string} [lost]
     */
    const stopped = (name, lost) => ({
      [name]: { ...state[name], busy: false, ...(lost && !currentResult(state, name) ? { value: null, error: lost } : {}) },
    });
    store.set({
      job: null,
      rules: resources.worker.rules,
      readOptions: resources.worker.readOptions,
      ...stopped('analysis'),
      ...stopped('cohorts'),
      ...stopped('sweep'),
      ...stopped('embed'),
      // A cancelled map keeps the method of the map on screen.
      ...(state.embed.busy ? { mapMethod: state.embed.value?.method === 'tsne' ? 'tsne' : 'pca' } : {}),
      ...stopped('cluster', 'Cancelled before the segments were found. Change a setting to find them.'),
      ...stopped('scores', 'Cancelled before the scores were computed.'),
      ...stopped('segment', 'Cancelled before the segments were found. Move the slider to find them.'),
      notice: {
        kind: 'info',
        title: 'Change cancelled',
        message: 'The results on screen are those of the last complete run.',
        hint: 'Change a setting to run again; the file is read again first (in this browser).',
      },
    });
  }

  /** Saves the worker's CSV of some export. @param {string} label @param {() => Promise<{csv: string}>} make @param {string} fileName */
  async function exportCsv(label, make, fileName) {
    try {
      const { csv } = await resources.request(label, () => make());
      downloadText(csv, fileName, 'text/csv;charset=utf-8');
    } catch (err) {
      if (!isQuiet(err)) store.set({ notice: { ...noticeFromError(err), title: 'The export failed' } });
    }
  }

  return {
    ...derived,
    reread,
    changeRules,
    cancelJob,

    ...loader,
    ...createProjectActions({ store, client, resources, ensureSchema, derived, load: loader.load, loadFile: loader.loadFile }),

    /** @param {RfmSettings} rfmSettings */
    changeRfm(rfmSettings) {
      store.set({ rfmSettings });
      derived.runScores();
    },

    /**
     * A change of the clustering settings: clusters again; the map too when the preprocessing
     * changed and the Segments step shows it (else when it is opened).
     * @param {Partial<import('../model/cluster-settings.js').ClusterSettings>} patch
     */
    changeCluster(patch) {
      leaveSavedSegments();
      const before = store.get().clusterSettings;
      const clusterSettings = { ...before, ...patch };
      store.set({ clusterSettings });
      if (!clusterable(clusterSettings)) return;
      derived.runCluster();
      const { mapMethod, step } = store.get();
      if (mapKey(before, mapMethod) !== mapKey(clusterSettings, mapMethod) && step === 'segments') derived.runEmbed();
    },

    /**
     * k: the clustering shown and the K-Means of segments.csv again; nothing else. The worker
     * runs requests in order: the clustering first, so the screen updates before the download.
     * @param {number} k
     */
    changeK(k) {
      const state = store.get();
      const changed = k !== state.k;
      if (changed) {
        leaveSavedSegments();
        store.set({ k });
      }
      if (changed || state.cluster.error || !currentClustering(state)) derived.runCluster();
      if (changed || state.segment.error) derived.runSegment();
    },

    /** @param {import('../state.js').Step} step */
    openStep(step) {
      const state = store.get();
      if (!availableSteps(state)[step] || state.step === step) return;
      store.set({ step });
      if (step === 'cohorts' && !state.cohorts.value && !state.cohorts.busy) derived.runCohorts();
      if (step === 'segments') derived.runEmbed();
    },

    exportLedger: () => exportCsv('Preparing the ledger…', () => client.ledgerCsv(), 'cleaning-ledger.csv'),

    /**
     * The customer table as CSV (features, RFM scores and segments), built in the worker.
     * @param {string} fileName
     * @param {boolean} withSegments  also the shown clustering's segments, by their names
     */
    exportCustomerTable(fileName, withSegments) {
      const state = store.get();
      const rfm = state.scores.value;
      const segmentation = state.segment.value;
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
    },

    toggleTheme() {
      const theme = store.get().theme === 'dark' ? 'light' : 'dark';
      saveTheme(theme);
      store.set({ theme });
    },

    dismissNotice: () => store.set({ notice: null }),

    /**
     * The analysis worker died on its own (the client rejected its pending calls already): a new
     * one starts with the next request, which reads the file again first.
     * @param {Error} error
     */
    workerLost(error) {
      resources.replaced();
      const notice = noticeFromError(error);
      if (store.get().phase === 'ready') {
        notice.hint = 'LoyaltyLens has restarted it and the results stay on screen; the next change reads the ' + 'file again. Nothing was uploaded.';
      }
      store.set({ notice });
    },

    /** A helper worker of "Compare k" died; the others go on. @param {Error} error */
    helperLost(error) {
      store.set({
        notice: {
          kind: 'info',
          title: 'A helper worker stopped',
          message: error.message,
          hint: 'The comparison of k goes on in the other workers, with the same results. Nothing was uploaded.',
        },
      });
    },
  };
}

/** @typedef {ReturnType<typeof createActions>} Actions */
