// @ts-check
/**
 * The k sweep and K-Means restarts on prepared points (docs/protocol.md §2 holdPoints,
 * sweepPoints, restartsPoints): what a sweep worker does, and what the analysis worker does for
 * its share of a pooled sweep or clustering. The points are
 * the matrix every clustering call of some ClusterParams runs on (`preparedPoints`), so one k here
 * gives bit for bit what `kSweep` gives for that k on the customers they came from.
 */

/**
 * @typedef {import('../api/protocol.js').SweepParams} SweepParams
 * @typedef {import('../api/protocol.js').SweepResult} SweepResult
 * @typedef {import('../api/protocol.js').Points} Points
 * @typedef {import('../api/protocol.js').ClusterParams} ClusterParams
 * @typedef {import('../api/protocol.js').RestartsResult} RestartsResult
 * @typedef {{ok: false, error: {name: string, message: string}}} WasmFailure
 * @typedef {{
 *   sweepPoints?(points: Float64Array, n: number, d: number, params: SweepParams): ({ok: true} & SweepResult) | WasmFailure,
 *   restartsPoints?(points: Float64Array, n: number, d: number, params: ClusterParams): ({ok: true} & RestartsResult) | WasmFailure,
 * }} PointsModule
 */

/**
 * @param {PointsModule} module  the instantiated wasm module
 */
export function createPointsHandlers(module) {
  /** @type {Points | null} */
  let held = null;

  /**
   * Keeps the points the next `sweepPoints` requests run on (the last ones given win).
   * @param {Points} points
   * @returns {Promise<{n: number, d: number}>}
   */
  async function holdPoints({ points, n, d }) {
    if (!(points instanceof Float64Array) || points.length !== n * d) {
      throw failure('InvalidArgument', `holdPoints: ${points?.length} values are not ${n} rows of ${d}.`);
    }
    held = { points, n, d };
    return { n, d };
  }

  /**
   * The sweep curves for kMin…kMax on the held points (the pool sends one k at a time and
   * counts the ks done itself, so there is no progress here).
   * @param {SweepParams} params
   * @returns {Promise<SweepResult>}
   */
  async function sweepPoints(params) {
    if (!held) throw failure('InvalidArgument', 'sweepPoints: no points held (holdPoints first).');
    if (!module.sweepPoints) throw failure('InternalError', 'This build of the analysis module has no sweepPoints: run "npm run build:wasm".');
    const r = module.sweepPoints(held.points, held.n, held.d, params);
    if (!r.ok) throw failure(r.error.name, r.error.message);
    const { k, objective, inertia, silhouette, daviesBouldin, calinskiHarabasz, bic, collapsed, silhouetteSampled } = r;
    return { k, objective, inertia, silhouette, daviesBouldin, calinskiHarabasz, bic, collapsed, silhouetteSampled };
  }

  /**
   * The best of K-Means restarts [restartBegin, restartEnd) of a clustering on the held points.
   * @param {ClusterParams} params
   * @returns {Promise<RestartsResult>}
   */
  async function restartsPoints(params) {
    if (!held) throw failure('InvalidArgument', 'restartsPoints: no points held (holdPoints first).');
    if (!module.restartsPoints) throw failure('InternalError', 'This build of the analysis module has no restartsPoints: run "npm run build:wasm".');
    const r = module.restartsPoints(held.points, held.n, held.d, params);
    if (!r.ok) throw failure(r.error.name, r.error.message);
    return { restart: r.restart, inertia: r.inertia };
  }

  return { holdPoints, sweepPoints, restartsPoints };
}

/** @param {string} name @param {string} message */
function failure(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}
