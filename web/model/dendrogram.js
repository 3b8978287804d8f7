// @ts-check
/**
 * Dendrogram layout from a SciPy linkage matrix, as scipy.cluster.hierarchy.dendrogram draws it
 * (count_sort and distance_sort off: the left branch is Z[i, 0]). With many customers only the
 * last p merges are drawn, as its `truncate_mode='lastp'`: every cluster formed before them becomes
 * one leaf labelled with its size "(n)". Pure, no DOM.
 *
 * Linkage matrix Z: (n − 1) rows of [a, b, distance, size]; row r merges clusters a and b into
 * cluster n + r (ids below n are single customers). Coordinates are SciPy's: leaves at
 * x = 5, 15, 25 …, a merge at the mean x of its two branches and y = its distance; each merge is
 * a "⊓" of four points [x_a, x_a, x_b, x_b] × [y_a, h, h, y_b].
 *
 * Colours follow the cut into k segments: a merge inside one segment takes the segment's colour,
 * the k − 1 merges above the cut are neutral; the cut is drawn between the last merge kept and the
 * first one cut away.
 */

/**
 * @typedef {{x: [number, number, number, number], y: [number, number, number, number], segment: number}} DendrogramLink
 *   segment: −1 above the cut
 * @typedef {{x: number, size: number, customer: number | null, segment: number}} DendrogramLeaf
 *   customer: the customer's index for a single-customer leaf, null for a contracted cluster
 * @typedef {{links: DendrogramLink[], leaves: DendrogramLeaf[], cut: number | null, truncated: boolean,
 *            p: number, n: number, maxHeight: number}} Dendrogram
 */

/** Merges drawn at most (SciPy's p of truncate_mode='lastp'). */
export const DENDROGRAM_LEAVES = 40;

/**
 * @param {ArrayLike<number>} linkage  (n − 1) × 4, row-major
 * @param {ArrayLike<number>} labels  segment per customer (0..k−1), from the same clustering
 * @param {number} k
 * @param {{p?: number}} [options]
 * @returns {Dendrogram}
 * @throws RangeError when the matrix is not (n − 1) × 4 for the n labels
 */
export function dendrogramData(linkage, labels, k, { p = DENDROGRAM_LEAVES } = {}) {
  const n = labels.length;
  if (n < 2 || linkage.length !== (n - 1) * 4) {
    throw new RangeError(`a linkage matrix of ${linkage.length / 4} rows for ${n} customers (needs ${n - 1})`);
  }
  const shown = Math.min(p, n);
  /** @param {number} r @param {number} c */
  const z = (r, c) => linkage[r * 4 + c];
  /** A customer under each cluster id, to know its segment. */
  const rep = new Int32Array(2 * n - 1);
  for (let i = 0; i < n; i++) rep[i] = i;
  for (let r = 0; r < n - 1; r++) rep[n + r] = rep[z(r, 0)];
  /** First merge row above the cut: rows n − k … n − 2 join different segments. */
  const firstCut = n - k;
  /** @param {number} id */
  const segmentOf = (id) => (id >= n && id - n >= firstCut ? -1 : labels[rep[id]]);

  /** @type {DendrogramLink[]} */
  const links = [];
  /** @type {DendrogramLeaf[]} */
  const leaves = [];
  /**
   * SciPy's _dendrogram_calculate_info: returns [x of the node, width taken, height].
   * Recursion depth is at most `shown` (a contracted subtree is one leaf).
   * @param {number} id
   * @param {number} iv  left edge
   * @returns {[number, number, number]}
   */
  const visit = (id, iv) => {
    if (id < n) {
      leaves.push({ x: iv + 5, size: 1, customer: id, segment: labels[id] });
      return [iv + 5, 10, 0];
    }
    if (id < 2 * n - shown) {
      leaves.push({ x: iv + 5, size: z(id - n, 3), customer: null, segment: segmentOf(id) });
      return [iv + 5, 10, 0];
    }
    const r = id - n;
    const h = z(r, 2);
    const [xa, wa, ha] = visit(z(r, 0), iv);
    const [xb, wb, hb] = visit(z(r, 1), iv + wa);
    links.push({ x: [xa, xa, xb, xb], y: [ha, h, h, hb], segment: segmentOf(id) });
    return [(xa + xb) / 2, wa + wb, h];
  };
  visit(2 * n - 2, 0);
  const cut = k >= 2 && k <= n && firstCut - 1 >= 0 ? (z(firstCut - 1, 2) + z(firstCut, 2)) / 2 : null;
  return { links, leaves, cut, truncated: shown < n, p: shown, n, maxHeight: z(n - 2, 2) };
}
