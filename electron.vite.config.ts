import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { build as rolldown, type ChunkingContext } from 'rolldown';

/** `@shared/…` is the contract in src/shared, the same for every bundle (see tsconfig.base.json). */
const resolveShared = { alias: { '@shared': resolve(__dirname, 'src/shared') } };

/** Static imports of `roots`, transitively: what loading them runs. */
function staticImports(roots: string[], ctx: ChunkingContext): Set<string> {
  const found = new Set<string>();
  const pending = roots.map((file) => resolve(__dirname, file));
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (found.has(next)) continue;
    found.add(next);
    pending.push(...(ctx.getModuleInfo(next)?.importedIds ?? []));
  }
  return found;
}

/**
 * zod's JSON Schema conversion: zod's index imports it, so it is in a trace's static imports, but only
 * classic zod (the other commands' chunks) calls it. Left out of the trace chunk, it is 17 kB less
 * that every trace reads and deserializes.
 */
const TRACE_NEVER_RUNS = /zod\/v4\/core\/(to-json-schema|json-schema-processors)\.js$/;

/**
 * Names the chunk `trace`: every module a trace imports statically beyond the command line
 * (so not --record's history store, nor the AS/country lookups, which it imports when asked).
 */
function traceChunkNamer(): (id: string, ctx: ChunkingContext) => string | null {
  let traceModules: Set<string> | undefined;
  return (id, ctx) => {
    if (!traceModules) {
      const commandLine = staticImports(['src/cli/index.ts'], ctx);
      const trace = staticImports(['src/cli/traceRequest.ts', 'src/cli/runTrace.ts'], ctx);
      traceModules = new Set([...trace].filter((m) => !commandLine.has(m)));
    }
    return traceModules.has(id) && !TRACE_NEVER_RUNS.test(id) ? 'trace' : null;
  };
}

/**
 * The `hopscope` CLI gets its own build, after the main one: CommonJS with
 * its dependencies inlined and minified, since resolving and compiling
 * commander, zod and ipaddr.js from node_modules file by file was most of its
 * start-up. The entry, hopscope.cjs, is the command line (commander and the
 * flags), so `--version` and `--help` compile nothing else. Each command's
 * dynamic import() is a chunk required when the command runs: trace.cjs holds
 * all a trace loads up front, in one file to read; the other commands load it
 * too (it has the engine, the schemas and the writers) beside their own
 * chunk; DuckDB's history store and the AS/country lookups are chunks loaded
 * only by the commands and flags that use them. bin/hopscope loads every file
 * with a V8 code cache, which this build warms up.
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
        // The trace chunk leaves out what the entry holds (see below); the entry exports nothing of its own.
        preserveEntrySignatures: 'allow-extension',
        output: {
          dir: outDir,
          format: 'cjs',
          minify: true,
          // ASCII only (other characters escaped): V8 then keeps the source as a one-byte string, half the
          // memory of the two-byte string a single non-ASCII character forces on all 190 kB.
          charset: 'ascii',
          entryFileNames: '[name].cjs',
          chunkFileNames: '[name].cjs',
          // A Node builtin imported when first needed (node:dns) becomes a require(): bin/hopscope
          // compiles each file as a vm.Script, which has no dynamic import() callback.
          dynamicImportInCjs: false,
          // What a trace loads up front, in one file; its dependencies that the command line
          // holds stay in the entry.
          codeSplitting: {
            groups: [{ name: traceChunkNamer(), debugName: 'trace', includeDependenciesRecursively: false }],
          },
        },
        logLevel: 'warn',
      });
      // bin/hopscope saves the caches as it exits, with the code of every function that ran: a
      // one-round trace of loopback (where mtr-packet cannot run, it stops at that error), and a
      // report that stops at its window ("--from must be before --to") before it opens a file.
      const warmUp = { stdio: 'ignore', timeout: 20_000 } as const;
      spawnSync(process.execPath, [hopscope, '127.0.0.1', '-c', '1', '-n', '--json'], warmUp);
      spawnSync(process.execPath, [hopscope, 'report', '--from', '2', '--to', '1', 'x'], warmUp);
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
