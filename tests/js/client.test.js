// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnalysisClient } from '../../web/api/client.js';

/** A Worker stand-in: records posted messages; the test plays the worker's side. */
class FakeWorker extends EventTarget {
  /** @type {any[]} */
  posted = [];
  terminated = false;
  /** @param {unknown} message */
  postMessage(message) {
    this.posted.push(message);
  }
  terminate() {
    this.terminated = true;
  }
  /** @param {unknown} data */
  reply(data) {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
  /** @param {string} message */
  crash(message) {
    this.dispatchEvent(Object.assign(new Event('error'), { message }));
  }
}

function setup() {
  /** @type {FakeWorker[]} */
  const workers = [];
  /** @type {Error[]} */
  const crashes = [];
  const client = new AnalysisClient(
    () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    },
    { onCrash: (error) => crashes.push(error) },
  );
  return { client, workers, crashes };
}

test('prepare() starts the worker ahead of the first request, which then goes to it', async () => {
  const { client, workers } = setup();
  client.prepare();
  client.prepare();
  assert.equal(workers.length, 1, 'one worker, however often prepared');
  assert.equal(workers[0].posted.length, 0, 'nothing asked of it yet');
  const segmenting = client.segment({ k: 3, seed: 1, nInit: 10 });
  assert.equal(workers.length, 1);
  assert.equal(workers[0].posted[0].type, 'segment');
  client.cancel();
  await assert.rejects(segmenting, { name: 'AbortError' });
  client.prepare();
  assert.equal(workers.length, 2, 'after a cancel, a fresh worker');
});

test('starts the worker lazily and resolves results by id, with progress', async () => {
  const { client, workers } = setup();
  assert.equal(workers.length, 0);
  const file = new Blob(['x']);
  /** @type {unknown[]} */
  const progress = [];
  const loading = client.loadFile(file, { name: 'a.csv', onProgress: (p) => progress.push(p) });
  const segmenting = client.segment({ k: 3, seed: 1, nInit: 10 });
  assert.equal(workers.length, 1);
  const [load, seg] = workers[0].posted;
  assert.deepEqual(load, { id: load.id, type: 'loadFile', payload: { file, name: 'a.csv' } });
  assert.deepEqual(seg.payload, { k: 3, seed: 1, nInit: 10 });
  assert.notEqual(load.id, seg.id);

  const p = { stage: 'read', done: 1, total: 2, rows: 10 };
  workers[0].reply({ id: load.id, type: 'progress', payload: p });
  workers[0].reply({ id: seg.id, type: 'result', payload: { csv: 'b' } });
  workers[0].reply({ id: load.id, type: 'result', payload: { summary: 'a' } });
  assert.deepEqual(await segmenting, { csv: 'b' });
  assert.deepEqual(await loading, { summary: 'a' });
  assert.deepEqual(progress, [p]);
});

test('an error reply rejects with the worker error name and message', async () => {
  const { client, workers } = setup();
  const loading = client.loadFile(new Blob([]));
  const { id } = workers[0].posted[0];
  workers[0].reply({ id, type: 'error', payload: { name: 'InputError', message: 'no header' } });
  await assert.rejects(loading, { name: 'InputError', message: 'no header' });
});

test('cancel terminates the worker, rejects pending calls with AbortError, next call respawns', async () => {
  const { client, workers } = setup();
  const a = client.loadFile(new Blob([]));
  const b = client.segment({ k: 4, seed: 1, nInit: 10 });
  client.cancel();
  await assert.rejects(a, { name: 'AbortError' });
  await assert.rejects(b, { name: 'AbortError' });
  assert.equal(workers[0].terminated, true);

  const c = client.segment({ k: 2, seed: 1, nInit: 10 });
  assert.equal(workers.length, 2);
  workers[1].reply({ id: workers[1].posted[0].id, type: 'result', payload: 'ok' });
  assert.equal(await c, 'ok');
});

test('an AbortSignal cancels the call', async () => {
  const { client, workers } = setup();
  const controller = new AbortController();
  const loading = client.loadFile(new Blob([]), { signal: controller.signal });
  controller.abort();
  await assert.rejects(loading, { name: 'AbortError' });
  assert.equal(workers[0].terminated, true);
  await assert.rejects(client.segment({ k: 2, seed: 1, nInit: 1 }, { signal: controller.signal }), {
    name: 'AbortError',
  });
  assert.equal(workers.length, 1, 'an already aborted signal posts nothing');
});

test('a crashed worker rejects pending calls, is reported and replaced', async () => {
  const { client, workers, crashes } = setup();
  const loading = client.loadFile(new Blob([]));
  workers[0].crash('RuntimeError: unreachable');
  await assert.rejects(loading, { name: 'WorkerCrashError', message: /unreachable/ });
  assert.equal(crashes.length, 1);
  assert.equal(workers[0].terminated, true);

  // Replies from the dead worker are ignored; the next call goes to a new one.
  workers[0].reply({ id: workers[0].posted[0].id, type: 'result', payload: 'late' });
  const seg = client.segment({ k: 2, seed: 1, nInit: 1 });
  assert.equal(workers.length, 2);
  workers[1].reply({ id: workers[1].posted[0].id, type: 'result', payload: 'fresh' });
  assert.equal(await seg, 'fresh');
});

test('one method per request type: readFile, applyRules, rfmScores, cohorts, ledgerCsv, customerCsv', async () => {
  const { client, workers } = setup();
  const rules = /** @type {any} */ ({ dropDuplicates: true });
  const calls = [
    client.readFile({ options: { dateOrder: 'dmy' }, rules }),
    client.applyRules({ rules }),
    client.rfmScores({ preset: 'rfm-package' }),
    client.cohorts(),
    client.ledgerCsv(),
    client.customerCsv(/** @type {any} */ ({ labels: new Int32Array(1) })),
    client.loadFile(new Blob(['x']), { name: 'a.csv', read: { roles: { customer: 'Id' } }, rules }),
  ];
  const posted = workers[0].posted;
  assert.deepEqual(
    posted.map((m) => m.type),
    ['readFile', 'applyRules', 'rfmScores', 'cohorts', 'ledgerCsv', 'customerCsv', 'loadFile'],
  );
  assert.deepEqual(posted[0].payload, { options: { dateOrder: 'dmy' }, rules });
  assert.deepEqual(posted[2].payload, { preset: 'rfm-package' });
  assert.deepEqual(posted[6].payload.options, { roles: { customer: 'Id' } });
  assert.deepEqual(posted[6].payload.rules, rules);
  posted.forEach((m, i) => workers[0].reply({ id: m.id, type: 'result', payload: i }));
  assert.deepEqual(await Promise.all(calls), [0, 1, 2, 3, 4, 5, 6]);
});
