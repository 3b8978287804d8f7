// @ts-check
/**
 * LoyaltyLens page: the bootstrap. It makes the store (web/app/store.js, the state's shape in
 * web/state.js), the client of the analysis worker, the runner of its requests
 * (web/app/resources.js) and the actions (web/app/actions.js, web/app/derived.js), and wires
 * the page's frame and the steps' views to them.
 *
 * The page's start evaluates only this module and the page's frame (top bar, drop zone, progress,
 * notices): the views of the steps are modules of their own (web/steps/), loaded in idle time
 * after the start or when a file is dropped, and ECharts when a file is dropped. So the start is
 * no long task (issue 7).
 */
import { AnalysisClient } from './api/client.js';
import { SweepPool, sweepWorkerCount } from './api/sweep-pool.js';
import { createActions } from './app/actions.js';
import { createResources } from './app/resources.js';
import { createSchemaLoader } from './app/schema.js';
import { createStore } from './app/store.js';
import { preferredTheme } from './app/theme.js';
import { warmFormats } from './format.js';
import { initialState } from './state.js';
import { createStepLoader } from './steps/step-loader.js';
import { createRenderLoop } from './ui/render-loop.js';
import { idle } from './ui/tasks.js';
import { byId } from './ui/dom.js';
import { createTooltip } from './ui/tooltip.js';
import { createDropView } from './views/drop-view.js';
import { createJobView } from './views/job-view.js';
import { createLayoutView } from './views/layout-view.js';
import { createNoticeView } from './views/notice-view.js';
import { createProgressView } from './views/progress-view.js';
import { createTopbarView } from './views/topbar-view.js';

const store = createStore(initialState(preferredTheme()));

const client = new AnalysisClient(() => new Worker(new URL('./worker/worker.js', import.meta.url), { type: 'module' }), {
  onCrash: (error) => actions.workerLost(error),
  // "Compare k" on the other cores; ?workers=1 in the URL keeps it on the analysis worker.
  pool: new SweepPool(() => new Worker(new URL('./worker/pool-worker.js', import.meta.url), { type: 'module' }), {
    size: sweepWorkerCount(navigator.hardwareConcurrency, location.search),
    onWorkerLost: (error) => actions.helperLost(error),
  }),
});

const resources = createResources(store, client);
const ensureSchema = createSchemaLoader(store, client);
const actions = createActions({ store, client, resources, ensureSchema, loadSteps: () => stepLoader.all() });

const renderLoop = createRenderLoop(store);
const drop = createDropView({
  onFiles: actions.openFiles,
  onSample: actions.loadSample,
  onOpenLast: actions.openLastProject,
  onForgetLast: actions.forgetLastProject,
  onOpenProject: () => byId('project-input', HTMLInputElement).click(),
});
createTooltip();
renderLoop.add({
  layout: createLayoutView({ onStep: actions.openStep }),
  topbar: createTopbarView({
    onToggleTheme: actions.toggleTheme,
    onOpenFile: drop.openPicker,
    onSaveProject: actions.saveProject,
    onOpenProject: (file) => actions.openProjectFile(file, null),
    onCloseProject: actions.closeProject,
  }),
  notice: createNoticeView({ onDismiss: actions.dismissNotice }),
  drop: drop.render,
  progress: createProgressView({ onCancel: actions.cancelLoad }),
  job: createJobView({ onCancel: actions.cancelJob }),
  // The steps' views join once their modules are loaded (stepLoader below).
});

/**
 * The steps: their views join the page once their modules are loaded, and render the newest
 * state from then on (web/steps/step-loader.js).
 */
const stepLoader = createStepLoader((step, stepViews) => renderLoop.add(stepViews, step), { store, ...actions });

renderLoop.start();

// After the start, in idle time and each in tasks of its own: the number formats (a page's
// first Intl call loads locale data, 20–45 ms here), the steps' modules, and then the analysis
// worker, which fetches, compiles and warms up its wasm while the page waits for a file. The
// worker last: its compile threads take both cores of a small machine, and every task of the
// page that ran meanwhile took two to four times as long. A file dropped before gets them all at
// once (actions' load).
idle()
  .then(() => {
    warmFormats();
    actions.checkLastProject(); // a project kept from an earlier visit is offered on the drop zone
    return stepLoader.prefetch();
  })
  .then(() => {
    client.prepare();
    // The core's schema: the forms' defaults and choices (the worker answers after its warm-up).
    ensureSchema().catch(() => {});
  });
