// @ts-check
/**
 * A sweep worker (web/api/sweep-pool.js): its own wasm instance, no file; it holds the prepared
 * points the analysis worker handed out and runs the ks of a sweep it is given on them.
 */
import { createPointsHandlers } from './points.js';
import { serve } from './serve.js';
import { loadWasm } from './wasm.js';

serve(loadWasm().then((module) => createPointsHandlers(module)));
