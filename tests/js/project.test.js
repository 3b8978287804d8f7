// @ts-check
// Projects in the page: the pure mapping of a project's settings onto the page's forms and back
// (web/model/project.js, cleaning-rules.js rulesFormOf), and the worker's project calls against
// the real wasm: saved from the page's requests it is the CLI's file; opened, it gives back its
// settings; applied on the same customers it gives their labels (and says they are the same);
// applied on another period, every customer gets a saved segment; a bad file is refused by field.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import './support/schema.js'; // the core's schema, before the page's modules read it
import { rfmParams } from '../../web/app/derived.js';
import { defaultRules, rulesFormOf, toWasmRules } from '../../web/model/cleaning-rules.js';
import { clusterParams, defaultClusterSettings } from '../../web/model/cluster-settings.js';
import {
  clusterSettingsOf,
  formsOf,
  isProjectFile,
  overridesOf,
  projectFileName,
  readOverridesOf,
  rfmSettingsOf,
  sameSegments,
  savePayload,
} from '../../web/model/project.js';
import { defaultsOf } from '../../web/model/schema.js';
import { segmentStyles, noOverrides } from '../../web/model/segment-style.js';
import { defaultRfmSettings } from '../../web/state.js';
import { createHandlers } from '../../web/worker/handlers.js';
import { loadWasm, repoRoot } from './support/wasm-node.js';

const wasm = await loadWasm();
const cli = path.join(repoRoot, 'build', 'native', 'loyaltylens');
const sample = path.join(repoRoot, 'public', 'samples', 'online-retail-sample.csv');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-page-project-'));
const noProgress = () => {};

/** The sample's lines before or from a day, with its header, as a file. @param {'before' | 'after'} side @param {string} day */
function period(side, day) {
  const [header, ...lines] = fs.readFileSync(sample, 'latin1').split('\n').filter(Boolean);
  const iso = (/** @type {string} */ line) => {
    const m = /,(\d+)\/(\d+)\/(\d{4}) /.exec(line);
    return m ? `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}` : '';
  };
  const file = path.join(dir, `${side}.csv`);
  fs.writeFileSync(file, `${[header, ...lines.filter((l) => (side === 'before' ? iso(l) < day : iso(l) >= day))].join('\n')}\n`, 'latin1');
  return file;
}

/** @param {string} file */
async function loaded(file) {
  const handlers = createHandlers(wasm);
  const analysis = await handlers.loadFile({ file: new Blob([fs.readFileSync(file)]), name: path.basename(file) }, noProgress);
  return { handlers, analysis };
}

test('the forms round-trip: the core clean group → the page form → the wasm rules', () => {
  const d = defaultsOf('clean');
  assert.deepEqual(rulesFormOf(d), defaultRules());
  const changed = {
    ...d,
    dropDuplicates: true,
    countries: ['France'],
    excludeCountries: true,
    windowMonths: 6,
    minProductCustomers: 3,
    outliers: 'iqr',
    iqrFactor: 2.5,
  };
  const form = rulesFormOf(changed);
  assert.equal(form.countryMode, 'exclude');
  assert.equal(form.windowMode, 'months');
  assert.equal(form.rareProducts, true);
  const back = toWasmRules(form);
  for (const key of /** @type {const} */ ([
    'dropDuplicates',
    'countries',
    'excludeCountries',
    'windowMonths',
    'minProductCustomers',
    'outliers',
    'iqrFactor',
  ])) {
    assert.deepEqual(back[key], changed[key], key);
  }
  const range = rulesFormOf({ ...d, windowStart: '2011-01-01', windowEnd: '2011-06-30' });
  assert.equal(range.windowMode, 'range');
  assert.equal(toWasmRules(range).windowStart, '2011-01-01');
});

test('read overrides keep what differs from the core defaults, and the roles named', () => {
  const read = { ...defaultsOf('read'), delimiter: ';', roles: { customer: 'Client' } };
  assert.deepEqual(readOverridesOf(read), { delimiter: ';', roles: { customer: 'Client' } });
  assert.deepEqual(readOverridesOf(defaultsOf('read')), {});
});

test('RFM settings: a preset or custom rules, and the frozen edges become thresholds in the request', () => {
  const rfm = defaultsOf('rfm');
  const plain = rfmSettingsOf(rfm, null);
  assert.deepEqual(plain, defaultRfmSettings());
  const edges = [
    [1, 2, 3, 4],
    [1, 1, 2, 5],
    [10, 20, 30, 40],
  ];
  const frozen = rfmParams(rfmSettingsOf(rfm, edges));
  assert.equal(frozen.method, 'thresholds');
  assert.deepEqual(frozen.thresholds, edges);
  const rules = [{ name: 'All', rMin: 1, rMax: 5, fMin: 1, fMax: 5, mMin: 1, mMax: 5 }];
  const custom = rfmSettingsOf({ ...rfm, rules }, null);
  assert.equal(custom.preset, 'custom');
  assert.deepEqual(rfmParams(custom).rules, rules);
});

test('names and colours: saved names over the automatic ones, kept by segment order; the saved sizes are checked', () => {
  const model = /** @type {any} */ ({
    segments: [
      { name: 'VIP', color: '#aa3377', customers: 5 },
      { name: 'Potentials', color: '', customers: 3 },
    ],
  });
  const profiles = [
    { name: 'Insiders', customers: 5 },
    { name: 'Potentials', customers: 3 },
  ];
  const overrides = overridesOf(model, profiles);
  assert.deepEqual(overrides, { names: { Insiders: 'VIP' }, colors: { Insiders: '#aa3377' } });
  const styles = segmentStyles(profiles, overrides, 'light');
  assert.equal(styles[0].name, 'VIP');
  assert.equal(styles[0].color, '#aa3377');
  assert.ok(sameSegments(model, profiles));
  assert.ok(!sameSegments(model, [{ customers: 4 }, { customers: 4 }]));
  assert.ok(!sameSegments(model, [{ customers: 5 }]));
});

test('which dropped file is a project; its file name', () => {
  assert.ok(isProjectFile('march.loyaltylens.json', ''));
  assert.ok(isProjectFile('export', '\uFEFF  {"format"'));
  assert.ok(!isProjectFile('transactions.csv', 'InvoiceNo,StockCode'));
  assert.equal(projectFileName('Online Retail.xlsx', new Date('2026-12-04T10:00:00Z')), 'Online-Retail-2026-12-04.loyaltylens.json');
  assert.equal(projectFileName('.csv', new Date('2026-12-04T10:00:00Z')), 'analysis-2026-12-04.loyaltylens.json');
});

test('saved from the page’s requests = `loyaltylens segment --save-project`; opened, it gives its forms back; applied on the same customers, their labels', async () => {
  const before = period('before', '2011-07-01');
  const { handlers } = await loaded(before);
  const run = { ...defaultClusterSettings(), k: 3 };
  const styles = segmentStyles((await handlers.cluster(clusterParams(run, 3), noProgress)).profiles, noOverrides(), 'light');
  const payload = savePayload({ rfm: rfmParams(defaultRfmSettings()), run, mapMethod: 'pca', styles, savedProject: null });
  const { text } = await handlers.saveProject(payload);
  const cliFile = path.join(dir, 'cli.json');
  const r = spawnSync(cli, ['segment', before, '--k', '3', '--save-project', cliFile, '--out', path.join(dir, 'seg.csv')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(text, fs.readFileSync(cliFile, 'utf8'), 'the page saves the CLI’s bytes');

  const opened = await handlers.openProject({ text, fileName: 'p.json' });
  const forms = formsOf(opened.settings);
  assert.deepEqual(forms.readOptions, {});
  assert.deepEqual(forms.rules, defaultRules());
  assert.deepEqual(forms.clusterSettings, defaultClusterSettings());
  assert.equal(forms.k, 3);
  assert.deepEqual(clusterSettingsOf(opened.settings.cluster).clusterSettings, defaultClusterSettings());
  assert.equal(opened.model.k, 3);
  assert.equal(opened.model.fittedOn.file, 'before.csv');
  assert.ok(!('centers' in opened.model), 'the summary leaves out the centres');

  const applied = await handlers.applyProject({ text, fileName: 'p.json' }, noProgress);
  const fitted = await handlers.cluster(clusterParams(run, 3), noProgress);
  assert.deepEqual([...applied.labels], [...fitted.labels], 'the same customers get their own segments');
  assert.equal(applied.drift.sameData, true);
  assert.deepEqual(
    applied.profiles.map((p) => p.name),
    fitted.profiles.map((p) => p.name),
  );
  assert.ok(applied.silhouette && fitted.silhouette && Math.abs(applied.silhouette.mean - fitted.silhouette.mean) < 1e-12);
  assert.ok(applied.csv.startsWith('customer_id,segment,recency,frequency,monetary,segment_name\n'));

  // Restyled: the same model with the names and colours given.
  const restyled = await handlers.saveProject({ project: text, names: ['Best', '', ''], colors: ['#123456', '', ''] });
  const model = JSON.parse(restyled.text).model;
  assert.equal(model.segments[0].name, 'Best');
  assert.equal(model.segments[0].color, '#123456');
  assert.deepEqual(model.centers, JSON.parse(text).model.centers, 'not refitted');
  await assert.rejects(handlers.saveProject({ project: text, names: ['Same', 'Same', ''], colors: [] }), /both named "Same"/);
});

test('applied on another period: every customer in a saved segment, as `loyaltylens apply` writes; bad projects are refused by field', async () => {
  const before = period('before', '2011-07-01');
  const after = period('after', '2011-07-01');
  const project = path.join(dir, 'h1.json');
  const r = spawnSync(cli, ['segment', before, '--k', '4', '--save-project', project, '--out', path.join(dir, 'h1.csv')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const text = fs.readFileSync(project, 'utf8');
  const { handlers, analysis } = await loaded(after);
  const applied = await handlers.applyProject({ text, fileName: 'h1.json' }, noProgress);
  assert.equal(applied.labels.length, analysis.customers.ids.length);
  assert.ok([...applied.labels].every((l) => l >= 0 && l < 4));
  assert.equal(applied.drift.sameData, false);
  assert.equal(applied.drift.features.length, 3);
  const out = path.join(dir, 'applied.csv');
  const a = spawnSync(cli, ['apply', project, after, '--out', out], { encoding: 'utf8' });
  assert.equal(a.status, 0, a.stderr);
  assert.equal(applied.csv, fs.readFileSync(out, 'utf8'), 'the page’s segments.csv = loyaltylens apply --out');

  const bad = JSON.parse(text);
  bad.model.centers[0][0] = 'x';
  await assert.rejects(handlers.applyProject({ text: JSON.stringify(bad), fileName: 'bad.json' }, noProgress), (err) => {
    assert.match(String(/** @type {Error} */ (err).message), /"bad\.json": project\.model\.centers\[0\]\[0\]/);
    return true;
  });
  await assert.rejects(handlers.openProject({ text: '{"format": "loyaltylens-project", "version": 2', fileName: 'cut.json' }), /cut\.json.*line 1/);
  const missing = JSON.parse(text);
  missing.model.features = ['recency', 'frequency', 'no_such_feature'];
  missing.settings.cluster.features = missing.model.features;
  await assert.rejects(handlers.openProject({ text: JSON.stringify(missing), fileName: 'm.json' }), /no_such_feature/);
});

test('`loyaltylens schema` prints the schema the page gets from the wasm module', () => {
  const r = spawnSync(cli, ['schema'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { ok, ...fromWasm } = wasm.schema();
  assert.equal(ok, true);
  assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(fromWasm)));
});
