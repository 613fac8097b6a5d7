/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * For the simulation worker's bundle only: the registry of every program and every dissector is
 * swapped for the light programs and the core dissectors; the rest are lazy chunks the worker loads
 * for a scene that uses them (src/runner/on-demand.ts). Node and the page keep the full registries.
 */
function workerLoadsOnDemand(): Plugin {
  const src = (p: string) => fileURLToPath(new URL(`./src/${p}`, import.meta.url));
  const swaps = new Map([
    [src('apps/index.ts'), src('apps/light.ts')],
    [src('protocols/builtin.ts'), src('runner/worker-builtin.ts')],
  ]);
  return {
    name: 'packetarium-worker-loads-on-demand',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      const swap = resolved && swaps.get(resolved.id);
      return swap ? { id: swap } : null;
    },
  };
}

// `base: './'` makes the production build work from any sub-path of a static host.
// Three inputs: the app (index.html), the embed page (embed.html, see docs/embed.md) and the
// <packetarium-scene> web component script, emitted at a stable name beside embed.html so hosts can
// link it and it can find embed.html relative to its own URL. The manifest lets
// scripts/check-bundle.mjs measure the embed's initial, simulation and 3D chunks.
export default defineConfig({
  base: './',
  plugins: [react()],
  // The simulation worker (src/runner/sim-worker.ts) is a module worker, bundled on its own, with
  // lazy chunks of its own for what only some scenes need.
  worker: { format: 'es', plugins: () => [workerLoadsOnDemand()] },
  build: {
    target: 'es2022',
    manifest: true,
    // Every browser we support has <link rel=modulepreload>; the polyfill would cost every page.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { main: 'index.html', embed: 'embed.html', 'packetarium-embed': 'src/embed/element.ts' },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'packetarium-embed' ? '[name].js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/wire/**', 'test/e2e/**'],
          environment: 'node',
          // Some tests simulate whole scenes or lint many snippets; a busy 2-core machine needs headroom.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'wire',
          include: ['test/wire/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
    ],
  },
});
