// @ts-check
/**
 * The core's schema of every parameter (cpp/core/schema.h), as the analysis worker's wasm module
 * gives it once at start: each parameter's default, allowed values and range. The page's forms
 * and requests take their defaults and choices from here; the page writes down no default of its
 * own. Pure; Node tests set it from the wasm module (tests/js/support/schema.js).
 */

/**
 * @typedef {'bool' | 'int' | 'number' | 'enum' | 'date' | 'text' | 'list' | 'roles' | 'thresholds' | 'rules'} ParamKind
 * @typedef {{group: string, key: string, flag: string | null, kind: ParamKind, default: any,
 *            choices?: string[], min?: number, max?: number | null, openMin?: boolean, help: string,
 *            switch?: boolean, suggested?: number}} Param
 * @typedef {{params: Param[], roles: {key: string, name: string}[], features: string[],
 *            presets: Record<string, import('../api/protocol.js').SegmentRule[]>,
 *            restarts: {kmeans: number, kmedoids: number, gmm: number},
 *            limits: {pairwiseLinkageRows: number, silhouetteExactRows: number, projectBytes: number}}} Schema
 */

/** @type {Schema | null} */
let current = null;
/** @type {((s: Schema) => void)[]} */
let waiting = [];

/** @param {Schema} schema */
export function setSchema(schema) {
  current = schema;
  for (const resolve of waiting) resolve(schema);
  waiting = [];
}

/** @returns {Schema} */
export function getSchema() {
  if (!current) throw new Error('The settings schema has not arrived from the analysis module yet.');
  return current;
}

export const hasSchema = () => current !== null;

/** Resolves once the schema is set. @returns {Promise<Schema>} */
export function schemaLoaded() {
  return current ? Promise.resolve(current) : new Promise((resolve) => waiting.push(resolve));
}

/**
 * @param {string} group
 * @param {string} key
 * @returns {Param}
 */
export function param(group, key) {
  const p = getSchema().params.find((x) => x.group === group && x.key === key);
  if (!p) throw new Error(`The schema has no setting ${group}.${key}.`);
  return p;
}

/**
 * A setting's default (a copy: lists and objects can be changed freely).
 * @param {string} group
 * @param {string} key
 */
export const defaultOf = (group, key) => structuredClone(param(group, key).default);

/**
 * Every default of a group, as {key: default}.
 * @param {string} group
 * @returns {Record<string, any>}
 */
export function defaultsOf(group) {
  return Object.fromEntries(
    getSchema()
      .params.filter((p) => p.group === group)
      .map((p) => [p.key, structuredClone(p.default)]),
  );
}

/**
 * The allowed values of an enum (or a list's items).
 * @param {string} group
 * @param {string} key
 * @returns {string[]}
 */
export const choicesOf = (group, key) => [...(param(group, key).choices ?? [])];

/** The core's presets of named RFM segments. @param {string} preset */
export const presetRulesOf = (preset) => structuredClone(getSchema().presets[preset] ?? []);
