/**
 * Outputs printed while the trace runs rather than at its end (`-l`): each
 * event batch becomes lines on stdout as it arrives. The writer is a chunk of
 * its own, loaded only when its flag asks for it.
 */
import type { SessionEventBatch } from '@shared/session';
import type { CliTraceRequest } from './options';
import type { CliIo } from './cliOutput';

export interface StreamOutput {
  onBatch(batch: SessionEventBatch): void;
}

/** The streaming writer the request asks for; undefined for outputs printed once at the end. */
export async function openStreamOutput(
  request: Pick<CliTraceRequest, 'output' | 'options'>,
  io: CliIo,
): Promise<StreamOutput | undefined> {
  if (request.output !== 'raw') return undefined;
  const { MtrRawStream } = await import('@shared/formats/mtrRaw');
  const raw = new MtrRawStream({ dns: request.options.dns, mpls: false });
  return {
    onBatch: (batch) => {
      const text = raw.write(batch);
      if (text !== '') io.stdout.write(text);
    },
  };
}
