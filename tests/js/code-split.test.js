// @ts-check
// The page's start (issue 7: no long task): Vite's entry chunk and the chunks it imports
// statically hold the page's frame only. Each step's views are a chunk of their own, loaded with
// import() (web/steps/step-loader.js); ECharts and the export code are not part of the start.
// Builds the page with Vite in memory (nothing written), as `vite build` does.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { build } from 'vite';
import { repoRoot } from './support/wasm-node.js';

const web = path.join(repoRoot, 'web');
const result = await build({
  configFile: path.join(repoRoot, 'vite.config.js'),
  root: web,
  logLevel: 'silent',
  build: { write: false },
});
/** @type {any[]} every chunk of the page (the workers are built apart) */
const chunks = [result]
  .flat()
  .flatMap((r) => /** @type {any} */ (r).output ?? [])
  .filter((c) => c.type === 'chunk');
const byFile = new Map(chunks.map((c) => [c.fileName, c]));
/** A module id as a path from the repository's root ('web/main.js', 'node_modules/…'). @param {string} id */
const relative = (id) => path.relative(repoRoot, id.replace(/\?.*$/, '')).split(path.sep).join('/');

/** The modules evaluated at the page's start: the entry chunk and what it imports, transitively. */
function startModules() {
  const entry = chunks.find((c) => c.isEntry);
  assert.ok(entry, 'an entry chunk');
  const seen = new Set();
  const queue = [entry];
  while (queue.length > 0) {
    const chunk = queue.pop();
    if (seen.has(chunk)) continue;
    seen.add(chunk);
    for (const file of chunk.imports) queue.push(byFile.get(file));
  }
  return new Set([...seen].flatMap((c) => c.moduleIds.map(relative)));
}

/** The views of the page's frame (top bar, drop zone, progress, notices): all its start evaluates. */
const FRAME_VIEWS = ['drop', 'job', 'layout', 'notice', 'progress', 'topbar'].map((v) => `web/views/${v}-view.js`);
/** The UI infrastructure the frame needs (web/ui/): no chart code. */
const FRAME_UI = ['dom', 'render-loop', 'tasks', 'tooltip'].map((m) => `web/ui/${m}.js`);

const stepFiles = readdirSync(path.join(web, 'steps')).filter((f) => f.endsWith('-step.js'));
const start = startModules();

test('the page starts with main.js and its frame, not with the steps’ views', () => {
  assert.ok(start.has('web/main.js'));
  assert.deepEqual([...start].filter((m) => /^web\/views\/[\w-]+-view\.js$/.test(m)).sort(), FRAME_VIEWS);
  assert.deepEqual([...start].filter((m) => /^web\/ui\//.test(m)).sort(), FRAME_UI);
  assert.equal(stepFiles.length, 7, 'a module per step');
  for (const file of stepFiles) assert.ok(!start.has(`web/steps/${file}`), `${file} is not evaluated at start`);
});

test('each step is a chunk of its own, loaded with import()', () => {
  for (const file of stepFiles) {
    const chunk = chunks.find((c) => c.facadeModuleId && relative(c.facadeModuleId) === `web/steps/${file}`);
    assert.ok(chunk, `a chunk for ${file}`);
    assert.ok(chunk.isDynamicEntry && !chunk.isEntry, `${file} is loaded with import()`);
  }
});

test('no ECharts, chart code or export code at start', () => {
  const late = [...start].filter(
    (m) =>
      /node_modules\/(echarts|zrender)\//.test(m) ||
      /^web\/charts\/(?!palette\.js)/.test(m) ||
      /^web\/(views|ui)\/(chart-|echarts-)/.test(m) ||
      /^web\/export\/(html-report|target-lists|contacts|csv-export)\.js$/.test(m),
  );
  assert.deepEqual(late, []);
});
