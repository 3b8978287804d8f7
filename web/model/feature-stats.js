// @ts-check
/**
 * Summary statistics of each customer feature (count, empty, min, median, mean, max), computed in
 * the worker with the analysis so the page never sorts a large column on the main thread.
 */

/**
 * @typedef {{count: number, missing: number, min: number, median: number, mean: number, max: number}} FeatureStats
 *   count: customers with a value; missing: without (NaN, e.g. days between orders of one-order
 *   customers); the others NaN when count is 0
 */

/**
 * @param {ArrayLike<number>} values
 * @returns {FeatureStats}
 */
export function featureStats(values) {
  const finite = new Float64Array(values.length);
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      finite[count++] = v;
      sum += v;
    }
  }
  if (count === 0) return { count, missing: values.length, min: NaN, median: NaN, mean: NaN, max: NaN };
  const sorted = finite.subarray(0, count).sort();
  const mid = count >> 1;
  const median = count % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { count, missing: values.length - count, min: sorted[0], median, mean: sum / count, max: sorted[count - 1] };
}

/**
 * @param {Record<string, ArrayLike<number>>} features
 * @returns {Record<string, FeatureStats>}
 */
export function allFeatureStats(features) {
  return Object.fromEntries(Object.entries(features).map(([name, values]) => [name, featureStats(values)]));
}
