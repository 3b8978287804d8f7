// @ts-check
/**
 * The what-if projection of the state, in words: the step's summary line and the rail's note
 * (web/views/layout-view.js). Apart from the What-if view, which loads with its step (its chart
 * is not part of the page's start).
 */
import { formatMoney, formatPercent } from '../format.js';
import { projectRevenue } from '../model/what-if.js';
import { currentClustering } from '../state.js';

/**
 * @typedef {import('../state.js').AppState} AppState
 */

/** @param {number} v  a signed amount: "+1,234.50" / "−1,234.50" */
export const signedMoney = (v) => `${v >= 0 ? '+' : '−'}${formatMoney(Math.abs(v))}`;
/** @param {number | null} v  a signed share: "+7.4%" */
export const signedPercent = (v) => (v === null || !Number.isFinite(v) ? '—' : `${v >= 0 ? '+' : '−'}${formatPercent(Math.abs(v))}`);

/**
 * The projection of the state's what-if inputs on its clustering, or null.
 * @param {AppState} state
 */
export function whatIfResult(state) {
  const clustering = currentClustering(state);
  if (!clustering || !state.whatIf) return null;
  const segments = clustering.profiles.map((p) => ({ segment: p.segment, customers: p.customers, revenue: p.revenue }));
  try {
    return projectRevenue(segments, state.whatIf);
  } catch {
    return null;
  }
}

/**
 * @param {AppState} state
 */
export function whatIfSummaryLine(state) {
  const result = whatIfResult(state);
  if (!result) return 'What-if';
  const t = result.total;
  return `Projected revenue ${formatMoney(t.revenueBefore)} → ${formatMoney(t.revenueAfter)} (${signedMoney(t.change)}, ${signedPercent(t.changeShare)})`;
}
