// @ts-check
/**
 * Render passes in slices: the views render the newest state in order, and once a slice has
 * taken SLICE_MS the rest follow in the next task (a new state starts the pass again; a view
 * gets the state it rendered last as `previous`). So a state change that touches every step's
 * views (the analysis arriving, k) never holds the main thread for all of them at once. The
 * layout view goes first (steps shown, flags), then the other views without a step, then those of
 * the step on screen, then the rest; while a pass is unfinished the body says
 * data-busy="true", so tests and benchmarks that wait for "not busy" see every view rendered.
 */
import { nextTask } from './tasks.js';

/**
 * @typedef {import('../state.js').AppState} AppState
 * @typedef {import('../state.js').Step} Step
 * @typedef {(state: AppState, previous?: AppState) => void} Render
 * A view's render function with its name (User Timing names slow views) and its step (the views
 * of the step on screen render first; those without one, the frame of the page, before them).
 * @typedef {Render & {viewName: string, step?: Step}} View
 */

const SLICE_MS = 8;

/**
 * @param {import('../app/store.js').Store} store
 */
export function createRenderLoop(store) {
  /** @type {View[]} */
  const views = [];
  /** @type {Map<View, AppState>} */
  const lastRendered = new Map();
  /** @type {View[]} */
  let toRender = [];
  let rendering = false;
  let sliced = false;
  let started = false;

  function renderPass() {
    rendering = true;
    const start = performance.now();
    try {
      while (toRender.length > 0) {
        const state = store.get();
        const render = /** @type {View} */ (toRender.shift());
        const previous = lastRendered.get(render);
        if (previous === state) continue;
        const at = performance.now();
        lastRendered.set(render, state);
        render(state, previous);
        // User Timing entries for slow views and passes: bench/longtasks.mjs names what made a long task.
        if (performance.now() - at > 4) performance.measure(`view ${render.viewName}`, { start: at });
        if (toRender.length > 0 && performance.now() - start > SLICE_MS) {
          sliced = true;
          document.body.dataset.busy = 'true';
          nextTask().then(renderPass);
          return;
        }
      }
      if (sliced) {
        sliced = false;
        views[0](store.get(), store.get()); // the layout view's flags, now that every view is done
      }
    } finally {
      rendering = false;
      if (performance.now() - start > 10) performance.measure('views render', { start });
    }
  }

  /** The views in render order: the page's frame (layout first), the step on screen, the others. */
  function renderOrder() {
    const { step } = store.get();
    return [...views.filter((v) => !v.step), ...views.filter((v) => v.step === step), ...views.filter((v) => v.step && v.step !== step)];
  }

  /** Renders every view with the newest state (in the pass under way, if there is one). */
  function renderAll() {
    toRender = renderOrder();
    if (!rendering && !sliced) renderPass();
  }

  return {
    /**
     * Adds views (the page's frame first, the layout view the very first; a step's once its
     * module is loaded); once started, renders them.
     * @param {Record<string, Render>} named  views by name, in render order
     * @param {Step} [step]
     */
    add(named, step) {
      for (const [viewName, render] of Object.entries(named)) views.push(Object.assign(render, { viewName, step }));
      if (started) renderAll();
    },
    /** Renders on every change of the state from now on. */
    start() {
      started = true;
      store.subscribe(renderAll);
      renderAll();
    },
  };
}
