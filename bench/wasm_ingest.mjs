// Ingest (read + clean + features) with the wasm module in Node, streaming the file in 1 MiB
// chunks as the page does with File.stream(). Prints one JSON line.
//   node bench/wasm_ingest.mjs FILE
import fs from 'node:fs';
import path from 'node:path';
import { loadWasm } from '../tests/js/support/wasm-node.js';

const file = process.argv[2];
const wasm = await loadWasm();
const heapBefore = wasm.HEAP8.length;
const t0 = performance.now();
const size = fs.statSync(file).size;
let r = wasm.ingestBegin({ fileName: path.basename(file), size });
for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
  r = wasm.ingestChunk(chunk);
  if (!r.ok) throw new Error(r.error.message);
}
const res = wasm.ingestFinish();
if (!res.ok) throw new Error(res.error.message);
const seconds = (performance.now() - t0) / 1000;
const sum = (a) => a.reduce((x, y) => x + y, 0);
console.log(JSON.stringify({
  seconds,
  wasm_heap_mb: wasm.HEAP8.length / 2 ** 20,
  wasm_heap_start_mb: heapBefore / 2 ** 20,
  max_rss_mb: process.resourceUsage().maxRSS / 1024,
  customers: res.summary.customers,
  sum_recency: sum(res.recency),
  sum_frequency: sum(res.frequency),
  sum_monetary: sum(res.monetary),
}));
