// @ts-check
/**
 * Step 3's one-line summary: customers, segments, and what the top segment brings.
 */
import { formatPercent, plural, segmentName } from '../format.js';
import { byId } from './dom.js';

/**
 * @param {number} customers
 * @param {import('../api/protocol.js').SegmentResult} segmentation
 */
export function segmentsSummaryLine(customers, segmentation) {
  const parts = [plural(customers, 'customer', 'customers'), plural(segmentation.segments.length, 'segment', 'segments')];
  const revenue = segmentation.segments.reduce((t, s) => t + s.revenue, 0);
  const top = segmentation.segments[0];
  if (top && revenue > 0 && customers > 0) {
    parts.push(`${segmentName(top.segment)}: ${formatPercent(top.customers / customers)} of customers, ${formatPercent(top.revenue / revenue)} of revenue`);
  }
  return parts.join(' · ');
}

export function createSegmentsSummaryView() {
  const line = byId('segments-summary');
  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    if (!state.customers) return;
    line.textContent = state.segmentation
      ? segmentsSummaryLine(state.customers.ids.length, state.segmentation)
      : state.segmentError
        ? `${plural(state.customers.ids.length, 'customer', 'customers')} · no segments`
        : plural(state.customers.ids.length, 'customer', 'customers');
  };
}
