// @ts-check
/**
 * Page state: one plain object, replaced on every change; views re-render from it.
 */
import { SEGMENT_DEFAULTS } from './api/protocol.js';

/**
 * @typedef {import('./charts/palette.js').Theme} Theme
 * @typedef {'empty' | 'loading' | 'ready'} Phase
 * @typedef {import('./api/protocol.js').Progress & {startedAt: number, at: number}} ProgressState
 *          progress plus when the load started and when this report arrived (ms)
 * @typedef {{kind: 'error' | 'info', title: string, message: string, hint: string}} Notice
 *
 * @typedef {{
 *   phase: Phase,
 *   theme: Theme,
 *   fileName: string | null,
 *   progress: ProgressState | null,
 *   notice: Notice | null,
 *   summary: import('./api/protocol.js').Summary | null,
 *   customers: import('./api/protocol.js').Customers | null,
 *   k: number,
 *   segmentation: import('./api/protocol.js').SegmentResult | null,
 *   segmenting: boolean,
 *   segmentError: string | null,
 * }} AppState
 */

/**
 * @param {Theme} theme
 * @returns {AppState}
 */
export function initialState(theme) {
  return {
    phase: 'empty',
    theme,
    fileName: null,
    progress: null,
    notice: null,
    summary: null,
    customers: null,
    k: SEGMENT_DEFAULTS.k,
    segmentation: null,
    segmenting: false,
    segmentError: null,
  };
}

/**
 * A tiny store: `set` merges a patch and notifies subscribers with the new and previous state.
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
    /** @param {(state: AppState, previous: AppState) => void} listener */
    subscribe(listener) {
      listeners.add(listener);
    },
  };
}

/** @typedef {ReturnType<typeof createStore>} Store */
