/**
 * Export JSON of a stored session in the browser harness: the page asks for
 * STORED_EXPORT_PATH (its cookie authenticates it like every other request)
 * and saves the answer as a download, so every sample goes from the store
 * to the file without the page ever holding the document as objects. A
 * failure answers with the IPC error as JSON, which the page shows as it
 * shows any failed call.
 */
import type { ServerResponse } from 'node:http';
import { storedExportRequestOf } from '@shared/storedSessions';
import { traceFileText } from '@shared/traceDocument';
import { securityHeaders } from '../main/electron/contentSecurity';
import type { TraceService } from '../main/service/traceService';
import { answerFailure } from './httpAnswers';

export async function serveStoredExport(service: TraceService, query: URLSearchParams, res: ServerResponse) {
  const result = await service.storedSessionExport(storedExportRequestOf(query));
  if (!result.ok) return answerFailure(res, result);
  res.writeHead(200, {
    ...securityHeaders(),
    'Cache-Control': 'no-store',
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Disposition': 'attachment',
  });
  res.end(traceFileText(result.value));
}
