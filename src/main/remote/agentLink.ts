/**
 * One WebSocket to an agent's read-only view, kept up: a connection that
 * drops is tried again with doubling waits, and every call gets an answer or
 * a clear error (a timeout, a lost connection, a malformed reply). The token
 * travels as `Authorization: Bearer`, never in the URL.
 */
import WebSocket from 'ws';
import type { z } from 'zod';
import type { AgentSessionFileCall } from '@shared/agentSessionFile';
import type { InvokeName, IpcError, IpcResult } from '@shared/ipc';
import { MAX_AGENT_MESSAGE_BYTES } from '@shared/limits';
import { parseAgentMessage, problemOf } from './agentMessages';
import type { SessionEventBatch } from '@shared/session';

export const VIEW_PATH = '/view';

export interface Backoff {
  initialMs: number;
  maxMs: number;
}
export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000 };
const CALL_TIMEOUT_MS = 20_000;
const HANDSHAKE_TIMEOUT_MS = 10_000;

export interface AgentLinkEvents {
  /** The view answered hello: calls may go out. */
  onOpen(): void;
  /** The connection ended; the next attempt starts at `retryAt` (null: no more attempts). */
  onLost(problem: string, retryAt: number | null): void;
  onBatch(batch: SessionEventBatch): void;
}

/** A call that got no usable answer; `code` is the agent's own when it refused. */
export class AgentCallError extends Error {
  constructor(
    message: string,
    readonly code?: IpcError['code'],
  ) {
    super(message);
  }
}

interface Pending {
  resolve: (result: IpcResult<unknown>) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/** Why a handshake failed, in words a person can act on. */
export function describeRefusal(status: number | undefined): string {
  if (status === 401) return 'the agent refused the token';
  if (status === 403) return 'the agent refused the connection';
  if (status === 404) return 'no agent view at this address (is it the --view-listen port?)';
  if (status === 503) return 'the agent has too many viewers';
  return `the agent answered HTTP ${status ?? '?'} instead of a WebSocket`;
}

export function describeSocketError(err: Error, address: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return `nothing listens at ${address}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve the host of ${address}`;
  if (code === 'ETIMEDOUT' || code === 'EHOSTUNREACH') return `${address} cannot be reached`;
  return err.message;
}

export class AgentLink {
  private socket: WebSocket | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private open = false;
  /** Why the current connection ends, once known (a refusal, a socket error, a message the app refused). */
  private problem = '';

  constructor(
    readonly address: string,
    private readonly token: string,
    private readonly events: AgentLinkEvents,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
  ) {}

  get connected(): boolean {
    return this.open;
  }

  /** The first attempt: resolves once the view said hello, rejects with the reason (and stops) otherwise. */
  connectOnce(): Promise<void> {
    return new Promise((resolve, reject) => this.attempt({ resolve, reject }));
  }

  /** Ask the view; the answer's value is checked with `schema` before it is returned. */
  async call<T>(name: InvokeName | AgentSessionFileCall, payload: unknown, schema: z.ZodType<T>): Promise<T> {
    const socket = this.socket;
    if (!socket || !this.open) throw new AgentCallError('not connected to the agent');
    const id = this.nextId++;
    const result = await new Promise<IpcResult<unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AgentCallError(`the agent did not answer ${name} in ${CALL_TIMEOUT_MS / 1000} s`));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ t: 'invoke', id, name, ...(payload === undefined ? {} : { payload }) }));
    });
    if (!result.ok) throw new AgentCallError(`the agent refused ${name}: ${result.error.message}`, result.error.code);
    const parsed = schema.safeParse(result.value);
    if (!parsed.success) {
      this.drop(`the agent's answer to ${name} is malformed: ${problemOf(parsed.error)}`);
      throw new AgentCallError(`the agent's answer to ${name} is malformed: ${problemOf(parsed.error)}`);
    }
    return parsed.data;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.socket?.terminate();
    this.socket = null;
    this.open = false;
    this.rejectPending('the connection to the agent was closed');
  }

  private attempt(first?: { resolve: () => void; reject: (err: Error) => void }): void {
    if (this.closed) return;
    let settledFirst = false;
    const socket = new WebSocket(`ws://${this.address}${VIEW_PATH}`, {
      headers: { Authorization: `Bearer ${this.token}` },
      maxPayload: MAX_AGENT_MESSAGE_BYTES,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      perMessageDeflate: false,
      followRedirects: false,
    });
    this.socket = socket;
    this.problem = '';
    socket.on('unexpected-response', (_req, res) => {
      this.problem = describeRefusal(res.statusCode);
      res.resume();
      socket.terminate();
    });
    socket.on('error', (err) => {
      this.problem ||= describeSocketError(err, this.address);
    });
    socket.on('message', (data, isBinary) => {
      const message = parseAgentMessage(data, isBinary);
      if ('error' in message) return this.drop(message.error);
      if (message.t === 'hello') {
        this.open = true;
        this.failures = 0;
        if (first && !settledFirst) {
          settledFirst = true;
          first.resolve();
        }
        return this.events.onOpen();
      }
      if (!this.open) return this.drop('the agent spoke before saying hello');
      if (message.t === 'event') return this.events.onBatch(message.batch);
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      pending.resolve(message.result);
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      const why = this.problem || 'the agent closed the connection';
      this.open = false;
      this.socket = null;
      this.rejectPending(`the connection to the agent was lost: ${why}`);
      if (first && !settledFirst) {
        settledFirst = true;
        this.closed = true;
        first.reject(new AgentCallError(why));
        return;
      }
      if (this.closed) return;
      this.failures++;
      const delay = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(this.failures - 1, 20));
      this.retryTimer = setTimeout(() => this.attempt(), delay);
      this.events.onLost(why, Date.now() + delay);
    });
  }

  /** A message the app will not take: end this connection; the next one resyncs from a snapshot. */
  private drop(problem: string): void {
    const socket = this.socket;
    if (!socket) return;
    this.problem ||= problem;
    socket.close(1008, problem.slice(0, 120));
    // A peer that does not answer the close handshake is cut off.
    setTimeout(() => socket.terminate(), 1_000).unref();
  }

  private rejectPending(message: string): void {
    for (const pending of this.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new AgentCallError(message));
    }
    this.pending.clear();
  }
}
