/**
 * Export JSON of a stored session, built in main from the store: the
 * document of every sample of the session (or of the focus window, marked
 * with its `focusWindow`), read through the service's own openStoredSession
 * so an agent's stored session is asked of its agent. The renderer never
 * holds this copy: Electron writes it to the file the save dialog chose,
 * the browser harness serves it as a download (STORED_EXPORT_PATH).
 */
import type { ValidInvokeRequest } from '@shared/ipc';
import type { TraceDocument } from '@shared/traceFile';
import type { CallContext, ServiceHandlers } from './traceService';

export async function storedExportDocument(
  open: ServiceHandlers['openStoredSession'],
  { id, from, to }: ValidInvokeRequest<'exportStoredSession'>,
  context: CallContext,
): Promise<TraceDocument> {
  const window = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  const document = await open({ id, ...window }, context);
  // A window says which one it holds, as a focused export always has.
  return from !== undefined && to !== undefined ? { ...document, focusWindow: { from, to } } : document;
}
