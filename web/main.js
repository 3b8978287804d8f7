// @ts-check
/**
 * LoyaltyLens page: wires the views to the analysis worker. A file (dropped, picked or the
 * sample) is read once in the worker; changing k re-runs only the segmentation there.
 */
import { AnalysisClient } from './api/client.js';
import { SEGMENT_DEFAULTS } from './api/protocol.js';
import { downloadText } from './export/download.js';
import { createStore, initialState } from './state.js';
import { createDataView } from './views/data-view.js';
import { createDropView } from './views/drop-view.js';
import { createLayoutView } from './views/layout-view.js';
import { createNoticeView, noticeFromError } from './views/notice-view.js';
import { createPanelView } from './views/panel-view.js';
import { createProgressView } from './views/progress-view.js';
import { createScatterView } from './views/scatter-view.js';
import { createSegmentTableView } from './views/segment-table-view.js';
import { createTopbarView } from './views/topbar-view.js';

/** Relative, so the page works under any sub-path. */
const SAMPLE_URL = 'samples/online-retail-sample.csv';
const SAMPLE_NAME = 'online-retail-sample.csv';
const THEME_KEY = 'loyaltylens-theme';

/** @returns {import('./state.js').Theme} */
function preferredTheme() {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // Storage can be blocked (private mode, sandboxed frames): fall back to the system theme.
  }
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** @param {import('./state.js').Theme} theme */
function saveTheme(theme) {
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Not saved: the toggle still works for this visit.
  }
}

/** @param {unknown} err */
const errorName = (err) => (err instanceof Error || err instanceof DOMException ? err.name : '');

const store = createStore(initialState(preferredTheme()));

/** Whether the current worker holds the customers of the loaded file (false after a crash). */
let workerHasData = false;
/** @type {{file: Blob, name: string} | null} the loaded file, to read again after a crash */
let loadedFile = null;
/** @type {AbortController | null} the load in progress */
let loadController = null;
/** Bumped by every segmentation request and every new load; older results are ignored. */
let segmentSeq = 0;

const client = new AnalysisClient(
  () => new Worker(new URL('./worker/worker.js', import.meta.url), { type: 'module' }),
  {
    onCrash: (error) => {
      workerHasData = false;
      const notice = noticeFromError(error);
      if (store.get().phase === 'ready') {
        notice.hint =
          'LoyaltyLens has restarted it and the results stay on screen; changing the number of ' +
          'segments reads the file again. Nothing was uploaded.';
      }
      store.set({ notice });
    },
  },
);

/**
 * Reads a file in the worker, then segments its customers with the current k.
 * @param {string} name
 * @param {(signal: AbortSignal) => Promise<Blob>} getFile
 */
async function load(name, getFile) {
  loadController?.abort();
  const controller = new AbortController();
  loadController = controller;
  segmentSeq++;
  workerHasData = false;
  loadedFile = null;

  /** When the worker started reading (its first report): rows/s leaves out worker start-up. */
  let startedAt = 0;
  /** @param {import('./api/protocol.js').Progress} progress */
  const onProgress = (progress) => {
    if (loadController !== controller) return;
    const at = performance.now();
    startedAt ||= at;
    store.set({ progress: { ...progress, startedAt, at } });
  };
  store.set({
    phase: 'loading',
    fileName: name,
    notice: null,
    summary: null,
    customers: null,
    segmentation: null,
    segmenting: false,
    segmentError: null,
    progress: { stage: 'read', done: 0, total: 0, rows: 0, startedAt: 0, at: 0 },
  });

  let loaded = false;
  try {
    const file = await getFile(controller.signal);
    const { summary, customers } = await client.loadFile(file, { name, signal: controller.signal, onProgress });
    loaded = true;
    workerHasData = true;
    loadedFile = { file, name };
    store.set({ summary, customers });
    const segmentation = await client.segment(
      { ...SEGMENT_DEFAULTS, k: store.get().k },
      { signal: controller.signal, onProgress },
    );
    store.set({ phase: 'ready', segmentation, progress: null });
  } catch (err) {
    if (loadController !== controller) return; // a newer file replaced this one
    if (errorName(err) === 'AbortError') {
      store.set({
        phase: 'empty',
        progress: null,
        summary: null,
        customers: null,
        notice: {
          kind: 'info',
          title: 'Reading cancelled',
          message: `Stopped reading “${name}”. Nothing was kept.`,
          hint: 'Drop a file, choose one, or try the sample data to start again.',
        },
      });
    } else if (loaded && errorName(err) === 'InvalidArgument') {
      store.set({ phase: 'ready', progress: null, segmentError: /** @type {Error} */ (err).message });
    } else {
      const crashed = errorName(err) === 'WorkerCrashError'; // already reported by onCrash
      store.set({
        phase: 'empty',
        progress: null,
        summary: null,
        customers: null,
        ...(crashed ? {} : { notice: noticeFromError(err) }),
      });
    }
  } finally {
    if (loadController === controller) loadController = null;
  }
}

/**
 * Re-segments the loaded customers with a new k (reading the file again if the worker was replaced).
 * @param {number} k
 */
async function segment(k) {
  const seq = ++segmentSeq;
  store.set({ k, segmenting: true, segmentError: null });
  try {
    if (!workerHasData && loadedFile) {
      await client.loadFile(loadedFile.file, { name: loadedFile.name });
      workerHasData = true;
    }
    const segmentation = await client.segment({ ...SEGMENT_DEFAULTS, k });
    if (seq === segmentSeq) store.set({ segmentation, segmenting: false });
  } catch (err) {
    if (seq !== segmentSeq) return;
    const crashed = errorName(err) === 'WorkerCrashError'; // already reported by onCrash
    store.set({
      segmenting: false,
      ...(crashed ? {} : { segmentation: null, segmentError: /** @type {Error} */ (err).message }),
    });
  }
}

const drop = createDropView({
  onFile: (file) => load(file.name, async () => file),
  onSample: () =>
    load(SAMPLE_NAME, async (signal) => {
      const response = await fetch(SAMPLE_URL, { signal });
      if (!response.ok) {
        throw new Error(`The sample data could not be fetched (HTTP ${response.status} for ${SAMPLE_URL}).`);
      }
      return new File([await response.blob()], SAMPLE_NAME, { type: 'text/csv' });
    }),
});

const views = [
  createLayoutView(),
  createTopbarView({
    onToggleTheme: () => {
      const theme = store.get().theme === 'dark' ? 'light' : 'dark';
      saveTheme(theme);
      store.set({ theme });
    },
    onOpenFile: drop.openPicker,
  }),
  createNoticeView({ onDismiss: () => store.set({ notice: null }) }),
  drop.render,
  createProgressView({ onCancel: () => loadController?.abort() }),
  createDataView(),
  createPanelView({
    onK: (k) => {
      if (k !== store.get().k || store.get().segmentError) segment(k);
    },
    onDownload: () => {
      const { segmentation } = store.get();
      if (segmentation) downloadText(segmentation.csv, 'segments.csv', 'text/csv;charset=utf-8');
    },
  }),
  createSegmentTableView(),
  createScatterView(),
];

store.subscribe((state, previous) => {
  for (const render of views) render(state, previous);
});
for (const render of views) render(store.get());
