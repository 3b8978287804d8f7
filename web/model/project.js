// @ts-check
/**
 * A saved project (cpp/core/model.h: the settings and the fitted model, format
 * "loyaltylens-project") as the page uses it: which dropped file is one, the forms it restores,
 * and what "Save project" sends. The core reads and checks the file (the worker's openProject,
 * which names any field that is wrong); this module maps its settings onto the page's forms and
 * back. Pure, no DOM.
 */
import { clusterParams } from './cluster-settings.js';
import { rulesFormOf } from './cleaning-rules.js';
import { defaultOf, getSchema } from './schema.js';

/**
 * @typedef {{name: string, color: string, customers: number, revenue: number}} ProjectSegment
 * @typedef {{file: string, customers: number, firstDate: string, lastDate: string, asOf: string}} FittedOn
 * @typedef {{
 *   features: string[], algorithm: import('./cluster-settings.js').Algorithm, k: number,
 *   rfmEdges: number[][], segments: ProjectSegment[], rfmSegments: string[], fittedOn: FittedOn,
 *   agreement: number
 * }} ProjectModel  the model's summary (the worker leaves out its centres and distributions)
 * @typedef {Record<string, Record<string, any>>} ProjectSettings  the core's groups: read, clean, …
 *
 * A project the page holds: its text (the worker reads it again for every request: the page
 * keeps no second copy of the model), its file's name, its settings and model summary, and how
 * the customers on screen are segmented:
 *   'saved'  each customer in the project's saved segments (applyProject; no refit)
 *   'refit'  the clustering fitted on this file with the project's settings (the same file gives
 *            the same segments), or with settings changed since
 * @typedef {{text: string, fileName: string, key: string, settings: ProjectSettings, model: ProjectModel,
 *            scoring: 'saved' | 'refit'}} Project  key: unique per project opened or saved
 *
 * @typedef {{feature: string, psi: number, reading: string, edges: number[], then: number[], now: number[]}} DriftFeature
 * @typedef {{segment: number, name: string, customersThen: number, customersNow: number,
 *            shareThen: number, shareNow: number}} DriftSegment
 * @typedef {{fittedOn: FittedOn, sameData: boolean, features: DriftFeature[], segments: DriftSegment[],
 *            warnings: string[]}} DriftReport  cpp/core/model.h drift_json
 */

let opened = 0;

/**
 * A project the page holds, from the worker's reading of its text.
 * @param {{text: string, fileName: string}} file
 * @param {{settings: ProjectSettings, model: ProjectModel}} read  the worker's openProject
 * @param {Project['scoring']} scoring
 * @returns {Project}
 */
export function projectOf({ text, fileName }, { settings, model }, scoring) {
  return { text, fileName, key: `${++opened}|${fileName}|${text.length}`, settings, model, scoring };
}

/** The largest project file the core reads (its schema's limit). */
export const projectMaxBytes = () => getSchema().limits.projectBytes;

/**
 * Whether a dropped file is taken as a project rather than a transactions file: a `.json` name,
 * or text that starts with "{" (no transactions export does). The core then says whether it is
 * a LoyaltyLens project.
 * @param {string} name
 * @param {string} head  the file's first bytes as text
 */
export const isProjectFile = (name, head) => /\.json$/i.test(name) || /^\uFEFF?\s*\{/.test(head);

/**
 * The read settings of a project as the page's overrides: only what differs from the core's
 * defaults (so the form shows "Detected" for the rest), and the column roles it names.
 * @param {Record<string, any>} read
 * @returns {import('../api/protocol.js').ReadOverrides}
 */
export function readOverridesOf(read) {
  /** @type {Record<string, any>} */
  const out = {};
  for (const [key, value] of Object.entries(read ?? {})) {
    if (key === 'roles') {
      if (value && Object.keys(value).length > 0) out.roles = { ...value };
    } else if (JSON.stringify(value) !== JSON.stringify(defaultOf('read', key))) {
      out[key] = value;
    }
  }
  return out;
}

/**
 * The RFM settings of a project: its preset or its own rules, its R/F/M features, and the frozen
 * bin edges when the scores are to be cut there (another file's customers, "frozen" chosen).
 * @param {Record<string, any>} rfm
 * @param {number[][] | null} edges
 * @returns {import('../state.js').RfmSettings}
 */
export function rfmSettingsOf(rfm, edges) {
  const custom = Array.isArray(rfm.rules) && rfm.rules.length > 0;
  return {
    preset: custom ? 'custom' : rfm.preset,
    rules: custom ? rfm.rules : null,
    recency: rfm.recency,
    frequency: rfm.frequency,
    monetary: rfm.monetary,
    edges,
  };
}

/**
 * The clustering settings and k of a project.
 * @param {Record<string, any>} cluster
 * @returns {{clusterSettings: import('./cluster-settings.js').ClusterSettings, k: number}}
 */
export function clusterSettingsOf(cluster) {
  return {
    clusterSettings: {
      algorithm: cluster.algorithm,
      features: [...cluster.features],
      log1p: cluster.log1p,
      winsorLo: cluster.winsorLo,
      winsorHi: cluster.winsorHi,
      scaler: cluster.scaler,
      seed: cluster.seed,
      covariance: cluster.covariance,
    },
    k: cluster.k,
  };
}

/**
 * Every form a project restores.
 * @param {ProjectSettings} settings
 */
export function formsOf(settings) {
  return {
    readOptions: readOverridesOf(settings.read),
    rules: rulesFormOf(settings.clean),
    ...clusterSettingsOf(settings.cluster),
    mapMethod: /** @type {'pca' | 'tsne'} */ (settings.map?.method === 'tsne' ? 'tsne' : 'pca'),
  };
}

/**
 * The names and colours the page shows for the segments of a project: its saved names (kept by
 * the core's automatic name of each segment in the clustering on screen) and colours.
 * @param {ProjectModel} model
 * @param {{name: string}[]} profiles  the clustering's profiles (segment i = profiles[i])
 * @returns {import('./segment-style.js').SegmentOverrides}
 */
export function overridesOf(model, profiles) {
  /** @type {import('./segment-style.js').SegmentOverrides} */
  const overrides = { names: {}, colors: {} };
  profiles.forEach((p, q) => {
    const saved = model.segments[q];
    if (!saved) return;
    const auto = p.name || `Segment ${q + 1}`;
    if (saved.name && saved.name !== auto) overrides.names[auto] = saved.name;
    if (saved.color) overrides.colors[auto] = saved.color;
  });
  return overrides;
}

/**
 * Whether the refit on screen has the project's segments: as many, each as large as saved (the
 * page checks this after restoring a project on the file it was fitted on).
 * @param {ProjectModel} model
 * @param {{customers: number}[]} profiles
 */
export const sameSegments = (model, profiles) =>
  profiles.length === model.segments.length && profiles.every((p, q) => p.customers === model.segments[q].customers);

/**
 * What "Save project" sends the worker: the groups of the page's requests (the read, clean and
 * features settings are the analysis' own, in the worker), the segments' names and colours as
 * shown. For segments scored with a project (not refitted): that project, restyled.
 * @param {{rfm: import('../api/protocol.js').RfmParams, run: import('./cluster-settings.js').ClusterRun,
 *          mapMethod: 'pca' | 'tsne', styles: import('./segment-style.js').SegmentStyle[],
 *          savedProject: string | null}} page
 */
export function savePayload({ rfm, run, mapMethod, styles, savedProject }) {
  const names = styles.map((s) => s.name);
  const colors = styles.map((s) => (s.customColor ? s.color : ''));
  if (savedProject !== null) return { project: savedProject, names, colors };
  return { rfm, cluster: clusterParams(run, run.k), map: { method: mapMethod }, names, colors };
}

/**
 * A file name for the project: the data file's name without its extension, dated.
 * @param {string} dataName
 * @param {Date} [now]
 */
export function projectFileName(dataName, now = new Date()) {
  const base =
    dataName
      .replace(/\.(csv|tsv|txt|gz|xlsx|xls|parquet|zip)$/gi, '')
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'analysis';
  return `${base}-${now.toISOString().slice(0, 10)}.loyaltylens.json`;
}

/**
 * PSI in words, as the drift panel shows it (the core's reading: < 0.1 stable, < 0.25 moderate).
 * @param {DriftFeature} f
 */
export const psiLevel = (f) => (f.reading === 'stable' ? 'ok' : f.reading === 'moderate shift' ? 'warn' : 'bad');
