// openCsvStream (web/worker/containers.js): every supported container becomes CSV bytes the
// wasm core reads; unsupported ones fail with an InputError that says what to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { openCsvStream, valueText } from '../../web/worker/containers.js';
import { dateFormatKind, excelSerialToText } from '../../web/worker/xlsx-reader.js';
import { makeXlsx, makeZip, sheetRows } from './support/make-xlsx.js';
import { loadWasm, repoRoot } from './support/wasm-node.js';

const wasm = await loadWasm();
const tinyCsv = path.join(repoRoot, 'tests', 'fixtures', 'tiny_online_retail.csv');
const realDir = path.join(repoRoot, '..', 'shared', 'data', 'real', 'online_retail');
const realParquet = path.join(realDir, 'online_retail.parquet');
const realCsv = path.join(realDir, 'online_retail.csv');

/** @param {Uint8Array | string} bytes @param {string} name */
const fileOf = (bytes, name) => new File([bytes], name);

/** Opens a file and reads its whole CSV stream as text; notes are collected. */
async function convert(file) {
  const notes = [];
  const opened = await openCsvStream(file, { onNote: (n) => notes.push(n) });
  const text = await new Response(opened.stream).text();
  return { ...opened, text, notes };
}

/** Streams bytes through the wasm reader with the default cleaning; returns the analysis. */
async function ingest(stream, fileName) {
  assert.deepEqual(wasm.ingestBegin({ fileName }), { ok: true });
  for await (const chunk of stream) {
    const r = wasm.ingestChunk(chunk);
    assert.equal(r.ok, true, r.error?.message);
  }
  const res = wasm.ingestFinish();
  assert.equal(res.ok, true, res.error?.message);
  return { ...res.summary, ids: res.customerIds, monetary: res.monetary.reduce((a, b) => a + b, 0) };
}

test('plain CSV passes through untouched, with its size and no note', async () => {
  const bytes = fs.readFileSync(tinyCsv);
  const out = await convert(fileOf(bytes, 'tiny.csv'));
  assert.equal(out.container, 'csv');
  assert.equal(out.size, bytes.length);
  assert.equal(out.text, bytes.toString('utf8'));
  assert.deepEqual(out.notes, []);
});

test('gzip: the stream is the original bytes; size unknown; notes before and after', async () => {
  const bytes = fs.readFileSync(tinyCsv);
  const out = await convert(fileOf(zlib.gzipSync(bytes), 'tiny_online_retail.csv.gz'));
  assert.equal(out.container, 'gzip');
  assert.equal(out.size, null);
  assert.equal(out.text, bytes.toString('utf8'));
  assert.equal(out.notes.length, 2);
  assert.match(out.notes[1], /gzip-compressed CSV: \d+ kB unpacked to 1 kB/);
  // The magic decides, the name only breaks ties: a ".gz" already unpacked is read as text.
  const plain = await convert(fileOf(bytes, 'tiny.csv.gz'));
  assert.equal(plain.container, 'csv');
  assert.match(plain.note, /plain text despite its name/);
});

test('Parquet values as CSV text', () => {
  assert.equal(valueText(17850), '17850'); // a DOUBLE 17850.0
  assert.equal(valueText(2.55), '2.55');
  assert.equal(valueText(-0), '0');
  assert.equal(valueText(12345678901234567890n), '12345678901234567890');
  assert.equal(valueText(new Date(Date.UTC(2010, 11, 1, 8, 26, 0, 500))), '2010-12-01 08:26:00');
  assert.equal(valueText(new Date(Date.UTC(2011, 0, 2))), '2011-01-02 00:00:00'); // a DATE
  for (const empty of [null, undefined, NaN, Infinity, new Date(NaN)]) assert.equal(valueText(empty), '');
  assert.equal(valueText(true), 'true');
  assert.equal(valueText(new Uint8Array([0, 171])), '00ab');
  assert.equal(valueText({ a: 1n, b: [1, 2] }), '{"a":"1","b":[1,2]}');
});

test('the real UCI Parquet file gives the same analysis as its CSV', { skip: !fs.existsSync(realParquet) && 'shared data not present' }, async (t) => {
  const started = performance.now();
  const notes = [];
  const file = new File([fs.readFileSync(realParquet)], 'online_retail.parquet');
  const opened = await openCsvStream(file, { onNote: (n) => notes.push(n) });
  assert.equal(opened.container, 'parquet');
  assert.equal(opened.note, 'Parquet: 1 row group, 541,909 rows, snappy');
  const hash = createHash('sha256');
  const [toHash, toWasm] = opened.stream.tee();
  const hashed = (async () => {
    for await (const c of toHash) hash.update(c);
  })();
  const fromParquet = await ingest(toWasm, 'online_retail.parquet');
  await hashed;
  t.diagnostic(`parquet → CSV → wasm: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const fromCsv = await ingest(fs.createReadStream(realCsv), 'online_retail.csv');
  assert.equal(fromParquet.rowsRead, 541909);
  assert.equal(fromParquet.customers, 4339);
  assert.equal(fromParquet.rowsNoCustomer, fromCsv.rowsNoCustomer);
  assert.equal(fromParquet.ids, fromCsv.ids);
  assert.equal(fromParquet.monetary, fromCsv.monetary);
  assert.equal(fromParquet.firstDate, fromCsv.firstDate);
  // Same numbers, dates and quoting as the reference export: the very same bytes.
  assert.equal(hash.digest('hex'), createHash('sha256').update(fs.readFileSync(realCsv)).digest('hex'));
  assert.deepEqual(notes, [opened.note]);
});

test('Excel dates: built-in and custom formats, serials in both date systems', () => {
  for (const code of ['dd/mm/yyyy hh:mm', 'm/d/yy', 'mmm-yy', 'mmmm', '[$-409]d-mmm-yyyy;@']) assert.equal(dateFormatKind(code), 'date', code);
  for (const code of ['h:mm AM/PM', 'mm:ss', 'hh:mm:ss']) assert.equal(dateFormatKind(code), 'time', code);
  for (const code of ['0.00" days"', '[Red]#,##0.00', 'General', '0.0%', '\\d0', '_-* #,##0_-', '[h]:mm']) assert.equal(dateFormatKind(code), '', code);
  assert.equal(excelSerialToText(40513.35138888889, false), '2010-12-01 08:26:00');
  assert.equal(excelSerialToText(1, false), '1900-01-01 00:00:00');
  assert.equal(excelSerialToText(59, false), '1900-02-28 00:00:00');
  assert.equal(excelSerialToText(60.5, false), '1900-02-29 12:00:00'); // Lotus's phantom day
  assert.equal(excelSerialToText(61, false), '1900-03-01 00:00:00');
  assert.equal(excelSerialToText(40513.75, false, true), '18:00:00'); // a time-only format
  assert.equal(excelSerialToText(0, true), '1904-01-01 00:00:00');
  assert.equal(excelSerialToText(39051.35138888889, true), '2010-12-01 08:26:00');
  assert.equal(excelSerialToText(1.99999999, true), '1904-01-03 00:00:00'); // rounds to the second
});

test('xlsx: strings, rich text, entities, numbers, dates, gaps, stored sheet → exact CSV', async () => {
  const sharedStrings = [
    '<t>Invoice</t>',
    '<t>Description</t>',
    '<t>Price</t>',
    '<r><rPr><b/></rPr><t xml:space="preserve">Fish </t></r><r><t>&amp; chips</t></r>',
    '<t>  trimmed  </t>',
    '<t xml:space="preserve">  kept </t>',
    '<t xml:space="preserve">two\nlines</t>',
    '<t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh>',
    '<t>tab_x0009_here</t>',
  ];
  const sheetData = [
    '<row r="1" spans="1:7"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>',
    '<c r="C1" t="inlineStr"><is><t>Date</t></is></c><c r="D1" t="s"><v>2</v></c>',
    '<c r="E1" t="inlineStr"><is><t>Day</t></is></c><c r="F1" t="inlineStr"><is><t>Flag</t></is></c>',
    '<c r="G1" t="inlineStr"><is><t>Other</t></is></c></row>',
    '<row r="2"><c r="A2"><v>536365</v></c><c r="B2" t="s"><v>3</v></c>',
    '<c r="C2" s="1"><v>40513.351388888892</v></c><c r="D2"><v>2.5499999999999998</v></c>',
    '<c r="E2" s="2"><v>40514</v></c><c r="F2" t="b"><v>1</v></c><c r="G2" t="e"><v>#N/A</v></c></row>',
    '<row r="3"><c r="A3" t="str"><f>A2&amp;"x"</f><v>536365x</v></c>',
    '<c r="D3" s="3"><v>7</v></c>',
    '<c r="E3" t="inlineStr"><is><r><t>&lt;tag&gt; &#233;t&#xE9; &quot;q&quot;, &#x1F600;</t></r></is></c>',
    '<c r="F3" s="4"><v>12.5</v></c><c r="G3" t="s"><v>6</v></c></row>',
    '<row r="5"><c r="D5" s="1"/></row>',
    '<row r="6"><c r="A6" t="s"><v>7</v></c><c r="C6"><v>-1.5E-3</v></c><c r="E6" t="s"><v>8</v></c></row>',
    '<row r="7"><c t="inlineStr"><is><t>no ref</t></is></c><c t="s"><v>4</v></c><c t="s"><v>5</v></c></row>',
  ].join('');
  const xlsx = makeXlsx({
    sheetName: 'Online Retail',
    sheetData,
    sharedStrings,
    numFmts: { 164: 'dd/mm/yyyy\\ hh:mm', 165: '0.00" days"', 166: '[Red]#,##0.00' },
    cellXfs: [164, 14, 165, 166],
    storeSheet: true,
  });
  const out = await convert(fileOf(xlsx, 'retail.xlsx'));
  assert.equal(out.container, 'xlsx');
  assert.equal(out.size, null);
  assert.equal(
    out.text,
    [
      'Invoice,Description,Date,Price,Day,Flag,Other',
      '536365,Fish & chips,2010-12-01 08:26:00,2.55,2010-12-02 00:00:00,TRUE,',
      '536365x,,,7,"<tag> été ""q"", 😀",12.5,"two\nlines"',
      '東京,,-0.0015,,tab\there,,',
      'no ref,trimmed,  kept ,,,,',
      '',
    ].join('\n'),
  );
  assert.deepEqual(out.notes, ['Excel workbook: sheet “Online Retail”', 'Excel workbook: sheet “Online Retail”, 4 rows']);
});

test('xlsx: 1904 date system, namespace prefixes, a hidden first sheet skipped', async () => {
  const xlsx = makeXlsx({
    prefix: 'x:',
    before: [{ name: 'Hidden', state: 'hidden', sheetData: '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>' }],
    sheetName: 'Data & more',
    sheetData:
      '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>When</x:t></x:is></x:c></x:row>' +
      '<x:row r="2"><x:c r="A2" s="1"><x:v>39051.351388888892</x:v></x:c></x:row>' +
      '<x:row r="3"><x:c r="A3" s="1"><x:v>0</x:v></x:c></x:row>' +
      '<x:row r="4"><x:c r="A4" s="2"><x:v>0.351388888</x:v></x:c></x:row>',
    cellXfs: [22, 20],
    date1904: true,
  });
  const out = await convert(fileOf(xlsx, 'book1904.xlsx'));
  assert.equal(out.text, 'When\n2010-12-01 08:26:00\n1904-01-01 00:00:00\n08:26:00\n');
  assert.equal(out.note, 'Excel workbook: sheet “Data & more” (first of 2)');
});

test('xlsx of the tiny fixture gives the same analysis as the CSV through the wasm', async () => {
  const lines = fs.readFileSync(tinyCsv, 'utf8').trim().split('\n');
  const rows = lines.map((line, r) =>
    line
      .match(/("[^"]*"|[^,]*)(,|$)/g)
      .slice(0, 8)
      .map((f) => {
        const v = f.replace(/,$/, '').replace(/^"|"$/g, '');
        if (r === 0 || v === '') return v || null;
        if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(v)) return { serial: Date.parse(`${v.replace(' ', 'T')}Z`) / 86400000 + 25569, s: 1 };
        return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
      }),
  );
  const shared = [];
  const sheetData = sheetRows(rows, shared);
  const xlsx = makeXlsx({ sheetData, sharedStrings: shared, cellXfs: [22] });
  const out = await openCsvStream(fileOf(xlsx, 'tiny.xlsx'));
  const fromXlsx = await ingest(out.stream, 'tiny.xlsx');
  const fromCsv = await ingest(fs.createReadStream(tinyCsv), 'tiny.csv');
  assert.equal(fromXlsx.rowsRead, 7);
  assert.equal(fromXlsx.customers, 3);
  assert.equal(fromXlsx.ids, '17850\n13047\n12583');
  assert.equal(fromXlsx.asOf, fromCsv.asOf);
  assert.equal(fromXlsx.monetary, fromCsv.monetary);
});

/** Asserts that opening (and reading) the file fails with an InputError matching `pattern`. */
async function rejectsInput(file, pattern) {
  await assert.rejects(convert(file), (err) => {
    assert.equal(err.name, 'InputError');
    assert.match(err.message, pattern);
    return true;
  });
}

test('unsupported or damaged files fail with a clear InputError', async () => {
  const ole = new Uint8Array(512);
  ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  await rejectsInput(fileOf(ole, 'old.xls'), /"old\.xls" is an Excel 97–2003 workbook.*save it as CSV or \.xlsx/);
  await rejectsInput(
    fileOf(makeZip([{ name: 'export/data.csv', data: 'a,b\n1,2\n' }]), 'data.zip'),
    /"data\.zip" is a ZIP archive holding "export\/data\.csv"\. Unzip it/,
  );
  await rejectsInput(
    fileOf(
      makeZip([
        { name: 'a.png', data: 'x' },
        { name: 'b.txt', data: 'y' },
      ]),
      'pics.zip',
    ),
    /ZIP archive holding "b\.txt"/,
  );
  await rejectsInput(
    fileOf(
      makeZip([
        { name: 'mimetype', data: 'x', store: true },
        { name: 'content.xml', data: '<x/>' },
      ]),
      'sheet.ods',
    ),
    /OpenDocument/,
  );
  const gz = zlib.gzipSync(fs.readFileSync(tinyCsv));
  await rejectsInput(fileOf(gz.subarray(0, gz.length - 20), 'cut.csv.gz'), /"cut\.csv\.gz" is a damaged or truncated gzip file/);
  await rejectsInput(fileOf('InvoiceNo,Quantity\n1,2\n', 'sales.parquet'), /named like a Parquet file.*damaged or misnamed/);
  await rejectsInput(fileOf('PAR1 this is not parquet at all PAR1', 'x.parquet'), /starts like a Parquet file but cannot be read/);

  const xlsx = makeXlsx({ sheetData: '<row r="1"><c r="A1"><v>536365</v></c></row>', storeSheet: true });
  await rejectsInput(fileOf(xlsx.subarray(0, xlsx.length - 30), 'cut.xlsx'), /"cut\.xlsx" is not a complete ZIP archive.*truncated/);
  const damaged = xlsx.slice();
  damaged[Buffer.from(damaged).indexOf('536365') + 2] = 0x39; // a byte of the stored sheet
  await rejectsInput(fileOf(damaged, 'damaged.xlsx'), /"xl\/worksheets\/sheet1\.xml" in the workbook is damaged \(checksum mismatch\)/);
  const deflated = makeXlsx({ sheetData: `<row r="1"><c r="A1"><v>${'536365'.repeat(50)}</v></c></row>` });
  const garbled = deflated.slice();
  garbled.fill(0xff, Buffer.from(garbled).indexOf('xl/worksheets/sheet1.xml') + 30, Buffer.from(garbled).indexOf('xl/worksheets/sheet1.xml') + 40);
  await rejectsInput(fileOf(garbled, 'garbled.xlsx'), /"xl\/worksheets\/sheet1\.xml" in the workbook is damaged/);
  await rejectsInput(fileOf(makeZip([{ name: 'xl/workbook.bin', data: 'x' }]), 'b.xlsb'), /Excel binary workbook \(\.xlsb\)/);
  const locked = makeZip([{ name: 'xl/workbook.xml', data: '<workbook/>', encrypted: true }]);
  await rejectsInput(fileOf(locked, 'locked.xlsx'), /"xl\/workbook\.xml" in the workbook is encrypted/);
  const chartsOnly = makeZip([{ name: 'xl/workbook.xml', data: '<workbook><sheets/></workbook>' }]);
  await rejectsInput(fileOf(chartsOnly, 'charts.xlsx'), /no worksheet with data/);
});
