// @ts-check
/**
 * The worker message protocol (docs/protocol.md §2), shared by the page and the worker.
 *
 *   request  {id, type, payload}
 *   reply    {id, type: 'progress', payload: {stage, done, total, rows}}
 *            {id, type: 'result',   payload}
 *            {id, type: 'error',    payload: {name, message}}
 */

/** Request types the worker understands. */
export const RequestType = Object.freeze({
  loadFile: 'loadFile',
  segment: 'segment',
});

/** Reply types the worker sends. */
export const ReplyType = Object.freeze({
  progress: 'progress',
  result: 'result',
  error: 'error',
});

/** Segmentation defaults; the native CLI uses the same, so the exported CSV matches it byte for byte. */
export const SEGMENT_DEFAULTS = Object.freeze({ k: 4, seed: 1, nInit: 10 });

/** Range of k the page offers. */
export const K_RANGE = Object.freeze({ min: 2, max: 10 });

/** Progress replies are throttled to about this interval (ms). */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * @typedef {'loadFile' | 'segment'} RequestTypeName
 * @typedef {{id: number, type: RequestTypeName, payload: object}} Request
 * @typedef {{id: number, type: 'progress' | 'result' | 'error', payload: any}} Reply
 * @typedef {'read' | 'features' | 'segment'} Stage
 * @typedef {{stage: Stage, done: number, total: number, rows: number}} Progress
 * @typedef {{name: string, message: string}} ErrorPayload
 *
 * @typedef {{
 *   fileName: string, bytes: number, encoding: string, delimiter: string, layout: string,
 *   dateFormat: string, columns: string[], rowsRead: number, rowsKept: number,
 *   rowsNoCustomer: number, rowsCancelled: number, rowsInvalid: number, warnings: string[],
 *   customers: number, firstDate: string, lastDate: string, asOf: string
 * }} Summary
 *
 * @typedef {{ids: string[], recency: Float64Array, frequency: Float64Array, monetary: Float64Array}} Customers
 * @typedef {{file: Blob, name?: string}} LoadFilePayload
 * @typedef {{summary: Summary, customers: Customers}} LoadFileResult
 *
 * @typedef {{k: number, seed: number, nInit: number}} SegmentParams
 * @typedef {{
 *   segment: number, customers: number, meanRecency: number, meanFrequency: number,
 *   meanMonetary: number, revenue: number
 * }} SegmentStats
 * @typedef {{
 *   labels: Int32Array, centers: Float64Array, inertia: number, iterations: number,
 *   segments: SegmentStats[], csv: string
 * }} SegmentResult
 */

/**
 * Serialises any thrown value into an error reply payload.
 * @param {unknown} err
 * @returns {ErrorPayload}
 */
export function toErrorPayload(err) {
  if (err instanceof Error) return { name: err.name || 'Error', message: err.message };
  if (err && typeof err === 'object' && 'message' in err) {
    const e = /** @type {{name?: unknown, message: unknown}} */ (err);
    return { name: String(e.name ?? 'Error'), message: String(e.message) };
  }
  return { name: 'Error', message: String(err) };
}

/**
 * Rebuilds an Error (with the worker's `name`) from an error reply payload.
 * @param {ErrorPayload} payload
 * @returns {Error}
 */
export function fromErrorPayload(payload) {
  const error = new Error(payload.message);
  error.name = payload.name;
  return error;
}

/**
 * The ArrayBuffers of all typed arrays found in a result (one level of nesting deep),
 * so the worker can transfer them instead of copying.
 * @param {unknown} value
 * @returns {ArrayBuffer[]}
 */
export function transferables(value) {
  /** @type {Set<ArrayBuffer>} */
  const buffers = new Set();
  /** @param {unknown} v @param {number} depth */
  const visit = (v, depth) => {
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
    } else if (v && typeof v === 'object' && depth < 2 && !Array.isArray(v)) {
      for (const child of Object.values(v)) visit(child, depth + 1);
    }
  };
  visit(value, 0);
  return [...buffers];
}
