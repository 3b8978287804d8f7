// @ts-check
/**
 * The page's store: one plain state object (its shape and its resource slices: web/state.js),
 * replaced on every change; views re-render from it. Sequence tokens, the job count and what the
 * worker holds are the runner's (web/app/resources.js), not state: no view reads them.
 */

/**
 * @typedef {import('../state.js').AppState} AppState
 * @typedef {import('../state.js').SliceName} SliceName
 */
/**
 * @template V, [E=string]
 * @typedef {import('../state.js').Slice<V, E>} Slice
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
