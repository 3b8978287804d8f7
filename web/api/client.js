// @ts-check
/**
 * Promise client for the analysis worker: one method per request type, replies matched by id
 * (web/api/worker-channel.js). With a SweepPool, a k sweep of a centre-based method, and the
 * K-Means restarts of a clustering of many customers, are split over it and the analysis worker
 * (web/api/sweep-pool.js); the result is the same.
 *
 * Cancel terminates the worker and the sweep workers (a message could not interrupt a
 * synchronous wasm call) and rejects every pending call with an AbortError; a crash (the worker's
 * `error` event) rejects them with a WorkerCrashError. Either way the next request starts a fresh
 * worker.
 */
import { RequestType } from './protocol.js';
import { poolable, restartsPoolable } from './sweep-pool.js';
import { WorkerChannel } from './worker-channel.js';

/**
 * @typedef {import('./protocol.js').Progress} Progress
 * @typedef {import('./protocol.js').LoadFileResult} LoadFileResult
 * @typedef {import('./protocol.js').AnalysisResult} AnalysisResult
 * @typedef {import('./protocol.js').ReadOverrides} ReadOverrides
 * @typedef {import('./protocol.js').CleaningRules} CleaningRules
 * @typedef {import('./protocol.js').FeatureParams} FeatureParams
 * @typedef {import('./protocol.js').RfmParams} RfmParams
 * @typedef {import('./protocol.js').RfmResult} RfmResult
 * @typedef {import('./protocol.js').SegmentParams} SegmentParams
 * @typedef {import('./protocol.js').SegmentResult} SegmentResult
 * @typedef {import('./protocol.js').CohortsResult} CohortsResult
 * @typedef {import('./protocol.js').CustomerCsvPayload} CustomerCsvPayload
 * @typedef {import('./protocol.js').CsvResult} CsvResult
 *
 * @typedef {import('./worker-channel.js').WorkerLike} WorkerLike
 *
 * @typedef {{signal?: AbortSignal, onProgress?: (progress: Progress) => void}} CallOptions
 */

/** @returns {Error} */
function abortError() {
  return new DOMException('The operation was cancelled.', 'AbortError');
}

export class AnalysisClient {
  /** The analysis worker. */
  #main;
  /** @type {import('./sweep-pool.js').SweepPool | null} */
  #pool;
  /** Customers of the last analysis the worker answered with (whether to split restarts). */
  #customers = 0;
  /** Requests to the analysis worker, as the pool makes them. @type {import('./sweep-pool.js').Call} */
  #callMain = (type, payload, options) => this.#main.call(type, payload, options);

  /**
   * @param {() => WorkerLike} createWorker  starts a worker (called lazily, again after cancel or crash)
   * @param {{onCrash?: (error: Error) => void, pool?: import('./sweep-pool.js').SweepPool | null}} [options]
   *        onCrash: told when the worker died on its own, after pending calls were rejected;
   *        pool: sweep workers for the k sweep (none: the analysis worker runs every k)
   */
  constructor(createWorker, { onCrash, pool = null } = {}) {
    this.#pool = pool;
    this.#main = new WorkerChannel(createWorker, {
      label: 'analysis worker',
      onCrash: (error) => {
        // The sweep workers hold points of the data that died with it.
        this.#pool?.reset(error);
        onCrash?.(error);
      },
    });
  }

  /**
   * Reads a file in the worker (the worker keeps it for `readFile`): summary, cleaning ledger
   * and per-customer features.
   * @param {Blob} file
   * @param {CallOptions & {name?: string, read?: ReadOverrides, rules?: CleaningRules,
   *         featureParams?: FeatureParams}} [options]  read: overrides of what is detected
   * @returns {Promise<LoadFileResult>}
   */
  loadFile(file, { name, read, rules, featureParams, ...options } = {}) {
    /** @type {import('./protocol.js').LoadFilePayload} */
    const payload = { file, name };
    if (read) payload.options = read;
    if (rules) payload.rules = rules;
    if (featureParams) payload.featureParams = featureParams;
    return this.#analysis(this.#call(RequestType.loadFile, payload, options));
  }

  /**
   * Reads the file the worker holds again, with other read options (roles, date order …).
   * @param {import('./protocol.js').ReadFilePayload} payload
   * @param {CallOptions} [options]
   * @returns {Promise<AnalysisResult>}
   */
  readFile(payload, options = {}) {
    return this.#analysis(this.#call(RequestType.readFile, payload, options));
  }

  /**
   * Re-runs cleaning and features on the table the worker holds (no reading).
   * @param {import('./protocol.js').ApplyRulesPayload} payload
   * @param {CallOptions} [options]
   * @returns {Promise<AnalysisResult>}
   */
  applyRules(payload, options = {}) {
    return this.#analysis(this.#call(RequestType.applyRules, payload, options));
  }

  /**
   * RFM scores and named segments of the current customers.
   * @param {RfmParams} params
   * @param {CallOptions} [options]
   * @returns {Promise<RfmResult>}
   */
  rfmScores(params, options = {}) {
    return this.#call(RequestType.rfmScores, params, options);
  }

  /**
   * Monthly acquisition cohorts of the current cleaned rows.
   * @param {CallOptions} [options]
   * @returns {Promise<CohortsResult>}
   */
  cohorts(options = {}) {
    return this.#call(RequestType.cohorts, {}, options);
  }

  /**
   * The cleaning ledger as CSV (the bytes `loyaltylens clean --ledger-csv` writes).
   * @param {CallOptions} [options]
   * @returns {Promise<CsvResult>}
   */
  ledgerCsv(options = {}) {
    return this.#call(RequestType.ledgerCsv, {}, options);
  }

  /**
   * The customer table as CSV: every feature joined with the scores and segments given.
   * @param {CustomerCsvPayload} payload
   * @param {CallOptions} [options]
   * @returns {Promise<CsvResult>}
   */
  customerCsv(payload, options = {}) {
    return this.#call(RequestType.customerCsv, payload, options);
  }

  /**
   * Segments the customers of the last loaded file.
   * @param {SegmentParams} params
   * @param {CallOptions} [options]
   * @returns {Promise<SegmentResult>}
   */
  segment(params, options = {}) {
    return this.#call(RequestType.segment, params, options);
  }

  /**
   * Clusters the current customers (any algorithm, features and preprocessing).
   * @param {import('./protocol.js').ClusterParams} params
   * @param {CallOptions} [options]
   * @returns {Promise<import('./protocol.js').ClusterResult>}
   */
  cluster(params, options = {}) {
    const pool = this.#pool;
    if (!pool?.size || !restartsPoolable(params, this.#customers)) return this.#call(RequestType.cluster, params, options);
    return this.#track(options.signal, async () => {
      const restart = await pool.restarts(params, this.#callMain, options.onProgress);
      return this.#main.call(RequestType.cluster, { ...params, restartBegin: restart, restartEnd: restart + 1 });
    });
  }

  /**
   * Quality curves for k = kMin…kMax (progress after each k), split over the sweep workers when
   * there are any and the method is centre-based.
   * @param {import('./protocol.js').SweepParams} params
   * @param {CallOptions} [options]
   * @returns {Promise<import('./protocol.js').SweepResult>}
   */
  kSweep(params, options = {}) {
    const pool = this.#pool;
    if (!pool?.size || !poolable(params)) return this.#call(RequestType.kSweep, params, options);
    return this.#track(options.signal, () => pool.sweep(params, this.#callMain, options.onProgress));
  }

  /**
   * 2-D map of the customers (PCA, or t-SNE when the module has it; an `Unsupported` error if not).
   * @param {import('./protocol.js').EmbedParams} params
   * @param {CallOptions} [options]
   * @returns {Promise<import('./protocol.js').EmbedResult>}
   */
  embed(params, options = {}) {
    return this.#call(RequestType.embed, params, options);
  }

  /**
   * The core's schema of every parameter (asked once; the page's defaults and choices come from it).
   * @param {CallOptions} [options]
   * @returns {Promise<import('../model/schema.js').Schema>}
   */
  schema(options = {}) {
    return this.#call(RequestType.schema, {}, options);
  }

  /**
   * The project file of the current analysis: every setting and the fitted model, no customer data
   * (web/model/project.js savePayload makes the payload).
   * @param {import('./protocol.js').SaveProjectPayload} payload
   * @param {CallOptions} [options]
   * @returns {Promise<{text: string, analysisId: number}>}
   */
  saveProject(payload, options = {}) {
    return this.#call(RequestType.saveProject, payload, options);
  }

  /**
   * Reads a project file's text: its settings and the model's summary (or an error naming the field).
   * @param {{text: string, fileName: string}} payload
   * @param {CallOptions} [options]
   * @returns {Promise<{settings: import('../model/project.js').ProjectSettings, model: import('../model/project.js').ProjectModel}>}
   */
  openProject(payload, options = {}) {
    return this.#call(RequestType.openProject, payload, options);
  }

  /**
   * The current customers scored with a saved project, without refitting: the saved segments as a
   * clustering's result, the drift report, and the segments table.
   * @param {{text: string, fileName?: string}} payload
   * @param {CallOptions} [options]
   * @returns {Promise<import('./protocol.js').ApplyResult>}
   */
  applyProject(payload, options = {}) {
    return this.#call(RequestType.applyProject, payload, options);
  }

  /**
   * Starts the analysis worker ahead of the first request: it fetches, compiles and warms up the
   * wasm (web/worker/warmup.js) while the page waits for a file, instead of after the drop.
   */
  prepare() {
    this.#main.start();
  }

  /** Stops all work: terminates the workers and rejects pending calls with an AbortError. */
  cancel() {
    const error = abortError();
    this.#pool?.reset(error);
    this.#main.reset(error);
  }

  /**
   * @param {string} type
   * @param {object} payload
   * @param {CallOptions} options
   * @returns {Promise<any>}
   */
  #call(type, payload, { signal, onProgress }) {
    return this.#track(signal, () => this.#main.call(type, payload, { onProgress }));
  }

  /**
   * Notes the customer count of an analysis on its way to the caller.
   * @template {{summary: {customers: number}}} T
   * @param {Promise<T>} reply
   * @returns {Promise<T>}
   */
  #analysis(reply) {
    return reply.then((result) => {
      this.#customers = result?.summary?.customers ?? 0;
      return result;
    });
  }

  /**
   * Starts work unless `signal` is aborted; an abort while it runs cancels everything.
   * @template T
   * @param {AbortSignal | undefined} signal
   * @param {() => Promise<T>} start
   * @returns {Promise<T>}
   */
  #track(signal, start) {
    if (signal?.aborted) return Promise.reject(abortError());
    const promise = start();
    if (signal) {
      let settled = false;
      const onAbort = () => {
        if (!settled) this.cancel();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => {
        settled = true;
        signal.removeEventListener('abort', onAbort);
      };
      promise.then(cleanup, cleanup);
    }
    return promise;
  }
}
