// The core's schema from the wasm module, set for the page's pure modules (their defaults and
// choices come from it, as in the page after the worker's first answer). Import it before them.
import { setSchema } from '../../../web/model/schema.js';
import { loadWasm } from './wasm-node.js';

const wasm = await loadWasm();
const { ok, error, ...schema } = wasm.schema();
if (!ok) throw new Error(error.message);
setSchema(/** @type {any} */ (schema));
export { schema };
