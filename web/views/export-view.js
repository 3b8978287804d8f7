// @ts-check
/**
 * Step 7, Export: the target list (preview and download), the platform files (or what to add to
 * the file when it has no contact column), the report, the full customer table and every chart
 * as PNG; and the panel's choices (segments, columns, byte order mark, phone country code).
 */
import { defaultCallingCode } from '../export/contacts.js';
import { targetColumns, targetListPreview } from '../export/target-lists.js';
import { formatInteger, plural } from '../format.js';
import { currentClustering, currentResult, stylesOf } from '../state.js';
import { chartCatalog } from './chart-catalog.js';
import { byId, el } from '../ui/dom.js';

/**
 * @typedef {import('../state.js').AppState} AppState
 * @typedef {import('../state.js').ExportSettings} ExportSettings
 * @typedef {'mailchimp' | 'klaviyo' | 'meta' | 'google'} Platform
 */

/** Rows the target list preview shows. */
const PREVIEW_ROWS = 8;

/**
 * The export data of the state: customers, labels of the clustering, names shown, RFM scores,
 * contact values; null without a clustering.
 * @param {AppState} state
 * @returns {import('../export/target-lists.js').ExportData | null}
 */
export function exportData(state) {
  const clustering = currentClustering(state);
  const analysis = state.analysis.value;
  if (!clustering || !analysis) return null;
  const {
    customers,
    summary: { roles },
  } = analysis;
  const rfm = currentResult(state, 'scores');
  return {
    ids: customers.ids,
    countries: customers.countries,
    features: customers.features,
    labels: clustering.labels,
    names: stylesOf(state).map((s) => s.name),
    rfm: rfm ? { r: rfm.r, f: rfm.f, m: rfm.m, segment: rfm.segment, names: rfm.rules.map((r) => r.name) } : null,
    emails: roles?.email && customers.emails ? customers.emails : null,
    phones: roles?.phone && customers.phones ? customers.phones : null,
  };
}

/**
 * The segments chosen for export (every segment when none is chosen yet).
 * @param {AppState} state
 * @returns {number[]}
 */
export function chosenSegments(state) {
  const k = stylesOf(state).length;
  const all = Array.from({ length: k }, (_, s) => s);
  return state.exportSettings.segments === null ? all : state.exportSettings.segments.filter((s) => s < k);
}

/**
 * The calling code for national phone numbers: the user's, else the most common country's.
 * @param {AppState} state
 */
export function callingCodeOf(state) {
  return state.exportSettings.callingCode ?? defaultCallingCode(state.analysis.value?.customers?.countries ?? []);
}

/**
 * What the platform card says: why there are no platform files, or '' when there are.
 * @param {AppState} state
 */
export function contactNote(state) {
  const roles = state.analysis.value?.summary?.roles;
  const customers = state.analysis.value?.customers;
  if (!roles?.email && !roles?.phone) {
    return (
      'This file has no email or phone column, so there is nothing for Mailchimp, Klaviyo, Meta or Google to match. ' +
      'Add a column with each customer’s email address (e.g. “Email”) and/or phone number (e.g. “Phone”, best with the country code: +44 7700 900123) ' +
      'to the rows of the file and drop it again; if the file has them under another name, choose them under Columns in step 1.'
    );
  }
  const columns = [roles.email ? `“${roles.email}” (email)` : '', roles.phone ? `“${roles.phone}” (phone)` : ''].filter(Boolean).join(' and ');
  const plural = roles.email && roles.phone ? 'columns' : 'column';
  if (!customers?.emails && !customers?.phones) {
    return `The file has the contact ${plural} ${columns}, but this build of the analysis module does not pass contact values to the page (docs/protocol.md, Analysis: emails, phones), so the platform files cannot be made.`;
  }
  return `From the ${plural} ${columns}. Customers without a usable contact are left out and counted. Hashing happens here, in the browser.`;
}

/**
 * @param {{
 *   onTargetList: () => void, onPlatform: (platform: Platform) => void, onReport: (threshold: number) => void,
 *   onFullTable: () => void, onPng: (id: string) => void, onThreshold: (threshold: number) => void
 * }} actions
 */
export function createExportView({ onTargetList, onPlatform, onReport, onFullTable, onPng, onThreshold }) {
  const summaryLine = byId('export-summary');
  const empty = byId('export-empty');
  const section = byId('export-section');
  const targetButton = byId('target-download-button', HTMLButtonElement);
  const targetNote = byId('target-note');
  const preview = byId('target-preview', HTMLTableElement);
  const platformNote = byId('platform-note');
  const platformGrid = byId('platform-grid');
  const threshold = byId('report-threshold', HTMLInputElement);
  const thresholdError = byId('report-threshold-error');
  const reportButton = byId('report-button', HTMLButtonElement);
  const fullButton = byId('full-table-button', HTMLButtonElement);
  const pngList = byId('png-list');
  const pngNote = byId('png-note');
  const platformStatus = byId('platform-status');
  const reportStatus = byId('report-status');
  /** @param {HTMLElement} node @param {import('../state.js').ExportStatus | null} status */
  const showStatus = (node, status) => {
    node.hidden = !status;
    node.textContent = status?.text ?? '';
    node.classList.toggle('is-error', !!status?.error);
    node.classList.toggle('is-busy', !!status?.busy);
  };

  targetButton.addEventListener('click', onTargetList);
  platformGrid.addEventListener('click', (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-platform]');
    if (button instanceof HTMLButtonElement && !button.disabled) onPlatform(/** @type {Platform} */ (button.dataset.platform));
  });
  const readThreshold = () => {
    const v = Number(threshold.value);
    const ok = Number.isInteger(v) && v >= 1 && v <= 1000;
    thresholdError.hidden = ok;
    thresholdError.textContent = ok ? '' : 'A whole number of customers from 1 to 1,000.';
    threshold.setAttribute('aria-invalid', String(!ok));
    return ok ? v : null;
  };
  threshold.addEventListener('change', () => {
    const v = readThreshold();
    if (v !== null) onThreshold(v);
  });
  reportButton.addEventListener('click', () => {
    const v = readThreshold();
    if (v !== null) onReport(v);
  });
  fullButton.addEventListener('click', onFullTable);
  pngList.addEventListener('click', (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest('button[data-chart]');
    if (button instanceof HTMLButtonElement && !button.disabled) onPng(/** @type {string} */ (button.dataset.chart));
  });

  /** @type {unknown[]} */
  let previewKey = [];
  /** @type {unknown[]} */
  let pngKey = [];

  /** @param {AppState} state */
  return function render(state) {
    const customers = state.analysis.value?.customers;
    if (state.phase !== 'ready' || !customers) return;
    const data = exportData(state);
    empty.hidden = !!data;
    for (const card of section.querySelectorAll('.card')) /** @type {HTMLElement} */ (card).hidden = !data;
    const busy = !!state.job || state.exportBusy;
    showStatus(platformStatus, state.platformStatus);
    showStatus(reportStatus, state.reportStatus);
    if (!data) {
      summaryLine.textContent = 'Export';
      empty.textContent = state.cluster.busy ? 'Finding the segments…' : 'No segments to export yet: open step 3, Segments.';
      return;
    }
    const segments = chosenSegments(state);
    const styles = stylesOf(state);
    summaryLine.textContent = `Export · ${plural(customers.ids.length, 'customer', 'customers')} in ${plural(styles.length, 'segment', 'segments')}`;
    if (document.activeElement !== threshold) threshold.value = String(state.exportSettings.threshold);
    fullButton.disabled = busy || !state.scores.value || !state.segment.value;
    reportButton.disabled = busy;

    const { columns } = state.exportSettings;
    const key = [data.labels, stylesOf(state), segments.join(','), columns.join(','), state.scores.value, data.emails];
    if (!key.every((k, i) => k === previewKey[i])) {
      previewKey = key;
      const { header, rows, count } = targetListPreview(data, { columns, segments }, PREVIEW_ROWS);
      targetNote.textContent =
        segments.length === 0
          ? 'Tick at least one segment in the panel.'
          : header.length === 0
            ? 'Tick at least one column in the panel.'
            : `${plural(count, 'customer', 'customers')} of ${segments.length === styles.length ? 'every segment' : segments.map((s) => styles[s].name).join(', ')}; ${plural(header.length, 'column', 'columns')}. The first ${Math.min(PREVIEW_ROWS, count)} rows:`;
      // Numbers right-aligned, text left.
      const numeric = header.map((c) => c.id === 'segment_number' || c.id in data.features);
      const align = (/** @type {number} */ j) => (numeric[j] ? '' : 'align-left');
      preview.tHead?.replaceChildren(
        el('tr', {}, ...header.map((c, j) => el('th', { className: align(j), attrs: { scope: 'col', title: c.definition }, text: c.id }))),
      );
      preview.tBodies[0].replaceChildren(...rows.map((row) => el('tr', {}, ...row.map((v, j) => el('td', { className: align(j), text: v })))));
      targetButton.dataset.rows = String(count);
    }
    targetButton.disabled = busy || segments.length === 0 || columns.length === 0 || targetButton.dataset.rows === '0';

    const note = contactNote(state);
    platformNote.textContent = note;
    const contacts = !!(data.emails || data.phones);
    platformGrid.hidden = !contacts;
    for (const button of platformGrid.querySelectorAll('button')) {
      const needsEmail = button.dataset.platform === 'mailchimp';
      /** @type {HTMLButtonElement} */ (button).disabled = busy || !contacts || segments.length === 0 || (needsEmail && !data.emails);
    }

    const catalog = chartCatalog(state);
    const pk = [catalog.map((c) => `${c.id}:${c.available}`).join(','), busy];
    if (!pk.every((k, i) => k === pngKey[i])) {
      pngKey = pk;
      pngNote.textContent = `PNG, ${state.theme === 'dark' ? 'dark' : 'white'} background as the page, twice the screen’s pixels.`;
      pngList.replaceChildren(
        ...catalog.map((c) =>
          el(
            'li',
            { className: 'png-item' },
            el('span', { className: 'png-title', text: c.title }),
            c.available ? null : el('span', { className: 'png-why', text: c.why }),
            el('button', {
              className: 'button button-small',
              text: 'PNG',
              attrs: { type: 'button', 'data-chart': c.id, 'aria-label': `Download ${c.title} as PNG` },
              props: { disabled: !c.available || busy },
            }),
          ),
        ),
      );
    } else {
      pngNote.textContent = `PNG, ${state.theme === 'dark' ? 'dark' : 'white'} background as the page, twice the screen’s pixels.`;
    }
  };
}

/**
 * @param {{onChange: (patch: Partial<ExportSettings>) => void}} actions
 */
export function createExportPanelView({ onChange }) {
  const segmentList = byId('export-segments');
  const columnList = byId('export-columns');
  const bom = byId('export-bom', HTMLInputElement);
  const callingCode = byId('export-calling-code', HTMLInputElement);
  /** @type {unknown} */
  let segmentsFor = null;
  /** @type {unknown} */
  let columnsFor = null;

  segmentList.addEventListener('change', () => {
    const ticked = [...segmentList.querySelectorAll('input')].flatMap((input, s) => (input.checked ? [s] : []));
    onChange({ segments: ticked });
  });
  columnList.addEventListener('change', () => {
    onChange({ columns: [...columnList.querySelectorAll('input')].filter((i) => i.checked).map((i) => i.value) });
  });
  bom.addEventListener('change', () => onChange({ bom: bom.checked }));
  callingCode.addEventListener('change', () => {
    const digits = callingCode.value.replace(/\D/g, '');
    onChange({ callingCode: digits || null });
  });

  /** @param {AppState} state */
  return function render(state) {
    if (state.phase !== 'ready') return;
    const data = exportData(state);
    if (!data) return;
    const styles = stylesOf(state);
    const chosen = new Set(chosenSegments(state));
    const key =
      styles.map((s) => `${s.name}|${s.color}`).join('\n') +
      (currentClustering(state)
        ?.profiles.map((p) => p.customers)
        .join(',') ?? '');
    if (key !== segmentsFor) {
      segmentsFor = key;
      segmentList.replaceChildren(
        ...styles.map((style, s) => {
          const id = `export-segment-${s + 1}`;
          const swatch = el('span', { className: 'chip-swatch' });
          swatch.style.setProperty('--chip-color', style.color);
          swatch.dataset.shape = style.shape;
          const customers = currentClustering(state)?.profiles[s].customers ?? 0;
          return el(
            'label',
            { className: 'check', attrs: { for: id } },
            el('input', { attrs: { type: 'checkbox', id, value: String(s) } }),
            swatch,
            el('span', { text: `${style.name} (${formatInteger(customers)})` }),
          );
        }),
      );
    }
    segmentList.querySelectorAll('input').forEach((input, s) => {
      input.checked = chosen.has(s);
    });
    const columns = targetColumns(data);
    const columnKey = columns.map((c) => c.id).join(',');
    if (columnKey !== columnsFor) {
      columnsFor = columnKey;
      columnList.replaceChildren(
        ...columns.map((c) => {
          const id = `export-column-${c.id}`;
          return el(
            'label',
            { className: 'check', attrs: { for: id, 'data-tip': c.definition } },
            el('input', { attrs: { type: 'checkbox', id, value: c.id } }),
            el('span', { text: c.label }),
          );
        }),
      );
    }
    for (const input of columnList.querySelectorAll('input')) input.checked = state.exportSettings.columns.includes(input.value);
    bom.checked = state.exportSettings.bom;
    /** @type {HTMLElement} */ (callingCode.parentElement).hidden = !data.phones;
    if (document.activeElement !== callingCode) callingCode.value = callingCodeOf(state);
    callingCode.placeholder = 'e.g. 44';
  };
}
