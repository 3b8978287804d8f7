// @ts-check
/**
 * Step 3's one-line summary: customers, segments, the mean silhouette, and what the top segment
 * brings (by its name as shown).
 */
import { formatPercent, plural, segmentName } from '../format.js';
import { currentClustering, stylesOf } from '../state.js';
import { byId } from '../ui/dom.js';

/**
 * @param {number} customers
 * @param {import('../api/protocol.js').SegmentStats[]} segments  segment 0 spends the most
 * @param {{names?: string[], silhouette?: number | null}} [options]
 */
export function segmentsSummaryLine(customers, segments, { names, silhouette } = {}) {
  const parts = [plural(customers, 'customer', 'customers'), plural(segments.length, 'segment', 'segments')];
  if (silhouette !== undefined && silhouette !== null && Number.isFinite(silhouette)) parts.push(`silhouette ${silhouette.toFixed(2)}`);
  const revenue = segments.reduce((t, s) => t + s.revenue, 0);
  const top = segments[0];
  if (top && revenue > 0 && customers > 0) {
    const name = names?.[top.segment] ?? segmentName(top.segment);
    parts.push(`${name}: ${formatPercent(top.customers / customers)} of customers, ${formatPercent(top.revenue / revenue)} of revenue`);
  }
  return parts.join(' · ');
}

/**
 * Per-segment means of recency, orders and spend, from a clustering's profiles (the shape of the
 * `segment` binding's segments).
 * @param {import('../api/protocol.js').ClusterResult} clustering
 * @returns {import('../api/protocol.js').SegmentStats[]}
 */
export function profileStats(clustering) {
  const at = (/** @type {string} */ name) => clustering.profileFeatures.indexOf(name);
  const [r, f, m] = [at('recency'), at('frequency'), at('monetary')];
  return clustering.profiles.map((p) => ({
    segment: p.segment,
    customers: p.customers,
    meanRecency: r >= 0 ? p.mean[r] : NaN,
    meanFrequency: f >= 0 ? p.mean[f] : NaN,
    meanMonetary: m >= 0 ? p.mean[m] : NaN,
    revenue: p.revenue,
  }));
}

export function createSegmentsSummaryView() {
  const line = byId('segments-summary');
  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    const customers = state.analysis.value?.customers;
    if (!customers) return;
    const n = customers.ids.length;
    const clustering = currentClustering(state);
    if (clustering) {
      line.textContent = segmentsSummaryLine(n, profileStats(clustering), {
        names: stylesOf(state).map((s) => s.name),
        silhouette: clustering.silhouette?.mean ?? null,
      });
    } else {
      line.textContent =
        state.cluster.error || state.segment.error ? `${plural(n, 'customer', 'customers')} · no segments` : plural(n, 'customer', 'customers');
    }
  };
}
