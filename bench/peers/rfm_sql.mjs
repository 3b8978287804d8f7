// The peers' RFM query, the same work as ours (bench/run.mjs): drop rows without customer id and
// cancellations, then per customer recency, distinct invoices and Σ quantity × price.
import fs from 'node:fs';

/**
 * The one SQL script (a table, then the totals the bench compares) for a CSV that `source` names in
 * `read_csv(…)`; the column names come from the file's header (Online Retail or Online Retail II).
 * @param {string} file the CSV on disk (its header is read here)
 * @param {string} source what DuckDB's read_csv reads: a path or a registered file name
 */
export function rfmSql(file, source) {
  const head = Buffer.alloc(256);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 256, 0);
  fs.closeSync(fd);
  const ii = head.toString('utf8').includes('Customer ID');
  const [cust, inv, price] = ii ? ['"Customer ID"', 'Invoice', 'Price'] : ['CustomerID', 'InvoiceNo', 'UnitPrice'];
  return `
  CREATE TEMP TABLE raw AS SELECT * FROM read_csv('${source.replaceAll("'", "''")}', header = true,
    types = {'${inv}': 'VARCHAR', 'InvoiceDate': 'TIMESTAMP'});
  SELECT count(*) AS customers, sum(r) AS sum_recency, sum(f) AS sum_frequency, sum(m) AS sum_monetary FROM (
    SELECT ${cust},
           (SELECT CAST(max(InvoiceDate) AS DATE) FROM raw) + 1 - CAST(max(InvoiceDate) AS DATE) AS r,
           count(DISTINCT ${inv}) AS f, sum(Quantity * ${price}) AS m
    FROM raw
    WHERE ${cust} IS NOT NULL AND NOT starts_with(${inv}, 'C') AND Quantity >= 0
    GROUP BY ${cust})`;
}
