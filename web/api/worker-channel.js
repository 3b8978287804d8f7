// @ts-check
/**
 * One worker behind promises: requests {id, type, payload} out, replies matched by id. The worker
 * starts on the first call and again on the first call after `reset` or a crash (its `error` or
 * `messageerror` event), which rejects every pending call with a WorkerCrashError.
 */
import { ReplyType, fromErrorPayload } from './protocol.js';

/**
 * @typedef {import('./protocol.js').Progress} Progress
 * @typedef {import('./protocol.js').Reply} Reply
 *
 * The part of the Worker interface used here (so tests can pass a fake).
 * @typedef {{
 *   postMessage(message: unknown, transfer?: Transferable[]): void,
 *   terminate(): void,
 *   addEventListener(type: string, listener: (event: any) => void): void,
 * }} WorkerLike
 *
 * @typedef {{onProgress?: (progress: Progress) => void, transfer?: Transferable[]}} ChannelCallOptions
 * @typedef {{resolve: (value: any) => void, reject: (reason: Error) => void,
 *            onProgress?: (progress: Progress) => void}} Pending
 */

export class WorkerChannel {
  /** @type {WorkerLike | null} */
  #worker = null;
  /** @type {Map<number, Pending>} */
  #pending = new Map();
  #nextId = 1;
  #createWorker;
  #label;
  #onCrash;

  /**
   * @param {() => WorkerLike} createWorker
   * @param {{label: string, onCrash?: (error: Error) => void}} options
   *        label: how errors name the worker ("analysis worker");
   *        onCrash: told when the worker died on its own, after pending calls were rejected
   */
  constructor(createWorker, { label, onCrash }) {
    this.#createWorker = createWorker;
    this.#label = label;
    this.#onCrash = onCrash;
  }

  /**
   * Posts a request; `transfer` lists buffers to move to the worker instead of copying them.
   * @param {string} type
   * @param {object} payload
   * @param {ChannelCallOptions} [options]
   * @returns {Promise<any>}
   */
  call(type, payload, { onProgress, transfer = [] } = {}) {
    const id = this.#nextId++;
    const promise = new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
    });
    this.#ensureWorker().postMessage({ id, type, payload }, transfer);
    return promise;
  }

  /** Starts the worker now if none runs (it loads and warms up before the first call needs it). */
  start() {
    this.#ensureWorker();
  }

  /** Terminates the worker and rejects every pending call with `reason`. @param {Error} reason */
  reset(reason) {
    this.#worker?.terminate();
    this.#worker = null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.reject(reason);
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
      this.#crash(`The ${this.#label} stopped unexpectedly${event.message ? `: ${event.message}` : '.'}`);
    });
    worker.addEventListener('messageerror', () => {
      if (worker === this.#worker) this.#crash(`A message from the ${this.#label} could not be read.`);
    });
    this.#worker = worker;
    return worker;
  }

  /** @param {string} message */
  #crash(message) {
    const error = new Error(message);
    error.name = 'WorkerCrashError';
    this.reset(error);
    this.#onCrash?.(error);
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
}
