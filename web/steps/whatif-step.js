// @ts-check
/**
 * Step 6, What-if: the projection (chart and table) and its inputs. Nothing here runs in the
 * worker. Loaded by step-loader.js.
 */
import { whatIfParamsFor } from '../model/what-if.js';
import { currentClustering } from '../state.js';
import { createWhatIfPanelView, createWhatIfView } from '../views/whatif-view.js';

/** @param {import('./step-loader.js').StepContext} app */
export function createStepViews({ store }) {
  return {
    'what-if': createWhatIfView(),
    'what-if-panel': createWhatIfPanelView({
      onChange: (whatIf) => store.set({ whatIf }),
      onReset: () => {
        const clustering = currentClustering(store.get());
        if (clustering)
          store.set({
            whatIf: whatIfParamsFor(
              clustering.profiles.map((p) => ({ segment: p.segment, customers: p.customers, revenue: p.revenue })),
              null,
            ),
          });
      },
    }),
  };
}
