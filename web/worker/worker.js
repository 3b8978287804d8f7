// @ts-check
/// <reference lib="webworker" />
/**
 * The analysis worker: a thin shell that routes each request to a handler and posts back
 * progress, the result (typed arrays transferred) or an error {name, message}.
 *
 * Requests run one after another, in the order they arrive: a file being read (which awaits its
 * stream between chunks) is never interleaved with a request that needs the finished table.
 */
import { ReplyType, toErrorPayload, transferables } from '../api/protocol.js';
import { createHandlers } from './handlers.js';
import { loadWasm } from './wasm.js';

const scope = /** @type {DedicatedWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const handlersReady = loadWasm().then((module) => createHandlers(module));

/** The tail of the request queue. @type {Promise<void>} */
let queue = Promise.resolve();

/** @param {import('../api/protocol.js').Request} request */
async function run({ id, type, payload }) {
  try {
    const handlers = await handlersReady;
    if (!Object.hasOwn(handlers, type)) throw new TypeError(`Unknown request type "${type}".`);
    const handler = /** @type {(p: any, progress: (p: any) => void) => Promise<object>} */ (
      handlers[/** @type {keyof typeof handlers} */ (type)]
    );
    const result = await handler(payload, (progress) =>
      scope.postMessage({ id, type: ReplyType.progress, payload: progress }),
    );
    scope.postMessage({ id, type: ReplyType.result, payload: result }, transferables(result));
  } catch (err) {
    scope.postMessage({ id, type: ReplyType.error, payload: toErrorPayload(err) });
  }
}

scope.addEventListener('message', (event) => {
  const request = /** @type {import('../api/protocol.js').Request} */ (event.data);
  queue = queue.then(() => run(request));
});
