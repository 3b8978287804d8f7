// @ts-check
/**
 * Step 3's project card: the project open, what it was fitted on, how the customers on screen
 * are segmented (its saved segments, or fitted again on this file), the switch between the two,
 * and — for the saved segments — the drift since the fit: per feature the population stability
 * index (PSI: < 0.1 stable, 0.1–0.25 a moderate shift, ≥ 0.25 a large one), the segments'
 * shares then and now, and the core's warnings.
 */
import { driftSizesOption } from '../charts/drift-chart.js';
import { formatInteger } from '../format.js';
import { feature } from '../model/definitions.js';
import { psiLevel } from '../model/project.js';
import { currentClustering, stylesOf } from '../state.js';
import { createChartHost } from '../ui/chart-host.js';
import { byId, el } from '../ui/dom.js';

/** @type {Record<string, string>} */
const READINGS = {
  stable: 'Stable (PSI < 0.1)',
  'moderate shift': 'Moderate shift (PSI 0.1–0.25)',
  'large shift': 'Large shift (PSI ≥ 0.25)',
};

/**
 * @param {{onRefit: () => void, onSaved: () => void, onClose: () => void}} actions
 */
export function createProjectView({ onRefit, onSaved, onClose }) {
  const card = byId('project-card');
  const title = byId('project-title');
  const note = byId('project-note');
  const refit = byId('project-refit-button', HTMLButtonElement);
  const saved = byId('project-saved-button', HTMLButtonElement);
  const warnings = byId('project-warnings');
  const body = byId('drift-body');
  const table = byId('drift-table', HTMLTableElement);
  const chart = createChartHost(byId('drift-chart'));
  refit.addEventListener('click', onRefit);
  saved.addEventListener('click', onSaved);
  byId('project-card-close-button').addEventListener('click', onClose);

  /** @type {unknown[]} */
  let drawn = [];

  /** @param {import('../state.js').AppState} state */
  return function render(state) {
    const project = state.project;
    card.hidden = state.phase !== 'ready' || !project;
    if (!project || card.hidden) return;
    const clustering = currentClustering(state);
    const drift = clustering?.applied?.drift ?? null;
    const on = project.model.fittedOn;
    title.textContent = `Project ${project.fileName}`;
    const fitted = `${project.model.k} segments fitted on ${on.file} (${formatInteger(on.customers)} customers, ${on.firstDate} to ${on.lastDate})`;
    note.textContent =
      project.scoring === 'saved'
        ? `${fitted}. Each customer of this file is in the saved segment nearest to it (no refit); names and colours are the project’s.`
        : `${fitted}. The segments shown are fitted on this file, with the project’s settings unless changed since.`;
    refit.hidden = project.scoring !== 'saved';
    saved.hidden = project.scoring === 'saved';
    saved.disabled = state.cluster.busy;
    refit.disabled = state.cluster.busy;

    warnings.replaceChildren(...(drift?.warnings ?? []).map((w) => el('li', { text: w })));
    warnings.hidden = !drift || drift.warnings.length === 0;
    body.hidden = !drift;
    if (!drift) return;
    const styles = stylesOf(state);
    const key = [drift, styles, state.theme];
    if (key.every((k, i) => k === drawn[i])) return;
    drawn = key;

    const head = el(
      'tr',
      {},
      el('th', { className: 'align-left', text: 'Feature', attrs: { scope: 'col' } }),
      el('th', {
        text: 'PSI',
        attrs: {
          scope: 'col',
          title: 'Population stability index over the ten bins of the feature when the project was fitted: Σ (now − then) × ln(now ÷ then).',
        },
      }),
      el('th', { className: 'align-left', text: 'Reading', attrs: { scope: 'col' } }),
    );
    table.tHead?.replaceChildren(head);
    table.tBodies[0].replaceChildren(
      ...drift.features.map((f) =>
        el(
          'tr',
          { attrs: { 'data-feature': f.feature, 'data-level': psiLevel(f) } },
          el('th', { className: 'align-left', text: feature(f.feature)?.label ?? f.feature, attrs: { scope: 'row' } }),
          el('td', { text: f.psi.toFixed(3) }),
          el('td', { className: 'align-left' }, el('span', { className: `badge badge-${psiLevel(f)}`, text: READINGS[f.reading] ?? f.reading })),
        ),
      ),
    );
    chart.draw(() => driftSizesOption(drift, styles, state.theme));
  };
}
