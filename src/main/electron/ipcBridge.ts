/**
 * Binds the TraceService to ipcMain: one `ipcMain.handle` per invoke
 * channel of the contract, each checking its sender first, and one
 * EventOutbox per window so events raised while the page (re)loads are
 * queued until it calls rendererReady.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { EventOutbox } from '../service/eventOutbox';
import type { TraceService } from '../service/traceService';
import {
  eventContract,
  invokeContract,
  INVOKE_NAMES,
  type EventName,
  type EventPayloads,
  type InvokeName,
  type IpcResult,
} from '@shared/ipc';
import { checkSender } from './senderCheck';

export interface IpcBridgeOptions {
  /** Trusted like app:// under `electron-vite dev` only. */
  devServerOrigin?: string | null;
  log?: (message: string) => void;
}

interface Connection {
  contents: WebContents;
  outbox: EventOutbox;
  /** The sessions this page starts or attaches belong to it (see TraceService.release). */
  owner: object;
}

export class IpcBridge {
  private readonly connections = new Map<number, Connection>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly service: TraceService,
    private readonly options: IpcBridgeOptions = {},
  ) {
    this.unsubscribe = service.onEvents((batch) => this.broadcast('sessionEvents', batch));
  }

  /** Trust a window and give it an outbox; forgotten when it is destroyed. */
  attach(win: BrowserWindow): void {
    const contents = win.webContents;
    const id = contents.id;
    const outbox = new EventOutbox((delivery) => {
      if (!contents.isDestroyed()) contents.send(eventContract[delivery.event].channel, delivery.payload);
    });
    const owner = {};
    this.connections.set(id, { contents, outbox, owner });
    // A reload or crash: the new page must subscribe and say ready before events flow again,
    // and attach the sessions it wants to keep before their grace period ends.
    const pageGone = (): void => {
      outbox.markNotReady();
      this.service.release(owner);
    };
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) pageGone();
    });
    contents.on('render-process-gone', pageGone);
    contents.once('destroyed', () => {
      this.connections.delete(id);
      this.service.release(owner);
    });
  }

  /** Send an event to one window (menu commands go to the window they were chosen in). */
  post<E extends EventName>(webContentsId: number, event: E, payload: EventPayloads[E]): void {
    this.connections.get(webContentsId)?.outbox.post(event, payload);
  }

  broadcast<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const { outbox } of this.connections.values()) outbox.post(event, payload);
  }

  /** Register every invoke channel; returns a function that removes them. */
  register(ipcMain: IpcMain): () => void {
    for (const name of INVOKE_NAMES) {
      ipcMain.handle(invokeContract[name].channel, (event, ...args: unknown[]) => this.handle(name, event, args));
    }
    return () => {
      for (const name of INVOKE_NAMES) ipcMain.removeHandler(invokeContract[name].channel);
    };
  }

  dispose(): void {
    this.unsubscribe();
    this.connections.clear();
  }

  private async handle(name: InvokeName, event: IpcMainInvokeEvent, args: unknown[]): Promise<IpcResult<unknown>> {
    try {
      return await this.handleChecked(name, event, args);
    } catch (err) {
      // The renderer always gets an IpcResult, never a rejected invoke with main's stack in it.
      this.options.log?.(`${name} failed: ${String(err)}`);
      return { ok: false, error: { code: 'failed', message: 'internal error' } };
    }
  }

  private async handleChecked(
    name: InvokeName,
    event: IpcMainInvokeEvent,
    args: unknown[],
  ): Promise<IpcResult<unknown>> {
    const frame = event.senderFrame;
    const verdict = checkSender({
      url: frame && !frame.detached ? frame.url : null,
      isMainFrame:
        frame !== null && frame.parent === null && frame.frameTreeNodeId === event.sender.mainFrame.frameTreeNodeId,
      webContentsId: event.sender.id,
      trustedWebContentsIds: new Set(this.connections.keys()),
      devServerOrigin: this.options.devServerOrigin ?? null,
    });
    if (!verdict.ok) {
      this.options.log?.(`refused ${name}: ${verdict.reason}`);
      return { ok: false, error: { code: 'forbidden', message: 'this frame may not call the engine' } };
    }
    // Every call takes at most one argument; more is a malformed request, not something to ignore.
    if (args.length > 1) {
      return { ok: false, error: { code: 'invalid-request', message: 'too many arguments', field: '' } };
    }
    const owner = this.connections.get(event.sender.id)?.owner;
    const result = await this.service.dispatch(name, args[0], owner ? { owner } : {});
    if (result.ok && name === 'rendererReady') this.connections.get(event.sender.id)?.outbox.markReady();
    return result;
  }
}
