/**
 * What the browser client may send over the harness socket, and how large
 * each call's message may be. A message larger than the socket allows is
 * refused by ws before it is buffered; a smaller one too large for its call
 * is refused before it is parsed.
 */
import type { RawData } from 'ws';
import { describeCallName, isInvokeName, type InvokeName } from '@shared/ipc';

/** Every call without a file in it: options, session ids, nothing at all. */
export const SMALL_MESSAGE_BYTES = 16 * 1024;
/**
 * The socket's own limit: ws refuses a larger message from its frame header,
 * before buffering it, and closes the socket (1009). The browser client never
 * sends a file: it imports and saves files itself, so 1 MiB is only room for
 * a small `importTraceText` from another client.
 */
export const MAX_SOCKET_MESSAGE_BYTES = 1024 * 1024;

/** Largest message each call may arrive in; what is not listed is small. */
const LARGE_CALL_BYTES: Partial<Record<InvokeName, number>> = {
  importTraceText: MAX_SOCKET_MESSAGE_BYTES,
};

export function maxMessageBytes(name: InvokeName): number {
  return LARGE_CALL_BYTES[name] ?? SMALL_MESSAGE_BYTES;
}

/** What the browser client may send. */
export interface InvokeMessage {
  t: 'invoke';
  id: number;
  name: InvokeName;
  payload?: unknown;
}

/** A refused message: with an id the client gets a typed result, without one the socket is closed. */
export interface RefusedMessage {
  error: string;
  field: string;
  id?: number;
}

function byteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, chunk) => sum + chunk.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function asBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? Buffer.from(data) : data;
}

// The client writes `t`, `id` and `name` before the payload; a large message must do so too.
const HEAD_BYTES = 256;
const HEAD_ID = /"id"\s*:\s*(\d{1,15})\s*[,}]/;
const HEAD_NAME = /"name"\s*:\s*"([A-Za-z]{1,64})"/;

/**
 * Refuse a message too large for the call it names, before parsing it.
 * Small messages are always parsed (and checked again by name afterwards).
 */
function checkSizeBeforeParsing(data: RawData, size: number): RefusedMessage | null {
  if (size <= SMALL_MESSAGE_BYTES) return null;
  const head = asBuffer(data).subarray(0, HEAD_BYTES).toString('latin1');
  const idMatch = HEAD_ID.exec(head);
  const id = idMatch ? Number(idMatch[1]) : undefined;
  const name = HEAD_NAME.exec(head)?.[1];
  const withId = id === undefined ? {} : { id };
  if (!isInvokeName(name)) {
    return { error: `message of ${size} bytes is too large for an unnamed call`, field: 'name', ...withId };
  }
  return size > maxMessageBytes(name) ? tooLarge(name, size, id) : null;
}

function tooLarge(name: InvokeName, size: number, id: number | undefined): RefusedMessage {
  return {
    error: `message too large for ${name}: ${size} bytes, at most ${maxMessageBytes(name)}`,
    field: 'payload',
    ...(id === undefined ? {} : { id }),
  };
}

export function parseInvoke(data: RawData, isBinary: boolean): InvokeMessage | RefusedMessage {
  if (isBinary) return { error: 'binary messages are not accepted', field: '' };
  const size = byteLength(data);
  const early = checkSizeBeforeParsing(data, size);
  if (early) return early;
  let value: unknown;
  try {
    value = JSON.parse(asBuffer(data).toString('utf8'));
  } catch {
    return { error: 'message is not JSON', field: '' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'message is not an object', field: '' };
  }
  const message = value as Record<string, unknown>;
  const id = message.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) {
    return { error: 'message id must be a whole number', field: 'id' };
  }
  if (message.t !== 'invoke') return { error: 'unknown message type', field: 't', id };
  for (const key of Object.keys(message)) {
    if (key !== 't' && key !== 'id' && key !== 'name' && key !== 'payload') {
      return { error: `unexpected key ${JSON.stringify(key.slice(0, 100))}`, field: key.slice(0, 100), id };
    }
  }
  const name = message.name;
  if (!isInvokeName(name)) return { error: `unknown call ${describeCallName(name)}`, field: 'name', id };
  // The head may have named another call than the parsed message does (duplicate keys): check again.
  if (size > maxMessageBytes(name)) return tooLarge(name, size, id);
  return { t: 'invoke', id, name, payload: message.payload };
}
