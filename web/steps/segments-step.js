// @ts-check
/**
 * Step 3, Segments: the summary, the recency × spend scatter, the map, the segment table, the
 * quality charts and "Compare k"; the panel (method, k, features and scaling, segments.csv).
 * Loaded by step-loader.js.
 */
import { downloadText } from '../export/download.js';
import { currentClustering } from '../state.js';
import { createPanelView } from '../views/panel-view.js';
import { createProjectView } from '../views/project-view.js';
import { createScatterView } from '../views/scatter-view.js';
import { createSegmentTableView } from '../views/segment-table-view.js';
import { createSegmentsSummaryView } from '../views/segments-summary-view.js';
import { createSegmentsView } from '../views/segments-view.js';

/** @param {import('./step-loader.js').StepContext} app */
export function createStepViews({ store, changeK, runEmbed, runSweep, changeCluster, refitOnFile, scoreWithProject, closeProject }) {
  return {
    'segments-summary': createSegmentsSummaryView(),
    project: createProjectView({ onRefit: refitOnFile, onSaved: scoreWithProject, onClose: closeProject }),
    panel: createPanelView({
      onK: changeK,
      onSettings: changeCluster,
      onDownload: () => {
        // A project's saved segments: their table with names (`loyaltylens apply --out`'s bytes);
        // else the K-Means of segments.csv (`loyaltylens segment`'s).
        const state = store.get();
        const csv = currentClustering(state)?.applied?.csv ?? state.segment.value?.csv;
        if (csv) downloadText(csv, 'segments.csv', 'text/csv;charset=utf-8');
      },
    }),
    'segment-table': createSegmentTableView(),
    scatter: createScatterView(),
    segments: createSegmentsView({
      onSweep: runSweep,
      onMapMethod: (mapMethod) => {
        store.set({ mapMethod });
        runEmbed();
      },
    }),
  };
}
