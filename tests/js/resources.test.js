// @ts-check
// The page's store of resource slices and the one runner of worker requests (web/app/), with a
// fake client: no worker, no wasm. Requests resolve when the test says so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import './support/schema.js'; // the core's schema, before the page's modules read it
import { analysisIdOf } from '../../web/app/analysis-id.js';
import { createResources } from '../../web/app/resources.js';
import { createStore } from '../../web/app/store.js';
import { defaultRules } from '../../web/model/cleaning-rules.js';
import { currentResult, emptySlice, initialState } from '../../web/state.js';

/** @template T @returns {{promise: Promise<T>, resolve: (v: T) => void, reject: (e: unknown) => void}} */
function deferred() {
  /** @type {any} */
  const d = {};
  d.promise = new Promise((resolve, reject) => Object.assign(d, { resolve, reject }));
  return d;
}

/** Lets every pending promise continuation run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** An analysis result as the worker sends it (only what the runner and the tests look at). */
const analysis = (customers = 3) => /** @type {any} */ ({ summary: { customers }, customers: { ids: Array(customers).fill('c'), countries: [] } });

/**
 * A client whose every call is recorded and answered by the test: `calls[i].reply.resolve(...)`.
 */
function fakeClient() {
  /** @type {{method: string, args: any[], reply: ReturnType<typeof deferred<any>>}[]} */
  const calls = [];
  /** @param {string} method */
  const call =
    (method) =>
    (/** @type {any[]} */ ...args) => {
      const reply = deferred();
      calls.push({ method, args, reply });
      return reply.promise;
    };
  const client = /** @type {any} */ ({
    loadFile: call('loadFile'),
    readFile: call('readFile'),
    applyRules: call('applyRules'),
    rfmScores: call('rfmScores'),
    segment: call('segment'),
    cancelled: 0,
    cancel() {
      this.cancelled++;
    },
  });
  return { client, calls };
}

/** A store, a runner and a fake client, with a file loaded and its first analysis (id) on screen. */
function setup() {
  const store = createStore(initialState('light'));
  const { client, calls } = fakeClient();
  const resources = createResources(store, client);
  const file = new Blob(['a,b\n']);
  const rules = defaultRules();
  const slice = resources.held(analysis(), { file, name: 'f.csv', readOptions: { dateOrder: 'dmy' }, rules });
  store.set({ analysis: slice });
  /** A scores request that answers with `value`. @param {string} [key] */
  const scores = (key = 'k') =>
    resources.run('scores', {
      key,
      label: 'Scoring customers…',
      send: (onProgress) => client.rfmScores({}, { onProgress }),
      value: (/** @type {any} */ rfm) => rfm,
    });
  return { store, client, calls, resources, file, rules, scores };
}

test('the store: a slice patch changes one slice, subscribers get the new and the previous state', () => {
  const store = createStore(initialState('light'));
  /** @type {[any, any][]} */
  const seen = [];
  store.subscribe((state, previous) => seen.push([state, previous]));
  const before = store.get();
  store.set(store.patchSlice('cluster', { busy: true }));
  assert.equal(store.get().cluster.busy, true);
  assert.equal(store.get().cluster.value, null, 'the other fields of the slice stay');
  assert.equal(store.get().scores, before.scores, 'the other slices stay the same objects');
  assert.deepEqual(seen, [[store.get(), before]]);
  assert.deepEqual(emptySlice(), { value: null, busy: false, error: null, key: '', analysisId: 0 });
});

test('analysis ids: the worker’s when it gives one, else the page’s counter; never 0', () => {
  const a = analysisIdOf({});
  const b = analysisIdOf({});
  assert.ok(a > 0 && b === a + 1);
  assert.equal(analysisIdOf({ analysisId: 1000 }), 1000);
  assert.equal(analysisIdOf({}), 1001, 'the counter goes on after the worker’s ids');
  assert.equal(analysisIdOf({ analysisId: 0 }), 1002, '0 means none: the counter');
});

test('a result belongs to the analysis on screen by its id, not by its length', () => {
  const state = initialState('light');
  const segment = new Int32Array(4);
  const on = { ...state, analysis: { ...emptySlice(), value: analysis(4), analysisId: 5 } };
  assert.equal(currentResult({ ...on, scores: { ...emptySlice(), value: /** @type {any} */ ({ segment }), analysisId: 5 } }, 'scores')?.segment, segment);
  assert.equal(
    currentResult({ ...on, scores: { ...emptySlice(), value: /** @type {any} */ ({ segment }), analysisId: 4 } }, 'scores'),
    null,
    'as many customers, another analysis',
  );
  assert.equal(currentResult(state, 'scores'), null, 'no analysis, no result');
});

test('run: busy and the job line while it runs; the value, key and analysis id stored; busy cleared', async () => {
  const { store, calls, scores } = setup();
  const running = scores('settings-1');
  assert.equal(store.get().scores.busy, true);
  await settle();
  assert.equal(store.get().job?.label, 'Scoring customers…');
  assert.deepEqual(
    calls.map((c) => c.method),
    ['rfmScores'],
    'the worker holds the table: no read first',
  );
  calls[0].args[1].onProgress({ stage: 'scores', done: 1, total: 2, rows: 0 });
  assert.deepEqual(store.get().job?.progress, { stage: 'scores', done: 1, total: 2, rows: 0 });
  const rfm = { segment: new Int32Array(3) };
  calls[0].reply.resolve(rfm);
  assert.deepEqual(await running, { status: 'done' });
  const slice = store.get().scores;
  assert.equal(slice.value, rfm);
  assert.equal(slice.busy, false);
  assert.equal(slice.key, 'settings-1');
  assert.equal(slice.analysisId, store.get().analysis.analysisId);
  assert.equal(store.get().job, null);
  assert.equal(currentResult(store.get(), 'scores'), rfm);
});

test('run: an older request’s result is dropped when a newer one of the slice came after it', async () => {
  const { store, calls, scores } = setup();
  const first = scores('old');
  const second = scores('new');
  await settle();
  calls[1].reply.resolve({ n: 2 });
  assert.equal((await second).status, 'done');
  calls[0].reply.resolve({ n: 1 });
  assert.equal((await first).status, 'stale');
  assert.deepEqual(store.get().scores.value, { n: 2 });
  assert.equal(store.get().scores.key, 'new');
});

test('run: a result computed for another analysis is dropped (the analysis changed meanwhile)', async () => {
  const { store, calls, resources, scores } = setup();
  const before = store.get().scores;
  const running = scores();
  await settle();
  store.set({ analysis: resources.held(analysis(3), { readOptions: {}, rules: defaultRules() }) }); // as many customers
  calls[0].reply.resolve({ n: 1 });
  assert.equal((await running).status, 'stale');
  assert.equal(store.get().scores.value, before.value);
});

test('run: an error is stored and the last value stays; clearOnError drops it; a cancel is quiet', async () => {
  const { store, calls, client, scores, resources } = setup();
  const ok = scores();
  await settle();
  calls[0].reply.resolve({ n: 1 });
  await ok;

  const failing = scores();
  await settle();
  calls[1].reply.reject(new Error('n_clusters=9 should be <= 3'));
  assert.equal((await failing).status, 'failed');
  assert.equal(store.get().scores.error, 'n_clusters=9 should be <= 3');
  assert.deepEqual(store.get().scores.value, { n: 1 }, 'the last results stay');
  assert.equal(store.get().scores.busy, false);

  const segment = resources.run('segment', {
    key: 'k=4',
    label: 'Finding 4 segments…',
    send: () => client.segment({}),
    value: (/** @type {any} */ s) => s,
    clearOnError: true,
  });
  await settle();
  store.set(store.patchSlice('segment', { value: /** @type {any} */ ({ labels: [] }) }));
  calls[2].reply.reject(new Error('bad k'));
  await segment;
  assert.equal(store.get().segment.value, null);
  assert.equal(store.get().segment.error, 'bad k');

  const cancelled = scores();
  await settle();
  calls[3].reply.reject(new DOMException('The operation was cancelled.', 'AbortError'));
  assert.equal((await cancelled).status, 'failed');
  assert.equal(store.get().scores.error, null, 'no message for a cancel (its notice says it)');
  assert.equal(store.get().scores.busy, false);
});

test('run: a failure handled instead stores no error; its patch is set, then its next step runs', async () => {
  const { store, calls, client, resources } = setup();
  let next = 0;
  const running = resources.run('embed', {
    key: 'tsne',
    label: 'Computing the t-SNE map…',
    send: () => client.segment({}),
    value: (/** @type {any} */ e) => e,
    instead: (err) => (err instanceof Error && err.name === 'Unsupported' ? { patch: { mapMethod: 'pca' }, next: () => next++ } : null),
  });
  await settle();
  calls[0].reply.reject(Object.assign(new Error('no t-SNE'), { name: 'Unsupported' }));
  await running;
  assert.equal(store.get().mapMethod, 'pca');
  assert.equal(store.get().embed.error, null);
  assert.equal(store.get().embed.busy, false);
  assert.equal(next, 1);
});

test('after a worker replacement the next request reads the file again, with the settings on screen', async () => {
  const { store, calls, resources, file, rules, scores } = setup();
  const id = store.get().analysis.analysisId;
  resources.replaced(); // a crash
  const running = scores();
  await settle();
  assert.deepEqual(
    calls.map((c) => c.method),
    ['loadFile'],
  );
  assert.equal(calls[0].args[0], file);
  assert.equal(calls[0].args[1].name, 'f.csv');
  assert.deepEqual(calls[0].args[1].read, { dateOrder: 'dmy' });
  assert.equal(store.get().job?.label, 'Reading f.csv again…');
  assert.ok(calls[0].args[1].rules, 'the rules of the analysis on screen');
  calls[0].reply.resolve(analysis());
  await settle();
  assert.deepEqual(
    calls.map((c) => c.method),
    ['loadFile', 'rfmScores'],
  );
  calls[1].reply.resolve({ n: 1 });
  assert.equal((await running).status, 'done');
  assert.equal(resources.worker.holds, 'table');
  assert.equal(store.get().analysis.analysisId, id, 'the same analysis: the same id');
  assert.equal(store.get().scores.analysisId, id);
  assert.equal(resources.worker.rules, rules);

  const again = scores();
  await settle();
  assert.deepEqual(
    calls.map((c) => c.method),
    ['loadFile', 'rfmScores', 'rfmScores'],
    'once is enough',
  );
  calls[2].reply.resolve({ n: 2 });
  await again;
});

test('cancel: the worker is replaced, every request under way outdated', async () => {
  const { store, calls, client, resources, scores } = setup();
  const running = scores();
  await settle();
  resources.cancel();
  assert.equal(client.cancelled, 1);
  assert.equal(resources.worker.holds, 'none');
  calls[0].reply.reject(new DOMException('The operation was cancelled.', 'AbortError'));
  assert.equal((await running).status, 'stale');
  assert.equal(store.get().job, null);
});

test('runAnalysis: a new analysis id, the worker holds its table; a failed re-read leaves it the file only', async () => {
  const { store, calls, client, resources } = setup();
  const first = store.get().analysis.analysisId;
  /** @param {import('../../web/api/protocol.js').ReadOverrides} readOptions */
  const reread = (readOptions) =>
    resources.runAnalysis({
      label: 'Reading f.csv again…',
      readOptions,
      rules: resources.worker.rules,
      rereads: true,
      start: { readOptions },
      send: (onProgress, worker) =>
        worker.holds === 'none' ? client.loadFile(worker.file, { onProgress }) : client.readFile({ options: readOptions }, { onProgress }),
      also: () => ({ knownCountries: ['FR'] }),
      failure: (err) => ({ error: /** @type {any} */ ({ message: String(err), source: 'read' }), also: { step: 'data' } }),
    });
  const ok = reread({ dateOrder: 'mdy' });
  assert.equal(store.get().analysis.busy, true);
  await settle();
  assert.deepEqual(
    calls.map((c) => c.method),
    ['readFile'],
    'the worker still has the file',
  );
  const result = analysis(5);
  calls[0].reply.resolve(result);
  assert.equal((await ok).status, 'done');
  const shown = store.get().analysis;
  assert.equal(shown.value, result);
  assert.ok(shown.analysisId > first, 'a new id');
  assert.equal(resources.worker.analysisId, shown.analysisId);
  assert.deepEqual(resources.worker.readOptions, { dateOrder: 'mdy' });
  assert.deepEqual(store.get().knownCountries, ['FR']);

  const bad = reread({ dateOrder: 'dmy' });
  await settle();
  calls[1].reply.reject(Object.assign(new Error('no date parses'), { name: 'ParseError' }));
  assert.equal((await bad).status, 'failed');
  assert.equal(resources.worker.holds, 'file');
  assert.equal(store.get().analysis.value, result, 'the analysis on screen stays');
  assert.equal(store.get().analysis.error?.source, 'read');
  assert.equal(store.get().step, 'data');
  assert.deepEqual(resources.worker.readOptions, { dateOrder: 'mdy' }, 'the settings of the analysis on screen');
});

test('request: an export waits for the table, then runs with the job line; errors are the caller’s', async () => {
  const { store, calls, client, resources } = setup();
  resources.replaced();
  const exporting = resources.request('Preparing the ledger…', () => client.segment({}));
  await settle();
  calls[0].reply.resolve(analysis());
  await settle();
  assert.equal(store.get().job?.label, 'Preparing the ledger…');
  calls[1].reply.reject(new Error('disk full'));
  await assert.rejects(exporting, /disk full/);
  assert.equal(store.get().job, null);
});
