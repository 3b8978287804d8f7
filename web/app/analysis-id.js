// @ts-check
/**
 * The identity of an analysis (a file read with some options and cleaned with some rules): every
 * successful read or rule change is a new analysis with a new id, and every result computed
 * from it records that id (web/app/store.js). A result belongs to the data on screen because it
 * carries the id of the analysis on screen, not because it has as many entries as there are
 * customers.
 *
 * The one place the page makes ids. The worker's analysis result may carry its own
 * (`analysisId`, once the core gives one): then that one is used.
 */

let last = 0;

/**
 * The id of a new analysis: the result's own `analysisId` when it has one, else the next of the
 * page's counter. Never 0 (0 means "no analysis").
 * @param {{analysisId?: unknown}} result  a loadFile / readFile / applyRules result
 * @returns {number}
 */
export function analysisIdOf(result) {
  const given = result?.analysisId;
  if (typeof given === 'number' && Number.isFinite(given) && given !== 0) {
    last = Math.max(last, given);
    return given;
  }
  return ++last;
}
