// @ts-check
// Contact normalisation and hashing (Meta, Google, Klaviyo rules), SHA-256 against known vectors,
// target lists and platform files, and the HTML report (aggregates only).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  defaultCallingCode,
  normalizeEmail,
  normalizeEmailGoogle,
  normalizePhone,
  normalizePhoneMeta,
  sha256All,
  sha256Hex,
} from '../../web/export/contacts.js';
import { parseCsv } from '../../web/export/csv-export.js';
import { buildReport, suppressedSegments } from '../../web/export/html-report.js';
import { exportFileName, googleCsv, klaviyoCsv, mailchimpCsv, metaCsv, targetColumns, targetListCsv } from '../../web/export/target-lists.js';

const nodeSha = (/** @type {string} */ s) => createHash('sha256').update(s, 'utf8').digest('hex');

test('SHA-256 in the page (crypto.subtle) gives the FIPS 180-2 test vectors', async () => {
  assert.equal(await sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(await sha256Hex(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(await sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  assert.equal(await sha256Hex('zoë@example.com'), nodeSha('zoë@example.com'), 'UTF-8 bytes');
  assert.deepEqual(await sha256All(['abc', null], { batch: 1 }), ['ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', null]);
});

test('email normalisation: Meta trims and lower-cases; Google also drops Gmail dots and +suffix', () => {
  assert.equal(normalizeEmail('  Ann.Lee+promo@GMail.com '), 'ann.lee+promo@gmail.com');
  assert.equal(normalizeEmailGoogle('  Ann.Lee+promo@GMail.com '), 'annlee@gmail.com');
  assert.equal(normalizeEmailGoogle('J.Doe+x@GoogleMail.com'), 'jdoe@googlemail.com');
  assert.equal(normalizeEmailGoogle('First.Last+tag@Example.co.uk'), 'first.last+tag@example.co.uk', 'other domains keep dots and suffix');
  for (const bad of ['', '   ', 'no-at-sign', 'a@b', 'two words@x.com', null, undefined]) assert.equal(normalizeEmail(bad), null, String(bad));
});

test('phone normalisation: E.164 with the country code; Meta without +; national numbers get one', () => {
  assert.equal(normalizePhone('+44 7700 900123', ''), '+447700900123');
  assert.equal(normalizePhone('+44 (0)7700-900123', ''), '+447700900123', '(0) is left out');
  assert.equal(normalizePhone('0044 7700 900123', ''), '+447700900123');
  assert.equal(normalizePhone('07700 900123', '44'), '+447700900123', 'trunk 0 dropped');
  assert.equal(normalizePhone('06 12 34 56 78', '33'), '+33612345678');
  assert.equal(normalizePhone('06 1234 5678', '39'), '+390612345678', 'Italy keeps its leading 0');
  assert.equal(normalizePhone('(415) 555-2671', '1'), '+14155552671');
  assert.equal(normalizePhone('1-415-555-2671', '1'), '+14155552671');
  assert.equal(normalizePhone('+1 415 555 2671 ext. 12', ''), '+14155552671');
  assert.equal(normalizePhone('07700 900123', ''), null, 'national number without a known country code');
  assert.equal(normalizePhone('123', '44'), null, 'too short');
  assert.equal(normalizePhone('', '44'), null);
  assert.equal(normalizePhoneMeta('07700 900123', '44'), '447700900123');
  assert.equal(defaultCallingCode(['France', 'United Kingdom', 'United Kingdom', 'Atlantis']), '44');
  assert.equal(defaultCallingCode(['Atlantis']), '');
});

/** Four customers in two segments; one without a usable email, one with only a phone. */
const data = {
  ids: ['C1', '=cmd|calc', 'C3', 'C4'],
  countries: ['United Kingdom', 'France', 'United Kingdom', 'Atlantis'],
  features: { recency: new Float64Array([3, 40, 7, 300]), frequency: new Float64Array([9, 2, 5, 1]), monetary: new Float64Array([900.5, 80, 450, 12]) },
  labels: new Int32Array([0, 1, 0, 1]),
  names: ['VIP, loyal', 'Sleeping'],
  rfm: {
    r: new Uint8Array([5, 2, 4, 1]),
    f: new Uint8Array([5, 2, 4, 1]),
    m: new Uint8Array([5, 2, 4, 1]),
    segment: new Int32Array([0, 1, 0, 2]),
    names: ['Champions', 'At risk'],
  },
  emails: ['Ann.Lee+promo@GMail.com', 'bob@example.fr', '', 'not an email'],
  phones: ['07700 900123', '', '+44 7700 900456', ''],
};

test('target list: the chosen columns in the page order, chosen segments, BOM optional, cells defused', () => {
  const ids = targetColumns(data).map((c) => c.id);
  assert.deepEqual(ids.slice(0, 5), ['customer_id', 'segment', 'segment_number', 'rfm_cell', 'rfm_segment']);
  assert.deepEqual(ids.slice(-3), ['country', 'email', 'phone']);
  assert.ok(!targetColumns({ ...data, emails: null, phones: null, rfm: null }).some((c) => ['email', 'phone', 'rfm_cell'].includes(c.id)));
  const { csv, rows } = targetListCsv(data, { columns: ['monetary', 'customer_id', 'segment', 'rfm_cell', 'rfm_segment', 'email'], segments: [1] });
  assert.equal(rows, 2);
  assert.ok(csv.startsWith('\uFEFFcustomer_id,segment,rfm_cell,rfm_segment,monetary,email\r\n'), 'page order, not click order');
  assert.deepEqual(parseCsv(csv).slice(1), [
    ["'=cmd|calc", 'Sleeping', '222', 'At risk', '80.00', 'bob@example.fr'],
    ['C4', 'Sleeping', '111', 'Others', '12.00', 'not an email'],
  ]);
  assert.ok(!targetListCsv(data, { columns: ['customer_id'], segments: [0], bom: false }).csv.startsWith('\uFEFF'));
  assert.equal(exportFileName('target', [0], data.names), 'target-vip-loyal.csv');
  assert.equal(exportFileName('target', [0, 1], data.names), 'target-all-segments.csv');
});

test('platform files: Mailchimp tags, Klaviyo E.164, Meta and Google hashes of the normalised values', async () => {
  const mc = mailchimpCsv(data, { segments: [0, 1] });
  assert.deepEqual(parseCsv(mc.csv), [
    ['Email Address', 'Tags'],
    ['ann.lee+promo@gmail.com', 'VIP  loyal'.replace('  ', ' ')],
    ['bob@example.fr', 'Sleeping'],
  ]);
  assert.equal(mc.skipped, 2);
  assert.ok(!mc.csv.startsWith('\uFEFF'), 'platform files have no BOM');

  const kl = klaviyoCsv(data, { segments: [0, 1], callingCode: '' });
  assert.deepEqual(parseCsv(kl.csv), [
    ['Email', 'Phone Number', 'Segment'],
    ['ann.lee+promo@gmail.com', '+447700900123', 'VIP, loyal'],
    ['bob@example.fr', '', 'Sleeping'],
    ['', '+447700900456', 'VIP, loyal'],
  ]);
  assert.equal(kl.skipped, 1);

  const meta = await metaCsv(data, { segments: [0], callingCode: '' });
  assert.deepEqual(parseCsv(meta.csv), [
    ['EMAIL', 'PHONE'],
    [nodeSha('ann.lee+promo@gmail.com'), nodeSha('447700900123')],
    ['', nodeSha('447700900456')],
  ]);
  const google = await googleCsv(data, { segments: [0], callingCode: '' });
  assert.deepEqual(parseCsv(google.csv), [
    ['Email', 'Phone'],
    [nodeSha('annlee@gmail.com'), nodeSha('+447700900123')],
    ['', nodeSha('+447700900456')],
  ]);
  const none = await metaCsv({ ...data, emails: null, phones: null }, { segments: [0, 1], callingCode: '44' });
  assert.equal(none.rows, 0);
  assert.equal(none.skipped, 4);
});

test('HTML report: aggregates only — no customer id, no contact; small segments suppressed; no script or external resource', () => {
  const ids = ['C-1001', 'C-1002', 'zz-secret-id', '424242'];
  const segments = [
    {
      name: 'Insiders <b>',
      color: '#0072B2',
      customers: 120,
      customerShare: 0.6,
      revenue: 90000,
      revenueShare: 0.9,
      meanRecency: 12,
      meanFrequency: 9,
      meanMonetary: 750,
    },
    {
      name: 'Tiny',
      color: 'red;background:url(x)',
      customers: 4,
      customerShare: 0.02,
      revenue: 400,
      revenueShare: 0.004,
      meanRecency: 30,
      meanFrequency: 2,
      meanMonetary: 100,
    },
    {
      name: 'Sleeping',
      color: '#E69F00',
      customers: 76,
      customerShare: 0.38,
      revenue: 9600,
      revenueShare: 0.096,
      meanRecency: 200,
      meanFrequency: 1.2,
      meanMonetary: 126.3,
    },
  ];
  assert.deepEqual(suppressedSegments(segments, 10), [false, true, false]);
  const html = buildReport({
    fileName: 'shop.csv',
    generated: '2024-05-01',
    period: '2010-12-01 – 2011-12-09',
    customers: 200,
    method: 'K-Means, k = 3',
    settings: ['Features: recency, orders, spend', 'log1p, standardized'],
    segments,
    threshold: 10,
    charts: [{ title: 'Snake plot', dataUrl: 'data:image/png;base64,iVBORw0KGgo=', alt: 'Snake plot' }],
    whatIf: {
      best: 'Insiders <b>',
      uplift: 0.1,
      formula: 'After = …',
      rows: segments.map((s, i) => ({ name: s.name, revenueBefore: s.revenue, revenueAfter: s.revenue * 1.1, suppressed: i === 1 })),
    },
  });
  for (const id of ids) assert.ok(!html.includes(id), `no customer id ${id}`);
  assert.ok(!/<script/i.test(html), 'no script');
  assert.ok(!/(?:src|href)="(?!data:)/i.test(html), 'no external resource');
  assert.ok(html.includes("default-src 'none'"), 'its own CSP');
  assert.ok(html.includes('Insiders &lt;b&gt;'), 'names escaped');
  assert.ok(!html.includes('url(x)'), 'only #rrggbb colours reach a style attribute');
  assert.match(html, /Tiny<\/td><td colspan="7">suppressed: fewer than 10 customers/);
  assert.ok(!html.includes('400.00'), 'no number of the suppressed segment');
  assert.ok(html.includes('Total of the segments shown') && html.includes('196'), 'totals over the segments shown: 120 + 76');
  assert.ok(html.includes('99,600.00'), 'revenue of the segments shown');
  assert.ok(html.includes('<img src="data:image/png;base64,'));
  const all = buildReport({ fileName: 'a', generated: 'x', period: 'p', customers: 200, method: 'm', settings: [], segments, threshold: 1, charts: [] });
  assert.ok(all.includes('All customers') && all.includes('100,000.00'));
});
