// @ts-check
/**
 * ESLint (flat config) for the page (web/), its workers, the tests, scripts and benchmarks.
 * `npm run lint` (scripts/lint.sh) runs it; formatting is Prettier's (.prettierrc.json), not ESLint's.
 */
import js from '@eslint/js';
import globals from 'globals';

export default [
  {
    // Build output, Emscripten's module, dependencies and screenshots.
    ignores: ['dist/**', 'build/**', 'node_modules/**', 'web/generated/**', 'tests/e2e/screenshots/**', 'bench/data/**'],
  },
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name`: a parameter or binding kept for its position or documentation.
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': ['error', { destructuring: 'all' }],
      'no-implicit-coercion': ['error', { allow: ['!!', '+'] }],
      'no-shadow-restricted-names': 'error',
      'no-throw-literal': 'error',
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'error',
      'no-unreachable-loop': 'error',
      'no-constructor-return': 'error',
      'no-new-wrappers': 'error',
      'no-useless-rename': 'error',
      'object-shorthand': ['error', 'properties'],
    },
  },
  {
    // The page.
    files: ['web/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The analysis worker and the sweep workers.
    files: ['web/worker/**/*.js'],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    // Node: tests, scripts, benchmarks, the Vite config. The Chromium tests and benchmarks also
    // hand functions to the page (page.evaluate), which run with the browser's globals.
    files: ['tests/**/*.{js,mjs,cjs}', 'scripts/**/*.{js,mjs,cjs}', 'bench/**/*.{js,mjs,cjs}', '*.config.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['tests/e2e/**/*.mjs', 'bench/chromium*.mjs', 'bench/longtasks.mjs', 'bench/peers/duckdb_wasm_rfm.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
];
