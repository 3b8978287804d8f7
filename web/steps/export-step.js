// @ts-check
/**
 * Step 7, Export: the target list, the platform files, the chart images and the report, made on
 * the page (nothing goes through the worker but the customer table); and the panel's choices.
 * Loaded by step-loader.js, with the export code: none of it is part of the page's start.
 */
import { downloadBytes, downloadText } from '../export/download.js';
import { buildReport, suppressedSegments } from '../export/html-report.js';
import { exportFileName, googleCsv, klaviyoCsv, mailchimpCsv, metaCsv, targetListCsv } from '../export/target-lists.js';
import { errorMessage } from '../errors.js';
import { formatInteger, plural } from '../format.js';
import { WHAT_IF_FORMULA } from '../model/what-if.js';
import { currentClustering, stylesOf } from '../state.js';
import { chartCatalog } from '../views/chart-catalog.js';
import { chartPng, dataUrlBytes } from '../ui/chart-png.js';
import { callingCodeOf, chosenSegments, createExportPanelView, createExportView, exportData } from '../views/export-view.js';
import { noticeFromError } from '../views/notice-view.js';
import { settingsText } from '../views/segments-view.js';
import { whatIfResult } from '../views/whatif-summary.js';

/** @param {import('./step-loader.js').StepContext} app */
export function createStepViews({ store, exportCustomerTable }) {
  /** The target list of the chosen segments and columns, built on the page. */
  function exportTargetList() {
    const state = store.get();
    const data = exportData(state);
    if (!data) return;
    const segments = chosenSegments(state);
    const { columns, bom } = state.exportSettings;
    const { csv } = targetListCsv(data, { columns, segments, bom });
    downloadText(csv, exportFileName('target', segments, data.names), 'text/csv;charset=utf-8');
  }

  /**
   * A platform's audience file (the hashing runs here, with crypto.subtle).
   * @param {'mailchimp' | 'klaviyo' | 'meta' | 'google'} platform
   */
  async function exportPlatform(platform) {
    const state = store.get();
    const data = exportData(state);
    if (!data) return;
    const segments = chosenSegments(state);
    const callingCode = callingCodeOf(state);
    const hashing = platform === 'meta' || platform === 'google';
    store.set({ exportBusy: true, platformStatus: { text: hashing ? 'Normalising and hashing the contacts…' : 'Preparing the file…', busy: true } });
    try {
      const file =
        platform === 'mailchimp'
          ? mailchimpCsv(data, { segments })
          : platform === 'klaviyo'
            ? klaviyoCsv(data, { segments, callingCode })
            : platform === 'meta'
              ? await metaCsv(data, { segments, callingCode })
              : await googleCsv(data, { segments, callingCode });
      const name = exportFileName(platform, segments, data.names);
      downloadText(file.csv, name, 'text/csv;charset=utf-8');
      const what = platform === 'mailchimp' ? 'a usable email' : 'a usable email or phone';
      store.set({
        exportBusy: false,
        platformStatus: {
          text: `${name}: ${plural(file.rows, 'customer', 'customers')}${file.skipped ? `; ${plural(file.skipped, 'customer', 'customers')} without ${what} left out` : ''}.`,
        },
      });
    } catch (err) {
      store.set({ exportBusy: false, platformStatus: { text: `The file could not be made: ${errorMessage(err)}`, error: true } });
    }
  }

  /**
   * A chart as PNG, rendered off screen with the page's theme.
   * @param {string} id
   */
  async function exportPng(id) {
    const state = store.get();
    const entry = chartCatalog(state).find((c) => c.id === id && c.available);
    if (!entry) return;
    try {
      const width = 1200;
      const url = await chartPng(entry.build(state.theme, width), { width, height: entry.height(width), theme: state.theme });
      downloadBytes(dataUrlBytes(url), entry.file, 'image/png');
    } catch (err) {
      store.set({ notice: { ...noticeFromError(err), title: 'The image could not be made' } });
    }
  }

  /**
   * The shareable HTML report: aggregates only, small segments suppressed.
   * @param {number} threshold
   */
  async function exportReport(threshold) {
    store.set({
      exportSettings: { ...store.get().exportSettings, threshold },
      exportBusy: true,
      reportStatus: { text: 'Drawing the charts for the report…', busy: true },
    });
    try {
      const state = store.get();
      const clustering = currentClustering(state);
      const analysis = state.analysis.value;
      if (!clustering || !analysis) throw new Error('No segments to report.');
      const { summary, customers, ledger } = analysis;
      const styles = stylesOf(state);
      const suppressed = suppressedSegments(clustering.profiles, threshold);
      const hide = new Set(suppressed.flatMap((x, s) => (x ? [s] : [])));
      const at = (/** @type {string} */ f) => clustering.profileFeatures.indexOf(f);
      const width = 900;
      /** @type {import('../export/html-report.js').ReportChart[]} */
      const charts = [];
      for (const entry of chartCatalog(state).filter((c) => c.aggregate && c.available)) {
        const dataUrl = await chartPng(entry.build('light', width, hide), { width, height: entry.height(width), theme: 'light', pixelRatio: 1.5 });
        charts.push({ title: entry.title, dataUrl, alt: entry.title });
      }
      const whatIf = whatIfResult(state);
      const html = buildReport({
        title: `Customer segments · ${summary.file}`,
        fileName: summary.file,
        generated: new Date().toISOString().slice(0, 10),
        period: `${summary.firstDate} – ${summary.lastDate}`,
        customers: customers.ids.length,
        method: `${styles.length} segments`,
        settings: [
          settingsText(clustering.run),
          ...(clustering.silhouette
            ? [`Mean silhouette ${clustering.silhouette.mean.toFixed(2)} (−1 to 1; higher: customers sit better in their segment).`]
            : []),
          `Cleaning: ${ledger ? `${formatInteger(ledger.after.rows)} of ${formatInteger(ledger.before.rows)} rows kept` : ''}; spend net of returns where they were netted.`,
          'Segment names: automatic from recency, orders and spend against all customers, or as renamed on the page.',
        ],
        segments: clustering.profiles.map((p, s) => ({
          name: styles[s].name,
          color: styles[s].color,
          customers: p.customers,
          customerShare: p.customerShare,
          revenue: p.revenue,
          revenueShare: p.revenueShare,
          meanRecency: p.mean[at('recency')],
          meanFrequency: p.mean[at('frequency')],
          meanMonetary: p.mean[at('monetary')],
        })),
        threshold,
        charts,
        whatIf:
          whatIf && state.whatIf
            ? {
                best: styles[state.whatIf.best]?.name ?? '',
                uplift: state.whatIf.uplift,
                formula: WHAT_IF_FORMULA,
                rows: whatIf.rows.map((r) => ({
                  name: styles[r.segment].name,
                  revenueBefore: r.revenueBefore,
                  revenueAfter: r.revenueAfter,
                  suppressed: suppressed[r.segment],
                })),
              }
            : null,
      });
      downloadText(html, 'loyaltylens-report.html', 'text/html;charset=utf-8');
      const hidden = hide.size;
      store.set({
        exportBusy: false,
        reportStatus: {
          text: `loyaltylens-report.html: ${plural(charts.length, 'chart', 'charts')}${hidden ? `, ${plural(hidden, 'segment', 'segments')} suppressed` : ''}.`,
        },
      });
    } catch (err) {
      store.set({ exportBusy: false, reportStatus: { text: `The report could not be made: ${errorMessage(err)}`, error: true } });
    }
  }

  return {
    export: createExportView({
      onTargetList: exportTargetList,
      onPlatform: exportPlatform,
      onReport: exportReport,
      onPng: exportPng,
      onThreshold: (threshold) => store.set({ exportSettings: { ...store.get().exportSettings, threshold } }),
      onFullTable: () => exportCustomerTable('customers-segments.csv', true),
    }),
    'export-panel': createExportPanelView({ onChange: (patch) => store.set({ exportSettings: { ...store.get().exportSettings, ...patch } }) }),
  };
}
