// The wasm module in Node gives byte-for-byte the same segments CSV as the native CLI on the same
// input and settings, whatever the chunking; errors come back as values, never as exceptions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadWasm, repoRoot } from './support/wasm-node.js';

const wasm = await loadWasm();
const cli = path.join(repoRoot, 'build', 'native', 'loyaltylens');
const fixture = (name) => path.join(repoRoot, 'tests', 'fixtures', name);
const sample = path.join(repoRoot, 'public', 'samples', 'online-retail-sample.csv');
const realUci = path.join(repoRoot, '..', 'shared', 'data', 'real', 'online_retail', 'online_retail_kaggle_style.csv');

/** Runs the whole pipeline in wasm, feeding the bytes in chunks of the given sizes (cycled). */
function wasmSegments(file, { k, seed = 1, nInit = 10 }, chunkSizes = [1 << 20]) {
  const bytes = fs.readFileSync(file);
  assert.deepEqual(wasm.ingestBegin({ fileName: path.basename(file) }), { ok: true });
  for (let i = 0, c = 0; i < bytes.length; c++) {
    const n = chunkSizes[c % chunkSizes.length];
    const r = wasm.ingestChunk(bytes.subarray(i, i + n));
    assert.equal(r.ok, true, JSON.stringify(r.error));
    i += n;
  }
  const res = wasm.ingestFinish();
  assert.equal(res.ok, true, JSON.stringify(res.error));
  // The download's K-Means and its CSV come from one call, as `loyaltylens segment`'s do.
  const seg = wasm.segment({ k, seed, nInit });
  assert.equal(seg.ok, true, JSON.stringify(seg.error));
  return { res, seg, csv: seg.csv };
}

function nativeSegments(file, { k, seed = 1, nInit = 10 }) {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run "npm run build:native" first`);
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'll-')), 'segments.csv');
  execFileSync(cli, ['segment', file, '--k', String(k), '--seed', String(seed), '--n-init', String(nInit), '--out', out], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return fs.readFileSync(out, 'utf8');
}

test('tiny fixtures: hand-computed RFM in wasm', () => {
  for (const name of ['tiny_online_retail.csv', 'tiny_online_retail_ii.csv']) {
    const { res, csv } = wasmSegments(fixture(name), { k: 2 });
    assert.equal(res.summary.rowsRead, 7);
    assert.equal(res.summary.rowsKept, 5);
    assert.equal(res.summary.customers, 3);
    assert.equal(res.summary.asOf, '2010-12-11');
    assert.equal(res.customerIds, '17850\n13047\n12583');
    assert.deepEqual([...res.recency], [6, 3, 1]);
    assert.deepEqual([...res.frequency], [2, 1, 1]);
    assert.equal(csv, nativeSegments(fixture(name), { k: 2 }));
  }
});

test('demo sample: wasm equals the native CLI for k = 3, 4, 5', () => {
  for (const k of [3, 4, 5]) {
    const { seg, csv } = wasmSegments(sample, { k });
    assert.equal(seg.profiles.length, k);
    assert.equal(csv, nativeSegments(sample, { k }), `k=${k}`);
  }
});

test('demo sample: odd chunk sizes give the same result as one big chunk', () => {
  const whole = wasmSegments(sample, { k: 4 }).csv;
  const odd = wasmSegments(sample, { k: 4 }, [1, 7, 4093, 65537, 3, 100003]).csv;
  assert.equal(odd, whole);
});

test('segments are ordered by mean spend and cover every customer', () => {
  const { res, seg } = wasmSegments(sample, { k: 4 });
  const sizes = seg.profiles.map((s) => s.customers);
  assert.equal(
    sizes.reduce((a, b) => a + b, 0),
    res.summary.customers,
  );
  const monetary = seg.profileFeatures.indexOf('monetary');
  const means = seg.profiles.map((s) => s.mean[monetary]);
  assert.deepEqual(
    means,
    [...means].sort((a, b) => b - a),
  );
  const counts = new Array(4).fill(0);
  for (const l of seg.labels) counts[l]++;
  assert.deepEqual(counts, sizes);
});

test('the real UCI Online Retail file (Windows-1252, M/D/YYYY): wasm equals native', { skip: !fs.existsSync(realUci) && 'shared data not present' }, () => {
  const { res, csv } = wasmSegments(realUci, { k: 4 });
  assert.equal(res.summary.rowsRead, 541909);
  assert.equal(res.summary.rowsNoCustomer, 135080);
  assert.equal(res.summary.customers, 4339);
  assert.equal(res.summary.encoding, 'Windows-1252');
  assert.equal(csv, nativeSegments(realUci, { k: 4 }));
});

test('errors are values with a name and a message; the module stays usable', () => {
  /** Feeds all bytes; returns the first failure (from a chunk or from the finish). */
  const ingestAll = (name, bytes) => {
    wasm.ingestBegin({ fileName: name });
    const r = wasm.ingestChunk(bytes);
    return r.ok ? wasm.ingestFinish() : r;
  };
  const r = ingestAll('people.csv', fs.readFileSync(fixture('missing_columns.csv')));
  assert.equal(r.ok, false);
  assert.equal(r.error.name, 'InputError');
  assert.match(r.error.message, /customer id/);
  assert.match(r.error.message, /"name", "email", "signup"/);
  // A chunk after the failure is refused, not silently parsed.
  assert.equal(wasm.ingestChunk(new Uint8Array([65])).ok, false);

  const png = ingestAll('image.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
  assert.equal(png.ok, false);
  assert.match(png.error.message, /PNG image/);

  wasm.ingestBegin({ fileName: 'two.csv' });
  wasm.ingestChunk(new TextEncoder().encode('InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n1,2011-01-01,1,1,A\n2,2011-01-02,1,1,B\n'));
  assert.equal(wasm.ingestFinish().ok, true);
  const bad = wasm.segment({ k: 4 });
  assert.equal(bad.ok, false);
  assert.equal(bad.error.name, 'InvalidArgument');
  assert.match(bad.error.message, /2 customers, fewer than k=4/);
  const badSetting = wasm.segment({ k: 2, scaler: 'loud' });
  assert.equal(badSetting.ok, false);
  assert.equal(badSetting.error.message, 'cluster.scaler: "loud" should be "standard", "robust", "minmax" or "none"');

  // Still works afterwards.
  const { res } = wasmSegments(fixture('tiny_online_retail.csv'), { k: 1 });
  assert.equal(res.summary.customers, 3);
});

test('golden: the demo data reads, cleans and aggregates to the same numbers every time', () => {
  // Produced once with `loyaltylens clean public/samples/online-retail-sample.csv --json` and
  // `loyaltylens features …`, checked by hand against the file's shape (SOURCES.md), and pinned.
  const { res } = wasmSegments(sample, { k: 4 });
  const s = res.summary;
  assert.equal(s.encoding, 'Windows-1252');
  assert.equal(s.layout, 'UCI Online Retail');
  assert.equal(s.rowsRead, 99096);
  assert.equal(s.rowsNoCustomer, 24573);
  assert.equal(s.rowsCancelled, 1536);
  assert.equal(s.rowsKept, 72987);
  assert.equal(s.customers, 872);
  assert.equal(s.firstDate, '2010-12-01');
  assert.equal(s.lastDate, '2011-12-09');
  assert.equal(s.asOf, '2011-12-10');
  const sum = (a) => a.reduce((x, y) => x + y, 0);
  assert.equal(sum(res.frequency), 3417);
  assert.equal(sum(res.recency), 83485);
  assert.ok(Math.abs(sum(res.monetary) - 1603058.05) < 0.01);
  assert.ok(Math.abs(res.ledger.after.revenue - sum(res.monetary)) < 1e-6);
});
