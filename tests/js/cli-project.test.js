// Segments that live on, from the command line: `segment --save-project` writes the project,
// `apply` scores the same file to the same segments and another period's file to the saved ones,
// with a drift report; a project that cannot be used fails with the field named, exit 1 and no
// output file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './support/wasm-node.js';

const cli = path.join(repoRoot, 'build', 'native', 'loyaltylens');
const sample = path.join(repoRoot, 'public', 'samples', 'online-retail-sample.csv');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-project-'));
const out = (name) => path.join(dir, name);

/** @param {string[]} args */
function run(args) {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run "npm run build:native" first`);
  return spawnSync(cli, args, { encoding: 'utf8' });
}

/** The sample's lines up to (before) or from (after) a day, with its header. @param {'before' | 'after'} side */
function period(side, day) {
  const [header, ...lines] = fs.readFileSync(sample, 'latin1').split('\n').filter(Boolean);
  const iso = (line) => {
    const m = /,(\d+)\/(\d+)\/(\d{4}) /.exec(line);
    return m ? `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}` : '';
  };
  const kept = lines.filter((l) => (side === 'before' ? iso(l) < day : iso(l) >= day));
  const file = out(`${side}.csv`);
  fs.writeFileSync(file, `${[header, ...kept].join('\n')}\n`, 'latin1');
  return file;
}

const rows = (file) => fs.readFileSync(file, 'utf8').trim().split('\n');

test('segment --save-project, then apply on the same file: the same segments, with their names', () => {
  for (const k of ['3', '5']) {
    const r = run(['segment', sample, '--k', k, '--out', out('seg.csv'), '--save-project', out('p.json')]);
    assert.equal(r.status, 0, r.stderr);
    const project = JSON.parse(fs.readFileSync(out('p.json'), 'utf8'));
    assert.equal(project.format, 'loyaltylens-project');
    assert.equal(project.version, 1);
    assert.equal(project.model.k, Number(k));
    assert.equal(project.model.segments.length, Number(k));
    assert.equal(project.model.agreement, 1);
    const a = run(['apply', out('p.json'), sample, '--out', out('applied.csv')]);
    assert.equal(a.status, 0, a.stderr);
    const seg = rows(out('seg.csv'));
    const applied = rows(out('applied.csv'));
    assert.equal(applied[0], 'customer_id,segment,recency,frequency,monetary,segment_name');
    assert.equal(applied.length, seg.length);
    const names = project.model.segments.map((s) => s.name);
    for (let i = 1; i < seg.length; i++) {
      const [id, s] = seg[i].split(',');
      const cells = applied[i].split(',');
      assert.equal(cells[0], id);
      assert.equal(cells[1], s, `customer ${id}`);
      assert.equal(cells[5], names[Number(s) - 1]);
    }
  }
});

test('apply on another period: every customer gets a saved segment; the drift report says what moved', () => {
  const before = period('before', '2011-07-01');
  const after = period('after', '2011-07-01');
  assert.equal(run(['segment', before, '--k', '4', '--out', out('b.csv'), '--save-project', out('pb.json')]).status, 0);
  const a = run(['apply', out('pb.json'), after, '--out', out('a.csv'), '--drift-json', out('drift.json')]);
  assert.equal(a.status, 0, a.stderr);
  const project = JSON.parse(fs.readFileSync(out('pb.json'), 'utf8'));
  const names = new Set(project.model.segments.map((s) => s.name));
  const applied = rows(out('a.csv')).slice(1);
  assert.ok(applied.length > 100);
  for (const line of applied) {
    const cells = line.split(',');
    assert.ok(['1', '2', '3', '4'].includes(cells[1]));
    assert.ok(names.has(cells[5]), cells[5]);
  }
  const drift = JSON.parse(fs.readFileSync(out('drift.json'), 'utf8'));
  assert.deepEqual(
    drift.features.map((f) => f.feature),
    ['recency', 'frequency', 'monetary'],
  );
  for (const f of drift.features) {
    assert.ok(f.psi >= 0);
    assert.ok(['stable', 'moderate shift', 'large shift'].includes(f.reading));
    assert.ok(Math.abs(f.now.reduce((x, y) => x + y, 0) - 1) < 1e-9);
  }
  assert.equal(
    drift.segments.reduce((t, s) => t + s.customersNow, 0),
    applied.length,
  );
  assert.equal(drift.fittedOn.file, 'before.csv');
});

test("flags given to apply override the project's settings (a later as-of date)", () => {
  assert.equal(run(['segment', sample, '--out', out('s.csv'), '--save-project', out('p2.json')]).status, 0);
  const a = run(['apply', out('p2.json'), sample, '--as-of', '2012-01-31', '--out', out('later.csv')]);
  assert.equal(a.status, 0, a.stderr);
  const first = rows(out('s.csv'))[1].split(',');
  const later = rows(out('later.csv'))[1].split(',');
  assert.equal(Number(later[2]), Number(first[2]) + 52, 'recency counted to the later day');
});

test('bad project files: the field named, exit 1, no output written', () => {
  assert.equal(run(['segment', sample, '--k', '3', '--out', out('s3.csv'), '--save-project', out('good.json')]).status, 0);
  const good = JSON.parse(fs.readFileSync(out('good.json'), 'utf8'));
  const variants = [
    ['not-json.json', '{"format": "loyaltylens-project",', /"not-json\.json" is not valid JSON: line 1, column 34: expected a member name/],
    ['future.json', JSON.stringify({ ...good, version: 9 }), /project\.version: the file is in format 9, written by a newer LoyaltyLens/],
    ['k.json', JSON.stringify({ ...good, model: { ...good.model, k: 4 } }), /project\.model\.k: 4 differs from settings\.cluster\.k \(3\)/],
    ['extra.json', JSON.stringify({ ...good, note: 'hi' }), /project\.note: is not a field of this format/],
    [
      'column.json',
      JSON.stringify({ ...good, settings: { ...good.settings, read: { ...good.settings.read, roles: { customer: 'Client' } } } }),
      /"Client" chosen as customer id is not in the header/,
    ],
    [
      'shape.json',
      JSON.stringify({ ...good, model: { ...good.model, centers: good.model.centers.slice(1) } }),
      /project\.model\.centers: holds 2 rows where 3 are needed/,
    ],
    [
      'huge.json',
      JSON.stringify({ ...good, model: { ...good.model, rfmSegments: Array(5000).fill('x') } }),
      /project\.model\.rfmSegments: should be a list of at most 1,001 names/,
    ],
    ['nan.json', JSON.stringify(good).replace('"agreement":1', '"agreement":NaN'), /NaN and Infinity are not JSON numbers/],
  ];
  for (const [name, text, message] of variants) {
    fs.writeFileSync(out(name), text);
    const target = out(`${name}.csv`);
    const r = run(['apply', out(name), sample, '--out', target, '--drift-json', `${target}.drift`]);
    assert.equal(r.status, 1, `${name}: ${r.stderr}`);
    assert.match(r.stderr, message, name);
    assert.ok(!fs.existsSync(target), `${name}: no output file`);
    assert.ok(!fs.existsSync(`${target}.drift`), `${name}: no drift file`);
  }
  const usage = run(['apply', out('good.json')]);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /apply needs 2 files/);
});
