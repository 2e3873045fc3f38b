import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/** `@shared/…` is the contract in src/shared, the same for every bundle (see tsconfig.base.json). */
const resolveShared = { alias: { '@shared': resolve(__dirname, 'src/shared') } };

// Main-side bundles: the Electron main process, the `hopscope` CLI and the
// browser harness. The last two never import electron, so they run on plain Node.
export default defineConfig({
  main: {
    resolve: resolveShared,
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/cli/index.ts'),
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
      rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
