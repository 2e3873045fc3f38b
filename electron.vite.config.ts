import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { build as rolldown } from 'rolldown';

/** `@shared/…` is the contract in src/shared, the same for every bundle (see tsconfig.base.json). */
const resolveShared = { alias: { '@shared': resolve(__dirname, 'src/shared') } };

/**
 * The `hopscope` CLI gets its own build, after the main one: one CommonJS
 * file with its dependencies inlined and minified, since resolving and
 * compiling commander, zod and ipaddr.js from node_modules file by file was
 * most of its start-up. Each command's dynamic import() becomes a lazily run
 * module inside the file, so `--version` and `--help` run only commander.
 * bin/hopscope loads it with a V8 code cache, which this build warms up with
 * a run that loads every trace module and fails validation before it probes.
 */
function cliBundle(): Plugin {
  const outfile = resolve(__dirname, 'out/cli/hopscope.cjs');
  return {
    name: 'hopscope-cli-bundle',
    apply: 'build',
    async closeBundle() {
      // Rolldown (Vite's own bundler) drops the parts of zod never used (its
      // locales among them), which esbuild keeps: 221 kB against 590 kB.
      rmSync(dirname(outfile), { recursive: true, force: true }); // the bundle and its code caches
      await rolldown({
        input: resolve(__dirname, 'src/cli/index.ts'),
        platform: 'node',
        resolve: { alias: { '@shared': resolve(__dirname, 'src/shared') } },
        // Native addons (DuckDB, for `--record` and `report`) and the AS/country data packages are
        // loaded from node_modules at run time, only by the commands that use them.
        external: [/^@duckdb\//, /^@ip-location-db\//],
        output: { file: outfile, format: 'cjs', minify: true, codeSplitting: false },
        logLevel: 'warn',
      });
      // Exits 2 ("-c/--count: …"); bin/hopscope saves the cache as it exits.
      spawnSync(process.execPath, [resolve(__dirname, 'bin/hopscope'), '127.0.0.1', '-c', '0'], { stdio: 'ignore' });
    },
  };
}

// Main-side bundles: the Electron main process and the browser harness (which
// never imports electron, so it runs on plain Node); then the CLI (above).
export default defineConfig({
  main: {
    resolve: resolveShared,
    plugins: [cliBundle()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          harness: resolve(__dirname, 'src/harness/index.ts'),
        },
      },
    },
  },
  preload: {
    resolve: resolveShared,
    build: {
      // A sandboxed preload must be a single CommonJS file with no node_modules imports.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: resolveShared,
    plugins: [react()],
    build: {
      // electron-vite leaves the renderer unminified; minified, its JavaScript is about a third.
      minify: true,
      // Chromium preloads modules natively: no polyfill in the first screen's JavaScript.
      modulePreload: { polyfill: false },
      rolldownOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
