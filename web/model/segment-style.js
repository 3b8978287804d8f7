// @ts-check
/**
 * The name and colour of each segment, as every chart, table and export shows them. By default the
 * core's automatic name (`profiles[].name`, e.g. "Insiders") and the colour-blind-safe palette
 * (charts/palette.js); the user may rename a segment or pick its colour. Edits are kept by the
 * core's automatic name, so "Insiders" renamed "VIP" stays "VIP" when k or the algorithm changes
 * and the Insiders segment comes back. Changing them re-runs nothing in the worker. Pure, no DOM.
 */
import { segmentColor, segmentShape } from '../charts/palette.js';

/**
 * @typedef {import('../charts/palette.js').Theme} Theme
 * @typedef {{names: Record<string, string>, colors: Record<string, string>}} SegmentOverrides
 *   keyed by the core's automatic name
 * @typedef {{segment: number, name: string, autoName: string, color: string, shape: 'circle' | 'diamond',
 *            customColor: boolean, customName: boolean}} SegmentStyle
 */

/** Longest segment name kept (a name is a label, not a note). */
export const MAX_NAME_LENGTH = 40;

/** @returns {SegmentOverrides} */
export const noOverrides = () => ({ names: {}, colors: {} });

/** What cleanName takes out of a name (a constant: Prettier may fold the call over lines). */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/**
 * A name as typed, made safe to use as a label: control characters out, spaces collapsed, trimmed,
 * at most MAX_NAME_LENGTH characters. '' when nothing is left (the automatic name then applies).
 * @param {string} text
 */
export function cleanName(text) {
  return text.replace(CONTROL_CHARACTERS, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

/** @param {string} text  whether it is a #rrggbb colour */
export const isHexColor = (text) => /^#[0-9a-f]{6}$/i.test(text);

/**
 * Styles of the segments of a clustering, in segment order.
 * @param {{name: string}[]} profiles  the core's profiles (segment i = profiles[i])
 * @param {SegmentOverrides} overrides
 * @param {Theme} theme
 * @returns {SegmentStyle[]}
 */
export function segmentStyles(profiles, overrides, theme) {
  return profiles.map((p, segment) => {
    const autoName = p.name || `Segment ${segment + 1}`;
    const name = overrides.names[autoName];
    const color = overrides.colors[autoName];
    const customColor = !!color && isHexColor(color);
    return {
      segment,
      autoName,
      name: name || autoName,
      customName: !!name,
      color: customColor ? color : segmentColor(segment, theme),
      customColor,
      shape: segmentShape(segment),
    };
  });
}

/**
 * Styles for a plain numbered segmentation (no profiles): "Segment 1" … in palette colours.
 * @param {number} k
 * @param {Theme} theme
 * @returns {SegmentStyle[]}
 */
export function numberedStyles(k, theme) {
  return Array.from({ length: k }, (_, segment) => ({
    segment,
    autoName: `Segment ${segment + 1}`,
    name: `Segment ${segment + 1}`,
    customName: false,
    color: segmentColor(segment, theme),
    customColor: false,
    shape: segmentShape(segment),
  }));
}

/**
 * Overrides after renaming one segment ('' or the automatic name removes the override).
 * @param {SegmentOverrides} overrides
 * @param {string} autoName
 * @param {string} typed
 * @returns {SegmentOverrides}
 */
export function withName(overrides, autoName, typed) {
  const name = cleanName(typed);
  const names = { ...overrides.names };
  if (!name || name === autoName) delete names[autoName];
  else names[autoName] = name;
  return { ...overrides, names };
}

/**
 * Overrides after choosing a colour for one segment (null removes the override).
 * @param {SegmentOverrides} overrides
 * @param {string} autoName
 * @param {string | null} color  #rrggbb
 * @returns {SegmentOverrides}
 */
export function withColor(overrides, autoName, color) {
  const colors = { ...overrides.colors };
  if (color === null || !isHexColor(color)) delete colors[autoName];
  else colors[autoName] = color.toLowerCase();
  return { ...overrides, colors };
}

/**
 * Names that appear more than once (the panel warns: exports would mix two segments under one name).
 * @param {SegmentStyle[]} styles
 * @returns {Set<string>}
 */
export function duplicateNames(styles) {
  const seen = new Set();
  const twice = new Set();
  for (const s of styles) {
    const key = s.name.toLocaleLowerCase();
    if (seen.has(key)) twice.add(key);
    seen.add(key);
  }
  return twice;
}
