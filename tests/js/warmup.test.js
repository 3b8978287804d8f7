// @ts-check
// The worker's start-up warm-up (web/worker/warmup.js): its generated export has the quirks
// the default cleaning rules remove, and warming up leaves nothing behind — a warmed module reads, scores and clusters
// the sample exactly as a fresh one does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createHandlers } from '../../web/worker/handlers.js';
import { TOUCH_BYTES, WARMUP_ROWS, touchHeap, warmUp, warmUpSweep, warmupCsv } from '../../web/worker/warmup.js';
import { loadWasm, repoRoot } from './support/wasm-node.js';

const sample = path.join(repoRoot, 'public', 'samples', 'online-retail-sample.csv');
const noProgress = () => {};

/** Runs `fn`, returning what it warned on the console (a warm-up reports its failures there). */
function warningsOf(/** @type {() => void} */ fn) {
  const warn = console.warn;
  /** @type {unknown[]} */
  const warnings = [];
  console.warn = (...a) => warnings.push(a);
  try {
    fn();
  } finally {
    console.warn = warn;
  }
  return warnings;
}

test('the warm-up export is deterministic and has the quirks the cleaning rules remove', async () => {
  const bytes = warmupCsv(WARMUP_ROWS);
  assert.deepEqual(bytes, warmupCsv(WARMUP_ROWS));
  const handlers = createHandlers(await loadWasm());
  const analysis = await handlers.loadFile({ file: new Blob([bytes]), name: 'warm-up.csv' }, noProgress);
  assert.equal(analysis.summary.rowsRead, WARMUP_ROWS);
  assert.equal(analysis.summary.rowsUnreadable, 0);
  assert.equal(analysis.summary.layout, 'UCI Online Retail');
  // The page's default rules, as a drop applies them.
  assert.ok(analysis.summary.rowsNoCustomer > 100 && analysis.summary.rowsCancelled > 100, 'missing ids and cancellations');
  assert.ok(analysis.summary.customers > 500, `${analysis.summary.customers} customers`);
});

test('a warmed-up module holds nothing and computes what a fresh one does', async () => {
  const warmed = await loadWasm();
  assert.deepEqual(
    warningsOf(() => warmUp(warmed)),
    [],
    'the warm-up succeeds',
  );
  const none = warmed.clusterCustomers({ features: ['recency'], k: 2 });
  assert.equal(none.ok, false, 'no analysis is left behind');

  const session = async (/** @type {any} */ module) => {
    const handlers = createHandlers(module);
    const analysis = await handlers.loadFile({ file: new Blob([fs.readFileSync(sample)]), name: 'sample.csv' }, noProgress);
    const scores = await handlers.rfmScores({ preset: 'rf-grid', recency: 'recency', frequency: 'frequency', monetary: 'monetary' }, noProgress);
    const segments = await handlers.segment({ k: 4, seed: 1, nInit: 10 }, noProgress);
    const clusters = await handlers.cluster(
      { features: ['recency', 'frequency', 'monetary'], log1p: true, winsorLo: 0, winsorHi: 100, scaler: 'standard', algorithm: 'kmeans', k: 4, seed: 1 },
      noProgress,
    );
    // The analysis ids count the module's analyses: the warm-up's was one more.
    const { analysisId, ...rest } = analysis;
    const { analysisId: summaryId, ...summary } = rest.summary;
    return { analysis: { ...rest, summary }, scores, segments, clusters: { ...clusters, analysisId: undefined } };
  };
  assert.deepEqual(await session(warmed), await session(await loadWasm()));
});

test('the warm-up leaves a written heap a file’s table takes without growing the module, and keeps none of it', async () => {
  const warmed = await loadWasm();
  warmUp(warmed);
  const size = warmed.HEAP8.length;
  const at = warmed._malloc(TOUCH_BYTES); // what the first file's table and features take at most
  assert.ok(at > 0 && at + TOUCH_BYTES <= size, 'the touched heap is free again');
  assert.equal(warmed.HEAP8.length, size, 'no growth: the first file gets the pages the warm-up wrote');
  warmed._free(at);
  touchHeap(warmed, TOUCH_BYTES);
  touchHeap(warmed, TOUCH_BYTES);
  assert.equal(warmed.HEAP8.length, size, 'touching again takes nothing more');
  // A fresh module lacks that room: the test would pass without the touch otherwise.
  const fresh = await loadWasm();
  const freshSize = fresh.HEAP8.length;
  fresh._free(fresh._malloc(TOUCH_BYTES));
  assert.ok(fresh.HEAP8.length > freshSize, 'a fresh module grows for it');
});

test('the sweep warm-up runs and leaves a sweep worker’s answers unchanged', async () => {
  const points = new Float64Array(600 * 2).map((_, i) => Math.cos(i * 1.3) + (i % 3));
  const params = { algorithm: 'kmeans', kMin: 2, kMax: 4, seed: 3 };
  const warmed = await loadWasm();
  assert.deepEqual(
    warningsOf(() => warmUpSweep(warmed)),
    [],
    'the warm-up sweep succeeds',
  );
  assert.deepEqual(warmed.sweepPoints(points, 600, 2, params), (await loadWasm()).sweepPoints(points, 600, 2, params));
});
