// @ts-check
/**
 * The core's schema, asked once from the analysis worker (web/model/schema.js keeps it). The page
 * starts without it; the forms' defaults join the state when it arrives, and a file's read waits
 * for it (the worker answers it right after its warm-up, before any file).
 */
import { hasSchema, setSchema } from '../model/schema.js';
import { schemaDefaults } from '../state.js';

/**
 * @param {import('./store.js').Store} store
 * @param {import('../api/client.js').AnalysisClient} client
 */
export function createSchemaLoader(store, client) {
  /** @type {Promise<void> | null} */
  let asked = null;
  return function ensureSchema() {
    if (hasSchema()) return Promise.resolve();
    asked ??= client.schema().then(
      (schema) => {
        setSchema(schema);
        // The forms take the core's defaults unless a file was opened with others meanwhile.
        if (store.get().rules === null) store.set(schemaDefaults());
      },
      (err) => {
        asked = null; // ask again next time (the worker may have been replaced)
        throw err;
      },
    );
    return asked;
  };
}
