import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { build as esbuild } from 'esbuild';

/** `@shared/…` is the contract in src/shared, the same for every bundle (see tsconfig.base.json). */
const resolveShared = { alias: { '@shared': resolve(__dirname, 'src/shared') } };

/**
 * The `hopscope` CLI gets its own build, after the main one (which empties
 * out/main): its dependencies inlined and minified, since resolving and
 * compiling commander, zod and ipaddr.js from node_modules file by file was
 * most of its start-up. Split at each command's dynamic import(), so
 * `--version` and `--help` load only the entry and commander; bin/hopscope
 * runs out/main/cli.js. The `createRequire` banner lets bundled CommonJS
 * (commander) require Node's built-ins from an ES module.
 */
function cliBundle(): Plugin {
  return {
    name: 'hopscope-cli-bundle',
    apply: 'build',
    async closeBundle() {
      await esbuild({
        entryPoints: { cli: resolve(__dirname, 'src/cli/index.ts') },
        outdir: resolve(__dirname, 'out/main'),
        chunkNames: 'cli-chunks/[name]-[hash]',
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'node',
        target: 'node20',
        minify: true,
        alias: { '@shared': resolve(__dirname, 'src/shared') },
        banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
        logLevel: 'warning',
      });
    },
  };
}

// Main-side bundles: the Electron main process and the browser harness (which
// never imports electron, so it runs on plain Node), then the CLI (above).
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
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
