// @ts-check
/**
 * Step 4, Profiles: snake plot, relative importance, profile table and crosstab; the panel
 * (segment names and colours). Nothing here runs in the worker. Loaded by step-loader.js.
 */
import { noOverrides, withColor, withName } from '../model/segment-style.js';
import { createProfilesPanelView } from '../views/profiles-panel-view.js';
import { createProfilesView } from '../views/profiles-view.js';

/** @param {import('./step-loader.js').StepContext} app */
export function createStepViews({ store }) {
  return {
    profiles: createProfilesView({ onStat: (profileStat) => store.set({ profileStat }) }),
    'profiles-panel': createProfilesPanelView({
      onName: (autoName, name) => store.set({ overrides: withName(store.get().overrides, autoName, name) }),
      onColor: (autoName, color) => store.set({ overrides: withColor(store.get().overrides, autoName, color) }),
      onReset: () => store.set({ overrides: noOverrides() }),
    }),
  };
}
