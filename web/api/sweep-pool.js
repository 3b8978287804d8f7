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
 * A sweep worker that crashes (or runs out of memory, or cannot start) is reported through
 * `onWorkerLost` and its k goes back to the others; a failure of the analysis worker, or an error
 * a k gives (it would give it on any worker), fails the sweep. Sweeps run one after another:
 * the workers hold one set of points at a time.
 */
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

/** Linkages are built once and cut at every k: one call on the analysis worker, not split. */
const CENTRE_BASED = new Set(['kmeans', 'kmedoids', 'gmm']);

/** @param {SweepParams} params  whether the pool splits this sweep */
export function poolable(params) {
  return CENTRE_BASED.has(params.algorithm ?? 'kmeans') && params.kMax > params.kMin;
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
    const generation = this.#generation;
    const run = this.#tail.then(() => {
      // Queued behind a sweep that was cancelled (or whose analysis worker crashed): so is this one.
      if (generation !== this.#generation) throw this.#resetReason;
      return this.#run(params, callMain, onProgress, generation);
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
   * @param {SweepParams} params
   * @param {Call} callMain
   * @param {((progress: Progress) => void) | undefined} onProgress
   * @param {number} generation
   * @returns {Promise<SweepResult>}
   */
  async #run(params, callMain, onProgress, generation) {
    /** @type {Points} */
    const { points, n, d } = await callMain(RequestType.preparedPoints, params);
    /** ks not started yet; the last is taken first (the largest k, the longest to run). */
    const left = [];
    for (let k = params.kMin; k <= params.kMax; k++) left.push(k);
    const total = left.length;
    /** @type {Map<number, SweepResult>} */
    const parts = new Map();
    let failed = false;
    const progress = () => onProgress?.({ stage: 'sweep', done: parts.size, total, rows: n });
    progress();

    /** Runs ks on one worker until none is left. @param {Call} call */
    const drain = async (call) => {
      while (left.length > 0 && !failed) {
        const k = /** @type {number} */ (left.pop());
        try {
          parts.set(k, await call(RequestType.sweepPoints, { ...params, kMin: k, kMax: k }));
        } catch (err) {
          left.push(k);
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
      // ks a sweep worker gave back after the analysis worker had run out of them.
      await drain(callMain);
    } catch (err) {
      failed = true;
      throw err;
    }
    return /** @type {SweepResult} */ (joinSweeps([...parts.keys()].sort((a, b) => a - b).map((k) => /** @type {SweepResult} */ (parts.get(k)))));
  }
}
