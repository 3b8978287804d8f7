// npm run bench [-- --quick] [-- --runs N]
//
// Ingest (read + clean + per-customer RFM) of the same files by LoyaltyLens natively, as wasm in
// Node, and by the peers that are installed (pandas via Debian's python3-pandas, DuckDB via
// @duckdb/node-api); checks they agree (customers, Σ recency, Σ frequency, Σ monetary) and writes
// BENCHMARKS.md. Each figure is the median of several runs, each run a fresh process.
// Data: bench/data/ (git-ignored), made by build/native/ll_generate (deterministic), plus the
// real UCI Online Retail file from ../shared/data/real when present.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const runsArg = args.indexOf('--runs');
const baseRuns = runsArg >= 0 ? Number(args[runsArg + 1]) : 5;
const cli = path.join(root, 'build', 'native', 'loyaltylens');
const gen = path.join(root, 'build', 'native', 'll_generate');
const dataDir = path.join(root, 'bench', 'data');
const python = '/usr/bin/python3';

function sh(cmd, argv, options = {}) {
  return execFileSync(cmd, argv, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

function log(...a) {
  console.error(...a);
}

// Builds.
log('bench: building native (Release) and wasm');
sh('cmake', ['-S', '.', '-B', 'build/native', '-DCMAKE_BUILD_TYPE=Release']);
sh('cmake', ['--build', 'build/native', '-j2', '--target', 'loyaltylens', 'll_generate']);
if (!fs.existsSync(path.join(root, 'web', 'generated', 'loyaltylens.node.wasm'))) sh('bash', ['scripts/build-wasm.sh']);

// Data.
fs.mkdirSync(dataDir, { recursive: true });
const sizes = quick
  ? [['100k', 100000]]
  : [
      ['100k', 100000],
      ['1.07M', 1070000],
      ['10M', 10000000],
    ];
const datasets = [];
for (const [label, rows] of sizes) {
  const file = path.join(dataDir, `retail-${label}.csv`);
  if (!fs.existsSync(file)) {
    log(`bench: generating ${path.relative(root, file)}`);
    sh(gen, ['--rows', String(rows), '--seed', '42', '--out', file]);
  }
  datasets.push({ label: `synthetic ${label} rows (Online Retail II layout)`, file, rows });
}
const real = path.join(root, '..', 'shared', 'data', 'real', 'online_retail', 'online_retail.csv');
if (fs.existsSync(real)) datasets.push({ label: 'real UCI Online Retail (541,909 rows)', file: real, rows: 541909 });

// Peers.
const hasPandas = spawnSync(python, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0;
let hasDuck = true;
try {
  await import('@duckdb/node-api');
} catch {
  hasDuck = false;
}
let hasDuckWasm = true;
try {
  createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
} catch {
  hasDuckWasm = false;
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(name, n, run) {
  const results = [];
  for (let i = 0; i < n; i++) {
    try {
      results.push(run());
    } catch (e) {
      log(`bench: ${name} failed: ${String(e.stderr || e.message).split('\n')[0]}`);
      return null;
    }
  }
  const secs = results.map((r) => r.seconds);
  const med = results[secs.indexOf(median(secs))];
  log(`bench: ${name}: ${median(secs).toFixed(3)} s (runs: ${secs.map((s) => s.toFixed(3)).join(', ')})`);
  return { ...med, seconds: median(secs), runs: secs };
}

const json = (out) => JSON.parse(out.trim().split('\n').pop());
const table = [];
for (const d of datasets) {
  const bytes = fs.statSync(d.file).size;
  const n = d.rows >= 5e6 ? Math.max(1, Math.min(3, baseRuns)) : baseRuns;
  log(`bench: ${d.label}, ${(bytes / 1e6).toFixed(1)} MB`);
  const row = { dataset: d.label, mb: bytes / 1e6, results: {} };
  row.results.native = measure('native', n, () => {
    const r = json(sh(cli, ['profile', d.file]));
    return { ...r, seconds: r.ingest_s, memory_mb: r.max_rss_mb };
  });
  row.results.wasm = measure('wasm (Node)', n, () => {
    const r = json(sh('node', ['bench/wasm_ingest.mjs', d.file]));
    return { ...r, memory_mb: r.wasm_heap_mb };
  });
  row.results.wasmCold = measure('wasm (Node), cold', n, () => {
    const r = json(sh('node', ['bench/wasm_ingest.mjs', d.file, '--cold']));
    return { ...r, memory_mb: r.wasm_heap_mb };
  });
  if (hasPandas) {
    row.results.pandas = measure('pandas', d.rows >= 5e6 ? 1 : n, () => {
      const r = json(sh(python, ['bench/peers/pandas_rfm.py', d.file], { maxBuffer: 1 << 20 }));
      return { ...r, memory_mb: r.max_rss_mb };
    });
  }
  if (hasDuck) {
    row.results.duckdb = measure('DuckDB (2 threads)', n, () => {
      const r = json(sh('node', ['bench/peers/duckdb_rfm.mjs', d.file]));
      return { ...r, memory_mb: r.max_rss_mb };
    });
  }
  if (hasDuckWasm) {
    row.results.duckdbWasm = measure('DuckDB-Wasm (work)', d.rows >= 5e6 ? 1 : n, () => {
      const r = json(sh('node', ['bench/peers/duckdb_wasm_rfm.mjs', d.file]));
      return { ...r, memory_mb: r.max_rss_mb };
    });
  }
  // Agreement: every tool must find the same customers and the same totals.
  const ref = row.results.native;
  row.agree = Object.entries(row.results).every(
    ([, r]) =>
      !r ||
      (r.customers === ref.customers &&
        ['sum_recency', 'sum_frequency', 'sum_monetary'].every((k) => Math.abs(r[k] - ref[k]) <= 1e-6 * Math.max(1, Math.abs(ref[k])))),
  );
  if (!row.agree) log(`bench: DISAGREEMENT on ${d.label}: ${JSON.stringify(row.results)}`);
  table.push(row);
}

// Clustering: every algorithm, the silhouette and PCA on the same points natively, as wasm in Node
// (one thread) and in scikit-learn / SciPy (their default threads; the machine has 2 cores).
log('bench: building the clustering timer (native and wasm)');
sh('cmake', ['--build', 'build/native', '-j2', '--target', 'll_cluster_bench']);
const emEnv = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
let hasWasmCluster = true;
try {
  sh('emcmake', ['cmake', '-S', '.', '-B', 'build/wasm'], { env: emEnv });
  sh('cmake', ['--build', 'build/wasm', '--target', 'll_cluster_bench_wasm'], { env: emEnv });
} catch (e) {
  hasWasmCluster = false;
  log(`bench: wasm clustering timer not built: ${String(e.stderr || e.message).split('\n')[0]}`);
}
const hasSklearn = spawnSync(python, ['-c', 'import sklearn, scipy'], { stdio: 'ignore' }).status === 0;
const clusterSizes = quick ? [5000] : [5000, 20000, 100000, 1000000];
const clusterRows = [];
const lines = (out) =>
  out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
for (const n of clusterSizes) {
  const only = n >= 1000000 ? 'kmeans,gmm,pca' : 'kmeans,gmm,kmedoids,ward,silhouette,pca,tsne';
  const points = path.join(dataDir, `points-${n}.csv`);
  log(`bench: clustering at n = ${n}`);
  const native = lines(
    sh(path.join(root, 'build', 'native', 'll_cluster_bench'), ['--n', String(n), '--k', '5', '--reps', '3', '--only', only, '--data-out', points]),
  );
  const wasm = hasWasmCluster ? lines(sh('node', ['bench/wasm_cluster.cjs', '--n', String(n), '--k', '5', '--reps', '3', '--only', only])) : [];
  const sk = hasSklearn ? lines(sh(python, ['bench/peers/sklearn_cluster.py', points, '5', n >= 1000000 ? '1' : '3', only], { maxBuffer: 1 << 20 })) : [];
  for (const r of native) {
    const w = wasm.find((x) => x.what === r.what);
    const p = sk.find((x) => x.what === r.what);
    clusterRows.push({ n, what: r.what, native: r, wasm: w, sklearn: p });
    log(`bench:   ${r.what}: native ${r.seconds.toFixed(3)} s, wasm ${w ? w.seconds.toFixed(3) : '—'} s, reference ${p ? p.seconds.toFixed(3) : '—'} s`);
  }
}

// The page in Chromium: drop to segments on screen, for the real file(s) and the big synthetic one.
let chromiumRows = [];
if (fs.existsSync('/usr/bin/chromium')) {
  log('bench: the page in Chromium');
  const pageFiles = [real, path.join(root, '..', 'shared', 'data', 'real', 'online_retail', 'online_retail_kaggle_style.csv')];
  if (!quick) {
    // And a 2 GB export (24M rows) streaming through the tab: the page never holds the file whole.
    const huge = path.join(dataDir, 'retail-24M.csv');
    if (!fs.existsSync(huge)) {
      log(`bench: generating ${path.relative(root, huge)} (2 GB)`);
      sh(gen, ['--rows', '24000000', '--seed', '42', '--out', huge]);
    }
    pageFiles.push(path.join(dataDir, 'retail-1.07M.csv'), path.join(dataDir, 'retail-10M.csv'), huge);
  }
  try {
    chromiumRows = lines(sh('node', ['bench/chromium.mjs', '--runs', quick ? '1' : '3', ...pageFiles.filter((f) => fs.existsSync(f))], { maxBuffer: 1 << 20 }));
    for (const r of chromiumRows) log(`bench:   ${r.file}: ${r.seconds.toFixed(3)} s, renderer peak ${Math.round(r.renderer_peak_mb)} MB`);
  } catch (e) {
    log(`bench: Chromium run failed: ${String(e.stderr || e.message).split('\n')[0]}`);
  }
}

// "Compare k" in the page: one worker against the sweep pool (web/api/sweep-pool.js).
let sweepRows = [];
if (fs.existsSync('/usr/bin/chromium')) {
  log('bench: Compare k in Chromium, 1 worker vs the pool');
  const customers = path.join(dataDir, 'customers-10050.csv');
  if (!fs.existsSync(customers)) {
    const rows = ['customer_id,recency,frequency,monetary'];
    for (let i = 0; i < 10050; i++) rows.push(`C${i},${(i * 37) % 365},${1 + (i % 17)},${((i * 7919) % 5000) + 1}.5`);
    fs.writeFileSync(customers, rows.join('\n'));
  }
  try {
    sweepRows = lines(
      sh('node', ['bench/chromium-sweep.mjs', '--runs', quick ? '1' : '3', ...[real, customers].filter((f) => fs.existsSync(f))], { maxBuffer: 1 << 20 }),
    );
    for (const r of sweepRows) log(`bench:   ${r.file}, ${r.workers} worker(s): ${r.seconds.toFixed(3)} s`);
  } catch (e) {
    log(`bench: Compare k run failed: ${String(e.stderr || e.message).split('\n')[0]}`);
  }
}

// The page's main thread: long tasks at the page's start and during a whole session on the real
// file and the 100k synthetic one (bench/longtasks.mjs).
let longRows = [];
const longFiles = [real, path.join(dataDir, 'retail-100k.csv')].filter((f) => fs.existsSync(f));
if (fs.existsSync('/usr/bin/chromium') && longFiles.length > 0) {
  log('bench: main-thread long tasks in Chromium');
  try {
    longRows = lines(sh('node', ['bench/longtasks.mjs', '--runs', quick ? '1' : '3', ...longFiles], { maxBuffer: 1 << 20 }));
    for (const r of longRows)
      log(`bench:   ${r.file}: longest task ${r.longest_task_ms} ms (start ${r.start_longest_task_ms} ms), k change → table ${r.k_change_to_table_ms} ms`);
  } catch (e) {
    log(`bench: long-task run failed: ${String(e.stderr || e.message).split('\n')[0]}`);
  }
}

// The machine.
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const versions = {
  node: process.version,
  gcc: sh('g++', ['--version']).split('\n')[0],
  emscripten: (() => {
    try {
      return sh('emcc', ['--version'], { env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } }).split('\n')[0];
    } catch {
      return 'emcc not found';
    }
  })(),
  pandas: hasPandas ? sh(python, ['-c', 'import pandas; print(pandas.__version__)']).trim() : 'not installed',
  duckdbWasm: hasDuckWasm
    ? JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@duckdb', 'duckdb-wasm', 'package.json'), 'utf8')).version
    : 'not installed',
  duckdb: hasDuck ? JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8')).version : 'not installed',
};

const fmt = (r) => (r ? `${r.seconds.toFixed(3)} s · ${Math.round(r.memory_mb)} MB` : '—');
const fmtWasm = (r) => (r ? `${fmt(r)}${r.mode === 'stream' ? ' (streamed)' : ''}` : '—');
const fmtWasmPeer = (r) => (r ? `${fmt(r)} (+ ${r.startup_seconds.toFixed(2)} s)` : '—');
const ratio = (a, b) => (a && b ? `${(b.seconds / a.seconds).toFixed(1)}×` : '—');
let md = `# Benchmarks\n\nProduced by \`npm run bench${quick ? ' -- --quick' : ''}\` (bench/run.mjs) on ${new Date().toISOString().slice(0, 10)}.\n\n`;
md += `Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; ${os.type()} ${os.release()}.\n`;
md += `Versions: Node ${versions.node}; ${versions.gcc}; ${versions.emscripten}; pandas ${versions.pandas}; DuckDB node-api ${versions.duckdb}; DuckDB-Wasm ${versions.duckdbWasm}.\n\n`;
md += `## Ingest: read + clean + per-customer RFM\n\n`;
md += 'The same work everywhere: parse the CSV, drop rows without customer id and cancellations (invoice `C…` or negative quantity), ';
md += 'then per customer recency (days from the day after the last invoice date), frequency (distinct invoices) and monetary (Σ quantity × price). ';
md +=
  'Median of several runs, each a fresh process; memory is peak RSS for native, pandas and DuckDB, and the wasm linear memory (everything the module holds, the 1 MiB chunk included) for wasm. ';
md +=
  'The wasm column is what the page\'s worker does: the module is warmed up first (web/worker/warmup.js, as the worker does when the page opens: the bindings run over a small export and the heap a 1M-row table takes is written once; not in the time), the file is read in 1 MiB chunks into one reused buffer, the duplicates rule is off so lines are not hashed, and files estimated above 4M rows are cleaned and aggregated while they are read ("streamed": memory follows customers, not rows). "wasm, cold" is the same without the warm-up: V8 runs the first call in its baseline code. ';
md +=
  'DuckDB-Wasm runs its blocking Node build (one thread) on the file registered from disk; its time is the work (register + query), with the start-up (instantiating DuckDB-Wasm) after it. ';
md += 'Every tool\'s customers and Σ R, Σ F, Σ M are compared with ours; "agree" says they match.\n\n';
md +=
  '| data | MB | LoyaltyLens native | LoyaltyLens wasm (Node) | wasm, cold | pandas | DuckDB native, 2 threads | DuckDB-Wasm work (+ start-up) | wasm vs pandas | wasm vs DuckDB-Wasm | native vs DuckDB | agree |\n';
md += '| --- | ---: | --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | --- |\n';
for (const r of table) {
  const x = r.results;
  md += `| ${r.dataset} | ${r.mb.toFixed(1)} | ${fmt(x.native)} | ${fmtWasm(x.wasm)} | ${fmt(x.wasmCold)} | ${fmt(x.pandas)} | ${fmt(x.duckdb)} | ${fmtWasmPeer(x.duckdbWasm)} | ${ratio(x.wasm, x.pandas)} | ${ratio(x.wasm, x.duckdbWasm)} | ${ratio(x.native, x.duckdb)} | ${r.agree ? 'yes' : '**no**'} |\n`;
}
md += `\nCommands behind each column: \`build/native/loyaltylens profile FILE\` (its \`ingest_s\`), \`node bench/wasm_ingest.mjs FILE [--cold]\`, `;
md += `\`/usr/bin/python3 bench/peers/pandas_rfm.py FILE\`, \`node bench/peers/duckdb_rfm.mjs FILE\`, \`node bench/peers/duckdb_wasm_rfm.mjs FILE\`. `;
md += `Data: \`build/native/ll_generate --rows N --seed 42 --out bench/data/retail-N.csv\`.\n`;
md += `\nPeers are measured when installed: \`apt-get install python3-pandas\`, \`npm install --no-save @duckdb/node-api @duckdb/duckdb-wasm\`.\n`;
md += `\n## The page in Chromium: file dropped → segments on screen\n\n`;
md +=
  "Debian's Chromium, headless, the built site (`dist/`) served on loopback; timed inside the page from the file input's change event (a second after the page loaded, as a person would drop a file) to the worker's reply with the customers (read with `File.stream()`, cleaning, features) and to the first row of the segment table (then RFM scores, K-Means, the quality metrics and the first render). ";
md += 'Memory: peak resident size of the renderer process, which holds the worker and its wasm heap. Median of fresh pages.\n\n';
md += '| file | drop → customers (ingest in the worker) | drop → segments | renderer peak | customers |\n| --- | ---: | ---: | ---: | ---: |\n';
for (const r of chromiumRows)
  md += `| ${r.file} | ${r.read_seconds.toFixed(3)} s | ${r.seconds.toFixed(3)} s | ${Math.round(r.renderer_peak_mb)} MB | ${r.customers.toLocaleString('en')} |\n`;
md += '\nCommand: `node bench/chromium.mjs --runs 3 FILE…`.\n';
md += `\n## The page in Chromium: "Compare k" with one worker and with the sweep pool\n\n`;
md +=
  'K-Means (the page\'s defaults: 10 restarts, exact silhouette up to 20,000 customers) for k = 2…10, timed inside the page from the click on "Compare k" to the curves. ';
md +=
  '`?workers=1` is the single-worker sweep; without it the page uses one worker per logical processor (at most 5), the analysis worker included. The numbers are the same bit for bit (tests/e2e/run.mjs checks it).\n\n';
md += '| file | customers | workers | Compare k |\n| --- | ---: | ---: | ---: |\n';
for (const r of sweepRows) md += `| ${r.file} | ${r.customers.toLocaleString('en')} | ${r.workers} | ${r.seconds.toFixed(3)} s |\n`;
md += '\nCommand: `node bench/chromium-sweep.mjs --runs 3 FILE…`.\n';
md += `\n## The page in Chromium: main-thread long tasks during a session\n\n`;
md +=
  "The page's start (navigation until the page has settled: its modules, the steps' modules loaded in idle time, the worker started), then one session: drop the file, open every step, k = 6, Gaussian mixture, t-SNE map, \"Compare k\", Profiles. Long tasks are the browser's own `PerformanceObserver('longtask')` entries (over 50 ms); \"k change → table\" is timed in the page from the slider's change event to the new segment table. ";
md +=
  'Chart draws are the page\'s own User Timing entries (ECharts init + setOption; the warm-up steps run while the file is read). "Slowest phase" is the longest task of any phase, 0 when there was none.\n\n';
md +=
  '| file | start: longest task (median of runs) | session: longest task (median of runs) | session: long tasks per run | k change → table | slowest phase | slowest chart draw |\n| --- | ---: | ---: | ---: | ---: | --- | --- |\n';
for (const r of longRows) {
  const [phase, phaseMs] = Object.entries(r.worst_by_phase).sort((a, b) => b[1] - a[1])[0] ?? ['—', 0];
  const [chart, chartMs] = Object.entries(r.slowest_chart_draw_ms)
    .filter(([c]) => c !== 'library loaded')
    .sort((a, b) => b[1] - a[1])[0] ?? ['—', 0];
  md += `| ${r.file} | ${r.start_longest_task_ms} ms | ${r.longest_task_ms} ms | ${r.long_tasks_per_run.toFixed(1)} | ${r.k_change_to_table_ms} ms | ${phase} (${phaseMs} ms) | ${chart} (${chartMs} ms) |\n`;
}
md += '\nCommand: `node bench/longtasks.mjs --runs 3 FILE…`.\n';
md += `\n## Clustering, quality metrics, embedding\n\n`;
md += 'Points: 3 standardised features in 5 overlapping groups (`ll_cluster_bench --n N --data-out points.csv`, deterministic); k = 5. ';
md += "LoyaltyLens runs one thread (native and wasm in Node, the same C++); the references run with their defaults on this machine's cores: ";
md +=
  'scikit-learn `KMeans(5, n_init=10)`, `GaussianMixture(5)` (full covariance), `silhouette_score`, `PCA(2)`, `TSNE(2, perplexity=30, init="pca", n_iter=750)`; SciPy `linkage(x, "ward")`. ';
md +=
  'The 2-D map (tsne): the page runs t-SNE on a 3,000-customer sample and places every other customer by its nearest sampled neighbours; scikit-learn maps the first 3,000 points (it has no placement), so its time is for 3,000 points at every n. ';
md +=
  'K-Medoids (FasterPAM, BUILD) has no installed reference to time against. Time is the median of 3 runs (1 for K-Medoids, Ward, t-SNE and the 1M references); ';
md +=
  'memory is peak RSS (native, references) or the wasm heap. "value" columns compare what each computed: K-Means inertia, GMM −n·mean log-likelihood, silhouette, PCA\'s first explained-variance ratio, t-SNE\'s final KL divergence.\n\n';
md += '| n | what | native | wasm (Node) | reference | wasm vs reference | value (ours / reference) |\n| ---: | --- | --- | --- | --- | ---: | --- |\n';
const f3 = (r) => (r ? `${r.seconds.toFixed(3)} s · ${Math.round(r.peak_mb)} MB` : '—');
for (const r of clusterRows) {
  const v =
    r.sklearn && ['kmeans', 'gmm', 'silhouette', 'pca', 'tsne'].includes(r.what)
      ? `${r.native.value.toPrecision(8)} / ${r.sklearn.value.toPrecision(8)}`
      : `${r.native.value.toPrecision(8)}`;
  md += `| ${r.n.toLocaleString('en')} | ${r.what} | ${f3(r.native)} | ${f3(r.wasm)} | ${f3(r.sklearn)} | ${r.wasm && r.sklearn ? (r.sklearn.seconds / r.wasm.seconds).toFixed(1) + '×' : '—'} | ${v} |\n`;
}
md += `\nCommands: \`build/native/ll_cluster_bench --n N --k 5 --reps 3\`, \`node bench/wasm_cluster.cjs --n N --k 5 --reps 3\`, \`/usr/bin/python3 bench/peers/sklearn_cluster.py points.csv 5 3\`.\n`;
// Hand-written notes (spot checks, before → after of a change) live below the marker and survive a rerun.
const NOTES_MARKER = '<!-- npm run bench keeps everything below this line. -->';
const benchFile = path.join(root, 'BENCHMARKS.md');
const previous = fs.existsSync(benchFile) ? fs.readFileSync(benchFile, 'utf8') : '';
const notesAt = previous.indexOf(NOTES_MARKER);
md += `\n${NOTES_MARKER}\n${notesAt >= 0 ? previous.slice(notesAt + NOTES_MARKER.length).replace(/^\n/, '') : ''}`;
fs.writeFileSync(benchFile, md);
log('bench: wrote BENCHMARKS.md');
console.log(md);
const ok = table.every((r) => r.agree);
process.exit(ok ? 0 : 1);
