// @ts-check
// handlers.js against a fake wasm module (the real module is exercised by wasm-native.test.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHandlers } from '../../web/worker/handlers.js';

/** Records calls; answers like the wasm API of docs/protocol.md. */
function fakeModule({ failChunk = false } = {}) {
  /** @type {number[]} */
  const chunkSizes = [];
  let rows = 0;
  const recency = new Float64Array([5, 1]);
  const frequency = new Float64Array([2, 7]);
  const monetary = new Float64Array([10, 99.5]);
  /** @type {any} */
  const module = {
    chunkSizes,
    held: { recency, frequency, monetary },
    /** @type {any[]} */
    segmentCalls: [],
    ingestBegin: () => ({ ok: true }),
    /** @param {Uint8Array} bytes */
    ingestChunk(bytes) {
      if (failChunk) {
        return { ok: false, error: { name: 'InputError', message: '"a.csv" is a PNG image' } };
      }
      chunkSizes.push(bytes.byteLength);
      rows += 10;
      return { ok: true, rowsRead: rows };
    },
    ingestFinish: () => ({
      ok: true,
      summary: { fileName: 'a.csv', customers: 2 },
      customerIds: 'C1\nC2',
      recency,
      frequency,
      monetary,
    }),
    /** @param {Float64Array} r @param {Float64Array} f @param {Float64Array} m @param {object} params */
    segment(r, f, m, params) {
      module.segmentCalls.push({ r, f, m, params });
      return {
        ok: true,
        labels: new Int32Array([1, 0]),
        centers: new Float64Array(6),
        inertia: 1.5,
        iterations: 3,
        segments: [],
      };
    },
    /** @param {string} ids */
    segmentsCsv: (ids) => ({ ok: true, csv: `customer_id\n${ids}\n` }),
  };
  return module;
}

/** A blob that streams as several chunks. */
const bigBlob = () => new Blob([new Uint8Array(200_000), new Uint8Array(200_000)]);

test('loadFile streams every chunk to the wasm reader and returns copies of the customers', async () => {
  const module = fakeModule();
  const handlers = createHandlers(module);
  const blob = bigBlob();
  const result = await handlers.loadFile({ file: blob, name: 'a.csv' }, () => {});
  assert.equal(
    module.chunkSizes.reduce((/** @type {number} */ a, /** @type {number} */ b) => a + b, 0),
    blob.size,
  );
  assert.deepEqual(result.customers.ids, ['C1', 'C2']);
  assert.deepEqual([...result.customers.monetary], [10, 99.5]);
  assert.notEqual(result.customers.recency.buffer, module.held.recency.buffer, 'a copy (transferable)');
});

test('progress is throttled, then reports the features stage with all bytes', async () => {
  const module = fakeModule();
  let clock = 0;
  const handlers = createHandlers(module, { now: () => clock });
  /** @type {any[]} */
  const reports = [];
  await handlers.loadFile({ file: bigBlob() }, (p) => {
    reports.push(p);
  });
  // The clock never advanced: only the first and the final reports.
  assert.deepEqual(
    reports.map((r) => r.stage),
    ['read', 'features'],
  );
  assert.deepEqual(reports[1], { stage: 'features', done: 400_000, total: 400_000, rows: 10 * module.chunkSizes.length });

  reports.length = 0;
  const ticking = createHandlers(fakeModule(), { now: () => (clock += 60) });
  await ticking.loadFile({ file: bigBlob() }, (p) => reports.push(p));
  assert.ok(reports.filter((r) => r.stage === 'read').length >= 2, 'intermediate read reports');
});

test('a wasm error becomes a thrown error with the wasm error name', async () => {
  const handlers = createHandlers(fakeModule({ failChunk: true }));
  await assert.rejects(handlers.loadFile({ file: new Blob(['x']), name: 'a.csv' }, () => {}), {
    name: 'InputError',
    message: '"a.csv" is a PNG image',
  });
});

test('segment runs on the held customers and adds the CSV', async () => {
  const module = fakeModule();
  const handlers = createHandlers(module);
  await assert.rejects(handlers.segment({ k: 2, seed: 1, nInit: 10 }, () => {}), { name: 'InvalidArgument' });

  await handlers.loadFile({ file: new Blob(['x']) }, () => {});
  const result = await handlers.segment({ k: 2, seed: 1, nInit: 10 }, () => {});
  const [call] = module.segmentCalls;
  assert.equal(call.r, module.held.recency, 'no copy of the held arrays going in');
  assert.deepEqual(call.params, { k: 2, seed: 1, nInit: 10 });
  assert.deepEqual([...result.labels], [1, 0]);
  assert.equal(result.csv, 'customer_id\nC1\nC2\n');
});
