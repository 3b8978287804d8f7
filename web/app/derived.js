// @ts-check
/**
 * What the worker computes from the analysis on screen, one function per resource slice, each a
 * request through the runner (web/app/resources.js):
 *
 *   RFM preset, rules, features     scores   rfmScores
 *   k                               segment  segment (the K-Means download) and cluster
 *   algorithm, seed, covariance     cluster  cluster
 *   clustering features, log1p,     cluster, and embed (the map) when the Segments step shows it
 *   winsorizing, scaler
 *   "Compare k"                     sweep    kSweep (on demand)
 *   the Cohorts step opened         cohorts  cohorts
 */
import { errorMessage, errorName } from '../errors.js';
import {
  algorithmLabel,
  clusterParams,
  mapKey,
  preprocessParams,
  sweepKey,
  sweepRange,
  segmentDefaults,
  validateClusterSettings,
} from '../model/cluster-settings.js';
import { clusterSettingsOf, overridesOf } from '../model/project.js';
import { whatIfParamsFor } from '../model/what-if.js';
import { DERIVED, currentResult } from '../state.js';

/**
 * @typedef {import('../state.js').AppState} AppState
 * @typedef {import('../state.js').RfmSettings} RfmSettings
 */

/** @param {RfmSettings} s @returns {import('../api/protocol.js').RfmParams} */
export function rfmParams(s) {
  // A project's frozen bin edges: the scores are cut there (thresholds), not at new quintiles.
  const features = {
    recency: s.recency,
    frequency: s.frequency,
    monetary: s.monetary,
    ...(s.edges ? { method: /** @type {const} */ ('thresholds'), thresholds: s.edges } : {}),
  };
  if (s.preset !== 'custom') return { ...features, preset: s.preset };
  return s.rules ? { ...features, rules: s.rules } : { ...features, preset: 'rf-grid' };
}

/** @param {number} k @returns {import('../api/protocol.js').SegmentParams} */
export const segmentParams = (k) => ({ ...segmentDefaults(), k });

/** @param {import('../model/cluster-settings.js').ClusterSettings} settings */
export const clusterable = (settings) => Object.keys(validateClusterSettings(settings)).length === 0;

/**
 * What a new clustering changes besides itself: the what-if inputs and the segments ticked for
 * export are kept while the segments are the same ones (same automatic names, in order), else
 * they start again from their defaults (a segment number would now mean another segment).
 * @param {import('../api/protocol.js').ClusterResult} result
 * @param {AppState} state  before the clustering is stored
 * @returns {Partial<AppState>}
 */
export function afterClustering(result, state) {
  const names = (/** @type {{name: string}[] | undefined} */ p) => p?.map((x) => x.name).join('\n');
  const same = names(state.cluster.value?.profiles) === names(result.profiles);
  const segments = result.profiles.map((p) => ({ segment: p.segment, customers: p.customers, revenue: p.revenue }));
  return {
    whatIf: whatIfParamsFor(segments, same ? state.whatIf : null),
    ...(same ? {} : { exportSettings: { ...state.exportSettings, segments: null } }),
  };
}

/** The countries seen so far in this file (the country filter lists them). @param {string[]} known @param {string[]} seen */
function unionCountries(known, seen) {
  const all = new Set(known);
  for (const c of seen) all.add(c);
  return all.size === known.length ? known : [...all];
}

/**
 * What a new analysis changes besides itself: the read options shown, the countries known, and
 * the results that are computed again only on demand (cohorts, sweep, map) are dropped.
 * @param {import('../api/protocol.js').AnalysisResult} result
 * @param {import('../api/protocol.js').ReadOverrides} readOptions
 * @param {AppState} state  before the analysis is stored
 * @returns {Partial<AppState>}
 */
export function afterAnalysis(result, readOptions, state) {
  /** @param {'cohorts' | 'sweep' | 'embed'} name */
  const dropped = (name) => ({ ...state[name], value: null, error: null, key: '' });
  return {
    readOptions,
    knownCountries: unionCountries(state.knownCountries, result.customers.countries),
    cohorts: dropped('cohorts'),
    sweep: dropped('sweep'),
    embed: dropped('embed'),
  };
}

/**
 * What the RFM scores change besides themselves: the preset's rules, and the rules of the
 * settings when they had none yet.
 * @param {import('../api/protocol.js').RfmResult} rfm
 * @param {RfmSettings} settings  those the scores were computed with
 * @param {AppState} state  before the scores are stored
 * @returns {Partial<AppState>}
 */
export function afterScores(rfm, settings, state) {
  return {
    presetRules: settings.preset === 'custom' ? state.presetRules : { ...state.presetRules, [settings.preset]: rfm.rules },
    rfmSettings: state.rfmSettings === settings && settings.rules === null ? { ...settings, rules: rfm.rules } : state.rfmSettings,
  };
}

/**
 * @param {{
 *   store: import('./store.js').Store,
 *   client: import('../api/client.js').AnalysisClient,
 *   resources: import('./resources.js').Resources,
 * }} app
 */
export function createDerived({ store, client, resources }) {
  /** Scores and named segments of the customers on screen. */
  function runScores() {
    const settings = store.get().rfmSettings;
    const params = rfmParams(settings);
    return resources.run('scores', {
      key: JSON.stringify(params),
      label: 'Scoring customers…',
      send: (onProgress) => client.rfmScores(params, { onProgress }),
      value: (rfm) => ({ ...rfm, settings }),
      also: (rfm, state) => afterScores(rfm, settings, state),
    });
  }

  /** K-Means segments of the customers on screen, with the current k. */
  function runSegment() {
    const { k } = store.get();
    const params = segmentParams(k);
    return resources.run('segment', {
      key: JSON.stringify(params),
      label: `Finding ${k} segments…`,
      send: (onProgress) => client.segment(params, { onProgress }),
      value: (segmentation) => segmentation,
      clearOnError: true,
    });
  }

  /**
   * The Segments step's segments: a project's saved segments scored on these customers (its
   * scoring 'saved'), or the clustering with the current settings and k.
   */
  function runCluster() {
    const { clusterSettings: settings, k, project } = store.get();
    if (project?.scoring === 'saved') return runApplied(project);
    if (!clusterable(settings)) {
      store.set(store.patchSlice('cluster', { busy: false })); // the panel says what to fix; a clustering in flight is outdated
      return;
    }
    const params = clusterParams(settings, k);
    return resources.run('cluster', {
      key: JSON.stringify(params),
      label: `Finding ${k} segments (${algorithmLabel(settings.algorithm)})…`,
      send: (onProgress) => client.cluster(params, { onProgress }),
      value: (result) => ({ ...result, run: { ...settings, k } }),
      also: afterClustering,
    });
  }

  /**
   * The project's saved segments on the customers on screen (no refit), shown as the clustering:
   * its settings and k are the project's; `applied` holds the drift report and segments table.
   * @param {import('../model/project.js').Project} project
   */
  function runApplied(project) {
    const { clusterSettings, k } = clusterSettingsOf(project.settings.cluster);
    return resources.run('cluster', {
      key: `project|${project.key}`,
      label: `Scoring customers with the segments of ${project.fileName}…`,
      send: (onProgress) => client.applyProject({ text: project.text, fileName: project.fileName }, { onProgress }),
      value: ({ drift, csv, ...result }) => ({ ...result, run: { ...clusterSettings, k }, applied: { drift, csv } }),
      also: (result, state) => ({
        ...afterClustering(result, state),
        // The saved names are the profiles' names here; the saved colours join the overrides.
        overrides: { ...state.overrides, colors: { ...state.overrides.colors, ...overridesOf(project.model, result.profiles).colors } },
      }),
    });
  }

  /** The 2-D map of the customers with the current features and preprocessing (when shown). */
  function runEmbed() {
    const state = store.get();
    const { clusterSettings: settings, mapMethod } = state;
    if (!clusterable(settings)) return;
    const key = mapKey(settings, mapMethod);
    if (state.embed.key === key && currentResult(state, 'embed')) return;
    if (resources.asked('embed', key)) return; // already on its way
    const params = { ...preprocessParams(settings), method: mapMethod, ...(mapMethod === 'tsne' ? { seed: settings.seed } : {}) };
    return resources.run('embed', {
      key,
      label: mapMethod === 'tsne' ? 'Computing the t-SNE map…' : 'Computing the PCA map…',
      send: (onProgress) => client.embed(params, { onProgress }),
      value: (embedding) => embedding,
      // No t-SNE in this build: hide the option and show PCA.
      instead: (err) => (errorName(err) === 'Unsupported' ? { patch: { mapMethod: 'pca', tsneUnsupported: errorMessage(err) }, next: runEmbed } : null),
    });
  }

  /** The k sweep (k = 2…10) for the current settings, on demand. */
  function runSweep() {
    const state = store.get();
    const settings = state.clusterSettings;
    const range = sweepRange(state.analysis.value?.customers.ids.length ?? 0);
    if (!range || !clusterable(settings)) return;
    return resources.run('sweep', {
      key: sweepKey(settings),
      label: `Comparing k = ${range.kMin}–${range.kMax} (${algorithmLabel(settings.algorithm)})…`,
      send: (onProgress) => client.kSweep({ ...clusterParams(settings, range.kMin), ...range }, { onProgress }),
      value: (result) => ({ ...result, algorithm: settings.algorithm }),
    });
  }

  /** Monthly cohorts of the rows on screen (computed when the Cohorts step is opened). */
  function runCohorts() {
    return resources.run('cohorts', {
      key: 'cohorts',
      label: 'Computing cohorts…',
      send: (onProgress) => client.cohorts({ onProgress }),
      value: (cohorts) => cohorts,
    });
  }

  return {
    runScores,
    runSegment,
    runCluster,
    runEmbed,
    runSweep,
    runCohorts,

    /** Everything computed from the customers, after they changed. */
    runDependents() {
      runScores();
      runCluster();
      runSegment();
      if (store.get().step === 'segments') runEmbed();
      if (store.get().step === 'cohorts') runCohorts();
    },

    /** Results of the previous analysis in flight are dropped from now on. */
    outdateDependents() {
      resources.outdate(DERIVED);
      // Nothing starts the sweep or the map again by itself: their flags end with them.
      store.set({ ...store.patchSlice('sweep', { busy: false }), ...store.patchSlice('embed', { busy: false }) });
    },
  };
}

/** @typedef {ReturnType<typeof createDerived>} Derived */
