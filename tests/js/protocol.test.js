// @ts-check
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromErrorPayload, toErrorPayload, transferables } from '../../web/api/protocol.js';

test('errors keep their name across the worker boundary', () => {
  const original = new Error('"x.csv": the file lacks the columns LoyaltyLens needs');
  original.name = 'InputError';
  const payload = toErrorPayload(original);
  assert.deepEqual(payload, { name: 'InputError', message: original.message });
  const rebuilt = fromErrorPayload(payload);
  assert.ok(rebuilt instanceof Error);
  assert.equal(rebuilt.name, 'InputError');
  assert.equal(rebuilt.message, original.message);
});

test('non-Error throwables become error payloads too', () => {
  assert.deepEqual(toErrorPayload('boom'), { name: 'Error', message: 'boom' });
  assert.deepEqual(toErrorPayload({ name: 'InternalError', message: 'bad' }), {
    name: 'InternalError',
    message: 'bad',
  });
});

test('transferables finds typed array buffers one level deep, once each', () => {
  const labels = new Int32Array(3);
  const recency = new Float64Array(3);
  const result = {
    labels,
    csv: 'a,b\n',
    segments: [{ segment: 0 }],
    customers: { recency, again: recency, ids: ['1'] },
  };
  const buffers = transferables(result);
  assert.equal(buffers.length, 2);
  assert.ok(buffers.includes(labels.buffer));
  assert.ok(buffers.includes(recency.buffer));
});

test('transferables reaches features and cohort rows (three levels deep)', () => {
  const recency = new Float64Array(2);
  const tenure = new Float64Array(2);
  const row0 = new Float64Array(3);
  const row1 = new Float64Array(3);
  const buffers = transferables({
    customers: { ids: ['a', 'b'], features: { recency, tenure } },
    active: [row0, row1],
  });
  assert.equal(buffers.length, 4);
  for (const a of [recency, tenure, row0, row1]) assert.ok(buffers.includes(/** @type {ArrayBuffer} */ (a.buffer)));
});
