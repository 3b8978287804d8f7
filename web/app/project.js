// @ts-check
/**
 * Projects in the page (issue 16): "Save project" downloads the analysis' settings and fitted
 * model (no customer-level data); "Open project" restores them — on the file on screen, on a
 * file dropped with it or after it — and scores that file's customers with the saved segments,
 * or restores the analysis as it was when the file is the one the project was fitted on
 * (web/app/load.js). The last project saved or opened is kept in this browser and offered on
 * the next visit (web/app/project-keeper.js).
 *
 * The core reads, checks and writes the project files (the worker's openProject, saveProject,
 * applyProject); a bad file is refused with a message naming its field, and the analysis on
 * screen stays as it was.
 */
import { isQuiet } from '../errors.js';
import { downloadText } from '../export/download.js';
import { clusterSettingsOf, isProjectFile, projectFileName, projectMaxBytes, projectOf, rfmSettingsOf, savePayload } from '../model/project.js';
import { currentClustering, stylesOf } from '../state.js';
import { noticeFromError } from '../views/notice-view.js';
import { rfmParams } from './derived.js';
import { forgetKeptProject, keepProject, keptProject } from './project-keeper.js';

/**
 * @typedef {import('../state.js').AppState} AppState
 * @typedef {import('../model/project.js').Project} Project
 */

/**
 * @param {{
 *   store: import('./store.js').Store,
 *   client: import('../api/client.js').AnalysisClient,
 *   resources: import('./resources.js').Resources,
 *   ensureSchema: () => Promise<void>,
 *   derived: import('./derived.js').Derived,
 *   load: ReturnType<typeof import('./load.js').createLoader>['load'],
 *   loadFile: (file: File) => Promise<void>,
 * }} app
 */
export function createProjectActions({ store, client, resources, ensureSchema, derived, load, loadFile }) {
  /** @param {string} title @param {unknown} err @param {string} hint */
  const refused = (title, err, hint) => store.set({ notice: { ...noticeFromError(err), kind: 'error', title, hint } });

  /**
   * Reads a project's text in the worker (the core checks every field).
   * @param {{text: string, fileName: string}} file
   * @returns {Promise<Project>}
   */
  async function read(file) {
    const opened = await client.openProject(file);
    return projectOf(file, opened, 'saved');
  }

  /** Keeps the project in this browser; a browser that refuses only loses the offer next time. @param {Project} project */
  async function keep(project) {
    try {
      const kept = await keepProject(project);
      store.set({ lastProject: { fileName: kept.fileName, savedAt: kept.savedAt } });
    } catch {
      // No IndexedDB (a private window, a policy): the project is still open and saved as a file.
    }
  }

  /**
   * Opens a project: the file on screen (if any) is read again with its settings and scored with
   * its segments; with `dataFile`, that file instead. Without either, the page waits for a file.
   * @param {{text: string, fileName: string}} file
   * @param {File | null} dataFile
   */
  async function openText(file, dataFile) {
    /** @type {Project} */
    let project;
    try {
      await ensureSchema();
      project = await read(file);
    } catch (err) {
      if (!isQuiet(err)) {
        refused(
          `${file.fileName} could not be opened as a project`,
          err,
          'Nothing changed: the analysis on screen stays. Save the project again from the page, or with loyaltylens segment --save-project.',
        );
      }
      return;
    }
    keep(project);
    const before = store.get();
    const held = { ...resources.worker };
    store.set({ project, notice: null });
    if (dataFile) {
      await load(dataFile.name, async () => dataFile);
    } else if (before.phase === 'ready' && held.file) {
      const heldFile = held.file;
      await load(held.name, async () => heldFile, { restore: { state: before, worker: held } });
    } else {
      store.set({
        notice: {
          kind: 'info',
          title: `Project ${project.fileName} is open`,
          message: `Its ${project.model.k} segments were fitted on ${project.model.fittedOn.file} (${project.model.fittedOn.customers.toLocaleString()} customers, ${project.model.fittedOn.firstDate} to ${project.model.fittedOn.lastDate}).`,
          hint: 'Drop this month’s transactions file to score its customers with them, or the same file to restore the analysis.',
        },
      });
    }
  }

  /**
   * A project file (picked or dropped), with the data file dropped with it if any.
   * @param {File} file
   * @param {File | null} dataFile
   */
  async function openProjectFile(file, dataFile) {
    await ensureSchema().catch(() => {});
    let limit = Infinity;
    try {
      limit = projectMaxBytes();
    } catch {
      // No schema (the worker failed to start): the core refuses an oversized file itself.
    }
    if (file.size > limit) {
      store.set({
        notice: {
          kind: 'error',
          title: `${file.name} is too large for a project`,
          message: `It has ${file.size.toLocaleString()} bytes; a LoyaltyLens project has at most ${limit.toLocaleString()} (it holds settings and segments, no customer rows).`,
          hint: 'Choose the .json file “Save project” wrote. Nothing changed.',
        },
      });
      return;
    }
    await openText({ text: await file.text(), fileName: file.name }, dataFile);
  }

  return {
    openProjectFile,

    /**
     * Files picked or dropped: a project (a .json, or text starting with "{") with at most one
     * transactions file, or one transactions file.
     * @param {File[]} files
     */
    async openFiles(files) {
      const heads = await Promise.all(
        files.map((f) =>
          f
            .slice(0, 64)
            .text()
            .catch(() => ''),
        ),
      );
      const projects = files.filter((f, i) => isProjectFile(f.name, heads[i]));
      const data = files.filter((f) => !projects.includes(f));
      if (projects.length > 1 || data.length > 1) {
        store.set({
          notice: {
            kind: 'error',
            title: 'Drop one file, or a project with one file',
            message: `${files.length} files were dropped (${files.map((f) => f.name).join(', ')}).`,
            hint: 'Drop one transactions file, or one saved project (.json) with the transactions file to score. Nothing changed.',
          },
        });
        return;
      }
      if (projects.length === 1) await openProjectFile(projects[0], data[0] ?? null);
      else if (data.length === 1) await loadFile(data[0]);
    },

    /** The project kept in this browser from an earlier visit. */
    async openLastProject() {
      const kept = await keptProject();
      if (!kept) {
        store.set({ lastProject: null });
        return;
      }
      await openText({ text: kept.text, fileName: kept.fileName }, null);
    },

    /** Forgets the project kept in this browser (the one open stays open). */
    async forgetLastProject() {
      try {
        await forgetKeptProject();
      } catch {
        // Nothing was kept (no IndexedDB): nothing to forget.
      }
      store.set({ lastProject: null });
    },

    /** Whether a project is kept from an earlier visit (the drop zone offers it). */
    async checkLastProject() {
      const kept = await keptProject();
      store.set({ lastProject: kept ? { fileName: kept.fileName, savedAt: kept.savedAt } : null });
    },

    /** Downloads the project of the analysis on screen (and keeps it as the last one). */
    async saveProject() {
      const state = store.get();
      const clustering = currentClustering(state);
      const summary = state.analysis.value?.summary;
      if (!clustering || !summary) return;
      const applied = !!clustering.applied && state.project !== null;
      const payload = savePayload({
        rfm: rfmParams(state.rfmSettings),
        run: clustering.run,
        mapMethod: state.mapMethod,
        styles: stylesOf(state),
        savedProject: applied && state.project ? state.project.text : null,
      });
      try {
        const { text } = await resources.request('Saving the project…', () => client.saveProject(payload));
        const fileName = applied && state.project ? state.project.fileName : projectFileName(summary.file);
        downloadText(text, fileName, 'application/json');
        const project = await read({ text, fileName });
        const now = store.get();
        store.set({ project: { ...project, scoring: applied ? 'saved' : 'refit', key: applied && now.project ? now.project.key : project.key } });
        keep(project);
      } catch (err) {
        if (!isQuiet(err))
          refused('The project could not be saved', err, 'Change what the message names (e.g. two segments of one name in step 4), then save again.');
      }
    },

    /** Fits new segments on the file on screen with the project's settings (or those changed since). */
    refitOnFile() {
      const { project } = store.get();
      if (!project) return;
      store.set({ project: { ...project, scoring: 'refit' } });
      derived.runCluster();
    },

    /** Back to the project's saved segments (its settings and k, no refit). */
    scoreWithProject() {
      const { project } = store.get();
      if (!project) return;
      const { clusterSettings, k } = clusterSettingsOf(project.settings.cluster);
      store.set({ project: { ...project, scoring: 'saved' }, clusterSettings, k });
      derived.runCluster();
      derived.runSegment();
    },

    /**
     * RFM scores on the project's frozen bin edges, or quintiles fitted on this file.
     * @param {boolean} frozen
     */
    useFrozenEdges(frozen) {
      const { project, rfmSettings } = store.get();
      if (!project) return;
      const edges = frozen ? rfmSettingsOf(project.settings.rfm, project.model.rfmEdges).edges : null;
      store.set({ rfmSettings: { ...rfmSettings, edges } });
      derived.runScores();
    },

    /** Closes the project: the analysis stays, its segments are fitted on this file from now on. */
    closeProject() {
      const { project, rfmSettings } = store.get();
      if (!project) return;
      const wasSaved = project.scoring === 'saved';
      store.set({ project: null, rfmSettings: { ...rfmSettings, edges: null } });
      if (store.get().phase !== 'ready') return;
      if (wasSaved) derived.runCluster();
      if (rfmSettings.edges) derived.runScores();
    },
  };
}
