// Runs build/wasm/ll_cluster_bench_wasm.cjs in Node, handing it the .wasm bytes (Node 20's fetch
// cannot read a file path). Arguments pass through: node bench/wasm_cluster.cjs --n 5000 …
// LL_WASM_DIR (optional) names another build tree than build/wasm.
//
// V8 first runs wasm on its baseline compiler (Liftoff) and re-compiles hot functions with
// TurboFan in the background; the new code serves the calls after it is ready. The timer's one
// warm-up run was too short for that: at 5,000 points the timed K-Means runs were still on
// baseline code while the background compile took one of the 2 cores (0.03–0.05 s against
// 0.006 s once optimised). Without Liftoff every function is compiled by TurboFan at its first
// call, inside the untimed warm-up, so the timed runs measure the optimised code the page reaches.
require('node:v8').setFlagsFromString('--no-liftoff');
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.LL_WASM_DIR ? path.resolve(process.env.LL_WASM_DIR) : path.join(__dirname, '..', 'build', 'wasm');
const create = require(path.join(dir, 'll_cluster_bench_wasm.cjs'));
create({ wasmBinary: fs.readFileSync(path.join(dir, 'll_cluster_bench_wasm.wasm')), arguments: process.argv.slice(2) });
