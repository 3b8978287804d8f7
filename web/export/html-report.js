// @ts-check
/**
 * The shareable report (step 7): one self-contained HTML file of aggregates only — no customer
 * id, no contact value, nothing per customer. Inline CSS, no script, no external resource (its
 * own Content-Security-Policy forbids them); charts are embedded as PNG data URLs rendered for
 * the report (without the suppressed segments). Segments with fewer customers than the threshold
 * are suppressed: their row says so and shows no number, and totals then cover only the segments
 * shown, so a suppressed segment cannot be recovered by subtraction. Pure (no DOM).
 */
import { escapeHtml, formatInteger, formatMoney, formatOneDecimal, formatPercent } from '../format.js';

/**
 * @typedef {{
 *   name: string, color: string, customers: number, customerShare: number, revenue: number,
 *   revenueShare: number, meanRecency: number, meanFrequency: number, meanMonetary: number
 * }} ReportSegment
 * @typedef {{title: string, dataUrl: string, alt: string, note?: string}} ReportChart
 * @typedef {{name: string, revenueBefore: number, revenueAfter: number, suppressed?: boolean}} ReportWhatIfRow
 * @typedef {{
 *   title?: string, fileName: string, generated: string, period: string, customers: number,
 *   method: string, settings: string[], segments: ReportSegment[], threshold: number,
 *   charts: ReportChart[], whatIf?: {best: string, uplift: number, formula: string, rows: ReportWhatIfRow[]} | null
 * }} ReportData
 */

/**
 * Which segments are suppressed.
 * @param {{customers: number}[]} segments
 * @param {number} threshold
 * @returns {boolean[]}
 */
export const suppressedSegments = (segments, threshold) => segments.map((s) => s.customers < threshold);

const STYLE = `
:root{color-scheme:light}
body{margin:0;background:#f5f6f8;color:#1a1f26;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1040px;margin:0 auto;padding:32px 24px 48px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:17px;margin:0 0 12px}
.meta{color:#596372;margin:0 0 24px}
section{background:#fff;border:1px solid #dde2e8;border-radius:10px;padding:20px;margin:0 0 20px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;font-size:14px}
th,td{padding:8px 10px;border-bottom:1px solid #e9edf1;text-align:right;white-space:nowrap}
th:first-child,td:first-child{text-align:left}
thead th{color:#596372;font-weight:600}
tfoot td{font-weight:700}
.chip{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:8px;vertical-align:0}
.suppressed td{color:#596372;font-style:italic}
.note{color:#596372;font-size:13px;margin:8px 0 0}
ul{margin:0;padding-left:20px}
figure{margin:0 0 20px}figure img{max-width:100%;height:auto;border:1px solid #e9edf1;border-radius:6px}
figcaption{font-weight:600;margin:0 0 6px}
.scroll{overflow-x:auto}
`;

/** @param {string} color  only #rrggbb reaches the style attribute */
const safeColor = (color) => (/^#[0-9a-f]{6}$/i.test(color) ? color : '#888888');

/** @param {number} v */
const signedMoney = (v) => `${v >= 0 ? '+' : '−'}${formatMoney(Math.abs(v))}`;

/**
 * @param {ReportData} data
 * @returns {string} the whole HTML document
 */
export function buildReport(data) {
  const { segments, threshold } = data;
  const suppressed = suppressedSegments(segments, threshold);
  const anySuppressed = suppressed.some(Boolean);
  const shown = segments.filter((_, i) => !suppressed[i]);
  const sum = (/** @type {(s: ReportSegment) => number} */ f) => shown.reduce((t, s) => t + f(s), 0);
  const shownCustomers = sum((s) => s.customers);
  const shownRevenue = sum((s) => s.revenue);
  /** @param {(s: ReportSegment) => number} f */
  const weighted = (f) => (shownCustomers > 0 ? sum((s) => f(s) * s.customers) / shownCustomers : NaN);
  const fmt = (/** @type {number} */ v, /** @type {(v: number) => string} */ f) => (Number.isFinite(v) ? f(v) : '—');

  const rows = segments
    .map((s, i) =>
      suppressed[i]
        ? `<tr class="suppressed"><td><span class="chip" style="background:${safeColor(s.color)}"></span>${escapeHtml(s.name)}</td><td colspan="7">suppressed: fewer than ${escapeHtml(formatInteger(threshold))} customers</td></tr>`
        : `<tr><td><span class="chip" style="background:${safeColor(s.color)}"></span>${escapeHtml(s.name)}</td>` +
          `<td>${escapeHtml(formatInteger(s.customers))}</td><td>${escapeHtml(formatPercent(s.customerShare))}</td>` +
          `<td>${escapeHtml(formatMoney(s.revenue))}</td><td>${escapeHtml(formatPercent(s.revenueShare))}</td>` +
          `<td>${escapeHtml(fmt(s.meanRecency, formatOneDecimal))}</td><td>${escapeHtml(fmt(s.meanFrequency, formatOneDecimal))}</td>` +
          `<td>${escapeHtml(fmt(s.meanMonetary, formatMoney))}</td></tr>`,
    )
    .join('\n');
  const totalLabel = anySuppressed ? 'Total of the segments shown' : 'All customers';
  const total =
    `<tr><td>${totalLabel}</td><td>${escapeHtml(formatInteger(shownCustomers))}</td>` +
    `<td>${escapeHtml(formatPercent(sum((s) => s.customerShare)))}</td><td>${escapeHtml(formatMoney(shownRevenue))}</td>` +
    `<td>${escapeHtml(formatPercent(sum((s) => s.revenueShare)))}</td><td>${escapeHtml(
      fmt(
        weighted((s) => s.meanRecency),
        formatOneDecimal,
      ),
    )}</td>` +
    `<td>${escapeHtml(
      fmt(
        weighted((s) => s.meanFrequency),
        formatOneDecimal,
      ),
    )}</td><td>${escapeHtml(
      fmt(
        weighted((s) => s.meanMonetary),
        formatMoney,
      ),
    )}</td></tr>`;

  const charts = data.charts
    .map(
      (c) =>
        `<figure><figcaption>${escapeHtml(c.title)}</figcaption><img src="${escapeHtml(c.dataUrl)}" alt="${escapeHtml(c.alt)}">` +
        `${c.note ? `<p class="note">${escapeHtml(c.note)}</p>` : ''}</figure>`,
    )
    .join('\n');

  let whatIf = '';
  if (data.whatIf) {
    const w = data.whatIf;
    const visible = w.rows.filter((r) => !r.suppressed);
    const before = visible.reduce((t, r) => t + r.revenueBefore, 0);
    const after = visible.reduce((t, r) => t + r.revenueAfter, 0);
    const change = after - before;
    whatIf =
      `<section><h2>What-if projection</h2>` +
      `<p class="note">Best segment: ${escapeHtml(w.best)} · uplift ${escapeHtml(formatPercent(w.uplift))}. ${escapeHtml(w.formula)}</p>` +
      `<div class="scroll"><table><thead><tr><th>Segment</th><th>Revenue before</th><th>After</th><th>Change</th></tr></thead><tbody>` +
      w.rows
        .map((r) =>
          r.suppressed
            ? `<tr class="suppressed"><td>${escapeHtml(r.name)}</td><td colspan="3">suppressed</td></tr>`
            : `<tr><td>${escapeHtml(r.name)}</td><td>${escapeHtml(formatMoney(r.revenueBefore))}</td><td>${escapeHtml(formatMoney(r.revenueAfter))}</td><td>${escapeHtml(signedMoney(r.revenueAfter - r.revenueBefore))}</td></tr>`,
        )
        .join('') +
      `</tbody><tfoot><tr><td>${anySuppressed ? 'Total of the segments shown' : 'Total'}</td><td>${escapeHtml(formatMoney(before))}</td><td>${escapeHtml(formatMoney(after))}</td>` +
      `<td>${escapeHtml(signedMoney(change))}${before !== 0 ? ` (${escapeHtml(`${change >= 0 ? '+' : '−'}${formatPercent(Math.abs(change / before))}`)})` : ''}</td></tr></tfoot></table></div></section>`;
  }

  const title = data.title ?? 'Customer segments';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="LoyaltyLens">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(data.fileName)} · ${escapeHtml(data.period)} · ${escapeHtml(formatInteger(data.customers))} customers · ${escapeHtml(data.method)} · generated ${escapeHtml(data.generated)} by LoyaltyLens, in the browser</p>
<section>
<h2>Segments</h2>
<div class="scroll"><table>
<thead><tr><th>Segment</th><th>Customers</th><th>Share</th><th>Revenue</th><th>Revenue share</th><th>Recency, days</th><th>Orders</th><th>Mean spend</th></tr></thead>
<tbody>
${rows}
</tbody>
<tfoot>${total}</tfoot>
</table></div>
<p class="note">Means per customer. Aggregates only: no customer id or contact detail is in this file.${
    anySuppressed ? ` Segments with fewer than ${escapeHtml(formatInteger(threshold))} customers are suppressed and left out of the totals and charts.` : ''
  }</p>
</section>
<section>
<h2>How the segments were made</h2>
<ul>${data.settings.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>
</section>
${whatIf}
${charts ? `<section><h2>Charts</h2>${charts}</section>` : ''}
</main>
</body>
</html>
`;
}
