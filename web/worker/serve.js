// @ts-check
/// <reference lib="webworker" />
/**
 * The shell of both workers (the analysis worker and the sweep workers): routes each request to a
 * handler and posts back progress, the result (typed arrays transferred) or an error {name, message}.
 *
 * Requests run one after another, in the order they arrive: a file being read (which awaits its
 * stream between chunks) is never interleaved with a request that needs the finished table.
 */
import { ReplyType, toErrorPayload, transferables } from '../api/protocol.js';

/**
 * @param {Promise<Record<string, (payload: any, progress: (p: any) => void) => Promise<object>>>} handlersReady
 */
export function serve(handlersReady) {
  const scope = /** @type {DedicatedWorkerGlobalScope} */ (/** @type {unknown} */ (self));

  /** The tail of the request queue. @type {Promise<void>} */
  let queue = Promise.resolve();

  /** @param {import('../api/protocol.js').Request} request */
  async function run({ id, type, payload }) {
    try {
      const handlers = await handlersReady;
      if (!Object.hasOwn(handlers, type)) throw new TypeError(`Unknown request type "${type}".`);
      const result = await handlers[type](payload, (progress) => scope.postMessage({ id, type: ReplyType.progress, payload: progress }));
      scope.postMessage({ id, type: ReplyType.result, payload: result }, transferables(result));
    } catch (err) {
      scope.postMessage({ id, type: ReplyType.error, payload: toErrorPayload(err) });
    }
  }

  scope.addEventListener('message', (event) => {
    const request = /** @type {import('../api/protocol.js').Request} */ (event.data);
    queue = queue.then(() => run(request));
  });
}
