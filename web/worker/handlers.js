// @ts-check
/**
 * Worker request handlers as plain async functions over the wasm module (docs/protocol.md).
 * No Worker, DOM or Vite specifics here, so Node tests can run them against the real wasm.
 *
 * The customers of the last `loadFile` stay here, so `segment` (a change of k) never re-reads
 * the file. Results hand out copies of those arrays, because the worker transfers results.
 */
import { PROGRESS_INTERVAL_MS } from '../api/protocol.js';

/**
 * @typedef {import('../api/protocol.js').Progress} Progress
 * @typedef {import('../api/protocol.js').Summary} Summary
 * @typedef {import('../api/protocol.js').LoadFilePayload} LoadFilePayload
 * @typedef {import('../api/protocol.js').LoadFileResult} LoadFileResult
 * @typedef {import('../api/protocol.js').SegmentParams} SegmentParams
 * @typedef {import('../api/protocol.js').SegmentResult} SegmentResult
 * @typedef {import('../api/protocol.js').SegmentStats} SegmentStats
 * @typedef {(progress: Progress) => void} ProgressFn
 *
 * @typedef {{ok: false, error: {name: string, message: string}}} WasmFailure
 * @typedef {{ok: true}} WasmOk
 * @typedef {{summary: Summary, customerIds: string, recency: Float64Array,
 *            frequency: Float64Array, monetary: Float64Array}} IngestResult
 * @typedef {{labels: Int32Array, centers: Float64Array, inertia: number, iterations: number,
 *            segments: SegmentStats[]}} WasmSegmentResult
 *
 * The Embind functions of web/generated/loyaltylens.js (docs/protocol.md §1).
 * @typedef {{
 *   ingestBegin(options: {fileName: string}): WasmOk | WasmFailure,
 *   ingestChunk(bytes: Uint8Array): (WasmOk & {rowsRead: number}) | WasmFailure,
 *   ingestFinish(): (WasmOk & IngestResult) | WasmFailure,
 *   segment(recency: Float64Array, frequency: Float64Array, monetary: Float64Array,
 *           params: SegmentParams): (WasmOk & WasmSegmentResult) | WasmFailure,
 *   segmentsCsv(customerIds: string, labels: Int32Array, recency: Float64Array,
 *               frequency: Float64Array, monetary: Float64Array): (WasmOk & {csv: string}) | WasmFailure,
 * }} WasmModule
 */

/**
 * Returns a successful wasm result, or throws its error with the wasm's error name.
 * @template T
 * @param {(WasmOk & T) | WasmFailure} result
 * @returns {T}
 */
function unwrap(result) {
  if (!result.ok) {
    const error = new Error(result.error.message);
    error.name = result.error.name;
    throw error;
  }
  return result;
}

/**
 * @param {WasmModule} module  the instantiated wasm module
 * @param {{now?: () => number}} [options]  clock in ms (tests pass a fake one)
 */
export function createHandlers(module, { now = () => performance.now() } = {}) {
  /** @type {IngestResult | null} */
  let customers = null;

  /**
   * Streams the file through the wasm reader, chunk by chunk.
   * @param {LoadFilePayload} payload
   * @param {ProgressFn} progress
   * @returns {Promise<LoadFileResult>}
   */
  async function loadFile({ file, name }, progress) {
    customers = null;
    const fileName = name ?? /** @type {Partial<File>} */ (file).name ?? 'data.csv';
    unwrap(module.ingestBegin({ fileName }));

    const total = file.size;
    let done = 0;
    let rows = 0;
    let lastReport = now();
    progress({ stage: 'read', done, total, rows });
    const reader = file.stream().getReader();
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) break;
      rows = unwrap(module.ingestChunk(value)).rowsRead;
      done += value.byteLength;
      if (now() - lastReport >= PROGRESS_INTERVAL_MS) {
        lastReport = now();
        progress({ stage: 'read', done, total, rows });
      }
    }
    progress({ stage: 'features', done, total, rows });

    const result = unwrap(module.ingestFinish());
    customers = result;
    return {
      summary: result.summary,
      customers: {
        ids: result.customerIds === '' ? [] : result.customerIds.split('\n'),
        recency: result.recency.slice(),
        frequency: result.frequency.slice(),
        monetary: result.monetary.slice(),
      },
    };
  }

  /**
   * K-Means segments of the last loaded customers, plus the CSV the CLI would write.
   * @param {SegmentParams} params
   * @param {ProgressFn} progress
   * @returns {Promise<SegmentResult>}
   */
  async function segment({ k, seed, nInit }, progress) {
    if (!customers) {
      const error = new Error('No customers to segment: load a file first.');
      error.name = 'InvalidArgument';
      throw error;
    }
    const { customerIds, recency, frequency, monetary } = customers;
    progress({ stage: 'segment', done: 0, total: 1, rows: recency.length });
    const result = unwrap(module.segment(recency, frequency, monetary, { k, seed, nInit }));
    const { csv } = unwrap(
      module.segmentsCsv(customerIds, result.labels, recency, frequency, monetary),
    );
    return {
      labels: result.labels,
      centers: result.centers,
      inertia: result.inertia,
      iterations: result.iterations,
      segments: result.segments,
      csv,
    };
  }

  return { loadFile, segment };
}
