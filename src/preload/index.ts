/**
 * The sandboxed preload: exposes one object, `window.hopscope`, with a
 * purpose-built function per contract channel. The page never gets
 * ipcRenderer, a generic send/invoke, the raw IPC event or process.env.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { EventName, HopscopeApi } from '@shared/ipc';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '@shared/channels';

function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(EVENT_CHANNELS, name);
}

function buildApi(): HopscopeApi {
  const api: Record<string, unknown> = {};
  for (const [name, channel] of Object.entries(INVOKE_CHANNELS)) {
    // Arguments go through as given; main rejects anything but the one the contract expects.
    api[name] = (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
  }
  // The page hands over the dropped File, never a path: the path is read here (a web page is not to know it)
  // and main opens it only if it is a session file. getPathForFile throws for what is not a File and gives
  // '' for a File not backed by a file on disk: both send an empty path, which main refuses.
  api.openDroppedSessionFile = (file: unknown) => {
    let path = '';
    try {
      path = webUtils.getPathForFile(file as File);
    } catch {
      // Not a File.
    }
    return ipcRenderer.invoke(INVOKE_CHANNELS.openDroppedSessionFile, { path });
  };
  api.on = (event: unknown, listener: unknown): (() => void) => {
    if (!isEventName(event)) throw new TypeError(`unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const channel = EVENT_CHANNELS[event];
    // Only the payload crosses: the IpcRendererEvent would hand the page `sender`.
    const forward = (_event: IpcRendererEvent, payload: unknown) => (listener as (payload: unknown) => void)(payload);
    ipcRenderer.on(channel, forward);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipcRenderer.removeListener(channel, forward);
    };
  };
  api.platform = process.platform;
  api.transport = 'electron';
  return api as HopscopeApi;
}

contextBridge.exposeInMainWorld('hopscope', buildApi());
