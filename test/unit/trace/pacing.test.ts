import { describe, expect, it } from 'vitest';
import { TraceSession } from '../../../src/main/trace/traceSession';
import type { ProbeOptionsBuilder } from '../../../src/main/trace/sessionDeps';
import { traceOptionsSchema, type TraceOptionsInput } from '@shared/traceOptions';
import type { ProbeOptions, ProbeResult } from '@shared/probe';
import type { SessionEventBatch } from '@shared/session';
import { ScriptedTransport, result } from '../../fixtures/scriptedTransport';

const TARGET = '198.18.9.9';
const ROUTERS = [{ responders: ['198.18.0.1'] }, { responders: ['198.18.0.2'] }];
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

function makeSession(
  transport: ScriptedTransport,
  input: Partial<TraceOptionsInput> = {},
  probeOptions?: ProbeOptionsBuilder,
) {
  const batches: SessionEventBatch[] = [];
  const options = traceOptionsSchema.parse({ target: TARGET, count: 1, intervalSec: 0.05, dns: false, ...input });
  const session = new TraceSession(
    's1',
    options,
    { transport, batchIntervalMs: 20, ...(probeOptions ? { probeOptions } : {}) },
    (b) => batches.push(b),
  );
  return { session, batches };
}

/** A destination that drops the first packet of its own TTL's probe: the kernel re-sends a TCP SYN after a while. */
class ResentSynTransport extends ScriptedTransport {
  override probe(address: string, options: ProbeOptions = {}): Promise<ProbeResult> {
    if (options.ttl === ROUTERS.length + 1) {
      this.sent.push({ address, options, at: Date.now() });
      return delay(300).then(() => result('reply', TARGET, 300));
    }
    return super.probe(address, options);
  }
}

/** A pacing transport: says how many probes it holds back. */
class HoldingTransport extends ScriptedTransport {
  held = 0;
  heldBack(): number {
    return this.held;
  }
}

describe('presumed loss at the destination', () => {
  it("waits for the destination's own probe although the destination already answered the probes past it", async () => {
    const transport = new ResentSynTransport(ROUTERS, TARGET);
    const { session } = makeSession(transport, { protocol: 'tcp', timeoutSec: 10 });
    await session.start();
    const summary = await session.done;
    expect(summary.destinationTtl).toBe(3);
    const destination = session.snapshotHops()[2]!;
    expect(destination.received).toBe(1);
    expect(destination.lossPct).toBe(0);
  });

  it('still presumes a silent router lost once the router after it answered', async () => {
    const transport = new ScriptedTransport([{ responders: [] }, ...ROUTERS], TARGET);
    const { session } = makeSession(transport, { timeoutSec: 30 });
    await session.start();
    await session.done;
    expect(transport.pendingSilent).toBe(1);
    expect(session.snapshotHops()[0]!.lossPct).toBe(100);
    transport.releaseSilent();
  });
});

/** Every probe waits 300 ms for a slot; the first TTL is answered 30 ms after it finally went out. */
class SlowSlotsTransport extends ScriptedTransport {
  override probe(address: string, options: ProbeOptions = {}): Promise<ProbeResult> {
    this.sent.push({ address, options, at: Date.now() });
    const ttl = options.ttl ?? 64;
    if (ttl === 1) return delay(330).then(() => result('ttl-expired', '198.18.0.1', 30));
    const answer = ttl === 2 ? result('ttl-expired', '198.18.0.2', 1) : result('reply', TARGET, 1);
    return delay(300).then(() => answer);
  }
}

describe('pacing', () => {
  it('counts the near wait from when probes went out, not from when they were asked for', async () => {
    const transport = new SlowSlotsTransport(ROUTERS, TARGET);
    const { session } = makeSession(transport);
    await session.start();
    await session.done;
    expect(session.snapshotHops()[0]).toMatchObject({ received: 1, lossPct: 0 });
  });

  it('starts no round while probes are held back, says so in the summary, and goes on once they drained', async () => {
    const transport = new HoldingTransport(ROUTERS, TARGET);
    const { session, batches } = makeSession(transport, { count: null });
    await session.start();
    await delay(120);
    transport.held = 7;
    await delay(80);
    const sentWhileHeld = transport.sent.length;
    await delay(300);
    expect(transport.sent.length).toBe(sentWhileHeld);
    expect(session.summary().heldBackProbes).toBe(7);
    const summaries = batches.flatMap((b) => b.events).filter((e) => e.type === 'state');
    expect(summaries.some((e) => e.type === 'state' && e.summary.heldBackProbes === 7)).toBe(true);

    transport.held = 0;
    await delay(200);
    expect(transport.sent.length).toBeGreaterThan(sentWhileHeld);
    expect(session.summary().heldBackProbes).toBeUndefined();
    session.dispose();
  });

  it('builds the base probe options once per options change and only sets the ttl per probe', async () => {
    const bases: ProbeOptions[] = [];
    let perProbe = 0;
    const builder: ProbeOptionsBuilder = {
      base: (options) => {
        bases.push(options);
        return Object.freeze({ ...options });
      },
      withTtl: (base, ttl) => {
        perProbe++;
        return { ...base, ttl };
      },
    };
    const transport = new ScriptedTransport(ROUTERS, TARGET);
    const { session } = makeSession(transport, { count: 3, protocol: 'udp', port: 33434 }, builder);
    await session.start();
    await session.done;
    expect(bases).toEqual([{ protocol: 'udp', ipVersion: 4, timeoutSec: 10, port: 33434 }]);
    expect(perProbe).toBe(transport.sent.length);
    expect(transport.sent.map((p) => p.options.ttl)).toContain(3);

    await session.updateOptions(traceOptionsSchema.parse({ target: TARGET, count: 1, protocol: 'icmp', dns: false }));
    await session.done;
    await delay(100);
    expect(bases.map((b) => b.protocol)).toEqual(['udp', 'icmp']);
  });

  it('ends the session with the builder refusal, without sending a probe', async () => {
    const transport = new ScriptedTransport(ROUTERS, TARGET);
    const refusing: ProbeOptionsBuilder = {
      base: () => {
        throw new Error('mark: must be at most 4294967295');
      },
      withTtl: (base, ttl) => ({ ...base, ttl }),
    };
    const { session } = makeSession(transport, {}, refusing);
    await session.start();
    const summary = await session.done;
    expect(summary.state).toBe('failed');
    expect(summary.error?.detail).toMatch(/mark: must be at most/);
    expect(transport.sent).toHaveLength(0);
  });
});
