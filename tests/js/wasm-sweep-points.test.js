// @ts-check
// The pooled k sweep gives bit for bit the single-worker sweep: `sweepPoints` (the stateless
// binding a sweep worker runs) on `preparedPoints`, one k at a time in another wasm instance,
// against `kSweep` over the whole range on the customers; then the page's client with a pool of
// in-process workers running the real handlers, against the client without a pool.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import './support/schema.js'; // the core's schema, before the page's modules read it
import { AnalysisClient } from '../../web/api/client.js';
import { RESTARTS_POOL_MIN_CUSTOMERS, SweepPool } from '../../web/api/sweep-pool.js';
import { createHandlers } from '../../web/worker/handlers.js';
import { createPointsHandlers } from '../../web/worker/points.js';
import { InProcessWorker } from './support/in-process-worker.js';
import { loadWasm, repoRoot } from './support/wasm-node.js';

const main = await loadWasm();
const helper = await loadWasm(); // a sweep worker's own instance: no file, only the points
const sample = path.join(repoRoot, 'public', 'samples', 'online-retail-sample.csv');
const CURVES = /** @type {const} */ (['k', 'objective', 'inertia', 'silhouette', 'daviesBouldin', 'calinskiHarabasz', 'bic', 'collapsed']);

/** @param {any} module @param {Uint8Array} bytes @param {string} fileName */
function ingest(module, bytes, fileName) {
  assert.equal(module.ingestBegin({ fileName, size: bytes.length }).ok, true);
  assert.equal(module.ingestChunk(bytes).ok, true);
  const r = module.ingestFinish();
  assert.equal(r.ok, true, JSON.stringify(r.error));
  return r;
}

/**
 * Asserts two sweeps are the same bit for bit (Object.is: NaN equals NaN, 0 is not −0).
 * @param {any} actual @param {any} expected @param {string} what
 */
function assertSameSweep(actual, expected, what) {
  assert.equal(actual.silhouetteSampled, expected.silhouetteSampled, `${what}: silhouetteSampled`);
  for (const key of CURVES) {
    assert.equal(actual[key].length, expected[key].length, `${what}: ${key} length`);
    for (let i = 0; i < expected[key].length; i++) {
      assert.ok(Object.is(actual[key][i], expected[key][i]), `${what}: ${key}[k = ${expected.k[i]}] ${actual[key][i]} ≠ ${expected[key][i]}`);
    }
  }
}

/**
 * The sweep a pool computes, done by hand: points prepared once, every k alone in the other instance.
 * @param {any} params
 */
function perK(params) {
  const prepared = main.preparedPoints(params);
  assert.equal(prepared.ok, true, JSON.stringify(prepared.error));
  const parts = [];
  for (let k = params.kMin; k <= params.kMax; k++) {
    const r = helper.sweepPoints(prepared.points, prepared.n, prepared.d, { ...params, kMin: k, kMax: k });
    assert.equal(r.ok, true, JSON.stringify(r.error));
    parts.push(r);
  }
  const join = (/** @type {string} */ key) => parts.flatMap((p) => Array.from(p[key]));
  return { ...Object.fromEntries(CURVES.map((key) => [key, join(key)])), silhouetteSampled: parts.some((p) => p.silhouetteSampled) };
}

const SETTINGS = [
  { algorithm: 'kmeans', seed: 1 },
  { algorithm: 'kmeans', seed: 7, nInit: 3, features: ['recency', 'frequency', 'monetary', 'tenure'], scaler: 'robust', winsorLo: 1, winsorHi: 99 },
  { algorithm: 'kmeans', seed: 2, log1p: false, scaler: 'minmax' },
  { algorithm: 'kmedoids', seed: 1 },
  { algorithm: 'gmm', seed: 1 },
  { algorithm: 'gmm', seed: 3, nInit: 2, covariance: 'diag' },
];

test('the demo data: sweepPoints per k in another instance = kSweep, every centre-based method', () => {
  const analysis = ingest(main, fs.readFileSync(sample), 'sample.csv');
  for (const settings of SETTINGS) {
    const params = { ...settings, kMin: 2, kMax: 10 };
    const prepared = main.preparedPoints(params);
    assert.equal(prepared.n, analysis.summary.customers);
    assert.equal(prepared.d, (settings.features ?? ['recency', 'frequency', 'monetary']).length);
    assert.ok(prepared.points instanceof Float64Array && prepared.points.length === prepared.n * prepared.d);
    const expected = main.kSweep(params);
    assert.equal(expected.ok, true, JSON.stringify(expected.error));
    assertSameSweep(perK(params), expected, JSON.stringify(settings));
  }
});

test('above 20,000 customers (the sampled silhouette, seeded): sweepPoints = kSweep', () => {
  const rows = ['customer_id,recency,frequency,monetary'];
  for (let i = 0; i < 20_500; i++) rows.push(`C${i},${(i * 37) % 365},${1 + (i % 17)},${((i * 7919) % 5000) + 1}.5`);
  ingest(main, new TextEncoder().encode(rows.join('\n')), 'customers.csv');
  const params = { algorithm: 'kmeans', seed: 1, nInit: 2, kMin: 2, kMax: 4 };
  const expected = main.kSweep(params);
  assert.equal(expected.silhouetteSampled, true);
  assertSameSweep(perK(params), expected, '20,500 customers');
});

test('sweepPoints answers bad points with an InvalidArgument value, never a throw', () => {
  const points = new Float64Array(12);
  for (const [args, message] of /** @type {const} */ ([
    [[points, 5, 3], /12 values are not n=5 rows of d=3/],
    [[Array.from(points), 4, 3], /should be a Float64Array/],
    [[points, 4.5, 3], /whole numbers/],
    [[points, 4, 3], /k_max=10 should be <= n_samples - 1 = 3/],
  ])) {
    const r = helper.sweepPoints(...args, { kMin: 2, kMax: 10 });
    assert.equal(r.ok, false);
    assert.equal(r.error.name, 'InvalidArgument');
    assert.match(r.error.message, message);
  }
});

/**
 * The page's client twice, on in-process workers running the real handlers: without a pool, and
 * with a pool of `size` sweep workers (its workers, the analysis workers it started, and the
 * sweep workers reported lost, as they come).
 * @param {number} size
 */
function inProcessClients(size) {
  /** @type {InProcessWorker[]} */
  const sweepWorkers = [];
  /** @type {InProcessWorker[]} */
  const pooledMains = [];
  /** @type {Error[]} */
  const lost = [];
  const pool = new SweepPool(
    () => {
      const worker = new InProcessWorker(loadWasm().then((m) => createPointsHandlers(m)));
      sweepWorkers.push(worker);
      return worker;
    },
    { size, onWorkerLost: (e) => lost.push(e) },
  );
  const analysisWorker = () => new InProcessWorker(loadWasm().then((m) => createHandlers(m)));
  const single = new AnalysisClient(analysisWorker, { pool: null });
  const pooled = new AnalysisClient(
    () => {
      const worker = analysisWorker();
      pooledMains.push(worker);
      return worker;
    },
    { pool },
  );
  return { single, pooled, sweepWorkers, pooledMains, lost };
}

test("the page's client: a pool of in-process workers on the real handlers = the single-worker sweep", async () => {
  const file = new Blob([fs.readFileSync(sample)]);
  const { single, pooled, sweepWorkers, lost } = inProcessClients(2);
  await single.loadFile(file, { name: 'sample.csv' });
  await pooled.loadFile(file, { name: 'sample.csv' });
  for (const settings of SETTINGS) {
    const params = { ...settings, kMin: 2, kMax: 10 };
    /** @type {import('../../web/api/protocol.js').Progress[]} */
    const progress = [];
    const expected = await single.kSweep(params);
    const actual = await pooled.kSweep(params, { onProgress: (p) => progress.push(p) });
    assertSameSweep(actual, expected, JSON.stringify(settings));
    assert.deepEqual(actual.suggestion, expected.suggestion, `${JSON.stringify(settings)}: the same suggestion`);
    // The suggestion follows the method: the silhouette's maximum, or a mixture's BIC over the
    // ks without a collapsed component.
    const s = /** @type {import('../../web/api/protocol.js').KSuggestion} */ (expected.suggestion);
    if (settings.algorithm === 'gmm') {
      const valid = [...expected.k.keys()].filter((i) => expected.collapsed[i] === 0 && Number.isFinite(expected.bic[i]));
      if (valid.length >= 2) {
        assert.match(s.criterion, /^bic-/, s.reason);
        const best = valid.reduce((a, b) => (expected.bic[b] < expected.bic[a] ? b : a));
        if (s.criterion === 'bic-minimum') assert.equal(s.k, expected.k[best]);
      } else {
        assert.equal(s.criterion, 'silhouette', s.reason);
        assert.match(s.reason, /collapsed/);
      }
    } else {
      const best = [...expected.k.keys()].reduce((a, b) => (expected.silhouette[b] > expected.silhouette[a] ? b : a));
      assert.deepEqual([s.k, s.criterion], [expected.k[best], 'silhouette']);
      assert.match(s.reason, new RegExp(`^The highest mean silhouette \\(${expected.silhouette[best].toFixed(3)}\\) is at k = ${s.k}\\.$`));
    }
    assert.deepEqual(
      progress.map((p) => p.done),
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    );
    assert.ok(progress.every((p) => p.stage === 'sweep' && p.total === 9 && p.rows === 872));
  }
  assert.equal(sweepWorkers.length, 2, 'two sweep workers, started once');
  for (const worker of sweepWorkers) {
    const types = worker.received.map((m) => m.type);
    assert.equal(types.filter((t) => t === 'holdPoints').length, SETTINGS.length, 'the points once per sweep');
    assert.ok(types.includes('sweepPoints'), 'each sweep worker ran some k');
  }
  assert.deepEqual(lost, []);
});

test('suggestK: a mixture by BIC without its collapsed ks, the others by the silhouette; curves of unequal length refused', () => {
  const sweep = {
    k: new Int32Array([2, 3, 4]),
    silhouette: new Float64Array([0.5, 0.4, 0.3]),
    bic: new Float64Array([900, -4000, 800]),
    collapsed: new Int32Array([0, 1, 0]),
    silhouetteSampled: false,
  };
  const gmm = main.suggestK(sweep, { algorithm: 'gmm' });
  assert.deepEqual([gmm.ok, gmm.k, gmm.criterion], [true, 4, 'bic-elbow']);
  assert.match(gmm.reason, /BIC still falls at k = 4/);
  const kmeans = main.suggestK(sweep, { algorithm: 'kmeans' });
  assert.deepEqual([kmeans.k, kmeans.criterion, kmeans.reason], [2, 'silhouette', 'The highest mean silhouette (0.500) is at k = 2.']);
  const bad = main.suggestK({ ...sweep, bic: new Float64Array([1]) }, { algorithm: 'gmm' });
  assert.equal(bad.ok, false);
  assert.match(bad.error.message, /one value per k \(3\)/);
  const unknown = main.suggestK(sweep, { algorithm: 'dbscan' });
  assert.equal(unknown.ok, false);
});

/** Result fields of clusterCustomers compared bit for bit (typed arrays and numbers). @param {any} a @param {any} b @param {string} what */
function assertSameClustering(a, b, what) {
  for (const key of ['labels', 'centers', 'objective', 'inertia', 'iterations', 'converged', 'restart', 'daviesBouldin', 'calinskiHarabasz']) {
    assert.deepEqual(a[key], b[key], `${what}: ${key}`);
  }
  assert.deepEqual(a.silhouette, b.silhouette, `${what}: silhouette`);
  assert.deepEqual(a.profiles, b.profiles, `${what}: profiles`);
}

test('K-Means restarts one at a time in another instance, the winner run alone = clusterCustomers', () => {
  ingest(main, fs.readFileSync(sample), 'sample.csv');
  let later = 0;
  for (const settings of [
    { k: 4, seed: 1 },
    { k: 6, seed: 3 },
    { k: 3, seed: 11, nInit: 5, features: ['recency', 'frequency', 'monetary', 'tenure'], scaler: 'robust' },
    { k: 8, seed: 2, log1p: false, scaler: 'minmax' },
  ]) {
    const params = { algorithm: 'kmeans', ...settings };
    const expected = main.clusterCustomers(params);
    assert.equal(expected.ok, true, JSON.stringify(expected.error));
    const prepared = main.preparedPoints(params);
    let best = /** @type {any} */ (null);
    for (let r = 0; r < (settings.nInit ?? 10); r++) {
      const one = helper.restartsPoints(prepared.points, prepared.n, prepared.d, { ...params, restartBegin: r, restartEnd: r + 1 });
      assert.equal(one.ok, true, JSON.stringify(one.error));
      assert.equal(one.restart, r);
      if (!best || one.inertia < best.inertia) best = one;
    }
    assert.equal(best.restart, expected.restart, JSON.stringify(settings));
    assert.ok(Object.is(best.inertia, expected.objective));
    later += expected.restart > 0;
    const alone = main.clusterCustomers({ ...params, restartBegin: best.restart, restartEnd: best.restart + 1 });
    assertSameClustering(alone, expected, JSON.stringify(settings));
  }
  assert.ok(later >= 1, 'some winner is not the first restart: the seeds of the skipped ones matter');
  const r = helper.restartsPoints(new Float64Array(6), 3, 2, { algorithm: 'gmm', k: 2 });
  assert.equal(r.ok, false);
  assert.match(r.error.message, /k-means restarts only/);
});

test("the page's client: above RESTARTS_POOL_MIN_CUSTOMERS the restarts are split over the pool, the same clustering", async () => {
  const rows = ['customer_id,recency,frequency,monetary'];
  for (let i = 0; i < RESTARTS_POOL_MIN_CUSTOMERS + 500; i++) rows.push(`C${i},${(i * 37) % 365},${1 + (i % 17)},${((i * 7919) % 5000) + 1}.5`);
  const file = new Blob([rows.join('\n')]);
  const { single, pooled, sweepWorkers, pooledMains } = inProcessClients(1);
  await single.loadFile(file, { name: 'customers.csv' });
  await pooled.loadFile(file, { name: 'customers.csv' });
  const params = { algorithm: /** @type {const} */ ('kmeans'), k: 5, seed: 4, nInit: 6 };
  // The first split starts the sweep worker (its wasm loads meanwhile, the analysis worker may
  // run every restart itself); the second finds it ready.
  assertSameClustering(await pooled.cluster({ ...params, seed: 5 }), await single.cluster({ ...params, seed: 5 }), 'first split');
  /** @type {import('../../web/api/protocol.js').Progress[]} */
  const progress = [];
  const actual = await pooled.cluster(params, { onProgress: (p) => progress.push(p) });
  assertSameClustering(actual, await single.cluster(params), '30,500 customers');
  assert.deepEqual(
    progress.map((p) => p.done),
    [0, 1, 2, 3, 4, 5, 6],
  );
  assert.ok(progress.every((p) => p.stage === 'cluster' && p.total === 7));
  const sweepTypes = sweepWorkers[0].received.map((m) => m.type);
  assert.ok(sweepTypes.includes('restartsPoints'), 'the sweep worker ran some restarts');
  const last = pooledMains[0].received.at(-1);
  assert.equal(last.type, 'cluster');
  assert.equal(last.payload.restartBegin, actual.restart, 'the analysis worker ran the winner alone');
  assert.equal(last.payload.restartEnd, actual.restart + 1);
  // Another method is not split.
  const before = sweepWorkers[0].received.length;
  await pooled.cluster({ algorithm: 'gmm', k: 3, seed: 1 });
  assert.equal(sweepWorkers[0].received.length, before);
});
