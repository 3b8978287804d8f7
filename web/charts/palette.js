// @ts-check
/**
 * One colour per segment, the same in the chart, the table chips and anything else.
 * Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision
 * deficiencies. Its black becomes a light grey in the dark theme. Eight colours exist; segments
 * 9 and 10 reuse colours 1 and 2 with a diamond marker, so colour is never the only cue.
 */

/** @typedef {'light' | 'dark'} Theme */

const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#F0E442'];
/** @type {Record<Theme, string>} */
const NEUTRAL = { light: '#000000', dark: '#D9D9D9' };

/**
 * @param {number} index  zero-based segment number
 * @param {Theme} theme
 * @returns {string}  CSS colour
 */
export function segmentColor(index, theme) {
  const i = index % (OKABE_ITO.length + 1);
  return i < OKABE_ITO.length ? OKABE_ITO[i] : NEUTRAL[theme];
}

/**
 * @param {number} index  zero-based segment number
 * @returns {'circle' | 'diamond'}
 */
export function segmentShape(index) {
  return index < OKABE_ITO.length + 1 ? 'circle' : 'diamond';
}
