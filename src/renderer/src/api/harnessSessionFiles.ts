/**
 * Session files in the browser harness (src/harness/sessionFileTransfer.ts):
 * Export session is a download the harness writes from the store, and a
 * session file picked with Open is uploaded and opened there, read-only.
 * The page holds either only as a Blob or File, never as objects.
 */
import { validateInvokeRequest, type HopscopeApi, type ImportResult, type IpcError, type IpcResult } from '@shared/ipc';
import {
  hasDuckDbMagic,
  MAX_SESSION_FILE_BYTES,
  SESSION_FILE_EXPORT_PATH,
  SESSION_FILE_UPLOAD_PATH,
} from '@shared/sessionFileFormat';
import { downloadBlob, downloadName } from './browserFiles';

export interface HarnessHttp {
  /** Where the harness serves HTTP (its socket's address, ws → http). */
  httpBase: string;
  fetch: (input: URL, init?: RequestInit) => Promise<Response>;
  document: Document;
}

/** A refused call: the harness answers with the IPC error as JSON. */
export async function failedAnswer(response: Response): Promise<IpcResult<never>> {
  const answer = (await response.json().catch(() => null)) as { error?: IpcError } | null;
  if (answer?.error && typeof answer.error.message === 'string') return { ok: false, error: answer.error };
  return { ok: false, error: { code: 'failed', message: `the harness answered ${response.status}` } };
}

async function ask(http: HarnessHttp, address: URL, init?: RequestInit): Promise<Response | IpcResult<never>> {
  try {
    return await http.fetch(address, { credentials: 'same-origin', ...init });
  } catch (err) {
    return { ok: false, error: { code: 'failed', message: `the harness did not answer: ${(err as Error).message}` } };
  }
}

export function harnessExportSessionFile(http: HarnessHttp): HopscopeApi['exportSessionFile'] {
  return async (...args: unknown[]) => {
    const valid = args.length > 1 ? null : validateInvokeRequest('exportSessionFile', args[0]);
    if (valid === null) return { ok: false, error: { code: 'invalid-request', message: 'too many arguments' } };
    if (!valid.ok) return valid;
    const address = new URL(SESSION_FILE_EXPORT_PATH, http.httpBase);
    address.search = new URLSearchParams({
      id: String(valid.value.id),
      suggestedName: valid.value.suggestedName,
    }).toString();
    const response = await ask(http, address);
    if (!(response instanceof Response)) return response;
    if (!response.ok) return failedAnswer(response);
    const fileName = downloadName(valid.value.suggestedName, 'duckdb');
    downloadBlob(await response.blob(), fileName, http.document);
    return { ok: true, value: { saved: true, path: fileName } };
  };
}

/** Whether a picked file is a DuckDB database (a session file) rather than a text trace. */
export async function isSessionFile(file: File): Promise<boolean> {
  if (file.size < 12) return false;
  return hasDuckDbMagic(new Uint8Array(await file.slice(0, 12).arrayBuffer()));
}

/**
 * Uploads a session file for the harness to open for this page's `connection`
 * (closed with it); what it answers is what Open answers.
 */
export async function uploadSessionFile(
  http: HarnessHttp,
  file: File,
  connection: string,
): Promise<IpcResult<ImportResult>> {
  const fileName = file.name.slice(0, 1024);
  if (file.size > MAX_SESSION_FILE_BYTES) {
    const error = `session files of more than ${MAX_SESSION_FILE_BYTES / 2 ** 30} GB are not opened`;
    return { ok: true, value: { ok: false, error, fileName } };
  }
  const address = new URL(SESSION_FILE_UPLOAD_PATH, http.httpBase);
  address.search = new URLSearchParams({ name: fileName, connection }).toString();
  const response = await ask(http, address, { method: 'POST', body: file });
  if (!(response instanceof Response)) return response;
  if (!response.ok) return failedAnswer(response);
  return (await response.json()) as IpcResult<ImportResult>;
}
