/**
 * Everything an agent sends, checked before the app uses any of it: an agent
 * is an untrusted peer. A message is parsed only when the socket accepted its
 * size (ws refuses larger ones before buffering them), must be one of the
 * view protocol's three shapes, and its payload must pass the same schemas
 * the app's own data does. A refused message yields a clear reason, never a
 * throw, and never reaches the rest of the app.
 */
import type { RawData } from 'ws';
import { z } from 'zod';
import { IPC_ERROR_CODES, type IpcResult } from '@shared/ipc';
import type { SessionEventBatch } from '@shared/session';
import { sessionEventBatchSchema } from '@shared/sessionSchemas';
import { describeSchemaProblem, firstSchemaProblem } from '@shared/schemaProblem';

export type AgentMessage =
  | { t: 'hello'; readOnly: boolean }
  | { t: 'result'; id: number; result: IpcResult<unknown> }
  | { t: 'event'; batch: SessionEventBatch };

const ipcErrorSchema = z.object({
  code: z.enum(IPC_ERROR_CODES),
  message: z.string().max(2000),
  field: z.string().max(200).optional(),
});

const envelopeSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('hello'),
    platform: z.string().max(64).optional(),
    view: z.string().max(64).optional(),
    readOnly: z.boolean().optional(),
  }),
  z.object({
    t: z.literal('result'),
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    // The value is checked against the schema of the call it answers (agentLink).
    result: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: ipcErrorSchema }),
    ]),
  }),
  z.object({ t: z.literal('event'), event: z.literal('sessionEvents'), payload: z.unknown() }),
]);

function asText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return (data instanceof ArrayBuffer ? Buffer.from(data) : data).toString('utf8');
}

export function problemOf(error: { issues: readonly { path: PropertyKey[]; message: string }[] }): string {
  return describeSchemaProblem(firstSchemaProblem(error));
}

export function parseAgentMessage(data: RawData, isBinary: boolean): AgentMessage | { error: string } {
  if (isBinary) return { error: 'the agent sent a binary message' };
  let value: unknown;
  try {
    value = JSON.parse(asText(data));
  } catch {
    return { error: 'the agent sent a message that is not JSON' };
  }
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) return { error: `the agent sent an unexpected message: ${problemOf(envelope.error)}` };
  const message = envelope.data;
  switch (message.t) {
    case 'hello':
      return { t: 'hello', readOnly: message.readOnly === true };
    case 'result':
      return { t: 'result', id: message.id, result: message.result };
    case 'event': {
      const batch = sessionEventBatchSchema.safeParse(message.payload);
      if (!batch.success) return { error: `the agent sent a malformed event batch: ${problemOf(batch.error)}` };
      return { t: 'event', batch: batch.data };
    }
  }
}
