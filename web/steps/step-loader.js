// @ts-check
/**
 * The views of the steps are not part of the page's start (issue 7: no long task): its first
 * screen is the drop zone, and web/main.js evaluates only the page's frame. Each step is a module
 * of its own, loaded with import() (Vite emits a chunk per step, and chunks for what several
 * share, such as the chart queue):
 *
 * - prefetch(): in idle time after the start, one step after the other, each module evaluated
 *   and its views created in tasks of their own (the views once the core's schema has come);
 *   so opening a step is no slower than before;
 * - all(): every step, without waiting for idle time, when a file is dropped (its results show
 *   in every step, and the page opens once they are all there).
 */
import { schemaLoaded } from '../model/schema.js';
import { idle, nextTask } from '../ui/tasks.js';

/**
 * @typedef {import('../state.js').AppState} AppState
 * @typedef {import('../state.js').Step} Step
 * @typedef {(state: AppState, previous?: AppState) => void} Render
 *
 * What the page gives the views of a step: the store and the page's actions (web/app/actions.js);
 * the rest a step imports itself.
 * @typedef {{store: import('../app/store.js').Store} & import('../app/actions.js').Actions} StepContext
 *
 * A step's module: its views by name (names for User Timing), in render order.
 * @typedef {{createStepViews: (app: StepContext) => Record<string, Render>}} StepModule
 */

/**
 * The modules, in the order of the rail (and of prefetching). Literal import() calls: Vite
 * makes each a chunk of its own.
 * @type {[Step, () => Promise<StepModule>][]}
 */
export const STEP_MODULES = [
  ['data', () => import('./data-step.js')],
  ['customers', () => import('./customers-step.js')],
  ['segments', () => import('./segments-step.js')],
  ['profiles', () => import('./profiles-step.js')],
  ['cohorts', () => import('./cohorts-step.js')],
  ['whatif', () => import('./whatif-step.js')],
  ['export', () => import('./export-step.js')],
];

/**
 * @param {(step: Step, views: Record<string, Render>) => void} onViews  gets each step's views
 *        once (the page renders them from then on)
 * @param {StepContext} context  the page's store and actions
 */
export function createStepLoader(onViews, context) {
  /** @type {Map<Step, {module: Promise<StepModule>, views: Promise<void>}>} */
  const loading = new Map();
  /** @type {Promise<void> | null} */
  let chain = null;

  /**
   * One step: its module (a task of its own: the chunk's evaluation), then, once the core's
   * schema has come, its views (another task).
   * @param {Step} step
   * @param {() => Promise<StepModule>} load
   */
  function loadStep(step, load) {
    let entry = loading.get(step);
    if (!entry) {
      const module = load();
      const views = module.then(
        async (m) => {
          // The views read the core's defaults and choices (web/model/schema.js): they are made
          // once the worker has given them (prefetching does not start the worker early).
          await schemaLoaded();
          await nextTask();
          const start = performance.now();
          onViews(step, m.createStepViews(context));
          performance.measure(`step ${step} views`, { start }); // bench/longtasks.mjs names it in a long task
        },
        (err) => {
          loading.delete(step); // e.g. the chunk could not be fetched: the next call tries again
          throw err;
        },
      );
      views.catch(() => {}); // reported by all()
      entry = { module, views };
      loading.set(step, entry);
    }
    return entry;
  }

  /**
   * The steps one after the other (each after `wait`); a step already loading is awaited: its
   * module only (`views` false), or its views too.
   * @param {() => Promise<unknown>} wait
   * @param {boolean} views
   */
  async function loadInOrder(wait, views) {
    for (const [step, load] of STEP_MODULES) {
      if (!loading.has(step)) await wait();
      const entry = loadStep(step, load);
      await (views ? entry.views : entry.module);
    }
  }

  return {
    /** Every step's module in idle time, one after the other (their views follow the schema). */
    prefetch() {
      chain ??= loadInOrder(idle, false).catch(() => {
        chain = null; // all() loads them again when a file comes, and reports a failure
      });
      return chain;
    },
    /** Every step now (idle or not); resolves once all their views exist. */
    all() {
      return loadInOrder(nextTask, true);
    },
  };
}
