/**
 * Session files in the browser harness, where there are no file dialogs:
 * Export session is a download (GET SESSION_FILE_EXPORT_PATH; main writes
 * the file into the harness's own folder, sends it, and removes it), and
 * opening one is an upload (POST SESSION_FILE_UPLOAD_PATH; the bytes go to a
 * copy in that folder, opened read-only and removed when its tab closes).
 * Both are authenticated by the page's cookie like every other request;
 * failures answer with the IPC error as JSON, which the page shows as it
 * shows any failed call.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IpcError } from '@shared/ipc';
import { MAX_SESSION_FILE_BYTES, SESSION_FILE_EXTENSION } from '@shared/sessionFileFormat';
import { securityHeaders } from '../main/electron/contentSecurity';
import type { TraceService } from '../main/service/traceService';
import { answerFailure, answerJson } from './httpAnswers';

function refuse(res: ServerResponse, code: IpcError['code'], message: string): void {
  answerFailure(res, { ok: false, error: { code, message } });
}

/** Export session as a download: `id` and `suggestedName` as query parameters. */
export async function serveSessionFileExport(
  service: TraceService,
  query: URLSearchParams,
  res: ServerResponse,
  folder: string,
): Promise<void> {
  const request = {
    id: query.has('id') ? Number(query.get('id')) : undefined,
    suggestedName: query.get('suggestedName') ?? '',
  };
  const target = join(folder, `export-${randomUUID()}.${SESSION_FILE_EXTENSION}`);
  try {
    const result = await service.sessionFileExport(request, target);
    if (!result.ok) return answerFailure(res, result);
    res.writeHead(200, {
      ...securityHeaders(),
      'Cache-Control': 'no-store',
      'Content-Type': 'application/octet-stream',
      'Content-Length': statSync(target).size,
      'Content-Disposition': 'attachment',
    });
    await pipeline(createReadStream(target), res);
  } finally {
    rmSync(target, { force: true });
  }
}

/**
 * Opening a session file by upload: the body is the file, `name` (query) its
 * name for the tab; it belongs to the page connection `owner`, whose end closes it.
 */
export async function receiveSessionFile(
  service: TraceService,
  query: URLSearchParams,
  req: IncomingMessage,
  res: ServerResponse,
  { folder, owner }: { folder: string; owner: object },
): Promise<void> {
  const fileName = (query.get('name') ?? 'session.duckdb').slice(0, 1024);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (!Number.isFinite(declared)) return refuse(res, 'invalid-request', 'the upload must say its length');
  if (declared > MAX_SESSION_FILE_BYTES) {
    req.resume();
    return refuse(res, 'too-large', `session files of more than ${MAX_SESSION_FILE_BYTES / 2 ** 30} GB are not opened`);
  }
  const copy = join(folder, `upload-${randomUUID()}.${SESSION_FILE_EXTENSION}`);
  let received = 0;
  req.on('data', (chunk: Buffer) => {
    received += chunk.length;
    // More than it declared: stop reading.
    if (received > declared) req.destroy(new Error('the upload is longer than it said'));
  });
  try {
    await pipeline(req, createWriteStream(copy, { flags: 'wx' }));
  } catch (err) {
    rmSync(copy, { force: true });
    return refuse(res, 'failed', `the upload did not arrive whole: ${(err as Error).message}`);
  }
  // Removes the copy itself when it cannot be opened, and when its tab closes.
  const result = await service.openUploadedSessionFile(copy, fileName, owner);
  answerJson(res, 200, { ok: true, value: result });
}
