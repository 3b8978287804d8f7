// @ts-check
/**
 * Data of the silhouette plot (Rousseeuw, 1987): each customer's silhouette, sorted from high to
 * low within its segment, segments one after another with a gap, and the mean. Pure, no DOM.
 *
 * The core returns the values of every customer (or of a sample above 20,000 customers, with the
 * rows they belong to). A chart of tens of thousands of bars says no more than one of a few
 * hundred: each segment is reduced to at most `maxPerSegment` evenly spaced order statistics
 * (the first and last kept), which keeps the shape of the sorted curve.
 */

/**
 * @typedef {{segment: number, customers: number, mean: number, x0: number, points: [number, number][]}} SilhouetteBand
 *   points: [x, silhouette] along the sorted curve; x0: where the band starts on the x axis
 * @typedef {{bands: SilhouetteBand[], mean: number, width: number, shown: number, reduced: boolean}} SilhouettePlot
 */

/**
 * @param {ArrayLike<number>} values  silhouette per customer of `rows` (or of every customer)
 * @param {ArrayLike<number> | null} rows  customer index of each value (null: values[i] is customer i)
 * @param {ArrayLike<number>} labels  segment per customer, 0..k−1
 * @param {number} k
 * @param {{maxPerSegment?: number, gapShare?: number}} [options]
 * @returns {SilhouettePlot}
 */
export function silhouettePlotData(values, rows, labels, k, { maxPerSegment = 400, gapShare = 0.02 } = {}) {
  /** @type {number[][]} */
  const bySegment = Array.from({ length: k }, () => []);
  let sum = 0;
  let count = 0;
  for (let j = 0; j < values.length; j++) {
    const v = values[j];
    const label = labels[rows ? rows[j] : j];
    if (!Number.isFinite(v) || label < 0 || label >= k) continue;
    bySegment[label].push(v);
    sum += v;
    count++;
  }
  const gap = Math.max(1, Math.round(count * gapShare));
  let x = 0;
  let reduced = false;
  const bands = bySegment.map((list, segment) => {
    list.sort((a, b) => b - a);
    const n = list.length;
    const mean = n > 0 ? list.reduce((a, b) => a + b, 0) / n : NaN;
    /** @type {[number, number][]} */
    const points = [];
    if (n <= maxPerSegment) {
      for (let i = 0; i < n; i++) points.push([x + i, list[i]]);
    } else {
      reduced = true;
      for (let q = 0; q < maxPerSegment; q++) {
        const i = Math.round((q * (n - 1)) / (maxPerSegment - 1));
        points.push([x + i, list[i]]);
      }
    }
    const band = { segment, customers: n, mean, x0: x, points };
    x += n + (n > 0 ? gap : 0);
    return band;
  });
  return { bands, mean: count > 0 ? sum / count : NaN, width: Math.max(1, x), shown: count, reduced };
}
