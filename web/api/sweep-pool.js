// @ts-check
/**
 * The k sweep over several workers: the analysis worker and up to MAX_SWEEP_WORKERS sweep
 * workers (web/worker/pool-worker.js, each its own wasm instance, started on the first pooled
 * sweep). The analysis worker prepares the points once (`preparedPoints`, transferred here); every
 * worker gets its own copy (`holdPoints`, transferred, never serialised) and takes the next k
 * left, largest first, until none is (`sweepPoints`). Each k is the same call on the same matrix
 * as in the single-worker sweep, so the curves are bit for bit the same
 * (tests/js/wasm-sweep-points.test.js, and "Compare k" with ?workers=1 in tests/e2e/run.mjs).
 *
 * The K-Means restarts of one clustering are split the same way (`restarts`), one restart at a
 * time (`restartsPoints`); the analysis worker then runs the winning restart alone, which gives
 * the single-worker clustering bit for bit (tests/js/wasm-sweep-points.test.js). Worth it for big
 * customer tables only (RESTARTS_POOL_MIN_CUSTOMERS): below, handing out the points costs more
 * than the restarts.
 *
 * A sweep worker that crashes (or runs out of memory, or cannot start) is reported through
 * `onWorkerLost` and its k (or restart) goes back to the others; a failure of the analysis
 * worker, or an error a k gives (it would give it on any worker), fails the sweep. Sweeps run one
 * after another: the workers hold one set of points at a time.
 */
import { getSchema } from '../model/schema.js';
import { RequestType } from './protocol.js';
import { WorkerChannel } from './worker-channel.js';
import { joinSweeps } from '../model/k-sweep.js';

/** At most this many sweep workers besides the analysis worker (memory: a wasm instance each). */
export const MAX_SWEEP_WORKERS = 4;

/**
 * @typedef {import('./protocol.js').Progress} Progress
 * @typedef {import('./protocol.js').Points} Points
 * @typedef {import('./protocol.js').SweepParams} SweepParams
 * @typedef {import('./protocol.js').SweepResult} SweepResult
 * @typedef {import('./protocol.js').ClusterParams} ClusterParams
 * @typedef {import('./protocol.js').RestartsResult} RestartsResult
 * @typedef {import('./worker-channel.js').WorkerLike} WorkerLike
 * @typedef {(type: string, payload: object, options?: import('./worker-channel.js').ChannelCallOptions) => Promise<any>} Call
 */

/**
 * How many sweep workers to start: one fewer than the logical processors (the analysis worker
 * is one), at most MAX_SWEEP_WORKERS. `?workers=N` in the page's URL asks for N workers in all,
 * the analysis worker included (`?workers=1`: no pool, the single-worker sweep).
 * @param {number | undefined} hardwareConcurrency  navigator.hardwareConcurrency
 * @param {string} [search]  location.search
 * @returns {number}
 */
export function sweepWorkerCount(hardwareConcurrency, search = '') {
  const asked = new URLSearchParams(search).get('workers');
  const total = asked !== null && /^\d+$/.test(asked) ? Number(asked) : (hardwareConcurrency ?? 1);
  return Math.max(0, Math.min(MAX_SWEEP_WORKERS, total - 1));
}

/** K-Means restarts when ClusterParams.nInit is 0 or not given (the core's default, from its schema). */
export const kmeansRestarts = () => getSchema().restarts.kmeans;

/** Customers from which a clustering's K-Means restarts are split over the pool (a restart on
 * 30,000 customers takes some 4 ms in wasm; the points' copies and the replies cost a few). */
export const RESTARTS_POOL_MIN_CUSTOMERS = 30000;

/** Linkages are built once and cut at every k: one call on the analysis worker, not split. */
const CENTRE_BASED = new Set(['kmeans', 'kmedoids', 'gmm']);

/** @param {SweepParams} params  whether the pool splits this sweep */
export function poolable(params) {
  return CENTRE_BASED.has(params.algorithm ?? 'kmeans') && params.kMax > params.kMin;
}

/**
 * Whether the pool splits the restarts of this clustering.
 * @param {ClusterParams} params
 * @param {number} customers  of the current analysis
 */
export function restartsPoolable(params, customers) {
  return (
    (params.algorithm ?? 'kmeans') === 'kmeans' &&
    (params.nInit || kmeansRestarts()) > 1 &&
    params.restartBegin === undefined &&
    params.restartEnd === undefined &&
    customers >= RESTARTS_POOL_MIN_CUSTOMERS
  );
}

/** @param {unknown} err  a sweep worker is gone, not the sweep wrong */
const isLoss = (err) => err instanceof Error && (err.name === 'WorkerCrashError' || err.name === 'OutOfMemory');

export class SweepPool {
  /** @type {WorkerChannel[]} */
  #channels;
  #onWorkerLost;
  /** The last sweep queued (they run one after another). @type {Promise<unknown>} */
  #tail = Promise.resolve();
  /** Bumped by every reset: sweeps of an older generation stop. */
  #generation = 0;
  /** Why the last reset happened (what the sweeps queued before it reject with). @type {Error | null} */
  #resetReason = null;

  /**
   * @param {() => WorkerLike} createWorker  starts a sweep worker
   * @param {{size: number, onWorkerLost?: (error: Error) => void}} options
   *        size: sweep workers (sweepWorkerCount); onWorkerLost: told when one stopped during a sweep
   */
  constructor(createWorker, { size, onWorkerLost }) {
    this.#channels = Array.from({ length: size }, () => new WorkerChannel(createWorker, { label: 'sweep worker' }));
    this.#onWorkerLost = onWorkerLost;
  }

  get size() {
    return this.#channels.length;
  }

  /**
   * Runs a sweep split by k (after any sweep still running).
   * @param {SweepParams} params
   * @param {Call} callMain  requests to the analysis worker
   * @param {(progress: Progress) => void} [onProgress]  {stage: 'sweep', done, total} as ks finish
   * @returns {Promise<SweepResult>}
   */
  sweep(params, callMain, onProgress) {
    return this.#queue(async (generation) => {
      const ks = [];
      for (let k = params.kMin; k <= params.kMax; k++) ks.push(k);
      /** @type {Map<number, SweepResult>} */
      const parts = await this.#spread(
        params,
        callMain,
        ks, // the last is taken first: the largest k, the longest to run
        (k) => [RequestType.sweepPoints, { ...params, kMin: k, kMax: k }],
        (done, total, rows) => onProgress?.({ stage: 'sweep', done, total, rows }),
        generation,
      );
      const joined = /** @type {SweepResult} */ (joinSweeps(ks.map((k) => /** @type {SweepResult} */ (parts.get(k)))));
      // The suggestion reads the whole curve: the analysis worker's core decides it.
      const suggestion = /** @type {import('./protocol.js').KSuggestion} */ (await callMain(RequestType.suggestK, { sweep: joined, params }));
      return { ...joined, suggestion };
    });
  }

  /**
   * Runs the K-Means restarts of a clustering split over the workers (after any sweep still
   * running) and answers which one won: least inertia, ties to the lower restart, as the
   * single-worker run picks it (cpp/core/kmeans.cpp). The caller then has the analysis worker run
   * that restart alone (`cluster` with restartBegin/restartEnd).
   * @param {ClusterParams} params
   * @param {Call} callMain  requests to the analysis worker
   * @param {(progress: Progress) => void} [onProgress]  {stage: 'cluster', done, total} as restarts finish
   * @returns {Promise<number>}
   */
  restarts(params, callMain, onProgress) {
    return this.#queue(async (generation) => {
      const n = params.nInit || kmeansRestarts();
      const order = Array.from({ length: n }, (_, r) => n - 1 - r); // taken from the end: restart 0 first
      /** @type {Map<number, RestartsResult>} */
      const parts = await this.#spread(
        params,
        callMain,
        order,
        (r) => [RequestType.restartsPoints, { ...params, restartBegin: r, restartEnd: r + 1 }],
        (done, total, rows) => onProgress?.({ stage: 'cluster', done, total: total + 1, rows }), // + the winner's run
        generation,
      );
      let best = 0;
      for (let r = 1; r < n; r++) {
        if (/** @type {RestartsResult} */ (parts.get(r)).inertia < /** @type {RestartsResult} */ (parts.get(best)).inertia) best = r;
      }
      return best;
    });
  }

  /**
   * Runs `task` after the sweeps queued before it; it fails as they did if the pool was reset meanwhile.
   * @template T
   * @param {(generation: number) => Promise<T>} task
   * @returns {Promise<T>}
   */
  #queue(task) {
    const generation = this.#generation;
    const run = this.#tail.then(() => {
      // Queued behind a sweep that was cancelled (or whose analysis worker crashed): so is this one.
      if (generation !== this.#generation) throw this.#resetReason;
      return task(generation);
    });
    this.#tail = run.catch(() => {});
    return run;
  }

  /** Terminates the sweep workers (the next sweep starts new ones); pending calls reject with `reason`. @param {Error} reason */
  reset(reason) {
    // Before the rejections: the running sweep's workers then read as reset, not as lost.
    this.#generation++;
    this.#resetReason = reason;
    for (const channel of this.#channels) channel.reset(reason);
  }

  /**
   * Hands `items` out one at a time to whichever worker is free (the analysis worker and every
   * sweep worker, each on its own copy of the points `params` prepare) and gathers the answers.
   * @param {ClusterParams} params
   * @param {Call} callMain
   * @param {number[]} items  taken from the end
   * @param {(item: number) => [string, object]} request  the request that runs one item
   * @param {(done: number, total: number, rows: number) => void} onProgress
   * @param {number} generation
   * @returns {Promise<Map<number, any>>}
   */
  async #spread(params, callMain, items, request, onProgress, generation) {
    /** @type {Points} */
    const { points, n, d } = await callMain(RequestType.preparedPoints, params);
    /** items not started yet */
    const left = items.slice();
    const total = left.length;
    /** @type {Map<number, any>} */
    const parts = new Map();
    let failed = false;
    const progress = () => onProgress(parts.size, total, n);
    progress();

    /** Runs items on one worker until none is left. @param {Call} call */
    const drain = async (call) => {
      while (left.length > 0 && !failed) {
        const item = /** @type {number} */ (left.pop());
        try {
          parts.set(item, await call(...request(item)));
        } catch (err) {
          left.push(item);
          throw err;
        }
        progress();
      }
    };
    /** @param {Call} call @param {Float64Array} copy */
    const hold = (call, copy) => call(RequestType.holdPoints, { points: copy, n, d }, { transfer: [copy.buffer] });

    // Copies for the sweep workers first: the analysis worker's transfer empties `points`.
    const pooled = this.#channels.map(async (channel) => {
      const call = /** @type {Call} */ ((type, payload, options) => channel.call(type, payload, options));
      /** Reports a sweep worker that is gone (not a cancel or a reset of the pool). @param {unknown} err */
      const lost = (err) => {
        if (failed || this.#generation !== generation || !(err instanceof Error)) return false;
        this.#onWorkerLost?.(err);
        return true;
      };
      try {
        await hold(call, points.slice());
      } catch (err) {
        if (lost(err)) return; // it could not start (no wasm, no memory): the others do its share
        throw err;
      }
      try {
        await drain(call);
      } catch (err) {
        if (isLoss(err) && lost(err)) return;
        throw err;
      }
    });
    const main = (async () => {
      await hold(callMain, points);
      await drain(callMain);
    })();
    try {
      await Promise.all([main, ...pooled]);
      // Items a sweep worker gave back after the analysis worker had run out of them.
      await drain(callMain);
    } catch (err) {
      failed = true;
      throw err;
    }
    return parts;
  }
}
