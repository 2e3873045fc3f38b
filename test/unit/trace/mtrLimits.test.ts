/**
 * mtr's -U (max unknown) and -G (grace time) in the engine, on a scripted
 * mtr-packet whose silent routers never answer until released.
 */
import { describe, expect, it } from 'vitest';
import { traceOptionsSchema } from '@shared/traceOptions';
import { ScriptedTransport, type ScriptedHop } from '../../fixtures/scriptedTransport';
import { scriptedSession, TARGET } from './sessionHarness';
import { MAX_UNKNOWN_HOPS } from '../../../src/main/trace/traceSession';

const silent = (n: number): ScriptedHop[] => Array.from({ length: n }, () => ({ responders: [] }));
/** Hop 1 and hop 5 answer; the rest of the 30 TTLs never do (a firewall past hop 5). */
const GAPPY = [{ responders: ['198.18.0.1'] }, ...silent(3), { responders: ['198.18.0.5'] }, ...silent(25)];

async function secondRoundLimit(maxUnknown?: number): Promise<number> {
  const transport = new ScriptedTransport(GAPPY, TARGET);
  const { session } = scriptedSession(transport, { count: 2, ...(maxUnknown ? { maxUnknown } : {}) });
  await session.start();
  // Round 0 probes all 30 TTLs; round 1 (50 ms later) is where the limit applies.
  while (transport.sent.length <= 30) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 20));
  const limit = Math.max(...transport.sent.slice(30).map((p) => p.options.ttl!));
  session.stop();
  transport.releaseSilent();
  return limit;
}

describe('-U/--max-unknown: mtr net_send_batch rule', () => {
  it('stops a round one TTL past where more than N TTLs below have never answered', async () => {
    // TTLs 2, 3 and 4 are unknown: with -U 2 the third of them is one too many, so the round ends at 5.
    expect(await secondRoundLimit(2)).toBe(5);
    // With -U 3 the count passes 3 at TTL 6 (2, 3, 4 and 6), so the round ends at 7.
    expect(await secondRoundLimit(3)).toBe(7);
  });

  it('leaves the default alone: at most five TTLs past the last answer', async () => {
    expect(await secondRoundLimit()).toBe(5 + MAX_UNKNOWN_HOPS);
  });
});

describe('-G/--gracetime', () => {
  it('ends a counted run that long after its last round, counting what is still unanswered as lost', async () => {
    const transport = new ScriptedTransport([{ responders: ['198.18.0.1'] }, ...silent(29)], TARGET);
    const { session } = scriptedSession(transport, { count: 2, timeoutSec: 60, graceSec: 0.2 });
    await session.start();
    const summary = await session.done;
    // mtr-packet would still be waiting on the silent TTLs: the grace time ended the run, not their timeouts.
    expect(transport.pendingSilent).toBeGreaterThan(0);
    expect(summary.state).toBe('finished');
    const hops = session.snapshotHops();
    expect(hops[0]).toMatchObject({ sent: 2, received: 2, lossPct: 0 });
    expect(hops[1]).toMatchObject({ sent: 2, received: 0, lossPct: 100 });
    transport.releaseSilent();
  });

  it('never makes a run wait longer: a run whose probes all settled ends at once', async () => {
    const transport = new ScriptedTransport(
      [{ responders: ['198.18.0.1'] }, ...silent(1), { responders: ['198.18.0.3'] }],
      TARGET,
    );
    const { session } = scriptedSession(transport, { count: 2, graceSec: 3600 });
    await session.start();
    // An hour of grace would time the test out if it held the run open; the silent-hop wait settles hop 2.
    expect((await session.done).state).toBe('finished');
    transport.releaseSilent();
  });

  it('is refused where it cannot apply and where mtr refuses it', () => {
    const parse = (input: object) => traceOptionsSchema.safeParse({ target: TARGET, ...input });
    expect(parse({ count: null, graceSec: 5 }).error?.issues[0]?.message).toBe(
      'a grace time applies after the last round, so only to a run with a count of rounds',
    );
    expect(parse({ count: 3, graceSec: 0 }).error?.issues[0]?.message).toBe('grace time must be positive');
    expect(parse({ maxUnknown: 0 }).error?.issues[0]?.message).toBe('max unknown must be between 1 and 255');
    expect(parse({ count: 3, graceSec: 0.5, maxUnknown: 12 }).success).toBe(true);
  });
});
