// @ts-check
/**
 * What-if revenue projection (step 6), as in the seed notebooks: move some customers of each
 * segment into the best segment, and let the best segment spend more. Pure, no DOM.
 *
 * The model, for segments s with n_s customers and revenue R_s (Σ spend over the analysis period),
 * mean spend m_s = R_s / n_s, the best segment b, an uplift u (0.10 = +10 %) and a conversion
 * rate c_s for every other segment (the share of its customers who become like b's customers):
 *
 *   every other segment s keeps  n_s · (1 − c_s) customers spending m_s:  after_s = R_s · (1 − c_s)
 *   the best segment has         n_b + Σ_{s≠b} n_s · c_s customers, each spending m_b · (1 + u):
 *                                after_b = (n_b + Σ_{s≠b} n_s · c_s) · m_b · (1 + u)
 *   total after                  = Σ_{s≠b} R_s · (1 − c_s) + after_b
 *
 * i.e. a converted customer stops spending like its old segment and spends like the best segment
 * after the uplift. With u = 0 this is Σ_s R_s (1 − c_s) + Σ_s R_s c_s · m_b / m_s, the formula of
 * the notebooks. What it leaves out, and the page says so: campaign costs, customers lost, timing
 * (the period is the file's), and that converted customers may not reach the best segment's mean.
 */

/**
 * @typedef {{segment: number, customers: number, revenue: number}} SegmentRevenue
 * @typedef {{best: number, uplift: number, conversion: number[]}} WhatIfParams
 *   best: segment index; uplift: fraction (0.1 = +10 %); conversion: fraction per segment (the
 *   best segment's own entry is ignored)
 * @typedef {{
 *   segment: number, customersBefore: number, customersAfter: number, meanSpend: number,
 *   revenueBefore: number, revenueAfter: number, change: number, changeShare: number | null
 * }} WhatIfRow
 * @typedef {{rows: WhatIfRow[], total: {customersBefore: number, customersAfter: number,
 *            revenueBefore: number, revenueAfter: number, change: number, changeShare: number | null}}} WhatIfResult
 */

/** The formula in words, for the page's tooltip and the report. */
export const WHAT_IF_FORMULA =
  'After = Σ over other segments s of revenue_s × (1 − c_s) + (customers_best + Σ_s customers_s × c_s) × mean spend_best × (1 + uplift). ' +
  'A converted customer stops spending like its old segment and spends like an average customer of the best segment after the uplift. ' +
  'Not included: campaign costs, customers lost, and timing (spend is over the file’s period).';

/**
 * The segment with the highest mean spend (ties: the lower number); -1 when there is none.
 * @param {SegmentRevenue[]} segments
 */
export function bestSegment(segments) {
  let best = -1;
  let bestMean = -Infinity;
  for (const s of segments) {
    if (s.customers <= 0) continue;
    const mean = s.revenue / s.customers;
    if (mean > bestMean) {
      best = s.segment;
      bestMean = mean;
    }
  }
  return best;
}

/** @param {number} change @param {number} before */
const share = (change, before) => (before !== 0 ? change / Math.abs(before) : null);

/**
 * @param {SegmentRevenue[]} segments  in segment order (segments[i].segment === i)
 * @param {WhatIfParams} params
 * @returns {WhatIfResult}
 * @throws RangeError when the best segment does not exist or has no customers
 */
export function projectRevenue(segments, { best, uplift, conversion }) {
  const b = segments.find((s) => s.segment === best);
  if (!b || b.customers <= 0) throw new RangeError(`segment ${best} is not a segment with customers`);
  const meanBest = b.revenue / b.customers;
  const rate = (/** @type {number} */ s) => Math.min(1, Math.max(0, Number.isFinite(conversion[s]) ? conversion[s] : 0));
  let moved = 0;
  /** @type {WhatIfRow[]} */
  const rows = segments.map((s) => {
    const meanSpend = s.customers > 0 ? s.revenue / s.customers : 0;
    if (s.segment === best) {
      return {
        segment: s.segment,
        customersBefore: s.customers,
        customersAfter: 0,
        meanSpend,
        revenueBefore: s.revenue,
        revenueAfter: 0,
        change: 0,
        changeShare: null,
      };
    }
    const c = rate(s.segment);
    moved += s.customers * c;
    const revenueAfter = s.revenue * (1 - c);
    return {
      segment: s.segment,
      customersBefore: s.customers,
      customersAfter: s.customers * (1 - c),
      meanSpend,
      revenueBefore: s.revenue,
      revenueAfter,
      change: revenueAfter - s.revenue,
      changeShare: share(revenueAfter - s.revenue, s.revenue),
    };
  });
  const bestRow = /** @type {WhatIfRow} */ (rows.find((r) => r.segment === best));
  bestRow.customersAfter = b.customers + moved;
  bestRow.revenueAfter = bestRow.customersAfter * meanBest * (1 + uplift);
  bestRow.change = bestRow.revenueAfter - bestRow.revenueBefore;
  bestRow.changeShare = share(bestRow.change, bestRow.revenueBefore);

  const sum = (/** @type {(r: WhatIfRow) => number} */ f) => rows.reduce((t, r) => t + f(r), 0);
  const revenueBefore = sum((r) => r.revenueBefore);
  const revenueAfter = sum((r) => r.revenueAfter);
  return {
    rows,
    total: {
      customersBefore: sum((r) => r.customersBefore),
      customersAfter: sum((r) => r.customersAfter),
      revenueBefore,
      revenueAfter,
      change: revenueAfter - revenueBefore,
      changeShare: share(revenueAfter - revenueBefore, revenueBefore),
    },
  };
}

/**
 * The what-if inputs for a clustering: kept when they fit it (same k), else the defaults — the
 * highest-spending segment, +10 % uplift, 5 % conversion from every other segment.
 * @param {SegmentRevenue[]} segments
 * @param {{best: number, uplift: number, conversion: number[]} | null} previous
 * @returns {WhatIfParams}
 */
export function whatIfParamsFor(segments, previous) {
  if (
    previous &&
    previous.conversion.length === segments.length &&
    previous.best >= 0 &&
    previous.best < segments.length &&
    segments[previous.best].customers > 0
  ) {
    return previous;
  }
  return { best: bestSegment(segments), uplift: 0.1, conversion: segments.map(() => 0.05) };
}
