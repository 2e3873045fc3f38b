/**
 * The one way the renderer reaches the engine: the Electron preload's
 * `window.hopscope`, or else a WebSocket client of the browser harness.
 * Both implement the same HopscopeApi.
 */
import './zodConfig';
import type { HopscopeApi } from '@shared/ipc';
import { createHarnessApi } from './harnessClient';

declare global {
  interface Window {
    /** Harness only: the API object, for end-to-end tests to drive. */
    __hopscopeApi?: HopscopeApi;
  }
}

let instance: HopscopeApi | null = null;

export function getHopscopeApi(): HopscopeApi {
  if (instance) return instance;
  if (window.hopscope) {
    instance = window.hopscope;
  } else {
    instance = createHarnessApi();
    window.__hopscopeApi = instance;
  }
  return instance;
}

export { createHarnessApi } from './harnessClient';
export type { HarnessClientOptions } from './harnessClient';
