// @ts-check
/**
 * Loads the Emscripten module in the browser (worker). The .wasm URL comes from Vite, so it is
 * right in dev, in dist/ and under any sub-path.
 */
import createModule from '../generated/loyaltylens.js';
import wasmUrl from '../generated/loyaltylens.wasm?url';

/**
 * @returns {Promise<import('./handlers.js').WasmModule>}
 */
export function loadWasm() {
  return createModule({ locateFile: () => wasmUrl });
}
