/**
 * HopscopeApi over the browser harness's WebSocket. Same shape and same
 * results as the Electron preload, so the renderer cannot tell them apart;
 * only saving and opening differ, and those happen in the browser.
 */
import './zodConfig';
import {
  INVOKE_NAMES,
  isEventName,
  validateInvokeRequest,
  type EventName,
  type HopscopeApi,
  type InvokeName,
  type IpcError,
  type IpcResult,
} from '@shared/ipc';
import { MAX_TRACE_FILE_CHARS, TRACE_FILE_TOO_LARGE, traceFileTooLargeToRead } from '@shared/limits';
import { STORED_EXPORT_PATH, storedExportQuery } from '@shared/storedSessions';
import { traceFileText } from '@shared/traceDocument';
import { base64ToBytes, downloadBlob, downloadName, pickFile } from './browserFiles';
import { failedAnswer, harnessExportSessionFile, isSessionFile, uploadSessionFile } from './harnessSessionFiles';

const HARNESS_WS_PATH = '/ws';

export interface HarnessClientOptions {
  /** Default: ws(s)://<this page's host>/ws (the cookie set by the page load authenticates it). */
  url?: string;
  WebSocket?: typeof WebSocket;
  document?: Document;
  /** How a stored session's export is fetched (default: the page's fetch). */
  fetch?: typeof fetch;
}

type Listener = (payload: unknown) => void;

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${HARNESS_WS_PATH}`;
}

const tooManyArguments: IpcResult<never> = {
  ok: false,
  error: { code: 'invalid-request', message: 'too many arguments', field: '' },
};

function report(err: unknown): void {
  // A throwing listener must not stop the others; surface it like an uncaught error.
  if (typeof reportError === 'function') reportError(err);
  else
    setTimeout(() => {
      throw err;
    });
}

export function createHarnessApi(options: HarnessClientOptions = {}): HopscopeApi {
  const WS = options.WebSocket ?? WebSocket;
  const doc = options.document ?? document;
  const socketUrl = options.url ?? defaultUrl();
  const socket = new WS(socketUrl);
  // The harness serves HTTP where its socket is (ws → http, wss → https).
  const httpBase = socketUrl.replace(/^ws/, 'http');
  const fetchFn = options.fetch ?? ((input: URL, init?: RequestInit) => fetch(input, init));
  const pending = new Map<number, (result: IpcResult<unknown>) => void>();
  const listeners = new Map<EventName, Set<Listener>>();
  let nextId = 1;
  let platform = 'unknown';
  /** This page's connection, as the harness named it: a session file sent to be opened belongs to it. */
  let connection = '';
  let closed: IpcError | null = null;

  const opened = new Promise<void>((resolve) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('close', () => resolve());
  });

  socket.addEventListener('close', (event) => {
    closed = {
      code: 'failed',
      message: `connection to the harness closed (${event.code}${event.reason ? `: ${event.reason}` : ''}); reload the page`,
    };
    for (const settle of pending.values()) settle({ ok: false, error: closed });
    pending.clear();
  });

  socket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    let message: {
      t?: unknown;
      id?: unknown;
      result?: unknown;
      event?: unknown;
      payload?: unknown;
      platform?: unknown;
      connection?: unknown;
    };
    try {
      message = JSON.parse(event.data) as typeof message;
    } catch {
      return;
    }
    if (message.t === 'result' && typeof message.id === 'number') {
      const settle = pending.get(message.id);
      pending.delete(message.id);
      settle?.(message.result as IpcResult<unknown>);
    } else if (message.t === 'event' && isEventName(message.event)) {
      for (const listener of [...(listeners.get(message.event) ?? [])]) {
        try {
          listener(message.payload);
        } catch (err) {
          report(err);
        }
      }
    } else if (message.t === 'hello' && typeof message.platform === 'string') {
      platform = message.platform;
      if (typeof message.connection === 'string') connection = message.connection;
    }
  });

  async function call(name: InvokeName, args: unknown[]): Promise<IpcResult<unknown>> {
    if (args.length > 1) return tooManyArguments;
    await opened;
    if (socket.readyState !== WS.OPEN) {
      return { ok: false, error: closed ?? { code: 'failed', message: 'not connected to the harness' } };
    }
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      // No payload key at all for calls without an argument, as with IPC.
      socket.send(
        JSON.stringify(args.length === 0 ? { t: 'invoke', id, name } : { t: 'invoke', id, name, payload: args[0] }),
      );
    });
  }

  const api: Record<string, unknown> = {};
  for (const name of INVOKE_NAMES) api[name] = (...args: unknown[]) => call(name, args);

  // Saving is a download in the browser: nothing to wait for, but the contract promises a Promise.
  const saveTraceJson: HopscopeApi['saveTraceJson'] = (...args: unknown[]) => {
    if (args.length > 1) return Promise.resolve(tooManyArguments);
    const valid = validateInvokeRequest('saveTraceJson', args[0]);
    if (!valid.ok) return Promise.resolve(valid);
    const fileName = downloadName(valid.value.suggestedName, 'json');
    const text = traceFileText(valid.value.document);
    downloadBlob(new Blob([text], { type: 'application/json' }), fileName, doc);
    return Promise.resolve({ ok: true, value: { saved: true, path: fileName } });
  };

  // The harness builds a stored session's export and the browser saves it as a download: the page
  // holds it only as a Blob (outside the JS heap), never as a document of every sample.
  const exportStoredSession: HopscopeApi['exportStoredSession'] = async (...args: unknown[]) => {
    if (args.length > 1) return tooManyArguments;
    const valid = validateInvokeRequest('exportStoredSession', args[0]);
    if (!valid.ok) return valid;
    const address = new URL(STORED_EXPORT_PATH, httpBase);
    address.search = storedExportQuery(valid.value);
    let response: Response;
    try {
      response = await fetchFn(address, { credentials: 'same-origin' });
    } catch (err) {
      return { ok: false, error: { code: 'failed', message: `the harness did not answer: ${(err as Error).message}` } };
    }
    if (!response.ok) return failedAnswer(response);
    const fileName = downloadName(valid.value.suggestedName, 'json');
    downloadBlob(await response.blob(), fileName, doc);
    return { ok: true, value: { saved: true, path: fileName } };
  };

  const savePng: HopscopeApi['savePng'] = (...args: unknown[]) => {
    if (args.length > 1) return Promise.resolve(tooManyArguments);
    const valid = validateInvokeRequest('savePng', args[0]);
    if (!valid.ok) return Promise.resolve(valid);
    let bytes: Uint8Array<ArrayBuffer>;
    try {
      bytes = base64ToBytes(valid.value.pngBase64);
    } catch {
      return Promise.resolve({
        ok: false,
        error: { code: 'invalid-request', message: 'pngBase64: not base64', field: 'pngBase64' },
      });
    }
    const fileName = downloadName(valid.value.suggestedName, 'png');
    downloadBlob(new Blob([bytes], { type: 'image/png' }), fileName, doc);
    return Promise.resolve({ ok: true, value: { saved: true, path: fileName } });
  };

  const openTraceFile: HopscopeApi['openTraceFile'] = async (...args: unknown[]) => {
    if (args.length > 1) return tooManyArguments;
    const valid = validateInvokeRequest('openTraceFile', args[0]);
    if (!valid.ok) return valid;
    // Hopscope and mtr --json, mtr --csv / --xml / --raw, and Trippy files; Hopscope session files.
    const file = await pickFile('.json,.csv,.xml,.raw,.txt,.duckdb,application/json,text/csv,text/xml,text/plain', doc);
    if (!file) return { ok: true, value: null };
    if (await isSessionFile(file))
      return uploadSessionFile({ httpBase, fetch: fetchFn, document: doc }, file, connection);
    const fileName = file.name.slice(0, 1024);
    const tooLarge = { ok: true as const, value: { ok: false as const, error: TRACE_FILE_TOO_LARGE, fileName } };
    if (traceFileTooLargeToRead(file.size)) return tooLarge;
    const text = await file.text();
    if (text.length > MAX_TRACE_FILE_CHARS) return tooLarge;
    return importHere(fileName, text);
  };

  // Files are parsed in the page, never sent over the socket (which takes only small messages);
  // the importers load when first needed.
  const importHere = async (fileName: string, text: string) => {
    const { importTraceText } = await import('@shared/formats/importTrace');
    return { ok: true as const, value: importTraceText(fileName, text) };
  };
  api.importTraceText = async (...args: unknown[]) => {
    if (args.length > 1) return tooManyArguments;
    const valid = validateInvokeRequest('importTraceText', args[0]);
    if (!valid.ok) return valid;
    return importHere(valid.value.fileName, valid.value.text);
  };

  api.saveTraceJson = saveTraceJson;
  api.exportStoredSession = exportStoredSession;
  api.exportSessionFile = harnessExportSessionFile({ httpBase, fetch: fetchFn, document: doc });
  api.savePng = savePng;
  api.openTraceFile = openTraceFile;
  // A dropped session file is uploaded as Open's is: the page never names a path on the harness's machine.
  api.openDroppedSessionFile = async (...args: unknown[]) => {
    const [file] = args;
    if (args.length !== 1 || !(file instanceof File))
      return { ok: false, error: { code: 'invalid-request', message: 'a dropped File is expected' } };
    return uploadSessionFile({ httpBase, fetch: fetchFn, document: doc }, file, connection);
  };

  const on: HopscopeApi['on'] = (event, listener) => {
    if (!isEventName(event)) throw new TypeError(`unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const entry = listener as Listener;
    set.add(entry);
    return () => {
      listeners.get(event)?.delete(entry);
    };
  };
  api.on = on;
  Object.defineProperty(api, 'platform', { get: () => platform, enumerable: true });
  api.transport = 'harness';
  return api as HopscopeApi;
}
