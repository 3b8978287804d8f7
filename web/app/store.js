// @ts-check
/**
 * The page's store: one plain state object (web/state.js says its shape), replaced on every
 * change; views re-render from it. What the worker computes lives in resource slices, one per
 * kind of result, all of one shape:
 *
 *   {value, busy, error, key, analysisId}
 *
 *   value       the last result that arrived (kept while a newer one is computed, and in the
 *               cases where an error leaves the last results on screen)
 *   busy        a request for it is under way
 *   error       why the last request failed (a message; the analysis: a notice), or null
 *   key         the inputs the value was computed for besides the analysis (the request's
 *               parameters; web/app/actions.js makes them)
 *   analysisId  the analysis the value was computed for (web/app/analysis-id.js); the analysis
 *               slice's own id is the current one, so a result belongs to the data on screen
 *               exactly when its id is that id (state.js `current`)
 *
 * Sequence tokens, the job line and what the worker holds are the runner's
 * (web/app/resources.js), not state: no view reads them.
 */

/**
 * @template V, [E=string]
 * @typedef {{value: V | null, busy: boolean, error: E | null, key: string, analysisId: number}} Slice
 */

/**
 * The resource slices, by name: the analysis (read, cleaning, features) and what is computed
 * from it.
 * @typedef {'analysis' | 'scores' | 'segment' | 'cohorts' | 'cluster' | 'sweep' | 'embed'} SliceName
 */

/** @type {readonly SliceName[]} */
export const SLICES = Object.freeze(['analysis', 'scores', 'segment', 'cohorts', 'cluster', 'sweep', 'embed']);

/** The slices computed from the analysis (they belong to one analysis id). @type {readonly SliceName[]} */
export const DERIVED = Object.freeze(SLICES.filter((name) => name !== 'analysis'));

/**
 * A slice with nothing in it yet (analysis id 0: no analysis).
 * @returns {Slice<any, any>}
 */
export const emptySlice = () => ({ value: null, busy: false, error: null, key: '', analysisId: 0 });

/**
 * @typedef {import('../state.js').AppState} AppState
 */

/**
 * A tiny store: `set` merges a patch and notifies subscribers with the new and previous state;
 * `patchSlice` is the patch that changes some fields of one slice.
 * @param {AppState} initial
 */
export function createStore(initial) {
  let state = initial;
  /** @type {Set<(state: AppState, previous: AppState) => void>} */
  const listeners = new Set();
  return {
    get: () => state,
    /** @param {Partial<AppState>} patch */
    set(patch) {
      const previous = state;
      state = { ...state, ...patch };
      for (const listener of listeners) listener(state, previous);
    },
    /**
     * The patch that changes some fields of a slice (to merge with others in one `set`).
     * @template {SliceName} N
     * @param {N} name
     * @param {Partial<Slice<unknown, unknown>>} fields  (values are checked where they are made)
     * @returns {Partial<AppState>}
     */
    patchSlice(name, fields) {
      return /** @type {Partial<AppState>} */ ({ [name]: { ...state[name], ...fields } });
    },
    /** @param {(state: AppState, previous: AppState) => void} listener */
    subscribe(listener) {
      listeners.add(listener);
    },
  };
}

/** @typedef {ReturnType<typeof createStore>} Store */
