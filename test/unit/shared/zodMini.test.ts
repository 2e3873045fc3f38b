/**
 * The schemas every trace builds at start-up (probe.ts, traceOptions.ts) are zod/mini
 * (src/shared/zodMini.ts). A run that builds no classic zod schema, as a CLI trace does, still words
 * a mistake in zod's English, like every other boundary. This file imports no classic zod.
 */
import { describe, expect, it } from 'vitest';
import { traceOptionsSchema } from '@shared/traceOptions';
import { probeOptionsSchema } from '@shared/probe';

describe('trace-path schemas on zod/mini', () => {
  it("word a mistake that has no message of its own in zod's English", () => {
    const count = traceOptionsSchema.safeParse({ target: 'example.test', count: 'ten' });
    expect(count.error?.issues[0]?.message).toBe('Invalid input: expected number, received string');
    const extra = probeOptionsSchema.safeParse({ ttl: 3, bogus: 1 });
    expect(extra.error?.issues[0]?.message).toBe('Unrecognized key: "bogus"');
  });

  it('keep their own messages and fill in defaults', () => {
    expect(
      traceOptionsSchema.safeParse({ target: 'example.test', firstTtl: 9, maxTtl: 3 }).error?.issues[0],
    ).toMatchObject({ path: ['firstTtl'], message: 'first TTL 9 must not exceed max TTL 3' });
    expect(traceOptionsSchema.parse({ target: '192.0.2.1' })).toMatchObject({
      protocol: 'icmp',
      firstTtl: 1,
      dns: true,
    });
  });
});
