// Loads the Node build of the wasm module (web/generated/loyaltylens.node.cjs) for tests and the
// benchmark. Emscripten's loader would fetch() the .wasm by path, which Node 20 cannot; handing it
// the bytes avoids that.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * LL_WASM_DIR (optional) names another directory holding loyaltylens.node.{cjs,wasm}, e.g. a
 * second build tree to compare against.
 * @returns {Promise<any>} the instantiated module
 */
export async function loadWasm() {
  const dir = process.env.LL_WASM_DIR ? path.resolve(process.env.LL_WASM_DIR) : path.join(repoRoot, 'web', 'generated');
  const glue = path.join(dir, 'loyaltylens.node.cjs');
  if (!fs.existsSync(glue)) {
    throw new Error(`${path.relative(repoRoot, glue)} is missing: run "npm run build:wasm" first`);
  }
  const require = createRequire(import.meta.url);
  const create = require(glue);
  return create({ wasmBinary: fs.readFileSync(path.join(dir, 'loyaltylens.node.wasm')) });
}
