// @ts-check
// The sweep pool with scripted workers: how many workers, which sweeps it splits, the order and
// joining of the ks, the points copied per worker and transferred, and what a crash, a worker
// that cannot start, an error, a cancel or a crash of the analysis worker do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import './support/schema.js'; // the core's schema, before the page's modules read it
import { AnalysisClient } from '../../web/api/client.js';
import {
  MAX_SWEEP_WORKERS,
  kmeansRestarts,
  RESTARTS_POOL_MIN_CUSTOMERS,
  SweepPool,
  poolable,
  restartsPoolable,
  sweepWorkerCount,
} from '../../web/api/sweep-pool.js';

/**
 * A Worker stand-in that answers each request with `script(request)` on a later microtask; a
 * script returning undefined leaves the request unanswered (the test crashes the worker instead).
 */
class ScriptedWorker extends EventTarget {
  /** @type {{message: any, transfer: Transferable[]}[]} */
  posted = [];
  terminated = false;
  #script;
  /** @param {(message: any) => object | undefined} script */
  constructor(script) {
    super();
    this.#script = script;
  }
  /** @param {any} message @param {Transferable[]} [transfer] */
  postMessage(message, transfer = []) {
    this.posted.push({ message, transfer });
    queueMicrotask(() => {
      const reply = this.#script(message);
      if (reply && !this.terminated) this.dispatchEvent(new MessageEvent('message', { data: { id: message.id, ...reply } }));
    });
  }
  terminate() {
    this.terminated = true;
  }
  /** @param {string} message */
  crash(message) {
    this.dispatchEvent(Object.assign(new Event('error'), { message }));
  }
  get types() {
    return this.posted.map((p) => p.message.type);
  }
}

const POINTS = [1, 2, 3, 4, 5, 6];
/** @param {number} k */
const part = (k) => ({
  k: new Int32Array([k]),
  objective: new Float64Array([k * 10]),
  inertia: new Float64Array([k]),
  silhouette: new Float64Array([k / 100]),
  daviesBouldin: new Float64Array([1]),
  calinskiHarabasz: new Float64Array([2]),
  bic: new Float64Array([NaN]),
  collapsed: new Int32Array([0]),
  silhouetteSampled: false,
});
/** The analysis worker's suggestion for a joined sweep: recorded so the test sees what it was given. */
const SUGGESTION = { k: 6, criterion: 'silhouette', reason: 'The highest mean silhouette (0.060) is at k = 6.' };
/** Answers like a worker holding 3 customers × 2 features. @param {any} message */
function answer({ type, payload }) {
  if (type === 'preparedPoints') return { type: 'result', payload: { points: new Float64Array(POINTS), n: 3, d: 2, features: ['a', 'b'] } };
  if (type === 'holdPoints') return { type: 'result', payload: { n: payload.n, d: payload.d } };
  if (type === 'sweepPoints' || type === 'kSweep') return { type: 'result', payload: part(payload.kMin) };
  if (type === 'suggestK') return { type: 'result', payload: { ...SUGGESTION, given: Array.from(payload.sweep.k) } };
  // Restart r's inertia: restarts 3 and 7 tie for the least.
  if (type === 'restartsPoints')
    return { type: 'result', payload: { restart: payload.restartBegin, inertia: [9, 8, 7, 2, 5, 4, 6, 2, 3, 9][payload.restartBegin] } };
  if (type === 'cluster') return { type: 'result', payload: { restart: payload.restartBegin ?? 3, labels: new Int32Array(3) } };
  if (type === 'loadFile') return { type: 'result', payload: { summary: { customers: payload.file.size } } };
  throw new Error(`unexpected ${type}`);
}

/**
 * A client with `size` sweep workers. `poolScript` answers the sweep workers (default: `answer`).
 * @param {number} size
 * @param {(message: any, worker: number) => object | undefined} [poolScript]
 * @param {(message: any) => object | undefined} [mainScript]
 */
function setup(size, poolScript = answer, mainScript = answer) {
  /** @type {ScriptedWorker[]} */
  const mains = [];
  /** @type {ScriptedWorker[]} */
  const helpers = [];
  /** @type {Error[]} */
  const lost = [];
  /** @type {Error[]} */
  const crashes = [];
  const pool = new SweepPool(
    () => {
      const index = helpers.length;
      const worker = new ScriptedWorker((m) => poolScript(m, index));
      helpers.push(worker);
      return worker;
    },
    { size, onWorkerLost: (e) => lost.push(e) },
  );
  const client = new AnalysisClient(
    () => {
      const worker = new ScriptedWorker(mainScript);
      mains.push(worker);
      return worker;
    },
    { pool, onCrash: (e) => crashes.push(e) },
  );
  return { client, mains, helpers, lost, crashes };
}

const SWEEP = { algorithm: /** @type {const} */ ('kmeans'), seed: 1, kMin: 2, kMax: 6 };
const ticks = async (n = 20) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0));
};

test('one sweep worker fewer than the processors, at most MAX_SWEEP_WORKERS; ?workers=N asks for N in all', () => {
  assert.equal(MAX_SWEEP_WORKERS, 4);
  assert.equal(sweepWorkerCount(1), 0);
  assert.equal(sweepWorkerCount(undefined), 0);
  assert.equal(sweepWorkerCount(2), 1);
  assert.equal(sweepWorkerCount(4), 3);
  assert.equal(sweepWorkerCount(32), 4);
  assert.equal(sweepWorkerCount(8, '?workers=1'), 0, 'the single-worker sweep');
  assert.equal(sweepWorkerCount(1, '?a=b&workers=3'), 2);
  assert.equal(sweepWorkerCount(8, '?workers=99'), 4);
  assert.equal(sweepWorkerCount(2, '?workers=x'), 1, 'a value that is not a count is ignored');
});

test('centre-based sweeps of two ks or more are split; linkages and single ks are not', () => {
  assert.equal(poolable({ kMin: 2, kMax: 10 }), true);
  assert.equal(poolable({ algorithm: 'gmm', kMin: 2, kMax: 3 }), true);
  assert.equal(poolable({ algorithm: 'kmedoids', kMin: 2, kMax: 10 }), true);
  assert.equal(poolable({ algorithm: 'ward', kMin: 2, kMax: 10 }), false);
  assert.equal(poolable({ algorithm: 'single', kMin: 2, kMax: 10 }), false);
  assert.equal(poolable({ kMin: 4, kMax: 4 }), false);
});

test('a linkage sweep is one kSweep on the analysis worker; no sweep worker starts', async () => {
  const { client, mains, helpers } = setup(2);
  const result = await client.kSweep({ ...SWEEP, algorithm: 'ward' });
  assert.deepEqual(mains[0].types, ['kSweep']);
  assert.equal(helpers.length, 0);
  assert.deepEqual(Array.from(result.k), [SWEEP.kMin]);
});

test('the ks are split over every worker, largest first; the result is in k order with progress per k', async () => {
  const { client, mains, helpers, lost } = setup(2);
  /** @type {number[]} */
  const done = [];
  const result = await client.kSweep(SWEEP, { onProgress: (p) => done.push(p.done) });
  assert.deepEqual(Array.from(result.k), [2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(result.objective), [20, 30, 40, 50, 60]);
  assert.ok(result.bic.every(Number.isNaN));
  assert.equal(result.silhouetteSampled, false);
  // The suggestion is the analysis worker's, for the whole joined curve.
  assert.deepEqual(result.suggestion, { ...SUGGESTION, given: [2, 3, 4, 5, 6] });
  assert.equal(mains[0].types.at(-1), 'suggestK');
  assert.deepEqual(done, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(lost, []);

  assert.equal(mains[0].types[0], 'preparedPoints');
  assert.deepEqual(mains[0].posted[0].message.payload, SWEEP);
  const workers = [...helpers, mains[0]];
  const holds = workers.map((w) => w.posted.find((p) => p.message.type === 'holdPoints'));
  const sent = holds.map((h) => /** @type {any} */ (h).message.payload.points);
  for (let i = 0; i < workers.length; i++) {
    assert.deepEqual(Array.from(sent[i]), POINTS, 'every worker gets the points');
    assert.deepEqual(/** @type {any} */ (holds[i]).transfer, [sent[i].buffer], 'transferred, not copied');
  }
  assert.equal(new Set(sent.map((p) => p.buffer)).size, 3, 'a copy each');
  const ks = workers.map((w) => w.posted.filter((p) => p.message.type === 'sweepPoints').map((p) => p.message.payload.kMin));
  assert.deepEqual(ks.flat().sort(), [2, 3, 4, 5, 6], 'each k once');
  assert.ok(
    ks.every((list) => list.length > 0),
    'every worker ran a k',
  );
  assert.equal(ks[0][0], 6, 'the largest k first');
  assert.ok(
    workers.every((w) =>
      w.posted.every((p) => p.message.type !== 'sweepPoints' || (p.message.payload.kMin === p.message.payload.kMax && p.message.payload.seed === 1)),
    ),
  );

  // The next sweep reuses the sweep workers.
  await client.kSweep(SWEEP);
  assert.equal(helpers.length, 2);
});

test('a sweep worker that crashes is reported and replaced; its k is run elsewhere; the sweep completes', async () => {
  let crashed = false;
  const { client, mains, helpers, lost } = setup(1, (m, index) => {
    if (index === 0 && m.type === 'sweepPoints' && !crashed) return undefined; // it never answers …
    return answer(m);
  });
  const sweep = client.kSweep(SWEEP);
  await ticks(); // … while the analysis worker runs every other k
  const [first] = helpers[0].posted.filter((p) => p.message.type === 'sweepPoints');
  assert.equal(first.message.payload.kMin, 6);
  crashed = true;
  helpers[0].crash('RuntimeError: memory access out of bounds');
  const result = await sweep;
  assert.deepEqual(Array.from(result.k), [2, 3, 4, 5, 6]);
  assert.deepEqual(Array.from(result.objective), [20, 30, 40, 50, 60]);
  assert.equal(lost.length, 1);
  assert.equal(lost[0].name, 'WorkerCrashError');
  assert.match(lost[0].message, /^The sweep worker stopped unexpectedly: RuntimeError/);
  assert.equal(helpers[0].terminated, true);
  const onMain = mains[0].posted.filter((p) => p.message.type === 'sweepPoints').map((p) => p.message.payload.kMin);
  assert.deepEqual(onMain.sort(), [2, 3, 4, 5, 6], 'k = 6 again on the analysis worker');

  await client.kSweep(SWEEP);
  assert.equal(helpers.length, 2, 'a fresh sweep worker for the next sweep');
  assert.equal(lost.length, 1);
});

test('a sweep worker that cannot start (its wasm fails) is reported; the analysis worker does its share', async () => {
  const { client, lost } = setup(2, (m, index) =>
    index === 1 && m.type === 'holdPoints' ? { type: 'error', payload: { name: 'RuntimeError', message: 'Aborted(CompileError)' } } : answer(m),
  );
  const result = await client.kSweep(SWEEP);
  assert.deepEqual(Array.from(result.k), [2, 3, 4, 5, 6]);
  assert.deepEqual(
    lost.map((e) => e.message),
    ['Aborted(CompileError)'],
  );
});

test('an error a k gives fails the sweep with it (any worker would give it)', async () => {
  const { client, lost } = setup(1, (m) =>
    m.type === 'sweepPoints' ? { type: 'error', payload: { name: 'InvalidArgument', message: 'k_max=6 should be <= n_samples - 1 = 2' } } : answer(m),
  );
  await assert.rejects(client.kSweep(SWEEP), { name: 'InvalidArgument', message: /n_samples - 1 = 2/ });
  assert.deepEqual(lost, []);
});

test('cancel (or an AbortSignal) stops the sweep workers too; nothing is reported as lost', async () => {
  let hang = true;
  /** @param {any} m */
  const script = (m) => (hang && m.type === 'sweepPoints' ? undefined : answer(m));
  const { client, mains, helpers, lost } = setup(2, script, script);
  const controller = new AbortController();
  const sweep = client.kSweep(SWEEP, { signal: controller.signal });
  const queued = client.kSweep({ ...SWEEP, seed: 2 });
  await ticks();
  assert.equal(helpers.length, 2);
  controller.abort();
  await assert.rejects(sweep, { name: 'AbortError' });
  await assert.rejects(queued, { name: 'AbortError' }, 'a sweep queued behind it is cancelled too');
  assert.ok(helpers.every((w) => w.terminated) && mains[0].terminated, 'every worker terminated');
  assert.deepEqual(lost, []);
  assert.equal(mains.length, 1, 'the queued sweep posted nothing to a new worker');

  hang = false;
  const result = await client.kSweep(SWEEP);
  assert.equal(result.k.length, 5);
  assert.equal(helpers.length, 4, 'the next sweep starts fresh sweep workers');
  assert.equal(mains.length, 2);
});

test('a crash of the analysis worker fails the sweep and stops the sweep workers', async () => {
  const { client, mains, helpers, lost, crashes } = setup(
    1,
    (m) => (m.type === 'sweepPoints' ? undefined : answer(m)),
    (m) => (m.type === 'sweepPoints' ? undefined : answer(m)),
  );
  const sweep = client.kSweep(SWEEP);
  await ticks();
  mains[0].crash('RuntimeError: unreachable');
  await assert.rejects(sweep, { name: 'WorkerCrashError', message: /analysis worker stopped unexpectedly/ });
  assert.equal(crashes.length, 1);
  assert.equal(helpers[0].terminated, true);
  assert.deepEqual(lost, []);
});

test('sweeps run one after another: the next one prepares its points when the last is done', async () => {
  const { client, mains } = setup(1);
  await Promise.all([client.kSweep(SWEEP), client.kSweep({ ...SWEEP, seed: 2 })]);
  const seeds = mains[0].posted.map((p) => p.message.payload.seed);
  assert.ok(seeds.indexOf(2) > seeds.lastIndexOf(1), 'no request of the second sweep before the first is done');
});

test('the restarts of a K-Means clustering are split from RESTARTS_POOL_MIN_CUSTOMERS customers, not other methods', () => {
  const many = RESTARTS_POOL_MIN_CUSTOMERS;
  assert.equal(kmeansRestarts(), 10, "the core's K-Means restarts (its schema)");
  assert.equal(restartsPoolable({ k: 4 }, many), true);
  assert.equal(restartsPoolable({ algorithm: 'kmeans', nInit: 2 }, many), true);
  assert.equal(restartsPoolable({ algorithm: 'kmeans' }, many - 1), false, 'too few customers: the points would cost more');
  assert.equal(restartsPoolable({ algorithm: 'kmeans', nInit: 1 }, many), false, 'one restart');
  assert.equal(restartsPoolable({ algorithm: 'gmm' }, many), false);
  assert.equal(restartsPoolable({ algorithm: 'kmeans', restartBegin: 0, restartEnd: 1 }, many), false, 'already a range');
});

test('split restarts: one at a time over every worker, the least inertia wins (ties to the lower), run alone on the analysis worker', async () => {
  const { client, mains, helpers, lost } = setup(2);
  const params = { algorithm: /** @type {const} */ ('kmeans'), k: 4, seed: 1 };
  // Below the threshold: one request, as without a pool.
  await client.loadFile(new Blob(['x'.repeat(100)]));
  await client.cluster(params);
  assert.deepEqual(mains[0].types, ['loadFile', 'cluster']);
  assert.equal(helpers.length, 0);

  await client.loadFile(new Blob(['x'.repeat(RESTARTS_POOL_MIN_CUSTOMERS)]));
  /** @type {any[]} */
  const progress = [];
  const result = await client.cluster(params, { onProgress: (p) => progress.push(p) });
  assert.equal(result.restart, 3, 'restarts 3 and 7 tie: the lower wins, as in one worker');
  assert.deepEqual(lost, []);
  const workers = [...helpers, mains[0]];
  const ran = workers.map((w) => w.posted.filter((p) => p.message.type === 'restartsPoints').map((p) => p.message.payload));
  assert.deepEqual(
    ran
      .flat()
      .map((p) => p.restartBegin)
      .sort((a, b) => a - b),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    'each restart once',
  );
  assert.ok(ran.flat().every((p) => p.restartEnd === p.restartBegin + 1 && p.k === 4 && p.seed === 1));
  assert.ok(
    ran.every((list) => list.length > 0),
    'every worker ran some',
  );
  const last = mains[0].posted.at(-1)?.message;
  assert.deepEqual([last.type, last.payload], ['cluster', { ...params, restartBegin: 3, restartEnd: 4 }]);
  assert.deepEqual(
    progress.map((p) => [p.stage, p.done, p.total]),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((d) => ['cluster', d, 11]),
  );
});
