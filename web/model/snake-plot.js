// @ts-check
/**
 * Data of the snake plot: for each feature, every customer's value standardized over all customers
 * (z-score: minus the mean, over the population standard deviation; after log1p(max(v, 0)) when
 * the clustering used log1p, as the core's preprocessing does), then averaged per segment. One line
 * per segment; 0 is the average customer. Customers without a value (days between orders of a
 * one-order customer) are left out of that feature. Pure, no DOM.
 */

/**
 * @typedef {{features: string[], means: number[][], counts: number[]}} SnakePlot
 *   means[segment][feature] (NaN when the segment has no value for it)
 */

/**
 * @param {Record<string, ArrayLike<number>>} columns  feature name → one value per customer
 * @param {string[]} features  which features, in this order
 * @param {ArrayLike<number>} labels  segment per customer, 0..k−1
 * @param {number} k
 * @param {{log1p?: boolean}} [options]
 * @returns {SnakePlot}
 */
export function snakePlotData(columns, features, labels, k, { log1p = true } = {}) {
  const counts = new Array(k).fill(0);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0 && labels[i] < k) counts[labels[i]]++;
  /** @type {number[][]} */
  const means = Array.from({ length: k }, () => new Array(features.length).fill(NaN));
  features.forEach((name, f) => {
    const column = columns[name];
    if (!column) return;
    /** @param {number} v */
    const t = (v) => (log1p ? Math.log1p(Math.max(v, 0)) : v);
    let n = 0;
    let sum = 0;
    for (let i = 0; i < column.length; i++) {
      if (Number.isFinite(column[i])) {
        sum += t(column[i]);
        n++;
      }
    }
    if (n === 0) return;
    const mean = sum / n;
    let ss = 0;
    for (let i = 0; i < column.length; i++) if (Number.isFinite(column[i])) ss += (t(column[i]) - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    const scale = sd > 0 ? sd : 1;
    const segSum = new Array(k).fill(0);
    const segN = new Array(k).fill(0);
    for (let i = 0; i < column.length; i++) {
      const s = labels[i];
      if (!Number.isFinite(column[i]) || s < 0 || s >= k) continue;
      segSum[s] += (t(column[i]) - mean) / scale;
      segN[s]++;
    }
    for (let s = 0; s < k; s++) means[s][f] = segN[s] > 0 ? segSum[s] / segN[s] : NaN;
  });
  return { features: [...features], means, counts };
}
