// @ts-check
/**
 * The export step's first settings, apart from the code that uses them: the page state starts
 * with them (web/state.js), and the page's start should not evaluate the export modules.
 */

/** The columns of the target list ticked at first. */
export const DEFAULT_TARGET_COLUMNS = ['customer_id', 'segment', 'rfm_cell', 'recency', 'frequency', 'monetary', 'country', 'email', 'phone'];

/** The smallest segment the report shows by default. */
export const DEFAULT_SUPPRESSION_THRESHOLD = 10;
