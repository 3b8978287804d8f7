// The DuckDB way: one SQL query over read_csv, 2 threads. Prints one JSON line.
//   node bench/peers/duckdb_rfm.mjs FILE
import fs from 'node:fs';

const file = process.argv[2];
const { DuckDBInstance } = await import('@duckdb/node-api');
const fd = fs.openSync(file, 'r');
const head = Buffer.alloc(256);
fs.readSync(fd, head, 0, 256, 0);
fs.closeSync(fd);
const header = head.toString('utf8');
const ii = header.includes('Customer ID');
const [cust, inv, price] = ii ? ['"Customer ID"', 'Invoice', 'Price'] : ['CustomerID', 'InvoiceNo', 'UnitPrice'];
const t0 = performance.now();
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const conn = await instance.connect();
const sql = `
  CREATE TEMP TABLE raw AS SELECT * FROM read_csv('${file.replaceAll("'", "''")}', header = true,
    types = {'${inv}': 'VARCHAR', 'InvoiceDate': 'TIMESTAMP'});
  SELECT count(*) AS customers, sum(r) AS sum_recency, sum(f) AS sum_frequency, sum(m) AS sum_monetary FROM (
    SELECT ${cust},
           (SELECT CAST(max(InvoiceDate) AS DATE) FROM raw) + 1 - CAST(max(InvoiceDate) AS DATE) AS r,
           count(DISTINCT ${inv}) AS f, sum(Quantity * ${price}) AS m
    FROM raw
    WHERE ${cust} IS NOT NULL AND NOT starts_with(${inv}, 'C') AND Quantity >= 0
    GROUP BY ${cust})`.replace(`'${'"Customer ID"'}'`, "'Customer ID'");
const reader = await conn.runAndReadAll(sql);
const row = reader.getRowObjects()[0];
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({
  seconds,
  max_rss_mb: process.resourceUsage().maxRSS / 1024,
  customers: Number(row.customers),
  sum_recency: Number(row.sum_recency),
  sum_frequency: Number(row.sum_frequency),
  sum_monetary: Number(row.sum_monetary),
}));
