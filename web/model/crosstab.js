// @ts-check
/**
 * Crosstab of two segmentations of the same customers (the clusters against the named RFM
 * segments): how many customers fall in each pair, with row and column totals. Pure, no DOM.
 */

/**
 * @typedef {{counts: number[][], rowTotals: number[], columnTotals: number[], total: number}} Crosstab
 *   counts[row][column]
 */

/**
 * @param {ArrayLike<number>} rows  row category per customer, 0..nRows−1
 * @param {number} nRows
 * @param {ArrayLike<number>} columns  column category per customer, 0..nColumns−1
 * @param {number} nColumns
 * @returns {Crosstab}
 * @throws RangeError when the two differ in length
 */
export function crosstab(rows, nRows, columns, nColumns) {
  if (rows.length !== columns.length) throw new RangeError(`${rows.length} row labels for ${columns.length} column labels`);
  const counts = Array.from({ length: nRows }, () => new Array(nColumns).fill(0));
  const rowTotals = new Array(nRows).fill(0);
  const columnTotals = new Array(nColumns).fill(0);
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const c = columns[i];
    if (r < 0 || r >= nRows || c < 0 || c >= nColumns) continue;
    counts[r][c]++;
    rowTotals[r]++;
    columnTotals[c]++;
    total++;
  }
  return { counts, rowTotals, columnTotals, total };
}

/**
 * The columns worth showing: those with at least one customer, in their order.
 * @param {Crosstab} table
 * @returns {number[]}
 */
export const usedColumns = (table) => table.columnTotals.flatMap((n, c) => (n > 0 ? [c] : []));
