import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { build as rolldown } from 'rolldown';

/** `@shared/…` is the contract in src/shared, the same for every bundle (see tsconfig.base.json). */
const resolveShared = { alias: { '@shared': resolve(__dirname, 'src/shared') } };

/**
 * The `hopscope` CLI gets its own build, after the main one: CommonJS with
 * its dependencies inlined and minified, since resolving and compiling
 * commander, zod and ipaddr.js from node_modules file by file was most of its
 * start-up. The entry, hopscope.cjs, holds commander and the command line
 * only; each command's dynamic import() is a chunk (with chunks for the parts
 * commands share) required when that command runs, so `--version` and
 * `--help` compile a small file and a trace never compiles the agent, the
 * history store or the AS/country lookups. bin/hopscope loads every file with
 * a V8 code cache, which this build warms up with runs that load the trace
 * and report modules and fail before they probe or open a file.
 */
function cliBundle(): Plugin {
  const outDir = resolve(__dirname, 'out/cli');
  const hopscope = resolve(__dirname, 'bin/hopscope');
  return {
    name: 'hopscope-cli-bundle',
    apply: 'build',
    async closeBundle() {
      // Rolldown (Vite's own bundler) drops the parts of zod never used (its
      // locales among them), which esbuild keeps.
      rmSync(outDir, { recursive: true, force: true }); // the chunks and their code caches
      await rolldown({
        input: { hopscope: resolve(__dirname, 'src/cli/index.ts') },
        platform: 'node',
        resolve: { alias: { '@shared': resolve(__dirname, 'src/shared') } },
        // Native addons (DuckDB, for `--record` and `report`) and the AS/country data packages are
        // loaded from node_modules at run time, only by the chunks of the commands that use them.
        external: [/^@duckdb\//, /^@ip-location-db\//],
        output: {
          dir: outDir,
          format: 'cjs',
          minify: true,
          entryFileNames: '[name].cjs',
          chunkFileNames: '[name].cjs',
        },
        logLevel: 'warn',
      });
      // Both exit 2 ("-c/--count: …", "--from must be …"); bin/hopscope saves the caches as it exits.
      spawnSync(process.execPath, [hopscope, '127.0.0.1', '-c', '0'], { stdio: 'ignore' });
      spawnSync(process.execPath, [hopscope, 'report', '--from', '2', '--to', '1', 'x'], { stdio: 'ignore' });
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
