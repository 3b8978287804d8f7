// @ts-check
/**
 * Reading a k sweep: the suggested k is the one with the highest mean silhouette (ties: the
 * smaller k), the rule the page states in the chart's tooltip. Pure, no DOM.
 */

/**
 * @typedef {{k: ArrayLike<number>, objective: ArrayLike<number>, inertia: ArrayLike<number>,
 *            silhouette: ArrayLike<number>, daviesBouldin: ArrayLike<number>,
 *            calinskiHarabasz: ArrayLike<number>, bic: ArrayLike<number>, silhouetteSampled: boolean}} SweepResult
 */

/**
 * @param {SweepResult} sweep
 * @returns {{k: number, silhouette: number} | null}  null when no k has a silhouette
 */
export function suggestedK(sweep) {
  let best = -1;
  for (let i = 0; i < sweep.k.length; i++) {
    const s = sweep.silhouette[i];
    if (Number.isFinite(s) && (best < 0 || s > sweep.silhouette[best])) best = i;
  }
  return best < 0 ? null : { k: sweep.k[best], silhouette: sweep.silhouette[best] };
}

/**
 * Joins per-k sweep results (the worker runs one k at a time to report progress) into one.
 * @param {SweepResult[]} parts
 * @returns {SweepResult}
 */
export function joinSweeps(parts) {
  /** @param {keyof SweepResult} key */
  const cat = (key) => parts.flatMap((p) => Array.from(/** @type {ArrayLike<number>} */ (p[key])));
  return {
    k: new Int32Array(cat('k')),
    objective: new Float64Array(cat('objective')),
    inertia: new Float64Array(cat('inertia')),
    silhouette: new Float64Array(cat('silhouette')),
    daviesBouldin: new Float64Array(cat('daviesBouldin')),
    calinskiHarabasz: new Float64Array(cat('calinskiHarabasz')),
    bic: new Float64Array(cat('bic')),
    silhouetteSampled: parts.some((p) => p.silhouetteSampled),
  };
}
