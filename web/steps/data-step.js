// @ts-check
/**
 * Step 1, Data: the summary and warnings, how the file was read (roles, formats: a change reads
 * it again), the cleaning ledger; the panel (cleaning rules). The first step a file opens on, yet
 * not part of the page's start, whose first screen is the drop zone. Loaded by step-loader.js.
 */
import { createDataView } from '../views/data-view.js';
import { createLedgerView } from '../views/ledger-view.js';
import { createReadingView } from '../views/reading-view.js';
import { createRulesPanelView } from '../views/rules-panel-view.js';

/** @param {import('./step-loader.js').StepContext} app */
export function createStepViews({ reread, changeRules, exportLedger }) {
  return {
    data: createDataView(),
    reading: createReadingView({ onRead: reread }),
    ledger: createLedgerView({ onExport: exportLedger }),
    'rules-panel': createRulesPanelView({ onChange: changeRules }),
  };
}
