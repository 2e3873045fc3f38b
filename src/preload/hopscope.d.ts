import type { HopscopeApi } from '@shared/ipc';

declare global {
  interface Window {
    /**
     * Set by the Electron preload. Absent in the browser harness, so page
     * code goes through `getHopscopeApi()` instead of reading it directly.
     */
    readonly hopscope?: HopscopeApi;
  }
}

export {};
