// @ts-check
/**
 * Warms the wasm module up when a worker starts, before it takes any request.
 *
 * V8 runs WebAssembly first in baseline code (Liftoff) and recompiles a function with its
 * optimising compiler (TurboFan, in the background) only after the function has run for a while.
 * A call that is already running never switches (wasm has no on-stack replacement), so on a
 * fresh page the first file's cleaning, features, K-Means and silhouette ran entirely in baseline
 * code, two to four times slower than the second file's (bench/wasm_ingest.mjs --cold shows it).
 *
 * So the worker first drives the same bindings a drop does (read, clean, features, RFM scores,
 * K-Means, the cluster quality metrics) over a small generated export, about 60–120 ms of work
 * while the page waits for a file, and its state is dropped after. Nothing here reaches the page.
 *
 * It also writes once over the heap a file's table will take (`touchHeap`): the operating system
 * hands out a page of memory on its first write, a page fault each, and on the first file those
 * faults cost 20–50 ms (the column stores, profiled with --profiling-funcs; a second file in the
 * same module does not pay them, as freed memory stays in the module).
 */

/** Rows of the generated export: enough to exhaust V8's tier-up budget in every hot loop. */
export const WARMUP_ROWS = 12000;

/** Heap the warm-up writes over: a 1M-row export's table and its features (38 MB at its peak). */
export const TOUCH_BYTES = 32 << 20;

const COUNTRIES = ['United Kingdom', 'France', 'Germany', 'EIRE', 'Spain', 'Netherlands'];
const WORDS = ['WHITE', 'HANGING', 'HEART', 'LANTERN', 'RED', 'RETROSPOT', 'CAKE', 'STAND', 'JUMBO', 'BAG'];

/**
 * A deterministic export in the Online Retail layout with its quirks (cancellations, missing
 * customer ids, postage lines, quoted descriptions with commas), ISO dates over a year.
 * @param {number} rows
 * @returns {Uint8Array}
 */
export function warmupCsv(rows) {
  let seed = 12345;
  const next = (/** @type {number} */ n) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
  let invoice = 536365;
  let customer = '';
  let date = '';
  let country = '';
  for (let i = 0; i < rows; i++) {
    if (i === 0 || next(8) === 0) {
      invoice += 1 + next(3);
      // Heavy-tailed customers: a few buy often, many once.
      customer = next(20) === 0 ? '' : String(12346 + (next(4) === 0 ? next(40) : next(1500)));
      const day = 1 + next(365);
      const month = Math.min(12, 1 + Math.floor(day / 31));
      date = `2011-${String(month).padStart(2, '0')}-${String(1 + (day % 28)).padStart(2, '0')} ${String(8 + next(10)).padStart(2, '0')}:${String(next(60)).padStart(2, '0')}:00`;
      country = COUNTRIES[next(4) === 0 ? next(COUNTRIES.length) : 0];
    }
    const cancelled = next(50) === 0;
    const postage = next(100) === 0;
    const code = postage ? 'POST' : `${20000 + next(3000)}${next(5) === 0 ? 'A' : ''}`;
    const words = `${WORDS[next(WORDS.length)]} ${WORDS[next(WORDS.length)]}`;
    const description = next(10) === 0 ? `"${words}, SET OF ${2 + next(4)}"` : words;
    const quantity = (cancelled ? -1 : 1) * (1 + next(24));
    const price = (0.29 + next(1500) / 100).toFixed(2);
    lines.push(`${cancelled ? 'C' : ''}${invoice},${code},${description},${quantity},${date},${price},${customer},${country}`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/**
 * @param {{ok: boolean, error?: {message: string}}} r
 */
function check(r) {
  if (!r.ok) throw new Error(`warm-up: ${r.error?.message}`);
  return r;
}

/**
 * Runs the bindings of a drop once over `warmupCsv(rows)`, then leaves the module empty again.
 * A failure here is not the user's problem: it is reported on the console and the worker goes on.
 * @param {any} module the instantiated wasm module (web/worker/handlers.js WasmModule)
 * @param {number} [rows]
 */
export function warmUp(module, rows = WARMUP_ROWS) {
  try {
    const bytes = warmupCsv(rows);
    // The options a drop reads with (web/worker/handlers.js read) under the default rules.
    check(module.ingestBegin({ fileName: 'warm-up.csv', size: bytes.byteLength, mode: 'auto', rules: {}, featureParams: {}, findDuplicates: false }));
    // Chunks as File.stream() hands them over (64 KiB), so the chunk path is the real one.
    for (let at = 0; at < bytes.byteLength; at += 1 << 16) check(module.ingestChunk(bytes.subarray(at, at + (1 << 16))));
    check(module.ingestFinish());
    check(module.schema());
    check(module.rfmScores({ preset: 'rf-grid', recency: 'recency', frequency: 'frequency', monetary: 'monetary' }));
    check(module.segment({ k: 4, seed: 1 }));
    check(
      module.clusterCustomers({
        features: ['recency', 'frequency', 'monetary'],
        log1p: true,
        winsorLo: 0,
        winsorHi: 100,
        scaler: 'standard',
        algorithm: 'kmeans',
        k: 4,
        seed: 1,
      }),
    );
  } catch (err) {
    console.warn(String(err));
  } finally {
    // Drops the warm-up's reader and analysis; the first real ingestBegin starts from nothing.
    try {
      module.ingestBegin({ fileName: 'empty.csv' });
    } catch {
      // nothing to drop
    }
    touchHeap(module, TOUCH_BYTES);
  }
}

/**
 * Takes `bytes` from the module's allocator, writes zeros over them and gives them back: the
 * pages are then the process's, and the allocator hands the same memory to the next file (wasm
 * memory never shrinks). The module grows by what its free heap lacks.
 * @param {any} module
 * @param {number} bytes
 */
export function touchHeap(module, bytes) {
  if (typeof module._malloc !== 'function') return;
  const at = module._malloc(bytes);
  if (!at) return;
  try {
    module.HEAPU8.fill(0, at, at + bytes); // HEAPU8 after the malloc: it is a new view when memory grew
  } finally {
    module._free(at);
  }
}

/**
 * The sweep workers' warm-up (web/worker/pool-worker.js): the k sweep's K-Means and quality
 * metrics over 1,500 generated points in three dimensions, k = 2…4.
 * @param {any} module
 */
export function warmUpSweep(module) {
  try {
    const n = 1500;
    const points = new Float64Array(n * 3);
    for (let i = 0; i < points.length; i++) points[i] = Math.sin(i * 0.61) * 2 + ((i / 3) % 4);
    const r = module.sweepPoints(points, n, 3, { algorithm: 'kmeans', kMin: 2, kMax: 4, seed: 1 });
    if (!r.ok) throw new Error(`warm-up: ${r.error?.message}`);
  } catch (err) {
    console.warn(String(err));
  }
}
