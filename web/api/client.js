// @ts-check
/**
 * Promise client for the analysis worker: one method per request type, replies matched by id.
 *
 * Cancel terminates the worker (a message could not interrupt a synchronous wasm call) and
 * rejects every pending call with an AbortError; a crash (the worker's `error` event) rejects
 * them with a WorkerCrashError. Either way the next request starts a fresh worker.
 */
import { ReplyType, RequestType, fromErrorPayload } from './protocol.js';

/**
 * @typedef {import('./protocol.js').Progress} Progress
 * @typedef {import('./protocol.js').Reply} Reply
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
 * The part of the Worker interface the client uses (so tests can pass a fake).
 * @typedef {{
 *   postMessage(message: unknown): void,
 *   terminate(): void,
 *   addEventListener(type: string, listener: (event: any) => void): void,
 * }} WorkerLike
 *
 * @typedef {{signal?: AbortSignal, onProgress?: (progress: Progress) => void}} CallOptions
 * @typedef {{resolve: (value: any) => void, reject: (reason: Error) => void,
 *            onProgress?: (progress: Progress) => void}} Pending
 */

/** @returns {Error} */
function abortError() {
  return new DOMException('The operation was cancelled.', 'AbortError');
}

export class AnalysisClient {
  /** @type {WorkerLike | null} */
  #worker = null;
  /** @type {Map<number, Pending>} */
  #pending = new Map();
  #nextId = 1;
  #createWorker;
  #onCrash;

  /**
   * @param {() => WorkerLike} createWorker  starts a worker (called lazily, again after cancel or crash)
   * @param {{onCrash?: (error: Error) => void}} [options]
   *        onCrash: told when the worker died on its own, after pending calls were rejected
   */
  constructor(createWorker, { onCrash } = {}) {
    this.#createWorker = createWorker;
    this.#onCrash = onCrash;
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
    return this.#call(RequestType.loadFile, payload, options);
  }

  /**
   * Reads the file the worker holds again, with other read options (roles, date order …).
   * @param {import('./protocol.js').ReadFilePayload} payload
   * @param {CallOptions} [options]
   * @returns {Promise<AnalysisResult>}
   */
  readFile(payload, options = {}) {
    return this.#call(RequestType.readFile, payload, options);
  }

  /**
   * Re-runs cleaning and features on the table the worker holds (no reading).
   * @param {import('./protocol.js').ApplyRulesPayload} payload
   * @param {CallOptions} [options]
   * @returns {Promise<AnalysisResult>}
   */
  applyRules(payload, options = {}) {
    return this.#call(RequestType.applyRules, payload, options);
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
    return this.#call(RequestType.cluster, params, options);
  }

  /**
   * Quality curves for k = kMin…kMax (progress after each k).
   * @param {import('./protocol.js').SweepParams} params
   * @param {CallOptions} [options]
   * @returns {Promise<import('./protocol.js').SweepResult>}
   */
  kSweep(params, options = {}) {
    return this.#call(RequestType.kSweep, params, options);
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

  /** Stops all work: terminates the worker and rejects pending calls with an AbortError. */
  cancel() {
    this.#reset(abortError());
  }

  /**
   * @param {string} type
   * @param {object} payload
   * @param {CallOptions} options
   * @returns {Promise<any>}
   */
  #call(type, payload, { signal, onProgress }) {
    if (signal?.aborted) return Promise.reject(abortError());
    const id = this.#nextId++;
    const promise = new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
    });
    if (signal) {
      const onAbort = () => {
        if (this.#pending.has(id)) this.cancel();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => signal.removeEventListener('abort', onAbort);
      promise.then(cleanup, cleanup);
    }
    this.#ensureWorker().postMessage({ id, type, payload });
    return promise;
  }

  /** @returns {WorkerLike} */
  #ensureWorker() {
    if (this.#worker) return this.#worker;
    const worker = this.#createWorker();
    worker.addEventListener('message', (event) => {
      if (worker === this.#worker) this.#onReply(event.data);
    });
    worker.addEventListener('error', (event) => {
      if (worker !== this.#worker) return;
      event.preventDefault?.();
      const error = new Error(
        `The analysis worker stopped unexpectedly${event.message ? `: ${event.message}` : '.'}`,
      );
      error.name = 'WorkerCrashError';
      this.#reset(error);
      this.#onCrash?.(error);
    });
    worker.addEventListener('messageerror', () => {
      if (worker !== this.#worker) return;
      const error = new Error('A message from the analysis worker could not be read.');
      error.name = 'WorkerCrashError';
      this.#reset(error);
      this.#onCrash?.(error);
    });
    this.#worker = worker;
    return worker;
  }

  /** @param {Reply} reply */
  #onReply(reply) {
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    switch (reply.type) {
      case ReplyType.progress:
        pending.onProgress?.(reply.payload);
        break;
      case ReplyType.result:
        this.#pending.delete(reply.id);
        pending.resolve(reply.payload);
        break;
      case ReplyType.error:
        this.#pending.delete(reply.id);
        pending.reject(fromErrorPayload(reply.payload));
        break;
    }
  }

  /** Terminates the worker and rejects every pending call with `reason`. @param {Error} reason */
  #reset(reason) {
    this.#worker?.terminate();
    this.#worker = null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(reason);
  }
}
