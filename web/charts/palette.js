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

/**
 * Named RFM segments get their own palette, so they never look like a K-Means segment:
 * Paul Tol's "muted" scheme (colour-blind safe, 9 colours); rules 10 and up repeat it with a
 * hatch pattern (treemap decal), and "Others" is a neutral grey.
 */
const TOL_MUTED = ['#332288', '#88CCEE', '#44AA99', '#117733', '#999933', '#DDCC77', '#CC6677', '#882255', '#AA4499'];
/** @type {Record<Theme, string>} */
const OTHERS_GREY = { light: '#BBBBBB', dark: '#5A626D' };

/**
 * @param {number} index  rule index; `nRules` (past the last rule) is "Others"
 * @param {number} nRules
 * @param {Theme} theme
 */
export function rfmSegmentColor(index, nRules, theme) {
  if (index >= nRules) return OTHERS_GREY[theme];
  return TOL_MUTED[index % TOL_MUTED.length];
}

/** Whether the colour of this rule repeats an earlier one (then it is drawn hatched). @param {number} index */
export const rfmSegmentHatched = (index) => index >= TOL_MUTED.length;

/**
 * Sequential single-hue ramps for heatmaps (light → strong); readable with every colour-vision
 * deficiency because only lightness changes. In the dark theme the ramp starts near the surface.
 * @type {Record<Theme, string[]>}
 */
export const SEQUENTIAL = {
  light: ['#f2f6fb', '#c6dbef', '#6baed6', '#2171b5', '#08306b'],
  dark: ['#1b2430', '#1f4870', '#2f78b5', '#6baed6', '#c6dbef'],
};

/**
 * Text colour that stays readable on a colour (WCAG relative luminance).
 * @param {string} hex  #rrggbb
 * @returns {'#ffffff' | '#111111'}
 */
export function textOn(hex) {
  const n = Number.parseInt(hex.slice(1), 16);
  /** @param {number} c 0..255 */
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
  // Contrast with white (1.05 / (l + .05)) against with near-black ((l + .05) / .0555).
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0555 ? '#ffffff' : '#111111';
}

/**
 * The colour of a share 0..1 on the sequential ramp (linear interpolation between its stops).
 * @param {number} t
 * @param {Theme} theme
 * @returns {string} #rrggbb
 */
export function sequentialColor(t, theme) {
  const stops = SEQUENTIAL[theme];
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  /** @param {string} hex */
  const rgb = (hex) => [1, 3, 5].map((o) => Number.parseInt(hex.slice(o, o + 2), 16));
  const a = rgb(stops[i]);
  const b = rgb(stops[i + 1]);
  return `#${a
    .map((v, k) =>
      Math.round(v + (b[k] - v) * f)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/**
 * Diverging ramp for values around 0 (relative importance): blue below, orange above (the
 * colour-blind-safe PuOr family), a neutral near the surface at 0.
 * @type {Record<Theme, {negative: string, zero: string, positive: string}>}
 */
export const DIVERGING = {
  light: { negative: '#2166ac', zero: '#f4f4f4', positive: '#b35806' },
  dark: { negative: '#6baed6', zero: '#232a33', positive: '#fdb863' },
};

/**
 * The colour of a value −1..1 on the diverging ramp (clamped; 0 is the neutral).
 * @param {number} t
 * @param {Theme} theme
 * @returns {string} #rrggbb
 */
export function divergingColor(t, theme) {
  const ramp = DIVERGING[theme];
  const x = Math.min(1, Math.max(-1, Number.isFinite(t) ? t : 0));
  /** @param {string} hex */
  const rgb = (hex) => [1, 3, 5].map((o) => Number.parseInt(hex.slice(o, o + 2), 16));
  const a = rgb(ramp.zero);
  const b = rgb(x < 0 ? ramp.negative : ramp.positive);
  const f = Math.abs(x);
  return `#${a
    .map((v, k) =>
      Math.round(v + (b[k] - v) * f)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}
