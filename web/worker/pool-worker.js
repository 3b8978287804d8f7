// @ts-check
/**
 * A sweep worker (web/api/sweep-pool.js): its own wasm instance, no file; it holds the prepared
 * points the analysis worker handed out and runs the ks of a sweep it is given on them.
 */
import { createPointsHandlers } from './points.js';
import { serve } from './serve.js';
import { loadWasm } from './wasm.js';
import { warmUpSweep } from './warmup.js';

// Requests wait for the warm-up (web/worker/warmup.js), so no k of the first sweep runs in V8's baseline code.
serve(
  loadWasm().then((module) => {
    warmUpSweep(module);
    return createPointsHandlers(module);
  }),
);
