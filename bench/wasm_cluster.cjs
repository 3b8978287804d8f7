// Runs build/wasm/ll_cluster_bench_wasm.cjs in Node, handing it the .wasm bytes (Node 20's fetch
// cannot read a file path). Arguments pass through: node bench/wasm_cluster.cjs --n 5000 …
// LL_WASM_DIR (optional) names another build tree than build/wasm.
const fs = require('node:fs');
const path = require('node:path');
const dir = process.env.LL_WASM_DIR ? path.resolve(process.env.LL_WASM_DIR) : path.join(__dirname, '..', 'build', 'wasm');
const create = require(path.join(dir, 'll_cluster_bench_wasm.cjs'));
create({ wasmBinary: fs.readFileSync(path.join(dir, 'll_cluster_bench_wasm.wasm')), arguments: process.argv.slice(2) });
