// Exports LoyaltyLens had never seen (issue 15), written here and checked by hand: each file's
// customers and revenue are computed in the comments. Each goes through the native CLI
// (`features`, `clean --json`) and the wasm module the page runs; both must give the hand values
// and the same numbers. Then the entry points that must refuse binaries, report ragged rows and
// unpack gzip whatever the file's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { loadWasm, repoRoot } from './support/wasm-node.js';

const wasm = await loadWasm();
const cli = path.join(repoRoot, 'build', 'native', 'loyaltylens');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-catalogue-'));

/** @param {string} name @param {string | Buffer} content */
function write(name, content) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** @param {string[]} args */
function run(args) {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run "npm run build:native" first`);
  return spawnSync(cli, args, { encoding: 'utf8' });
}

/** RFC 4180 cells of one line of the CLI's output (no line breaks in these cells). @param {string} line */
function cells(line) {
  /** @type {string[]} */
  const out = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') cell += line[++i];
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (out.push(cell), (cell = ''));
    else cell += c;
  }
  out.push(cell);
  return out;
}

/** The customers of `loyaltylens features FILE` as {id: monetary}. @param {string} file @param {string[]} flags */
function nativeCustomers(file, flags = []) {
  const out = path.join(dir, `${path.basename(file)}.features.csv`);
  execFileSync(cli, ['features', file, ...flags, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  const [header, ...lines] = fs.readFileSync(out, 'utf8').trim().split('\n');
  const m = cells(header).indexOf('monetary');
  return Object.fromEntries(lines.map((l) => [cells(l)[0], Number(cells(l)[m])]));
}

/** The same through the wasm module, in 5-byte chunks. @param {string} file @param {object} options @param {object} rules */
function wasmCustomers(file, options = {}, rules = {}) {
  const bytes = fs.readFileSync(file);
  const begin = wasm.ingestBegin({ fileName: path.basename(file), ...options });
  assert.equal(begin.ok, true, JSON.stringify(begin.error));
  for (let i = 0; i < bytes.length; i += 5) assert.equal(wasm.ingestChunk(bytes.subarray(i, i + 5)).ok, true);
  const res = wasm.ingestFinish(rules, {});
  assert.equal(res.ok, true, JSON.stringify(res.error));
  const ids = res.customerIds.split('\n');
  return { res, customers: Object.fromEntries(ids.map((id, i) => [id, res.monetary[i]])) };
}

/** @param {Record<string, number>} got @param {Record<string, number>} want */
function sameMoney(got, want) {
  assert.deepEqual(Object.keys(got), Object.keys(want));
  for (const [id, v] of Object.entries(want)) assert.ok(Math.abs(got[id] - v) < 1e-9, `${id}: ${got[id]} ≠ ${v}`);
}

/** `clean --json` of a file. @param {string} file @param {string[]} flags */
function cleanJson(file, flags = []) {
  const r = run(['clean', file, '--json', ...flags]);
  assert.equal(r.status, 0, r.stderr);
  return { json: JSON.parse(r.stdout), stderr: r.stderr };
}

const catalogue = [
  {
    name: 'superstore.csv',
    why: 'order ids CA-2016-152156 / US-2015-108966 (C is not a cancellation mark), string ids, a Sales line amount',
    text:
      'Row ID,Order ID,Order Date,Customer ID,Product ID,Sales,Quantity\n' +
      '1,CA-2016-152156,11/8/2016,CG-12520,FUR-BO-10001798,261.96,2\n' +
      '2,CA-2016-152156,11/8/2016,CG-12520,FUR-CH-10000454,731.94,3\n' +
      '3,US-2015-108966,10/11/2015,SO-20335,FUR-TA-10000577,957.5775,5\n' +
      '4,CA-2014-115812,6/9/2014,BH-11710,FUR-FU-10001487,48.86,7\n' +
      '5,US-2016-161389,12/6/2016,BH-11710,OFF-BI-10003656,407.976,3\n' +
      '6,US-2017-100006,9/7/2017,SO-20335,TEC-PH-10002075,377.97,3\n',
    // CG-12520: 261.96 + 731.94; SO-20335: 957.5775 + 377.97; BH-11710: 48.86 + 407.976
    customers: { 'CG-12520': 993.9, 'SO-20335': 1335.5475, 'BH-11710': 456.836 },
    check: ({ json }) => {
      const c = json.ledger.rules.find((r) => r.rule === 'cancellations');
      assert.equal(c.rows, 0);
      assert.equal(c.decision.applies, false);
      assert.match(c.decision.outcome, /not applicable to this file/);
    },
  },
  {
    name: 'uci-style.csv',
    why: "UCI cancellations: C + the other invoices' digits, negative quantities",
    text:
      'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n' +
      '536365,85123A,WHITE HANGING HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom\n' +
      'C536379,85123A,WHITE HANGING HEART,-2,2010-12-01 09:41:00,2.55,17850,United Kingdom\n' +
      '536366,22633,HAND WARMER,6,2010-12-01 08:28:00,1.85,13047,United Kingdom\n',
    customers: { 17850: 15.3, 13047: 11.1 },
    check: ({ json }) => {
      const c = json.ledger.rules.find((r) => r.rule === 'cancellations');
      assert.equal(c.rows, 1);
      assert.equal(c.decision.applies, true);
    },
  },
  {
    name: 'pandas-ids.csv',
    why: 'ids written as floats by pandas (13085.0), every id a whole number',
    text: 'Invoice,InvoiceDate,Quantity,Price,Customer ID\n1,2011-01-01,2,5,13085.0\n2,2011-01-02,1,3,13085.0\n3,2011-01-03,1,4,12346.0\n',
    customers: { 13085: 13, 12346: 4 },
    check: ({ json }) => assert.equal(json.read.decisions.find((d) => d.key === 'id_normalisation').applies, true),
  },
  {
    name: 'mixed-ids.csv',
    why: 'ids that are not all numbers keep their .0',
    text: 'Invoice,InvoiceDate,Quantity,Price,Customer ID\n1,2011-01-01,2,5,13085.0\n2,2011-01-02,1,3,CG-1\n',
    customers: { '13085.0': 10, 'CG-1': 3 },
  },
  {
    name: 'order-totals.csv',
    why: 'an order total repeated on every line of the order',
    text: (() => {
      let t = 'Order,Date,Customer,Product,Quantity,Total\n';
      // 12 orders of two lines; customer A has orders 0..5 (totals 10..15), B has 6..11 (16..21).
      for (let k = 0; k < 12; k++)
        t += `${k},2011-01-0${1 + (k % 9)},${k < 6 ? 'A' : 'B'},p1,1,${10 + k}\n${k},2011-01-0${1 + (k % 9)},${k < 6 ? 'A' : 'B'},p2,3,${10 + k}\n`;
      return t;
    })(),
    customers: { A: 75, B: 111 },
    check: ({ json }) => assert.equal(json.read.decisions.find((d) => d.key === 'order_totals').applies, true),
  },
  {
    name: 'returns-flag.csv',
    why: 'a Returned yes/no column',
    text: 'Order,Date,Customer,Quantity,Price,Returned\n1,2011-01-01,A,2,10,No\n2,2011-01-02,A,1,10,Yes\n3,2011-01-03,B,1,5,No\n',
    customers: { A: 20, B: 5 },
  },
  {
    name: 'timezones.csv',
    why: 'ISO timestamps with offsets: the local day as written',
    text: 'Order,Date,Customer,Quantity,Price\n1,2011-12-09T23:30:00-05:00,A,1,10\n2,2011-12-10T08:00:00+01:00,B,1,4\n',
    customers: { A: 10, B: 4 },
    check: ({ json }) => {
      assert.equal(json.read.first_date, '2011-12-09');
      assert.ok(json.read.decisions.some((d) => d.key === 'time_zone'));
    },
  },
  {
    name: 'space-delimited.txt',
    why: 'values separated by spaces, aligned',
    text: 'InvoiceNo   InvoiceDate  Quantity  UnitPrice  CustomerID\n1           2011-01-01   2         1.5        A\n2           2011-01-02   1         4          B\n',
    customers: { A: 3, B: 4 },
    check: ({ json }) => assert.equal(json.read.delimiter, 'space'),
  },
  {
    name: 'comma-space.csv',
    why: '", "-delimited with a quoted value holding ", ", a # comment line before the header',
    text: '# exported 2011-02-01\nInvoiceNo, InvoiceDate, Description, Quantity, UnitPrice, CustomerID\n1, 2011-01-01, "MUG, RED", 2, 1.5, A\n2, 2011-01-02, PLATE, 1, 4, B\n',
    customers: { A: 3, B: 4 },
    check: ({ json }) => {
      assert.equal(json.read.dialect.skip_initial_space, true);
      assert.equal(json.read.dialect.comment_lines, 1);
    },
  },
  {
    name: 'single-quoted.csv',
    why: "fields in single quotes, a doubled '' inside",
    text: "'InvoiceNo','InvoiceDate','Quantity','UnitPrice','CustomerID'\n'1','2011-01-01','2','1.5','O''Brien'\n'2','2011-01-02','1','4','Lee, Ann'\n",
    customers: { "O'Brien": 3, 'Lee, Ann': 4 },
    check: ({ json }) => assert.equal(json.read.dialect.quote, "'"),
  },
  {
    name: 'mysql-escaped.csv',
    why: 'backslash-escaped quotes inside quoted fields (MySQL)',
    text: 'InvoiceNo,Description,InvoiceDate,Quantity,UnitPrice,CustomerID\n1,"12\\" RULER, STEEL",2011-01-01,2,1.5,A\n2,"plain",2011-01-02,1,4,B\n',
    customers: { A: 3, B: 4 },
    check: ({ json }) => assert.equal(json.read.dialect.escape, '\\'),
  },
  {
    name: 'ragged.csv',
    why: 'a short row (padded: its country is empty) and a long one (kept, reported)',
    text: 'InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID,Country\n1,2011-01-01,2,1.5,A\n2,2011-01-02,1,4,B,France,extra\n',
    customers: { A: 3, B: 4 },
    check: ({ json }) => {
      assert.deepEqual(json.read.ragged.short_lines, [2]);
      assert.deepEqual(json.read.ragged.long_lines, [3]);
      assert.ok(json.read.warnings.some((w) => w.startsWith("1 row has fewer fields than the header's 6 (line 2)")));
    },
  },
];

for (const entry of catalogue) {
  test(`catalogue: ${entry.name} — ${entry.why}`, () => {
    const file = write(entry.name, entry.text);
    sameMoney(nativeCustomers(file), entry.customers);
    const { customers } = wasmCustomers(file);
    sameMoney(customers, entry.customers);
    const clean = cleanJson(file);
    assert.ok(Math.abs(clean.json.ledger.after.revenue - Object.values(entry.customers).reduce((a, b) => a + b, 0)) < 1e-9);
    entry.check?.(clean);
  });
}

test("a rule that removes over 20% warns in the ledger, on stderr and in the page's summary", () => {
  const file = write('superstore-forced.csv', catalogue[0].text);
  const { json, stderr } = cleanJson(file, ['--cancel-prefix', 'on']);
  const c = json.ledger.rules.find((r) => r.rule === 'cancellations');
  assert.equal(c.rows, 3);
  assert.match(c.warning, /removed 50% of the rows \(3 of 6\)/);
  assert.match(stderr, /warning: "Cancellations and returns" removed 50% of the rows/);
  const { res } = wasmCustomers(file, {}, { cancelPrefix: 'on' });
  assert.ok(res.summary.warnings.some((w) => /removed 50% of the rows/.test(w)));
  assert.match(res.ledger.rules.find((r) => r.rule === 'cancellations').warning, /removed 50%/);
  // The ledger CSV carries the check and the warning.
  const csv = run(['clean', file, '--cancel-prefix', 'on']).stdout;
  assert.match(csv.split('\n')[0], /,check,warning$/);
  assert.match(csv, /removed 50% of the rows/);
});

test('binary files are refused by name in csv, clean, features and segment (exit 1, nothing on stdout)', () => {
  const cases = [
    [
      'book.xlsx',
      Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00\x08\x00', 'latin1'), Buffer.alloc(16), Buffer.from('[Content_Types].xml')]),
      /Excel workbook \(\.xlsx\).*The LoyaltyLens page reads \.xlsx/,
    ],
    [
      'book.csv',
      Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x06\x00\x08\x00', 'latin1'), Buffer.alloc(16), Buffer.from('xl/workbook.xml')]),
      /Excel workbook \(\.xlsx\)/,
    ],
    ['old.xls', Buffer.from('d0cf11e0a1b11ae1000000000000', 'hex'), /Excel 97-2003 workbook/],
    ['data.csv', Buffer.from('PAR1\x15\x04\x15\x10', 'latin1'), /a Parquet file/],
    ['report.csv', Buffer.from('%PDF-1.7\n%\xe2\xe3'), /a PDF document/],
    ['chart.csv', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), /a PNG image/],
    ['archive.csv', Buffer.from('PK\x03\x04\x14\x00\x00\x00\x00\x00data.csv', 'latin1'), /a ZIP archive.*Unzip it/],
  ];
  for (const [name, bytes, message] of cases) {
    const file = write(name, bytes);
    for (const args of [
      ['csv', file, '--json'],
      ['clean', file, '--json'],
      ['features', file],
      ['segment', file],
    ]) {
      const r = run(args);
      assert.equal(r.status, 1, `${args[0]} ${name}: ${r.stderr}`);
      assert.match(r.stderr, message, `${args[0]} ${name}`);
      assert.match(r.stderr, new RegExp(`"${name.replace('.', '\\.')}" is`));
      assert.equal(r.stdout.trim(), args[0] === 'csv' ? '' : '', `${args[0]} ${name} printed output`);
    }
  }
  // In the page's module too (the worker hands it bytes it could not route).
  const pdf = fs.readFileSync(path.join(dir, 'report.csv'));
  wasm.ingestBegin({ fileName: 'report.csv' });
  const r = wasm.ingestChunk(pdf);
  assert.equal(r.ok, false);
  assert.match(r.error.message, /"report\.csv" is a PDF document/);
});

test('gzip without a .gz name is unpacked and read; a gzipped workbook is still refused', () => {
  const text = catalogue[1].text;
  const gz = write('uci-style.dat', zlib.gzipSync(text));
  sameMoney(nativeCustomers(gz), catalogue[1].customers);
  // Two concatenated gzip members (cat a.gz b.gz) read as one text.
  const [head, ...rest] = text.split('\n');
  const two = write('two-members.csv', Buffer.concat([zlib.gzipSync(`${head}\n${rest[0]}\n`), zlib.gzipSync(rest.slice(1).join('\n'))]));
  sameMoney(nativeCustomers(two), catalogue[1].customers);
  const csv = run(['csv', gz, '--json']);
  assert.equal(csv.status, 0, csv.stderr);
  assert.equal(JSON.parse(csv.stdout).length, 4);
  const workbook = write('book.csv.gz', zlib.gzipSync(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(26), Buffer.from('xl/workbook.xml')])));
  const r = run(['features', workbook]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /Excel workbook.*It came gzip-compressed/);
  const cut = write('cut.csv', zlib.gzipSync(text).subarray(0, 30));
  const c = run(['features', cut]);
  assert.equal(c.status, 1);
  assert.match(c.stderr, /gzip file cut short/);
});

test('loyaltylens csv reports each record whose field count differs: "line N: M fields, header has K"', () => {
  const file = write('ragged-records.csv', 'a,b,c\n1,2\n3,4,5\n"multi\nline",6,7,8\n9,10,11\n');
  const r = run(['csv', file, '--json']);
  assert.equal(r.status, 0);
  assert.deepEqual(JSON.parse(r.stdout), [
    ['a', 'b', 'c'],
    ['1', '2'],
    ['3', '4', '5'],
    ['multi\nline', '6', '7', '8'],
    ['9', '10', '11'],
  ]);
  assert.deepEqual(r.stderr.trim().split('\n'), [
    'line 2: 2 fields, header has 3',
    'line 4: 4 fields, header has 3',
    "ragged-records.csv: 2 of 5 records have another field count than the header's 3",
  ]);
  // The dialect flags: the same file read with other settings.
  const single = write('q.csv', "a,b\n'x,y',2\n");
  assert.deepEqual(JSON.parse(run(['csv', single, '--json', '--quote', "'"]).stdout), [
    ['a', 'b'],
    ['x,y', '2'],
  ]);
  assert.deepEqual(JSON.parse(run(['csv', single, '--json', '--quote', 'none']).stdout), [
    ['a', 'b'],
    ["'x", "y'", '2'],
  ]);
  const bad = run(['csv', single, '--json', '--quote', 'x']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--quote takes auto, ", ' or none, got "x"/);
});

test("ragged rows skipped by setting: counted, reported, and the same in the page's module", () => {
  const file = write('ragged-skip.csv', `${catalogue.find((c) => c.name === 'ragged.csv').text}3,2011-01-03,1,2,C,Spain\n`);
  sameMoney(nativeCustomers(file, ['--ragged', 'skip']), { C: 2 });
  const { json } = cleanJson(file, ['--ragged', 'skip']);
  assert.equal(json.read.rows_unreadable, 2);
  assert.equal(json.read.ragged.policy, 'skip');
  assert.match(json.unreadable_examples[0], /^line 2: 5 fields where the header has 6 \(skipped/);
  const { res } = wasmCustomers(file, { ragged: 'skip' });
  assert.equal(res.summary.rowsUnreadable, 2);
  assert.deepEqual(res.summary.ragged.shortLines, [2]);
});

test("column roles say why they were chosen, in clean --json and in the page's module", () => {
  const file = write('reasons.csv', catalogue[0].text);
  const { json } = cleanJson(file);
  assert.match(json.read.role_reasons.customer, /its header "Customer ID" is a usual name for the customer id/);
  assert.match(json.read.role_reasons.amount, /the value of each line/);
  assert.match(json.read.role_reasons.price, /no column/);
  const { res } = wasmCustomers(file);
  assert.equal(res.summary.roleReasons.customer, json.read.role_reasons.customer);
  assert.deepEqual(
    res.summary.decisions.map((d) => d.key),
    json.read.decisions.map((d) => d.key),
  );
});
