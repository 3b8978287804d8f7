// DuckDB-Wasm in Node (the blocking Node build, one thread: wasm DuckDB has no threads here), the
// same SQL as duckdb_rfm.mjs over the file registered from the file system (read as it is scanned,
// as the browser build reads a dropped File). Prints one JSON line: `seconds` is the work (register
// + query), `startup_seconds` instantiating DuckDB-Wasm before it.
//   node bench/peers/duckdb_wasm_rfm.mjs FILE
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const file = path.resolve(process.argv[2]);
const require = createRequire(import.meta.url);
const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
const dist = path.dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));

const head = Buffer.alloc(256);
const fd = fs.openSync(file, 'r');
fs.readSync(fd, head, 0, 256, 0);
fs.closeSync(fd);
const ii = head.toString('utf8').includes('Customer ID');
const [cust, inv, price] = ii ? ['"Customer ID"', 'Invoice', 'Price'] : ['CustomerID', 'InvoiceNo', 'UnitPrice'];

const t0 = performance.now();
const db = await duckdb.createDuckDB(
  { mvp: { mainModule: path.join(dist, 'duckdb-mvp.wasm'), mainWorker: '' },
    eh: { mainModule: path.join(dist, 'duckdb-eh.wasm'), mainWorker: '' } },
  new duckdb.VoidLogger(),
  duckdb.NODE_RUNTIME,
);
await db.instantiate();
db.open({});
const conn = db.connect();
const t1 = performance.now();
db.registerFileURL('input.csv', file, duckdb.DuckDBDataProtocol.NODE_FS, true);
const table = conn.query(`
  CREATE TEMP TABLE raw AS SELECT * FROM read_csv('input.csv', header = true,
    types = {'${inv}': 'VARCHAR', 'InvoiceDate': 'TIMESTAMP'});
  SELECT count(*) AS customers, sum(r) AS sum_recency, sum(f) AS sum_frequency, sum(m) AS sum_monetary FROM (
    SELECT ${cust},
           (SELECT CAST(max(InvoiceDate) AS DATE) FROM raw) + 1 - CAST(max(InvoiceDate) AS DATE) AS r,
           count(DISTINCT ${inv}) AS f, sum(Quantity * ${price}) AS m
    FROM raw
    WHERE ${cust} IS NOT NULL AND NOT starts_with(${inv}, 'C') AND Quantity >= 0
    GROUP BY ${cust})`.replace(`'${'"Customer ID"'}'`, "'Customer ID'"));
const row = table.toArray()[0].toJSON();
const t2 = performance.now();
console.log(JSON.stringify({
  seconds: (t2 - t1) / 1000,
  startup_seconds: (t1 - t0) / 1000,
  max_rss_mb: process.resourceUsage().maxRSS / 1024,
  customers: Number(row.customers),
  sum_recency: Number(row.sum_recency),
  sum_frequency: Number(row.sum_frequency),
  sum_monetary: Number(row.sum_monetary),
}));
conn.close();
