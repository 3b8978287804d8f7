// @ts-check
/**
 * What every customer feature and score means, in the words the page shows (tooltips, glossary)
 * and how many decimals an export keeps. The formulas are those of the header comments of
 * cpp/core/customer_features.h and cpp/core/rfm_scores.h; keep them in step.
 */

/**
 * @typedef {'days' | 'count' | 'money' | 'ratio'} FeatureKind
 * @typedef {{name: string, label: string, kind: FeatureKind, decimals: number, definition: string}} FeatureDefinition
 */

/** @type {FeatureDefinition[]} in the order of cpp/core/customer_features.h */
export const FEATURES = [
  {
    name: 'recency',
    label: 'Recency (days)',
    kind: 'days',
    decimals: 0,
    definition:
      'Recency: as-of date − day of the last purchase. The as-of date is the day after the last transaction in the file (or after the analysis window’s end).',
  },
  {
    name: 'frequency',
    label: 'Orders',
    kind: 'count',
    decimals: 0,
    definition: 'Frequency: distinct purchase invoices (returns excluded).',
  },
  {
    name: 'monetary',
    label: 'Spend',
    kind: 'money',
    decimals: 2,
    definition: 'Monetary: net spend = Σ line amount (quantity × unit price) of purchases − returned value.',
  },
  {
    name: 'avg_order_value',
    label: 'Average order value',
    kind: 'money',
    decimals: 2,
    definition: 'Average order value: monetary / frequency.',
  },
  {
    name: 'items_per_order',
    label: 'Items per order',
    kind: 'ratio',
    decimals: 4,
    definition: 'Items per order: Σ purchased quantity / frequency.',
  },
  {
    name: 'distinct_products',
    label: 'Distinct products',
    kind: 'count',
    decimals: 0,
    definition: 'Distinct products purchased (0 when the file has no product column).',
  },
  {
    name: 'returns_count',
    label: 'Returns',
    kind: 'count',
    decimals: 0,
    definition: 'Returns: distinct return invoices (counted when cancellations are kept as returns).',
  },
  {
    name: 'returns_value',
    label: 'Returned value',
    kind: 'money',
    decimals: 2,
    definition: 'Returned value: Σ |line amount| of returns.',
  },
  {
    name: 'tenure',
    label: 'Tenure (days)',
    kind: 'days',
    decimals: 0,
    definition: 'Tenure: as-of date − day of the first purchase.',
  },
  {
    name: 'days_between',
    label: 'Days between orders',
    kind: 'days',
    decimals: 4,
    definition: 'Days between orders: (last − first purchase day) / (frequency − 1); empty when the customer has fewer than 2 orders.',
  },
  {
    name: 'purchase_rate',
    label: 'Orders per month',
    kind: 'ratio',
    decimals: 4,
    definition: 'Purchase rate: frequency / months of tenure (30.4375 days a month, at least one month).',
  },
  {
    name: 'visits_4w',
    label: 'Orders in the last 4 weeks',
    kind: 'count',
    decimals: 0,
    definition: 'Visits (4 weeks): distinct purchase invoices in the 28 days before the as-of date.',
  },
  {
    name: 'spend_4w',
    label: 'Spend in the last 4 weeks',
    kind: 'money',
    decimals: 2,
    definition: 'Spend (4 weeks): net spend in the 28 days before the as-of date.',
  },
];

/** @type {Map<string, FeatureDefinition>} */
const BY_NAME = new Map(FEATURES.map((f) => [f.name, f]));

/**
 * The definition of a feature; an unknown name gets a neutral one (a newer core may add features).
 * @param {string} name
 * @returns {FeatureDefinition}
 */
export function feature(name) {
  return BY_NAME.get(name) ?? { name, label: name, kind: 'ratio', decimals: 4, definition: name };
}

/** Features that may drive each RFM score (the page offers these). */
export const SCORE_FEATURES = Object.freeze({
  recency: ['recency'],
  frequency: ['frequency', 'visits_4w'],
  monetary: ['monetary', 'spend_4w'],
});

/** The scores and segments of cpp/core/rfm_scores.h, in words. */
export const SCORE_DEFINITIONS = Object.freeze({
  quintiles:
    'Scores 1–5 by quintile: customers ranked by the value, ties broken by file order (as pandas’ qcut(rank(method="first")) does), so the five bins stay equal-sized whatever the ties.',
  r: 'R score 1–5: quintile of recency, ranked the other way round (most recent = 5).',
  f: 'F score 1–5: quintile of the frequency feature (most orders = 5).',
  m: 'M score 1–5: quintile of the monetary feature (highest spend = 5).',
  cell: 'RFM cell: the three scores written together, e.g. 545 = R 5, F 4, M 5.',
  segment: 'RFM segment: the first rule (in list order) whose inclusive R, F and M ranges contain the customer’s cell; cells no rule reaches are “Others”.',
  kmeans: 'K-Means segment: Lloyd’s k-means on log1p(recency, frequency, monetary), standardized; segment 1 has the highest mean spend.',
});
