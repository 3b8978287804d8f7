// @ts-check
/**
 * Step 5, Cohorts: the retention heatmap and its panel (measure, CSV of the matrix). The cohorts
 * are computed when the step is first opened (web/app/actions.js openStep). Loaded by step-loader.js.
 */
import { cohortMatrixCsv } from '../export/csv-export.js';
import { downloadText } from '../export/download.js';
import { createCohortsView } from '../views/cohorts-view.js';

/** @param {import('./step-loader.js').StepContext} app */
export function createStepViews({ store }) {
  return {
    cohorts: createCohortsView({
      onMeasure: (cohortMeasure) => store.set({ cohortMeasure }),
      onExport: () => {
        const {
          cohorts: { value: cohorts },
          cohortMeasure,
        } = store.get();
        if (cohorts) downloadText(cohortMatrixCsv(cohorts, cohortMeasure), `cohorts-${cohortMeasure}.csv`, 'text/csv;charset=utf-8');
      },
    }),
  };
}
