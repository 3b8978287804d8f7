// @ts-check
// `loyaltylens … --stream` (clean and aggregate while reading) writes byte for byte what the
// command writes without it, for every rule that can stream, on a generated file and the real UCI
// file; the rules that need every row are refused by name with what to drop. LL_CLI names another
// build of the CLI (default build/native/loyaltylens).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/wasm-node.js';
import { makeRetailCsv } from './support/make-retail.js';

const cli = process.env.LL_CLI ? path.resolve(process.env.LL_CLI) : path.join(repoRoot, 'build', 'native', 'loyaltylens');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'll-stream-'));
const generated = path.join(tmp, 'generated.csv');
fs.writeFileSync(generated, makeRetailCsv({ invoices: 1500 }));
const realUci = path.join(repoRoot, '..', 'shared', 'data', 'real', 'online_retail', 'online_retail.csv');

/** Runs the CLI; the output file's bytes (when the command writes one), stdout, stderr and status. */
function run(/** @type {string[]} */ args, /** @type {string | null} */ outFlag = null) {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run "npm run build:native" first`);
  const out = path.join(tmp, `out-${Math.random().toString(36).slice(2)}`);
  const r = spawnSync(cli, [...args, ...(outFlag ? [outFlag, out] : [])], { encoding: 'buffer', maxBuffer: 1 << 28 });
  const file = outFlag && fs.existsSync(out) ? fs.readFileSync(out) : null;
  if (file) fs.rmSync(out);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString(), file };
}

const ruleSets = [
  [],
  ['--cancellations', 'net', '--missing-customer', 'synthetic'],
  ['--drop-non-product', '--drop-bad-price', '--exclude-countries', 'France', '--from', '2010-03-01', '--to', '2011-10-31'],
];
const commands = [
  { args: ['clean'], extra: ['--json'], out: null },
  { args: ['clean'], extra: [], out: '--ledger-csv' },
  { args: ['features'], extra: ['--as-of', '2011-12-01'], out: '--out' },
  { args: ['segment'], extra: ['--k', '3'], out: '--out' },
];

/** Every command under every rule set, with and without --stream: the same bytes. */
function checkSame(/** @type {string} */ file) {
  for (const rules of ruleSets) {
    for (const { args, extra, out } of commands) {
      const command = [...args, file, ...extra, ...rules];
      const table = run(command, out);
      const streamed = run([...command, '--stream'], out);
      const label = command.join(' ');
      assert.equal(table.status, 0, `${label}: ${table.stderr}`);
      assert.equal(streamed.status, 0, `${label} --stream: ${streamed.stderr}`);
      assert.ok((table.file ?? table.stdout).length > 100, label);
      assert.ok(streamed.stdout.equals(table.stdout), `${label}: stdout differs with --stream`);
      assert.ok(out === null || /** @type {Buffer} */ (streamed.file).equals(/** @type {Buffer} */ (table.file)), `${label}: output differs with --stream`);
      assert.equal(streamed.stderr, table.stderr, label);
    }
  }
}

test('--stream: byte-identical outputs on a generated file, every streamable rule set', () => checkSame(generated));

test(
  '--stream: byte-identical outputs on the real UCI Online Retail file',
  { skip: !fs.existsSync(realUci) && 'the UCI file is not in ../shared/data/real' },
  () => checkSame(realUci),
);

test('--stream with a rule that needs every row: exit 2, naming the rule and the flags to drop', () => {
  const needs = {
    duplicates: ['--drop-duplicates'],
    window: ['--window-months', '6'],
    outliers: ['--outliers', 'iqr'],
    rare_products: ['--min-product-customers', '3'],
  };
  for (const [rule, flags] of Object.entries(needs)) {
    const r = run(['features', generated, ...flags, '--stream']);
    assert.equal(r.status, 2, rule);
    assert.match(r.stderr, new RegExp(`the cleaning rule "${rule}" \\(${flags[0]}\\) needs every row at once`));
    assert.match(r.stderr, new RegExp(`drop --stream \\(the rows are then kept\\) or drop ${flags[0]}`));
    assert.equal(run(['features', generated, ...flags]).status, 0, `${rule} without --stream`);
  }
});

test('profile --stream: the ingest in one stage, peak memory, the same sums', () => {
  const table = JSON.parse(run(['profile', generated]).stdout.toString());
  const streamed = JSON.parse(run(['profile', generated, '--stream']).stdout.toString());
  assert.equal(table.mode, 'table');
  assert.equal(streamed.mode, 'stream');
  for (const key of ['read_s', 'ingest_s', 'max_rss_mb']) assert.equal(typeof streamed[key], 'number', key);
  for (const key of ['rows', 'customers', 'sum_recency', 'sum_frequency', 'sum_monetary', 'inertia']) assert.equal(streamed[key], table[key], key);
});
