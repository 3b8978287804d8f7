// @ts-check
/**
 * The analysis worker: holds the file, the wasm's transaction table and the current customers,
 * and answers every request of docs/protocol.md §2 (web/worker/serve.js is the shell).
 */
import { createHandlers } from './handlers.js';
import { serve } from './serve.js';
import { loadWasm } from './wasm.js';
import { warmUp } from './warmup.js';

// Requests wait for the warm-up (web/worker/warmup.js): the first file is then read at full speed.
serve(
  loadWasm().then((module) => {
    warmUp(module);
    return createHandlers(module);
  }),
);
