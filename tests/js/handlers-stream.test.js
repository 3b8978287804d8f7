// @ts-check
// The worker handlers choose how to read and when to read again (docs/protocol.md §2): lines are
// hashed for duplicates only when that rule is on, and turning it on later reads the kept file
// again; a large file ('auto' above the threshold) streams, a change of rule streams it again, and
// a rule that needs every row either reads it as a table or, when the file is too big for one, is
// refused with a message while the analysis on screen stays usable. Results are always those of
// a table read with the same rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHandlers } from '../../web/worker/handlers.js';
import { loadWasm } from './support/wasm-node.js';
import { makeRetailCsv } from './support/make-retail.js';

const wasm = await loadWasm();
const file = new Blob([makeRetailCsv()]); // ~1,900 rows
const small = { mode: 'auto', streamAboveRows: 500 }; // streams this file

/** Loads the file; returns the handlers, the analysis and the progress stages seen. */
async function loaded(payload = {}) {
  const handlers = createHandlers(wasm);
  const stages = new Set();
  const analysis = await handlers.loadFile({ file, name: 'gen.csv', ...payload }, (p) => stages.add(p.stage));
  return { handlers, analysis, stages };
}

/** Applies rules; returns the analysis and the progress stages seen. */
async function applied(handlers, rules) {
  const stages = new Set();
  const analysis = await handlers.applyRules({ rules }, (p) => stages.add(p.stage));
  return { analysis, stages };
}

/** What must not depend on the way the file was read. */
function comparable(/** @type {any} */ a) {
  const { warnings, readMode, duplicatesChecked, container, containerNote, streamNote, analysisId, ...summary } = a.summary;
  return { summary, ledger: a.ledger, customers: a.customers, featureStats: a.featureStats };
}

const withDuplicates = { dropDuplicates: true, dropBadPrice: true };

test('duplicates turned on after a read without line hashes: the kept file is read again, same results', async () => {
  const { handlers, analysis } = await loaded();
  assert.equal(analysis.summary.readMode, 'table');
  assert.equal(analysis.summary.duplicatesChecked, false, 'the rule is off: no hashes');
  const { analysis: after, stages } = await applied(handlers, withDuplicates);
  assert.ok(stages.has('read'), 'progress shows the read');
  assert.equal(after.summary.duplicatesChecked, true);
  const direct = await loaded({ rules: withDuplicates });
  assert.equal(direct.analysis.summary.duplicatesChecked, true);
  assert.ok(direct.analysis.ledger.rules.find((r) => r.rule === 'duplicates')?.rows > 0);
  assert.deepEqual(comparable(after), comparable(direct.analysis));
  assert.deepEqual(await handlers.cohorts({}, () => {}), await direct.handlers.cohorts({}, () => {}));
  // With the hashes held, turning the rule off and on again needs no read.
  await applied(handlers, {});
  assert.equal((await applied(handlers, withDuplicates)).stages.has('read'), false);
});

test('a large file streams; a change of rule streams it again, with the results of a table read', async () => {
  const { handlers, analysis } = await loaded({ options: small });
  assert.equal(analysis.summary.readMode, 'stream');
  assert.deepEqual(comparable(analysis), comparable((await loaded({ options: { mode: 'table' } })).analysis));
  const rules = { cancellations: 'net', dropNonProduct: true, countries: ['France'], excludeCountries: true };
  const { analysis: after, stages } = await applied(handlers, rules);
  assert.ok(stages.has('read'), 'progress shows the read');
  assert.equal(after.summary.readMode, 'stream');
  const table = await loaded({ options: { mode: 'table' }, rules });
  assert.deepEqual(comparable(after), comparable(table.analysis));
  assert.deepEqual(await handlers.cohorts({}, () => {}), await table.handlers.cohorts({}, () => {}), 'cohorts aggregated in the stream');
  // The same rules again: served as they are, no read.
  assert.equal((await applied(handlers, rules)).stages.has('read'), false);
});

test('a streamed file that fits the table: a rule that needs every row reads it again as a table', async () => {
  const { handlers } = await loaded({ options: small });
  const { analysis, stages } = await applied(handlers, withDuplicates);
  assert.ok(stages.has('read'));
  assert.equal(analysis.summary.readMode, 'table');
  assert.deepEqual(comparable(analysis), comparable((await loaded({ options: { mode: 'table' }, rules: withDuplicates })).analysis));
});

test('a streamed file too big for the table: the rule is refused by name, the analysis stays', async () => {
  const { handlers, analysis } = await loaded({ options: { ...small, maxRows: 1000 } });
  assert.equal(analysis.summary.readMode, 'stream');
  await assert.rejects(applied(handlers, { windowMonths: 6 }), (/** @type {any} */ err) => {
    assert.equal(err.name, 'InvalidArgument');
    assert.match(err.message, /The cleaning rule “Analysis window” needs every row of the file at once/);
    assert.match(err.message, /this file's 1,\d{3} rows are more than the 1,000 this browser tab can keep/);
    assert.match(err.message, /native command-line tool/);
    return true;
  });
  // Nothing was lost: the customers on screen still score, segment and give cohorts.
  const scores = await handlers.rfmScores({}, () => {});
  assert.equal(scores.r.length, analysis.customers.ids.length);
  assert.ok((await handlers.cohorts({}, () => {})).months.length > 12);
  // Streamable rules still stream again.
  assert.equal((await applied(handlers, { dropBadPrice: true })).analysis.summary.readMode, 'stream');
});

test("mode 'stream' asked for explicitly: a rule that needs every row is refused, naming the mode", async () => {
  const { handlers } = await loaded({ options: { mode: 'stream' } });
  await assert.rejects(
    applied(handlers, { outliers: 'iqr' }),
    /“Outliers” needs every row of the file at once, and the file was read in one pass \(mode 'stream'\)/,
  );
  await assert.rejects(loaded({ options: { mode: 'stream' }, rules: { minProductCustomers: 3 } }), /the rule "rare_products" needs every row at once/);
});
