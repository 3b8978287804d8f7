// @ts-check
/**
 * Vite config for LoyaltyLens: a static page (web/) with a module worker and a wasm asset.
 * `base: './'` keeps every URL relative, so dist/ works from any static host and under a sub-path.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: './',
  publicDir: '../public',
  worker: { format: 'es' },
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // ECharts (scatter, line, bar, heatmap, treemap, custom; grid, legend, tooltip, title, mark
    // lines) is one ~650 kB chunk, loaded only once a file is read.
    chunkSizeWarningLimit: 700,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
