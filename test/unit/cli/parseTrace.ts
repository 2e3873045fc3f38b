import { Command } from 'commander';
import { addTraceFlags, type RawFlags } from '../../../src/cli/options';
import { toTraceRequest } from '../../../src/cli/traceRequest';

/** Parses `argv` with the trace command's flags, as `hopscope trace` does, and builds the request. */
export function parseTrace(argv: string[], stdoutIsTty = false): ReturnType<typeof toTraceRequest> {
  let request: ReturnType<typeof toTraceRequest> | undefined;
  const cmd = addTraceFlags(new Command('trace'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined })
    .action((target: string, flags: RawFlags) => {
      request = toTraceRequest(target, flags, stdoutIsTty);
    });
  cmd.parse(argv, { from: 'user' });
  if (!request) throw new Error('no request');
  return request;
}
