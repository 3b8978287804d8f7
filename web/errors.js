// @ts-check
/** What the page tells apart in an error (from the worker, a fetch, the page itself). */

/** @param {unknown} err */
export const errorName = (err) => (err instanceof Error || err instanceof DOMException ? err.name : '');

/** @param {unknown} err */
export const errorMessage = (err) => (err instanceof Error || err instanceof DOMException ? err.message : String(err));

/** Errors already reported elsewhere (cancel: by the cancel; crash: by onCrash). @param {unknown} err */
export const isQuiet = (err) => errorName(err) === 'AbortError' || errorName(err) === 'WorkerCrashError';
