// @ts-check
/**
 * The first read of a file (dropped, picked or the sample): its own progress bar and Cancel
 * (not the panel's job line), the state of the previous file dropped, and the page opens once the
 * first scores, K-Means segments and clustering are there, so every step is ready. The later
 * requests go through the runner (web/app/resources.js); this one tells the runner what the
 * worker now holds.
 */
import { errorMessage, errorName, isQuiet } from '../errors.js';
import { defaultRules, toWasmRules } from '../model/cleaning-rules.js';
import { clusterParams } from '../model/cluster-settings.js';
import { formsOf, overridesOf, rfmSettingsOf, sameSegments } from '../model/project.js';
import { noOverrides } from '../model/segment-style.js';
import { SLICES, defaultRfmSettings, initialState } from '../state.js';
import { noticeFromError } from '../views/notice-view.js';
import { afterAnalysis, afterClustering, clusterable, rfmParams, segmentParams } from './derived.js';

/**
 * What the page says once a file is read with a project: scored with its segments (and how well
 * they still fit), or restored (the project's own customers, fitted again), or why the saved
 * segments could not score this file.
 * @param {import('../model/project.js').Project} project
 * @param {PromiseSettledResult<import('../api/protocol.js').ApplyResult> | null} applied
 * @param {{customers: number}[] | null} profiles  the segments on screen
 * @returns {import('../state.js').Notice}
 */
function projectNotice(project, applied, profiles) {
  const on = project.model.fittedOn;
  if (applied?.status === 'rejected') {
    return {
      kind: 'error',
      title: `The segments of ${project.fileName} cannot score this file`,
      message: errorMessage(applied.reason),
      hint: 'The segments shown are fitted on this file with the project’s settings. Open another project, or drop the file the project was made for.',
    };
  }
  if (project.scoring === 'refit') {
    if (profiles && !sameSegments(project.model, profiles)) {
      return {
        kind: 'error',
        title: 'Restored, but the segments differ from the saved ones',
        message: `These are the customers ${project.fileName} was fitted on, yet fitting again gave segments of other sizes than saved.`,
        hint: 'The segments shown are those fitted now. Report this with the project file: it should not happen.',
      };
    }
    return {
      kind: 'info',
      title: `Project ${project.fileName} restored`,
      message: `This is the file it was saved from (${on.customers.toLocaleString()} customers, ${on.firstDate} to ${on.lastDate}): every step shows the saved settings, names and colours, and the segments fitted again are the saved ones.`,
      hint: 'Drop next month’s export to score it with these segments.',
    };
  }
  const warnings = applied?.status === 'fulfilled' ? applied.value.drift.warnings : [];
  return {
    kind: warnings.length > 0 ? 'error' : 'info',
    title: `Scored with the segments of ${project.fileName}`,
    message: `Each customer is in one of its ${project.model.k} saved segments (fitted on ${on.file}, ${on.firstDate} to ${on.lastDate}); RFM scores use its bin edges.${warnings.length > 0 ? ` ${warnings[0]}` : ''}`,
    hint: 'Step 3 shows the drift since then; “Fit again on this file” there makes new segments instead.',
  };
}

/**
 * The title and hint of a read that failed with a project's settings.
 * @param {import('../model/project.js').Project | null} project
 * @returns {Partial<import('../state.js').Notice>}
 */
function projectFailure(project) {
  return project
    ? {
        title: `This file could not be read with the settings of ${project.fileName}`,
        hint: 'The project names columns, formats or rules this file does not fit. Open the file without the project (close the project in the top bar), or open another project.',
      }
    : {};
}

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
   * Reads a new file in the worker, then scores and segments its customers. With a project held
   * (state.project), the file is read and cleaned with the project's settings, and its customers
   * are scored with the project's saved segments — or, when they are the customers the project
   * was fitted on (the core says so: same count, dates and distributions), fitted again with its
   * settings, which restores every step as it was saved.
   * @param {string} name
   * @param {(signal: AbortSignal) => Promise<Blob>} getFile
   * @param {{restore?: {state: import('../state.js').AppState, worker: import('./resources.js').WorkerTable}}} [options]
   *        restore: what to go back to when this read fails (a project opened over a file on
   *        screen: a bad project leaves the analysis on screen)
   */
  async function load(name, getFile, options = {}) {
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
      project: before.project,
      lastProject: before.lastProject,
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
      const { project } = store.get();
      const forms = project ? formsOf(project.settings) : null;
      const readOptions = forms?.readOptions ?? {};
      const rules = forms?.rules ?? defaultRules();
      const result = await client.loadFile(file, {
        name,
        signal,
        onProgress,
        ...(forms ? { read: readOptions, rules: toWasmRules(rules) } : {}),
      });
      const analysis = resources.held(result, { file, name, readOptions, rules });
      store.set({ ...afterAnalysis(result, readOptions, store.get()), analysis, rules, ...(forms ? { mapMethod: forms.mapMethod } : {}) });
      const { analysisId } = analysis;

      // A project: its saved segments on these customers first (they say whether these are the
      // customers it was fitted on).
      /** @type {PromiseSettledResult<import('../api/protocol.js').ApplyResult> | null} */
      const applied = project
        ? (await Promise.allSettled([client.applyProject({ text: project.text, fileName: project.fileName }, { signal, onProgress })]))[0]
        : null;
      if (applied?.status === 'rejected' && isQuiet(applied.reason)) throw applied.reason;
      const scoring = applied?.status === 'fulfilled' && !applied.value.drift.sameData ? 'saved' : 'refit';
      const projectNow = project ? { ...project, scoring: /** @type {'saved' | 'refit'} */ (scoring) } : null;
      const settings = project ? rfmSettingsOf(project.settings.rfm, scoring === 'saved' ? project.model.rfmEdges : null) : defaultRfmSettings();
      const { k, clusterSettings } = forms ?? store.get();
      store.set({ k, clusterSettings, project: projectNow, ...(project ? { overrides: noOverrides() } : {}) });
      const scores = rfmParams(settings);
      const segment = segmentParams(k);
      const cluster = clusterParams(clusterSettings, k);
      // The first scores and segments come before the page opens, so every step is ready.
      const [rfm, segmentation, clustering] = await Promise.allSettled([
        client.rfmScores(scores, { signal }),
        client.segment(segment, { signal, onProgress }),
        scoring === 'saved' && applied?.status === 'fulfilled'
          ? Promise.resolve(applied.value)
          : clusterable(clusterSettings)
            ? client.cluster(cluster, { signal })
            : Promise.reject(new Error('')),
      ]);
      for (const r of [rfm, segmentation, clustering]) if (r.status === 'rejected' && isQuiet(r.reason)) throw r.reason;
      await steps; // every step opens with its views
      if (loadController !== controller) return; // a newer file replaced this one meanwhile
      /**
       * A slice with its first result (computed for this analysis), or the error.
       * @param {import('../state.js').SliceName} slice @param {string} key
       * @param {PromiseSettledResult<unknown>} settled @param {(value: any) => unknown} value
       */
      const first = (slice, key, settled, value) =>
        store.patchSlice(
          slice,
          settled.status === 'fulfilled' ? { value: value(settled.value), key, analysisId } : { error: errorMessage(settled.reason) || null },
        );
      const clusterFirst =
        scoring === 'saved' && projectNow
          ? first('cluster', `project|${projectNow.key}`, clustering, ({ drift, csv, ...c }) => ({
              ...c,
              run: { ...clusterSettings, k },
              applied: { drift, csv },
            }))
          : first('cluster', JSON.stringify(cluster), clustering, (c) => ({ ...c, run: { ...clusterSettings, k } }));
      const profiles = clustering.status === 'fulfilled' ? /** @type {import('../api/protocol.js').ClusterResult} */ (clustering.value).profiles : null;
      store.set({
        phase: 'ready',
        progress: null,
        ...(clustering.status === 'fulfilled' ? afterClustering(/** @type {any} */ (clustering.value), store.get()) : {}),
        ...clusterFirst,
        ...(rfm.status === 'fulfilled'
          ? { rfmSettings: { ...settings, rules: rfm.value.rules }, presetRules: settings.preset === 'custom' ? {} : { [settings.preset]: rfm.value.rules } }
          : { rfmSettings: settings }),
        ...first('scores', JSON.stringify(scores), rfm, (value) => ({ ...value, settings })),
        ...first('segment', JSON.stringify(segment), segmentation, (value) => value),
        ...(projectNow && profiles ? { overrides: overridesOf(projectNow.model, profiles) } : {}),
        ...(projectNow ? { notice: projectNotice(projectNow, applied, profiles) } : {}),
      });
    } catch (err) {
      if (loadController !== controller) return; // a newer file replaced this one
      resources.forget();
      if (options.restore && errorName(err) !== 'AbortError') {
        // The analysis on screen stays; the worker reads its file again with its settings at the
        // next request (the same analysis).
        resources.restore(options.restore.worker);
        store.set({ ...options.restore.state, notice: { ...noticeFromError(err), ...projectFailure(store.get().project) } });
        return;
      }
      const empty = {
        ...initialState(store.get().theme),
        k: store.get().k,
        clusterSettings: store.get().clusterSettings,
        lastProject: store.get().lastProject,
        project: store.get().project,
      };
      if (errorName(err) === 'AbortError') {
        store.set({
          ...(options.restore ? { ...options.restore.state } : empty),
          notice: {
            kind: 'info',
            title: 'Reading cancelled',
            message: `Stopped reading “${name}”. Nothing was kept.`,
            hint: 'Drop a file, choose one, or try the sample data to start again.',
          },
        });
        if (options.restore) resources.restore(options.restore.worker);
      } else {
        const crashed = errorName(err) === 'WorkerCrashError'; // already reported by workerLost
        store.set({
          ...empty,
          ...(crashed ? { notice: store.get().notice } : { notice: { ...noticeFromError(err), ...projectFailure(store.get().project) } }),
        });
      }
    } finally {
      if (loadController === controller) loadController = null;
    }
  }

  return {
    load,

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
