/**
 * What every command prints with: the streams, the wording of a user-facing
 * error and the document writers. Its own module so that `check`, `report`
 * and `agent` load it without the trace engine (each command is a separate
 * chunk of the built CLI, loaded when it runs).
 */
import { hostname } from 'node:os';
import { formatReport } from '@shared/formats/report';
import { toMtrJson, toMtrJsonFields } from '@shared/formats/mtrJson';
import { toMtrCsv } from '@shared/formats/mtrCsv';
import { judgePath } from '@shared/pathVerdicts';
import type { UserFacingError } from '@shared/session';
import type { TraceDocument } from '@shared/traceFile';
import type { CliTraceRequest } from './options';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export function formatUserError(error: UserFacingError): string {
  const lines = [`hopscope: ${error.title}: ${error.detail}`];
  if (error.fix) lines.push(`fix: ${error.fix}`);
  return lines.join('\n') + '\n';
}

export function render(
  doc: TraceDocument,
  request: Pick<CliTraceRequest, 'output' | 'mtrCompat' | 'wide' | 'showIps' | 'owners' | 'fields' | 'mpls'>,
): string {
  const compat = request.mtrCompat;
  const mtrStyle = { showIps: request.showIps, localHost: hostname(), owners: request.owners };
  switch (request.output) {
    case 'json':
      return (
        JSON.stringify(
          compat
            ? request.fields !== undefined
              ? toMtrJsonFields(doc, request.fields, mtrStyle)
              : toMtrJson(doc, mtrStyle)
            : { ...doc, host: hostname(), verdicts: judgePath(doc) },
          null,
          2,
        ) + '\n'
      );
    case 'csv':
      return toMtrCsv(doc, {
        showIps: request.showIps,
        mtrCompat: compat,
        owners: request.owners,
        fields: request.fields,
      });
    default:
      return formatReport(doc, {
        ...mtrStyle,
        wide: request.wide,
        // Hopscope's report always shows MPLS labels; mtr's only with -e.
        mpls: Boolean(request.mpls) || !compat,
        mtrCompat: compat,
        fields: request.fields,
      });
  }
}

/** {@link render}, and the outputs whose writers load only when asked for (-x). */
export async function renderLoaded(
  doc: TraceDocument,
  request: Pick<CliTraceRequest, 'output' | 'mtrCompat' | 'wide' | 'showIps' | 'owners' | 'fields' | 'mpls'>,
): Promise<string> {
  if (request.output !== 'xml') return render(doc, request);
  const { toMtrXml } = await import('@shared/formats/mtrXml');
  const { showIps, mtrCompat, fields } = request;
  return toMtrXml(doc, { showIps, localHost: hostname(), mtrCompat, fields });
}
