// @ts-check
/**
 * The first read of a file (dropped, picked or the sample): its own progress bar and Cancel
 * (not the panel's job line), the state of the previous file dropped, and the page opens once the
 * first scores, K-Means segments and clustering are there, so every step is ready. The later
 * requests go through the runner (web/app/resources.js); this one tells the runner what the
 * worker now holds.
 */
import { errorMessage, errorName, isQuiet } from '../errors.js';
import { defaultRules } from '../model/cleaning-rules.js';
import { clusterParams } from '../model/cluster-settings.js';
import { SLICES, defaultRfmSettings, initialState } from '../state.js';
import { noticeFromError } from '../views/notice-view.js';
import { afterAnalysis, afterClustering, clusterable, rfmParams, segmentParams } from './derived.js';

/** Relative, so the page works under any sub-path. */
const SAMPLE_URL = 'samples/online-retail-sample.csv';
const SAMPLE_NAME = 'online-retail-sample.csv';

/**
 * @param {{
 *   store: import('./store.js').Store,
 *   client: import('../api/client.js').AnalysisClient,
 *   ensureSchema: () => Promise<void>,
 *   resources: import('./resources.js').Resources,
 *   loadSteps: () => Promise<void>,
 * }} app  loadSteps: every step's views (awaited before a file's page opens)
 */
export function createLoader({ store, client, resources, ensureSchema, loadSteps }) {
  /** @type {AbortController | null} the first load in progress */
  let loadController = null;

  /**
   * Reads a new file in the worker, then scores and segments its customers.
   * @param {string} name
   * @param {(signal: AbortSignal) => Promise<Blob>} getFile
   */
  async function load(name, getFile) {
    loadController?.abort();
    const controller = new AbortController();
    const { signal } = controller;
    loadController = controller;
    resources.outdate(SLICES);
    resources.forget();
    // In parallel with the read: ECharts (a failure shows when a chart draws) and the views of the
    // other steps (prefetched already unless the file came right after the start).
    import('../ui/chart-host.js').then((charts) => charts.preloadCharts()).catch(() => {});
    const steps = loadSteps();
    steps.catch(() => {}); // awaited before the page opens

    /** When the worker started reading (its first report): rows/s leaves out worker start-up. */
    let startedAt = 0;
    /** @param {import('../api/protocol.js').Progress} progress */
    const onProgress = (progress) => {
      if (loadController !== controller) return;
      const at = performance.now();
      startedAt ||= at;
      store.set({ progress: { ...progress, startedAt, at } });
    };
    const before = store.get();
    store.set({
      ...initialState(before.theme),
      k: before.k,
      clusterSettings: before.clusterSettings,
      mapMethod: before.mapMethod,
      tsneUnsupported: before.tsneUnsupported,
      phase: 'loading',
      fileName: name,
      progress: { stage: 'read', done: 0, total: 0, rows: 0, startedAt: 0, at: 0 },
    });

    try {
      // The forms' defaults are the core's: the read waits for its schema (asked at start; the
      // defaults join the state with it).
      await ensureSchema();
      if (loadController !== controller) return;
      const file = await getFile(signal);
      const rules = defaultRules();
      const result = await client.loadFile(file, { name, signal, onProgress });
      const analysis = resources.held(result, { file, name, readOptions: {}, rules });
      store.set({ ...afterAnalysis(result, {}, store.get()), analysis });
      const { analysisId } = analysis;
      const settings = defaultRfmSettings();
      const { k, clusterSettings } = store.get();
      const scores = rfmParams(settings);
      const segment = segmentParams(k);
      const cluster = clusterParams(clusterSettings, k);
      // The first scores and segments come before the page opens, so every step is ready.
      const [rfm, segmentation, clustering] = await Promise.allSettled([
        client.rfmScores(scores, { signal }),
        client.segment(segment, { signal, onProgress }),
        clusterable(clusterSettings) ? client.cluster(cluster, { signal }) : Promise.reject(new Error('')),
      ]);
      for (const r of [rfm, segmentation, clustering]) if (r.status === 'rejected' && isQuiet(r.reason)) throw r.reason;
      await steps; // every step opens with its views
      if (loadController !== controller) return; // a newer file replaced this one meanwhile
      /**
       * A slice with its first result (computed for this analysis), or the error.
       * @param {import('../state.js').SliceName} slice @param {object} params
       * @param {PromiseSettledResult<unknown>} settled @param {(value: any) => unknown} value
       */
      const first = (slice, params, settled, value) =>
        store.patchSlice(
          slice,
          settled.status === 'fulfilled'
            ? { value: value(settled.value), key: JSON.stringify(params), analysisId }
            : { error: errorMessage(settled.reason) || null },
        );
      store.set({
        phase: 'ready',
        progress: null,
        ...(clustering.status === 'fulfilled' ? afterClustering(clustering.value, store.get()) : {}),
        ...first('cluster', cluster, clustering, (c) => ({ ...c, run: { ...clusterSettings, k } })),
        ...(rfm.status === 'fulfilled'
          ? { rfmSettings: { ...settings, rules: rfm.value.rules }, presetRules: { [settings.preset]: rfm.value.rules } }
          : {}),
        ...first('scores', scores, rfm, (value) => ({ ...value, settings })),
        ...first('segment', segment, segmentation, (value) => value),
      });
    } catch (err) {
      if (loadController !== controller) return; // a newer file replaced this one
      resources.forget();
      const empty = { ...initialState(store.get().theme), k: store.get().k, clusterSettings: store.get().clusterSettings };
      if (errorName(err) === 'AbortError') {
        store.set({
          ...empty,
          notice: {
            kind: 'info',
            title: 'Reading cancelled',
            message: `Stopped reading “${name}”. Nothing was kept.`,
            hint: 'Drop a file, choose one, or try the sample data to start again.',
          },
        });
      } else {
        const crashed = errorName(err) === 'WorkerCrashError'; // already reported by workerLost
        store.set({ ...empty, ...(crashed ? { notice: store.get().notice } : { notice: noticeFromError(err) }) });
      }
    } finally {
      if (loadController === controller) loadController = null;
    }
  }

  return {
    /** @param {File} file */
    loadFile: (file) => load(file.name, async () => file),

    loadSample: () =>
      load(SAMPLE_NAME, async (signal) => {
        const response = await fetch(SAMPLE_URL, { signal });
        if (!response.ok) {
          throw new Error(`The sample data could not be fetched (HTTP ${response.status} for ${SAMPLE_URL}).`);
        }
        return new File([await response.blob()], SAMPLE_NAME, { type: 'text/csv' });
      }),

    /** Stops the first read of a file. */
    cancelLoad: () => loadController?.abort(),
  };
}
