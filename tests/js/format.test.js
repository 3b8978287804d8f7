// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, formatInteger, formatMegabytes, formatMoney, formatPercent, plural, segmentName } from '../../web/format.js';

/** These tests expect English number formatting (Node's default locale unless LANG says otherwise). */
const english = new Intl.NumberFormat().resolvedOptions().locale.startsWith('en');
const skip = english ? false : 'needs an English default locale';

// Node's default locale here is en-US; the page uses the visitor's locale.
test('numbers get thousands separators and fixed decimals', { skip }, () => {
  assert.equal(formatInteger(4338), '4,338');
  assert.equal(formatMoney(1234.5), '1,234.50');
  assert.equal(formatPercent(0.256), '25.6%');
  assert.equal(formatMegabytes(3_240_000), '3.2 MB');
  assert.equal(formatMegabytes(45_600_000), '46 MB');
});

test('names and plurals', { skip }, () => {
  assert.equal(segmentName(0), 'Segment 1');
  assert.equal(plural(1, 'customer', 'customers'), '1 customer');
  assert.equal(plural(4338, 'customer', 'customers'), '4,338 customers');
});

test('escapeHtml escapes every HTML-significant character', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  assert.equal(escapeHtml(12), '12');
});
