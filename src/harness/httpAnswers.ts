/**
 * How the harness's HTTP routes (the downloads and the session-file upload)
 * answer: an IPC error code as its HTTP status, and a result as JSON that
 * the page reads as it reads a socket answer.
 */
import type { ServerResponse } from 'node:http';
import type { IpcError, IpcResult } from '@shared/ipc';
import { securityHeaders } from '../main/electron/contentSecurity';

export const HTTP_STATUS_OF: Readonly<Record<IpcError['code'], number>> = {
  'invalid-request': 400,
  forbidden: 403,
  'not-found': 404,
  'too-large': 413,
  failed: 500,
};

export function answerJson(res: ServerResponse, status: number, result: IpcResult<unknown>): void {
  res.writeHead(status, {
    ...securityHeaders(),
    'Cache-Control': 'no-store',
    'Content-Type': 'application/json; charset=utf-8',
  });
  res.end(JSON.stringify(result));
}

/** A failed call, with the status its code maps to. */
export function answerFailure(res: ServerResponse, result: { ok: false; error: IpcError }): void {
  answerJson(res, HTTP_STATUS_OF[result.error.code], result);
}
