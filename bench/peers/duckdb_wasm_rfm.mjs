// DuckDB-Wasm in Node (the blocking Node build, one thread: wasm DuckDB has no threads here), the
// same SQL as duckdb_rfm.mjs over the file registered from the file system (read as it is scanned,
// as the browser build reads a dropped File). Prints one JSON line: `seconds` is the work (register
// + query), `startup_seconds` instantiating DuckDB-Wasm before it.
//   node bench/peers/duckdb_wasm_rfm.mjs FILE
import path from 'node:path';
import { createRequire } from 'node:module';
import { rfmSql } from './rfm_sql.mjs';

const file = path.resolve(process.argv[2]);
const require = createRequire(import.meta.url);
const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));

const sql = rfmSql(file, 'input.csv');

const t0 = performance.now();
const db = await duckdb.createDuckDB(
  { mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: '' }, eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: '' } },
  new duckdb.VoidLogger(),
  duckdb.NODE_RUNTIME,
);
await db.instantiate();
db.open({});
const conn = db.connect();
const t1 = performance.now();
db.registerFileURL('input.csv', file, duckdb.DuckDBDataProtocol.NODE_FS, true);
const table = conn.query(sql);
const row = table.toArray()[0].toJSON();
const t2 = performance.now();
console.log(
  JSON.stringify({
    seconds: (t2 - t1) / 1000,
    startup_seconds: (t1 - t0) / 1000,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
    customers: Number(row.customers),
    sum_recency: Number(row.sum_recency),
    sum_frequency: Number(row.sum_frequency),
    sum_monetary: Number(row.sum_monetary),
  }),
);
conn.close();
