// Ingest (read + clean + features) with the wasm module in Node, the file read in 1 MiB chunks
// into one reused buffer (fs.readSync), as a Node program would: the module never sees the whole
// file, as in the page, where File.stream() hands over the chunks (measured in Chromium by
// bench/chromium.mjs). Prints one JSON line.
//   node bench/wasm_ingest.mjs FILE [--stream | --mode table|stream|auto] [--find-duplicates] [--cold]
// The work is the default rules (drop rows without customer id and cancellations), both
// streamable. As the page: the module picks table or stream from the file's estimated rows (--mode
// auto, the default; --stream or --mode table force one), lines are not hashed for duplicates
// (unless --find-duplicates), and the module is warmed up first as the worker does when it starts
// (web/worker/warmup.js; `startup_seconds` is loading plus warm-up, `seconds` the ingest after it).
// --cold skips the warm-up: the first call then runs in V8's baseline code. LL_WASM_DIR picks another
// build (tests/js/support/wasm-node.js).
import fs from 'node:fs';
import path from 'node:path';
import { loadWasm } from '../tests/js/support/wasm-node.js';
import { warmUp } from '../web/worker/warmup.js';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return false;
  args.splice(i, 1);
  return true;
};
const value = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [, v] = args.splice(i, 2);
  return v;
};
const mode = flag('--stream') ? 'stream' : (value('--mode') ?? 'auto');
const findDuplicates = flag('--find-duplicates');
const cold = flag('--cold');
const file = args[0];
if (!file || args.length > 1 || !['table', 'stream', 'auto'].includes(mode)) {
  console.error('usage: node bench/wasm_ingest.mjs FILE [--stream | --mode table|stream|auto] [--find-duplicates] [--cold]');
  process.exit(2);
}

const tLoad = performance.now();
const wasm = await loadWasm();
if (!cold) warmUp(wasm);
const startup = (performance.now() - tLoad) / 1000;
// V8 compiles the warmed-up functions in the background: a person drops a file seconds after the
// page opened, by when that is done; half a second stands in for it.
if (!cold) await new Promise((resolve) => setTimeout(resolve, 500));
const heapBefore = wasm.HEAP8.length;
const t0 = performance.now();
const size = fs.statSync(file).size;
let r = wasm.ingestBegin({ fileName: path.basename(file), size, mode, findDuplicates });
if (!r.ok) throw new Error(r.error.message);
const fd = fs.openSync(file, 'r');
const chunk = Buffer.allocUnsafe(1 << 20); // ingestChunk copies the bytes in: the buffer is free again
for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0;) {
  r = wasm.ingestChunk(chunk.subarray(0, n));
  if (!r.ok) throw new Error(r.error.message);
}
fs.closeSync(fd);
const res = wasm.ingestFinish();
if (!res.ok) throw new Error(res.error.message);
const seconds = (performance.now() - t0) / 1000;
const sum = (a) => a.reduce((x, y) => x + y, 0);
console.log(
  JSON.stringify({
    seconds,
    startup_seconds: startup,
    warmed_up: !cold,
    mode: res.summary.readMode ?? 'table',
    wasm_heap_mb: wasm.HEAP8.length / 2 ** 20,
    wasm_heap_start_mb: heapBefore / 2 ** 20,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
    rows: res.summary.rowsRead,
    customers: res.summary.customers,
    sum_recency: sum(res.recency),
    sum_frequency: sum(res.frequency),
    sum_monetary: sum(res.monetary),
  }),
);
