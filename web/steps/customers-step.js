// @ts-check
/**
 * Step 2, Customers: the RFM histograms, grid, treemap and features; the rule editor; the panel
 * (preset, features behind the scores, customer table download). Loaded by step-loader.js.
 */
import { presetOf } from '../model/rule-editor.js';
import { createCustomersView } from '../views/customers-view.js';
import { createRfmPanelView } from '../views/rfm-panel-view.js';
import { createRuleEditorView } from '../views/rule-editor-view.js';

/** @param {import('./step-loader.js').StepContext} app */
export function createStepViews({ store, changeRfm, exportCustomerTable, useFrozenEdges }) {
  return {
    customers: createCustomersView(),
    'rule-editor': createRuleEditorView({
      onRules: (rules) => changeRfm({ ...store.get().rfmSettings, rules, preset: presetOf(rules, store.get().presetRules) }),
      onReset: () => {
        const { rfmSettings, scores } = store.get();
        const preset = rfmSettings.preset === 'custom' ? (scores.value?.settings.preset ?? 'rf-grid') : rfmSettings.preset;
        changeRfm({ ...rfmSettings, preset: preset === 'custom' ? 'rf-grid' : preset, rules: null });
      },
    }),
    'rfm-panel': createRfmPanelView({
      onPreset: (preset) => changeRfm({ ...store.get().rfmSettings, preset, rules: store.get().presetRules[preset] ?? null }),
      onFeature: (patch) => changeRfm({ ...store.get().rfmSettings, ...patch }),
      onDownload: () => exportCustomerTable('customers.csv', false),
      onFrozenEdges: useFrozenEdges,
    }),
  };
}
