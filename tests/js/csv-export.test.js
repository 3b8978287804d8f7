// @ts-check
// The page's own CSV files: formula-injection-safe cells, RFC 4180 quoting, UTF-8 BOM, and a
// round trip through the parser.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BOM,
  CUSTOMER_SCORE_COLUMNS,
  cohortMatrixCsv,
  csvCell,
  customerTableCsv,
  formatNumber,
  isNumericText,
  parseCsv,
  toCsv,
} from '../../web/export/csv-export.js';
import { FEATURES } from '../../web/model/definitions.js';

test('text cells that a spreadsheet would run as a formula get a leading quote', () => {
  for (const text of ['=1+2', '+SUM(A1)', '-2+3', '@cmd', '\tTAB', '\rCR', '\nLF', '=HYPERLINK("http://x","y")']) {
    const cell = csvCell(text);
    const parsed = parseCsv(cell)[0]?.[0] ?? '';
    assert.equal(parsed, `'${text}`, JSON.stringify(text));
  }
});

test('numbers, and text that is a number, stay as they are', () => {
  assert.equal(csvCell(-12.5), '-12.5');
  assert.equal(csvCell('-12.5'), '-12.5');
  assert.equal(csvCell('+3'), '+3');
  assert.equal(csvCell('-1e5'), '-1e5');
  assert.equal(csvCell('-.5'), '-.5');
  assert.equal(csvCell(0), '0');
  assert.equal(csvCell(NaN), '');
  assert.equal(csvCell(Infinity), '');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(undefined), '');
  assert.ok(isNumericText('12'));
  assert.ok(!isNumericText('-'));
  assert.ok(!isNumericText('- 5'));
  assert.ok(!isNumericText('1,5'));
  assert.equal(csvCell('-'), "'-");
  assert.equal(csvCell('17850'), '17850');
  assert.equal(csvCell('a=b'), 'a=b', 'only a leading character matters');
});

test('RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled', () => {
  assert.equal(csvCell('GLASS STAR, FROSTED'), '"GLASS STAR, FROSTED"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('cr\rhere'), '"cr\rhere"');
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('=a,b'), `"'=a,b"`, 'defused, then quoted');
  assert.equal(csvCell('\n=x'), `"'\n=x"`);
});

test('toCsv: BOM, CRLF after every line; parseCsv reads it back exactly', () => {
  const header = ['id', 'name', 'note', 'n'];
  const rows = [
    ['1', 'Müller, Köln', 'says "hi"', 3.5],
    ['=2', 'multi\nline', '', -4],
    ['+3', '@home', '\ttab', null],
  ];
  const csv = toCsv(header, rows);
  assert.ok(csv.startsWith(BOM));
  assert.ok(csv.endsWith('\r\n'));
  assert.equal(csv.split('\r\n').length, 5, 'header, 3 rows (one with an embedded LF), trailing empty');
  const parsed = parseCsv(csv);
  assert.deepEqual(parsed, [
    header,
    ['1', 'Müller, Köln', 'says "hi"', '3.5'],
    ["'=2", 'multi\nline', '', '-4'],
    ['+3', "'@home", "'\ttab", ''], // +3 is a number: left as it is
  ]);
  assert.ok(!toCsv(['a'], [], { bom: false }).startsWith(BOM));
});

test('parseCsv handles LF and CRLF, quoted separators, and a last line without a break', () => {
  assert.deepEqual(parseCsv('a,b\n1,"x,y"\n'), [
    ['a', 'b'],
    ['1', 'x,y'],
  ]);
  assert.deepEqual(parseCsv('a,b\r\n1,2'), [
    ['a', 'b'],
    ['1', '2'],
  ]);
  assert.deepEqual(parseCsv('"a""b",c'), [['a"b', 'c']]);
  assert.deepEqual(parseCsv(''), []);
});

test('formatNumber: money keeps 2 decimals, others trim, no -0', () => {
  assert.equal(formatNumber(12.5, 2), '12.50');
  assert.equal(formatNumber(1234.5600000001, 2), '1234.56');
  assert.equal(formatNumber(2.125, 4), '2.125');
  assert.equal(formatNumber(3, 4), '3');
  assert.equal(formatNumber(-0.00001, 2), '0.00');
  assert.equal(formatNumber(-0.4, 0), '0');
  assert.equal(formatNumber(NaN, 2), '');
});

/** A tiny customer table with every feature. */
function sampleTable() {
  const n = 3;
  /** @type {Record<string, Float64Array>} */
  const features = {};
  for (const f of FEATURES) features[f.name] = new Float64Array(n).map((_, i) => i + 0.5);
  features.days_between[0] = NaN;
  return {
    ids: ['17850', '=cmd|calc', 'a,b'],
    countries: ['United Kingdom', 'Côte d’Ivoire', ''],
    features,
    r: new Uint8Array([5, 1, 3]),
    f: new Uint8Array([4, 1, 2]),
    m: new Uint8Array([5, 2, 1]),
    rfmSegment: new Int32Array([0, 1, 2]),
    rfmNames: ['Champions', '@risk'],
    labels: new Int32Array([0, 1, 0]),
  };
}

test('customer table: every feature, scores, cell, named segment (Others), K-Means from 1; ids defused', () => {
  const rows = parseCsv(customerTableCsv(sampleTable()));
  assert.deepEqual(rows[0], ['customer_id', 'country', ...FEATURES.map((f) => f.name), ...CUSTOMER_SCORE_COLUMNS]);
  assert.equal(rows.length, 4);
  const col = (/** @type {string} */ name) => rows[0].indexOf(name);
  assert.deepEqual(
    rows.slice(1).map((r) => r[0]),
    ['17850', "'=cmd|calc", 'a,b'],
  );
  assert.deepEqual(
    rows.slice(1).map((r) => r[1]),
    ['United Kingdom', 'Côte d’Ivoire', ''],
  );
  assert.deepEqual(
    rows.slice(1).map((r) => r[col('rfm_cell')]),
    ['545', '112', '321'],
  );
  assert.deepEqual(
    rows.slice(1).map((r) => r[col('rfm_segment')]),
    ['Champions', "'@risk", 'Others'],
  );
  assert.deepEqual(
    rows.slice(1).map((r) => r[col('kmeans_segment')]),
    ['1', '2', '1'],
  );
  assert.equal(rows[1][col('days_between')], '', 'NaN → empty');
  assert.equal(rows[1][col('monetary')], '0.50', 'money with 2 decimals');
  assert.equal(rows[1][col('recency')], '1', 'days as whole numbers (0.5 rounds up)');
});

test('customer table refuses arrays of different lengths', () => {
  const t = sampleTable();
  assert.throws(() => customerTableCsv({ ...t, labels: new Int32Array(2) }), /labels has 2 entries for 3 customers/);
});

test('cohort matrix: size column, one column per month, empty after the data ends', () => {
  const cohorts = {
    months: ['2011-01', '2011-02', '2011-03'],
    active: [new Float64Array([10, 4, 2]), new Float64Array([5, 1, 0]), new Float64Array([2, 0, 0])],
    revenue: [new Float64Array([100, 40.5, 20]), new Float64Array([50, 10, 0]), new Float64Array([20, 0, 0])],
  };
  const retention = parseCsv(cohortMatrixCsv(cohorts, 'retention'));
  assert.deepEqual(retention, [
    ['cohort', 'customers', 'month_0', 'month_1', 'month_2'],
    ['2011-01', '10', '1', '0.4', '0.2'],
    ['2011-02', '5', '1', '0.2', ''],
    ['2011-03', '2', '1', '', ''],
  ]);
  assert.deepEqual(parseCsv(cohortMatrixCsv(cohorts, 'customers'))[1], ['2011-01', '10', '10', '4', '2']);
  assert.deepEqual(parseCsv(cohortMatrixCsv(cohorts, 'revenue'))[1], ['2011-01', '10', '100.00', '40.50', '20.00']);
});

test('with the as-of date, the first and last purchase days come after the features', () => {
  const t = sampleTable();
  t.features.tenure = new Float64Array([10, 1, NaN]);
  t.features.recency = new Float64Array([3, 1, 2]);
  const rows = parseCsv(customerTableCsv({ ...t, asOf: '2011-03-01' }));
  const col = (/** @type {string} */ name) => rows[0].indexOf(name);
  assert.equal(col('first_purchase'), col('spend_4w') + 1);
  assert.deepEqual(
    rows.slice(1).map((r) => [r[col('first_purchase')], r[col('last_purchase')]]),
    [
      ['2011-02-19', '2011-02-26'],
      ['2011-02-28', '2011-02-28'],
      ['', '2011-02-27'],
    ],
  );
});
