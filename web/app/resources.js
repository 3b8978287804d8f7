// @ts-check
/**
 * The one runner of the worker's requests. Every request for a resource slice (web/app/store.js)
 * goes through the same steps:
 *
 *   1. its slice's sequence token is bumped (an older request of the slice is outdated) and the
 *      slice marked busy;
 *   2. the worker is made to hold the table the request needs: after a cancel or a crash it was
 *      replaced and holds nothing, so the file is read again with the settings of the analysis on
 *      screen, which gives that same analysis;
 *   3. the request runs with the panel's job line (label and progress);
 *   4. a result is dropped when it is stale: its token is no longer the slice's, or it was
 *      computed for another analysis than the one on screen;
 *   5. else it is stored (value, key, analysis id) or its error is (a message, except for the
 *      quiet ones: a cancel and a crash are reported by themselves), and the slice is not busy.
 *
 * The runner also knows what the worker holds, as one object (`worker` below): the file, the
 * settings of the analysis on screen, whether the worker holds nothing, the file or the table,
 * and the analysis id of that table.
 */
import { errorMessage, isQuiet } from '../errors.js';
import { toWasmRules } from '../model/cleaning-rules.js';
import { SLICES } from '../state.js';
import { analysisIdOf } from './analysis-id.js';

/**
 * @typedef {import('../state.js').AppState} AppState
 * @typedef {import('../state.js').SliceName} SliceName
 * @typedef {Exclude<SliceName, 'analysis'>} DerivedName
 * @typedef {import('../api/protocol.js').Progress} Progress
 * @typedef {import('../api/protocol.js').AnalysisResult} AnalysisResult
 * @typedef {import('../api/protocol.js').ReadOverrides} ReadOverrides
 * @typedef {import('../model/cleaning-rules.js').RulesForm} RulesForm
 * @typedef {(progress: Progress) => void} OnProgress
 *
 * What the analysis worker holds. `holds`: nothing (a new worker, or one replaced after a crash
 * or a cancel), the File only (its last read failed), or the table of analysis `analysisId`,
 * read with `readOptions` and cleaned with `rules` (the settings of the analysis on screen; the
 * forms may show others being tried).
 * @typedef {{
 *   file: Blob | null, name: string,
 *   readOptions: ReadOverrides, rules: RulesForm,
 *   holds: 'none' | 'file' | 'table',
 *   analysisId: number,
 * }} WorkerTable
 *
 * How a request ended: its result or error stored, or dropped as stale.
 * @typedef {{status: 'done'} | {status: 'failed', error: unknown} | {status: 'stale'}} Outcome
 */

/**
 * A request for a slice computed from the analysis.
 * @template R, V
 * @typedef {{
 *   key: string,
 *   label: string,
 *   send: (onProgress: OnProgress) => Promise<R>,
 *   value: (result: R) => V,
 *   also?: (result: R, state: AppState) => Partial<AppState>,
 *   clearOnError?: boolean,
 *   instead?: (err: unknown) => {patch: Partial<AppState>, next: () => void} | null,
 * }} Request
 *   key: the inputs (the slice's key once stored); label: the job line; send: the client call;
 *   value: what the slice keeps of the result; also: other fields set with it (from the state
 *   before); clearOnError: an error also drops the value on screen (else it stays);
 *   instead: a failure handled otherwise (no error stored): `patch` is set, then `next` runs
 */

/**
 * A request that makes a new analysis (the file read again, or other cleaning rules).
 * @typedef {{
 *   label: string,
 *   readOptions: ReadOverrides,
 *   rules: RulesForm,
 *   rereads: boolean,
 *   start?: Partial<AppState>,
 *   send: (onProgress: OnProgress, worker: Readonly<WorkerTable>) => Promise<AnalysisResult>,
 *   also: (result: AnalysisResult, state: AppState) => Partial<AppState>,
 *   failure: (err: unknown) => {error: import('../state.js').AnalysisError, also: Partial<AppState>},
 * }} AnalysisRequest
 *   readOptions, rules: the settings of the new analysis; rereads: the request reads the File
 *   (it needs no table; a failure leaves the worker the File only), else it runs on the table;
 *   start: fields set with the busy flag; also: fields set with the new analysis;
 *   failure: the slice's error, and other fields, on an error that is not quiet
 */

/**
 * @param {import('./store.js').Store} store
 * @param {import('../api/client.js').AnalysisClient} client
 */
export function createResources(store, client) {
  /** @type {WorkerTable} */
  // rules: the read's cleaning rules (set by each read; the defaults come with the schema).
  const worker = { file: null, name: '', readOptions: {}, rules: /** @type {any} */ (null), holds: 'none', analysisId: 0 };
  /** Bumped by every request of a slice (and by anything that outdates it); older results are dropped. */
  const tokens = /** @type {Record<SliceName, number>} */ (Object.fromEntries(SLICES.map((name) => [name, 0])));
  /** The key of the newest request of each slice (while it is busy: the one under way). */
  const askedKey = /** @type {Record<SliceName, string>} */ (Object.fromEntries(SLICES.map((name) => [name, ''])));
  /** Parameter changes running in the worker (the panel shows the newest with Cancel). */
  let activeJobs = 0;

  /**
   * Runs worker work for a parameter change with the panel's progress line.
   * @template T
   * @param {string} label
   * @param {(onProgress: OnProgress) => Promise<T>} work
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

  /**
   * Makes sure the worker holds the table of the analysis on screen (after a crash or a cancel it
   * starts empty: the file is read again with the same settings, which gives the same analysis,
   * so it keeps its id).
   */
  async function ensureTable() {
    if (worker.holds === 'table') return;
    const { file, name, readOptions, rules } = worker;
    if (!file) throw new Error('No file is loaded.');
    await withJob(`Reading ${name} again…`, (onProgress) => client.loadFile(file, { name, read: readOptions, rules: toWasmRules(rules), onProgress }));
    worker.holds = 'table';
  }

  /**
   * The worker holds the table of a new analysis (read from the file, or cleaned again): the
   * analysis slice to show, with its new id.
   * @param {AnalysisResult} result
   * @param {Partial<WorkerTable> & {readOptions: ReadOverrides, rules: RulesForm}} settings
   *        what it was made with (and the file, when it is a new one)
   * @returns {AppState['analysis']}
   */
  function held(result, settings) {
    const analysisId = analysisIdOf(/** @type {{analysisId?: unknown}} */ (result));
    Object.assign(worker, settings, { holds: 'table', analysisId });
    const key = JSON.stringify({ readOptions: settings.readOptions, rules: settings.rules });
    return { value: result, busy: false, error: null, key, analysisId };
  }

  /**
   * Whether a result of a request made for `analysisId` with `token` is outdated.
   * @param {SliceName} name @param {number} token @param {number} analysisId
   */
  const stale = (name, token, analysisId) => token !== tokens[name] || store.get().analysis.analysisId !== analysisId || worker.analysisId !== analysisId;

  return {
    /** What the worker holds (read only: the runner and `held`/`forget`/`replaced` change it). @type {Readonly<WorkerTable>} */
    worker,

    /**
     * A request of some slice computed from the analysis on screen (scores, segments, cohorts,
     * clustering, sweep, map).
     * @template {DerivedName} N
     * @template R
     * @param {N} name
     * @param {Request<R, NonNullable<AppState[N]['value']>>} request
     * @returns {Promise<Outcome>}
     */
    async run(name, request) {
      const token = ++tokens[name];
      const analysisId = store.get().analysis.analysisId;
      askedKey[name] = request.key;
      store.set(store.patchSlice(name, { busy: true, error: null }));
      try {
        await ensureTable();
        const result = await withJob(request.label, request.send);
        if (stale(name, token, analysisId)) return { status: 'stale' };
        store.set({
          ...request.also?.(result, store.get()),
          ...store.patchSlice(name, { value: request.value(result), busy: false, key: request.key, analysisId }),
        });
        return { status: 'done' };
      } catch (error) {
        if (stale(name, token, analysisId)) return { status: 'stale' };
        const handled = isQuiet(error) ? null : request.instead?.(error);
        if (handled) {
          store.set({ ...handled.patch, ...store.patchSlice(name, { busy: false }) });
          handled.next();
        } else {
          const shown = isQuiet(error) ? {} : { error: errorMessage(error), ...(request.clearOnError ? { value: null } : {}) };
          store.set(store.patchSlice(name, { busy: false, ...shown }));
        }
        return { status: 'failed', error };
      }
    },

    /**
     * A request that makes a new analysis: the file read again with other read options, or other
     * cleaning rules on the table. Its success gives the analysis a new id (web/app/analysis-id.js)
     * and the worker holds its table.
     * @param {AnalysisRequest} request
     * @returns {Promise<Outcome>}
     */
    async runAnalysis(request) {
      const token = ++tokens.analysis;
      store.set({ ...request.start, ...store.patchSlice('analysis', { busy: true }) });
      try {
        if (!request.rereads) await ensureTable();
        const result = await withJob(request.label, (onProgress) => request.send(onProgress, worker));
        if (token !== tokens.analysis) return { status: 'stale' };
        const also = request.also(result, store.get());
        store.set({ ...also, analysis: held(result, { readOptions: request.readOptions, rules: request.rules }) });
        return { status: 'done' };
      } catch (error) {
        if (token !== tokens.analysis) return { status: 'stale' };
        if (isQuiet(error)) {
          store.set(store.patchSlice('analysis', { busy: false }));
        } else {
          if (request.rereads && worker.holds !== 'none') worker.holds = 'file';
          const { error: shown, also } = request.failure(error);
          store.set({ ...also, ...store.patchSlice('analysis', { busy: false, error: shown }) });
        }
        return { status: 'failed', error };
      }
    },

    /**
     * A request on the table of the analysis on screen that no slice keeps (an export): the table
     * first, then the request with the job line. Errors are the caller's.
     * @template T
     * @param {string} label
     * @param {(onProgress: OnProgress) => Promise<T>} send
     * @returns {Promise<T>}
     */
    async request(label, send) {
      await ensureTable();
      return withJob(label, send);
    },

    /**
     * Whether a request of this slice with this key is under way.
     * @param {SliceName} name @param {string} key
     */
    asked: (name, key) => store.get()[name].busy && askedKey[name] === key,

    /**
     * Outdates the requests of these slices under way: their results will be dropped.
     * @param {readonly SliceName[]} names
     */
    outdate(names) {
      for (const name of names) tokens[name]++;
    },

    held,

    /** No file any more (a new one is being read, or it failed). */
    forget() {
      Object.assign(worker, { file: null, name: '', readOptions: {}, rules: null, holds: 'none', analysisId: 0 });
    },

    /**
     * Back to an earlier file and its settings (a read that was to replace it failed): the worker
     * holds nothing of it, and reads it again at the next request, which gives that analysis.
     * @param {WorkerTable} earlier  a copy of `worker` from before
     */
    restore(earlier) {
      Object.assign(worker, earlier, { holds: earlier.file ? 'none' : earlier.holds });
    },

    /** The worker was replaced (a crash): it holds nothing until the file is read again. */
    replaced() {
      worker.holds = 'none';
    },

    /** Stops all work: the worker is replaced, every request under way outdated. */
    cancel() {
      client.cancel();
      worker.holds = 'none';
      activeJobs = 0;
      for (const name of SLICES) tokens[name]++;
    },
  };
}

/** @typedef {ReturnType<typeof createResources>} Resources */
