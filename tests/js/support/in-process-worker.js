// @ts-check
// A Worker stand-in that runs worker handlers in this thread, with the shell's message semantics
// (web/worker/serve.js): requests one after another, messages structured-cloned with their
// transfer lists (a transferred buffer is detached on the sending side, as in a browser), replies
// {id, type: 'progress' | 'result' | 'error', payload}. Lets Node tests drive the page's client and
// pool against the real wasm.
import { ReplyType, toErrorPayload, transferables } from '../../../web/api/protocol.js';

export class InProcessWorker extends EventTarget {
  /** Messages posted to it, as received (after cloning). @type {any[]} */
  received = [];
  terminated = false;
  #queue = Promise.resolve();
  #handlers;

  /** @param {Promise<Record<string, (payload: any, progress: (p: any) => void) => Promise<object>>>} handlers */
  constructor(handlers) {
    super();
    this.#handlers = handlers;
  }

  /** @param {any} message @param {Transferable[]} [transfer] */
  postMessage(message, transfer = []) {
    const request = structuredClone(message, { transfer });
    this.received.push(request);
    this.#queue = this.#queue.then(() => this.#run(request));
  }

  terminate() {
    this.terminated = true;
  }

  /** @param {{id: number, type: string, payload: any}} request */
  async #run({ id, type, payload }) {
    if (this.terminated) return;
    /** @param {object} reply @param {Transferable[]} [transfer] */
    const send = (reply, transfer = []) => {
      if (!this.terminated) this.dispatchEvent(new MessageEvent('message', { data: structuredClone(reply, { transfer }) }));
    };
    try {
      const handlers = await this.#handlers;
      if (!Object.hasOwn(handlers, type)) throw new TypeError(`Unknown request type "${type}".`);
      const result = await handlers[type](payload, (progress) => send({ id, type: ReplyType.progress, payload: progress }));
      send({ id, type: ReplyType.result, payload: result }, transferables(result));
    } catch (err) {
      send({ id, type: ReplyType.error, payload: toErrorPayload(err) });
    }
  }
}
