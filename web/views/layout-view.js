// @ts-check
/**
 * Page frame: theme, phase (which decides the grid), and which steps are shown.
 */
import { byId } from './dom.js';

export function createLayoutView() {
  const rail = document.querySelector('.rail');
  const segments = byId('segments-section');

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    document.documentElement.dataset.theme = state.theme;
    document.body.dataset.phase = state.phase;
    if (rail instanceof HTMLElement) rail.hidden = state.phase !== 'ready';
    segments.hidden = state.phase !== 'ready' || !state.segmentation;
  };
}
