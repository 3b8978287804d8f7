// @ts-check
/**
 * Named RFM segments as a treemap: area = customers, tooltip with the revenue share and the rule.
 * Pure (no DOM). Names come from the user's rules: every one is escaped in the tooltip.
 */
import { ruleText } from '../model/rule-editor.js';
import { escapeHtml, formatInteger, formatMoney, formatPercent } from '../format.js';
import { rfmSegmentColor, rfmSegmentHatched, textOn } from './palette.js';
import { CHART_THEMES } from './theme.js';

/**
 * @typedef {{
 *   rules: import('../api/protocol.js').SegmentRule[],
 *   customers: number[], revenue: number[]
 * }} TreemapData  customers/revenue per rule index, "Others" last (rules.length + 1 entries)
 * @typedef {{index: number, name: string, customers: number, revenue: number, rule: string}} TreemapNode
 */

/**
 * The non-empty segments, largest first, "Others" included when it has customers.
 * @param {TreemapData} data
 * @returns {TreemapNode[]}
 */
export function treemapNodes({ rules, customers, revenue }) {
  /** @type {TreemapNode[]} */
  const nodes = [];
  for (let i = 0; i <= rules.length; i++) {
    if (!(customers[i] > 0)) continue;
    const rule = rules[i];
    nodes.push({
      index: i,
      name: rule ? rule.name : 'Others',
      customers: customers[i],
      revenue: revenue[i],
      rule: rule ? ruleText(rule) : 'cells no rule matches',
    });
  }
  return nodes.sort((a, b) => b.customers - a.customers);
}

/**
 * @param {TreemapData} data
 * @param {import('./palette.js').Theme} theme
 * @returns {import('echarts/core').EChartsCoreOption}
 */
export function treemapOption(data, theme) {
  const colors = CHART_THEMES[theme];
  const nodes = treemapNodes(data);
  const nRules = data.rules.length;
  const totalCustomers = nodes.reduce((t, n) => t + n.customers, 0);
  const totalRevenue = nodes.reduce((t, n) => t + n.revenue, 0);
  return {
    backgroundColor: 'transparent',
    animation: false,
    textStyle: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    tooltip: {
      trigger: 'item',
      confine: true,
      backgroundColor: colors.tooltipBackground,
      borderColor: colors.tooltipBorder,
      textStyle: { color: colors.text, fontSize: 13 },
      formatter: (/** @type {{dataIndex: number, data: {node?: TreemapNode}}} */ p) => {
        const node = p.data?.node;
        if (!node) return '';
        return [
          `<strong>${escapeHtml(node.name)}</strong>`,
          `${escapeHtml(formatInteger(node.customers))} customers (${escapeHtml(formatPercent(totalCustomers ? node.customers / totalCustomers : 0))})`,
          `Revenue ${escapeHtml(formatMoney(node.revenue))} (${escapeHtml(formatPercent(totalRevenue ? node.revenue / totalRevenue : 0))} of all revenue)`,
          `Rule: ${escapeHtml(node.rule)}`,
        ].join('<br>');
      },
    },
    series: [
      {
        type: 'treemap',
        name: 'RFM segments',
        roam: false,
        nodeClick: false,
        breadcrumb: { show: false },
        width: '100%',
        height: '100%',
        top: 0,
        left: 0,
        squareRatio: 1.2,
        label: {
          show: true,
          fontSize: 12,
          lineHeight: 16,
          overflow: 'truncate',
          formatter: (/** @type {{data: {node: TreemapNode}}} */ p) =>
            `${p.data.node.name}\n${formatPercent(totalCustomers ? p.data.node.customers / totalCustomers : 0)}`,
        },
        upperLabel: { show: false },
        itemStyle: { borderColor: colors.background, borderWidth: 2, gapWidth: 2 },
        data: nodes.map((node) => {
          const color = rfmSegmentColor(node.index, nRules, theme);
          return {
            name: node.name,
            value: node.customers,
            node,
            itemStyle: {
              color,
              // Colours repeat after nine rules: those are hatched, so colour is never the only cue.
              decal:
                rfmSegmentHatched(node.index) && node.index < nRules
                  ? { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 5], rotation: Math.PI / 4, color: 'rgba(255,255,255,0.4)' }
                  : undefined,
            },
            label: { color: textOn(color) },
          };
        }),
      },
    ],
  };
}
