import { describe, expect, it } from 'vitest';
import { SourceAddressRetry, type SendProbe } from '../../../src/main/mtr/sourceAddressRetry';
import { validateProbeOptions } from '../../../src/main/mtr/probeOptions';
import type { ProbeResult } from '@shared/probe';

const result = (kind: ProbeResult['result'], success = false): ProbeResult => ({
  success,
  result: kind,
  timeMs: success ? 1 : null,
  responder: success ? '192.0.2.1' : null,
  mpls: [],
});

/** mtr 0.93's quirk: a bare invalid-argument without a source; with one, what `withSource` says. */
function quirkyHelper(withSource: ProbeResult): { send: SendProbe; sources: (string | undefined)[] } {
  const sources: (string | undefined)[] = [];
  const send: SendProbe = (_address, options) => {
    sources.push(options.localIp);
    return Promise.resolve(options.localIp === undefined ? result('invalid-argument') : withSource);
  };
  return { send, sources };
}

describe('SourceAddressRetry', () => {
  const options = validateProbeOptions({});

  it('keeps sending the source address once a retried probe was answered', async () => {
    const retry = new SourceAddressRetry(
      () => Promise.resolve('192.0.2.9'),
      () => {},
    );
    const helper = quirkyHelper(result('reply', true));
    await retry.send('192.0.2.1', options, helper.send);
    await retry.send('192.0.2.1', options, helper.send);
    expect(helper.sources).toEqual([undefined, '192.0.2.9', '192.0.2.9']);
  });

  it('does not switch every later probe to a source that only got silence', async () => {
    // A source address from another network namespace gets no-reply, not an error.
    const retry = new SourceAddressRetry(
      () => Promise.resolve('192.0.2.9'),
      () => {},
    );
    const helper = quirkyHelper(result('no-reply'));
    await retry.send('192.0.2.1', options, helper.send);
    await retry.send('192.0.2.1', options, helper.send);
    expect(helper.sources).toEqual([undefined, '192.0.2.9', undefined, '192.0.2.9']);
  });
});
