/**
 * The agent's half of Export session for a viewer (src/shared/agentSessionFile.ts):
 * a stored session written to a session file in a temporary folder of the
 * agent's own, by the history's export under its writer's turn, then read
 * back in chunks by token. Nothing here changes the history: the files are
 * the agent's, named by random tokens a viewer can only read, and removed
 * when read to the end, on a failure, after a quiet while, and when the
 * viewer's connection ends.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RawData } from 'ws';
import type { IpcResult } from '@shared/ipc';
import {
  agentSessionFileInvoke,
  MAX_AGENT_SESSION_FILE_BYTES,
  MAX_SESSION_FILES_PER_VIEWER,
  prepareSessionFileRequest,
  readSessionFileRequest,
  type AgentSessionFileCall,
  type PrepareSessionFileAnswer,
  type ReadSessionFileAnswer,
} from '@shared/agentSessionFile';
import { describeSchemaProblem, firstSchemaProblem } from '@shared/schemaProblem';
import { StoredSessionError } from '../../main/service/sessionHistory';

/** Writes stored session `id` of the agent's history to a session file at `target`. */
export type ExportSessionFile = (id: number, target: string) => Promise<{ samples: number }>;

/** A file not read for this long is removed (a viewer that went quiet without closing). */
const IDLE_MS = 5 * 60_000;

interface Transfer {
  path: string;
  total: number;
  timer: NodeJS.Timeout;
}

const failure = (code: 'invalid-request' | 'not-found' | 'failed' | 'too-large', message: string) =>
  ({ ok: false, error: { code, message } }) as const;

/** One viewer connection's session files. */
export class SessionFileTransfers {
  private readonly transfers = new Map<string, Transfer>();
  private dir: string | null = null;
  private closed = false;

  constructor(
    /** The history's export, or null when the agent runs without `--history`. */
    private readonly exportFile: () => ExportSessionFile | null,
    private readonly idleMs = IDLE_MS,
  ) {}

  /** Files ready to be read (for tests of the clean-up). */
  get pending(): number {
    return this.transfers.size;
  }

  /** The folder the files are written to, once one was (for tests of the clean-up). */
  get folder(): string | null {
    return this.dir;
  }

  async answer(name: AgentSessionFileCall, payload: unknown): Promise<IpcResult<unknown>> {
    const exportFile = this.exportFile();
    if (!exportFile) return failure('not-found', 'this agent keeps no history (it runs without --history)');
    return name === 'prepareSessionFile' ? this.prepare(payload, exportFile) : this.read(payload);
  }

  /** The connection ended: every file it had is removed. */
  close(): void {
    this.closed = true;
    for (const token of [...this.transfers.keys()]) this.remove(token);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }

  private async prepare(payload: unknown, exportFile: ExportSessionFile): Promise<IpcResult<PrepareSessionFileAnswer>> {
    const valid = prepareSessionFileRequest.safeParse(payload);
    if (!valid.success) return failure('invalid-request', describeSchemaProblem(firstSchemaProblem(valid.error)));
    if (this.transfers.size >= MAX_SESSION_FILES_PER_VIEWER) {
      return failure('failed', `${MAX_SESSION_FILES_PER_VIEWER} session files are being read already; wait for them`);
    }
    const token = randomBytes(16).toString('hex');
    let path = '';
    try {
      this.dir ??= mkdtempSync(join(tmpdir(), 'hopscope-agent-export-'));
      path = join(this.dir, `${token}.duckdb`);
      const { samples } = await exportFile(valid.data.id, path);
      const total = (await stat(path)).size;
      if (this.closed) throw new Error('the viewer is gone');
      if (total > MAX_AGENT_SESSION_FILE_BYTES) {
        rmSync(path, { force: true });
        return failure('too-large', 'the session file is larger than a viewer takes');
      }
      this.transfers.set(token, { path, total, timer: this.idleTimer(token) });
      return { ok: true, value: { token, total, samples } };
    } catch (err) {
      if (path) rmSync(path, { force: true });
      if (err instanceof StoredSessionError)
        return failure(err.code === 'not-found' ? 'not-found' : 'failed', err.message);
      return failure('failed', `the agent could not write the session file: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  private async read(payload: unknown): Promise<IpcResult<ReadSessionFileAnswer>> {
    const valid = readSessionFileRequest.safeParse(payload);
    if (!valid.success) return failure('invalid-request', describeSchemaProblem(firstSchemaProblem(valid.error)));
    const { token, offset, length } = valid.data;
    const transfer = this.transfers.get(token);
    if (!transfer) return failure('not-found', 'no such session file (read to its end, or removed)');
    if (offset > transfer.total) return failure('invalid-request', `offset ${offset} is past the file's end`);
    clearTimeout(transfer.timer);
    try {
      const chunk = Buffer.alloc(Math.min(length, transfer.total - offset));
      const file = await open(transfer.path, 'r');
      try {
        const { bytesRead } = await file.read(chunk, 0, chunk.length, offset);
        if (bytesRead !== chunk.length) throw new Error('the file is shorter than written');
      } finally {
        await file.close();
      }
      const done = offset + chunk.length === transfer.total;
      if (done) this.remove(token);
      else transfer.timer = this.idleTimer(token);
      return { ok: true, value: { bytes: chunk.toString('base64'), offset, total: transfer.total, done } };
    } catch (err) {
      this.remove(token);
      return failure('failed', `the agent could not read the session file: ${(err as Error).message}`);
    }
  }

  private idleTimer(token: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.remove(token), this.idleMs);
    timer.unref();
    return timer;
  }

  private remove(token: string): void {
    const transfer = this.transfers.get(token);
    if (!transfer) return;
    clearTimeout(transfer.timer);
    this.transfers.delete(token);
    rmSync(transfer.path, { force: true });
  }
}

/** Only small messages name these calls; anything else goes to the contract's parser (which refuses it). */
const MAX_CALL_BYTES = 16 * 1024;

/** The agent-only call in `data`, or null when it is not one (the view's usual parser takes it). */
export function parseSessionFileInvoke(
  data: RawData,
  isBinary: boolean,
): { id: number; name: AgentSessionFileCall; payload: unknown } | null {
  if (isBinary || Array.isArray(data)) return null;
  const buffer = data instanceof ArrayBuffer ? Buffer.from(data) : data;
  if (buffer.length > MAX_CALL_BYTES) return null;
  let value: unknown;
  try {
    value = JSON.parse(buffer.toString('utf8'));
  } catch {
    return null;
  }
  const call = agentSessionFileInvoke.safeParse(value);
  return call.success ? { id: call.data.id, name: call.data.name, payload: call.data.payload } : null;
}
