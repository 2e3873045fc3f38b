/**
 * Outputs printed while the trace runs rather than at its end (`-l`, `-p`): each
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
  request: Pick<CliTraceRequest, 'output' | 'options' | 'showIps' | 'mpls'>,
  io: CliIo,
): Promise<StreamOutput | undefined> {
  let writer: { write(batch: SessionEventBatch): string };
  if (request.output === 'raw') {
    const { MtrRawStream } = await import('@shared/formats/mtrRaw');
    writer = new MtrRawStream({ dns: request.options.dns, mpls: Boolean(request.mpls) });
  } else if (request.output === 'split') {
    const { MtrSplitStream } = await import('@shared/formats/mtrSplit');
    writer = new MtrSplitStream({ showIps: request.showIps });
  } else return undefined;
  return {
    onBatch: (batch) => {
      const text = writer.write(batch);
      if (text !== '') io.stdout.write(text);
    },
  };
}
