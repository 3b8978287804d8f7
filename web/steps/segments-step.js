// @ts-check
/**
 * Step 3, Segments: the summary, the recency × spend scatter, the map, the segment table, the
 * quality charts and "Compare k"; the panel (method, k, features and scaling, segments.csv).
 * Loaded by step-loader.js.
 */
import { downloadText } from '../export/download.js';
import { currentClustering } from '../state.js';
import { createPanelView } from '../views/panel-view.js';
import { createScatterView } from '../views/scatter-view.js';
import { createSegmentTableView } from '../views/segment-table-view.js';
import { createSegmentsSummaryView } from '../views/segments-summary-view.js';
import { createSegmentsView } from '../views/segments-view.js';

/** @param {import('./step-loader.js').StepContext} app */
export function createStepViews({ store, runCluster, runSegment, runEmbed, runSweep, changeCluster }) {
  return {
    'segments-summary': createSegmentsSummaryView(),
    panel: createPanelView({
      onK: (k) => {
        const state = store.get();
        const changed = k !== state.k;
        if (changed) store.set({ k });
        // k re-runs the clustering shown and the K-Means of segments.csv; nothing else. The worker
        // runs requests in order: the clustering first, so the screen updates before the download.
        if (changed || state.cluster.error || !currentClustering(state)) runCluster();
        if (changed || state.segment.error) runSegment();
      },
      onSettings: changeCluster,
      onDownload: () => {
        const segmentation = store.get().segment.value;
        if (segmentation) downloadText(segmentation.csv, 'segments.csv', 'text/csv;charset=utf-8');
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
