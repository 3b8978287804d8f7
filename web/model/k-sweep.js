// @ts-check
/**
 * Joining a k sweep computed one k at a time. The k it suggests is the core's (suggest_k in
 * cpp/core/clustering.h: the method's criterion), asked of the analysis worker once the ks are
 * joined. Pure, no DOM.
 */

/**
 * @typedef {{k: ArrayLike<number>, objective: ArrayLike<number>, inertia: ArrayLike<number>,
 *            silhouette: ArrayLike<number>, daviesBouldin: ArrayLike<number>,
 *            calinskiHarabasz: ArrayLike<number>, bic: ArrayLike<number>, collapsed: ArrayLike<number>,
 *            silhouetteSampled: boolean, suggestion?: import('../api/protocol.js').KSuggestion}} SweepResult
 */

/**
 * What chose a suggested k, in the page's words.
 * @param {import('../api/protocol.js').KSuggestion['criterion']} criterion
 */
export function criterionLabel(criterion) {
  switch (criterion) {
    case 'silhouette':
      return 'the silhouette';
    case 'bic-minimum':
      return 'BIC';
    case 'bic-elbow':
      return 'the elbow of BIC';
    default:
      return 'no criterion';
  }
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
    collapsed: new Int32Array(cat('collapsed')),
    silhouetteSampled: parts.some((p) => p.silhouetteSampled),
  };
}
