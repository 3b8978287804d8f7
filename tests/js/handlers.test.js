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
    /** The core's K-Means of the downloads: its clustering and the CSV of the held customers. */
    segment(params) {
      module.segmentCalls.push({ params });
      return {
        ok: true,
        labels: new Int32Array([1, 0]),
        centers: new Float64Array(6),
        objective: 1.5,
        iterations: 3,
        profileFeatures: ['recency', 'frequency', 'monetary'],
        profiles: [
          { segment: 0, customers: 1, mean: new Float64Array([2, 5, 90]), revenue: 90 },
          { segment: 1, customers: 1, mean: new Float64Array([40, 1, 10]), revenue: 10 },
        ],
        csv: 'customer_id\nC1\nC2\n',
      };
    },
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
  await assert.rejects(
    handlers.loadFile({ file: new Blob(['x']), name: 'a.csv' }, () => {}),
    {
      name: 'InputError',
      message: '"a.csv" is a PNG image',
    },
  );
});

test('segment runs on the held customers and adds the CSV', async () => {
  const module = fakeModule();
  const handlers = createHandlers(module);
  await assert.rejects(
    handlers.segment({ k: 2, seed: 1, nInit: 10 }, () => {}),
    { name: 'InvalidArgument' },
  );

  await handlers.loadFile({ file: new Blob(['x']) }, () => {});
  const result = await handlers.segment({ k: 2, seed: 1, nInit: 10 }, () => {});
  const [call] = module.segmentCalls;
  assert.deepEqual(call.params, { k: 2, seed: 1, nInit: 10 });
  assert.deepEqual([...result.labels], [1, 0]);
  assert.equal(result.csv, 'customer_id\nC1\nC2\n');
  assert.equal(result.inertia, 1.5, "K-Means' objective");
  assert.deepEqual(result.segments[0], { segment: 0, customers: 1, meanRecency: 2, meanFrequency: 5, meanMonetary: 90, revenue: 90 });
});

test('kSweep runs a centre-based method one k at a time with progress, a linkage in one call', async () => {
  const module = fakeModule();
  /** @type {any[]} */
  const calls = [];
  module.kSweep = (/** @type {any} */ p) => {
    calls.push(p);
    const ks = Array.from({ length: p.kMax - p.kMin + 1 }, (_, i) => p.kMin + i);
    const f = (/** @type {number} */ v) => new Float64Array(ks.map(() => v));
    return {
      ok: true,
      k: new Int32Array(ks),
      objective: f(1),
      inertia: f(1),
      silhouette: f(0.5),
      daviesBouldin: f(1),
      calinskiHarabasz: f(2),
      bic: f(NaN),
      collapsed: new Int32Array(ks.map(() => 0)),
      silhouetteSampled: false,
    };
  };
  /** @type {any[]} */
  const suggested = [];
  module.suggestK = (/** @type {any} */ sweep, /** @type {any} */ params) => {
    suggested.push([Array.from(sweep.k), params.algorithm]);
    return { ok: true, k: 2, criterion: 'silhouette', reason: 'The highest mean silhouette (0.500) is at k = 2.' };
  };
  const handlers = createHandlers(module);
  await handlers.loadFile({ file: new Blob(['x']) }, () => {});
  /** @type {any[]} */
  const reports = [];
  const sweep = await handlers.kSweep({ algorithm: 'kmeans', kMin: 2, kMax: 4 }, (p) => reports.push(p));
  assert.deepEqual(
    calls.map((c) => [c.kMin, c.kMax]),
    [
      [2, 2],
      [3, 3],
      [4, 4],
    ],
  );
  assert.deepEqual([...sweep.k], [2, 3, 4]);
  assert.deepEqual(sweep.suggestion, { k: 2, criterion: 'silhouette', reason: 'The highest mean silhouette (0.500) is at k = 2.' });
  assert.deepEqual(suggested, [[[2, 3, 4], 'kmeans']], 'suggested once, for the joined ks');
  assert.deepEqual(
    reports.map((r) => `${r.stage} ${r.done}/${r.total}`),
    ['sweep 0/3', 'sweep 1/3', 'sweep 2/3', 'sweep 3/3'],
  );
  calls.length = 0;
  await handlers.kSweep({ algorithm: 'ward', kMin: 2, kMax: 4 }, () => {});
  assert.deepEqual(
    calls.map((c) => [c.kMin, c.kMax]),
    [[2, 4]],
    'the tree is built once',
  );
});

test('embed: a module that answers t-SNE with PCA (or an error) is Unsupported; cluster checks the label count', async () => {
  const module = fakeModule();
  module.embed = (/** @type {any} */ p) => ({
    ok: true,
    coords: new Float64Array(4),
    explainedVarianceRatio: new Float64Array([0.6, 0.3]),
    loadings: new Float64Array(6),
    features: ['recency'],
    method: 'pca',
    asked: p.method,
  });
  module.clusterCustomers = () => ({ ok: true, labels: new Int32Array(3), profiles: [], profileFeatures: [], overallMean: new Float64Array(0), features: [] });
  const handlers = createHandlers(module);
  await handlers.loadFile({ file: new Blob(['x']) }, () => {});
  const pca = await handlers.embed({}, () => {});
  assert.equal(pca.method, 'pca');
  assert.ok(pca.explainedVarianceRatio);
  await assert.rejects(
    handlers.embed({ method: 'tsne' }, () => {}),
    { name: 'Unsupported', message: /no tsne map \(it returned pca instead\)/ },
  );
  module.embed = () => ({ ok: false, error: { name: 'InvalidArgument', message: 'unknown method "tsne"' } });
  await assert.rejects(
    handlers.embed({ method: 'tsne' }, () => {}),
    { name: 'Unsupported', message: /unknown method/ },
  );
  await assert.rejects(
    handlers.cluster({ k: 2 }, () => {}),
    { name: 'InternalError', message: /3 labels for 2 customers/ },
  );
});
