// The DuckDB way: one SQL query over read_csv, 2 threads. Prints one JSON line.
//   node bench/peers/duckdb_rfm.mjs FILE
import { rfmSql } from './rfm_sql.mjs';

const file = process.argv[2];
const { DuckDBInstance } = await import('@duckdb/node-api');
const sql = rfmSql(file, file);
const t0 = performance.now();
const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
const conn = await instance.connect();
const reader = await conn.runAndReadAll(sql);
const row = reader.getRowObjects()[0];
const seconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({
    seconds,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
    customers: Number(row.customers),
    sum_recency: Number(row.sum_recency),
    sum_frequency: Number(row.sum_frequency),
    sum_monetary: Number(row.sum_monetary),
  }),
);
