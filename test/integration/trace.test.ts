import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import type { TestNetwork } from '../net/testNetwork';
import { MtrPacketClient } from '../../src/main/mtr/client';
import { TraceSession } from '../../src/main/trace/traceSession';
import { explainFailure } from '../../src/main/service/sessionErrors';
import { traceOptionsSchema, type TraceOptionsInput } from '@shared/traceOptions';
import type { Hop } from '@shared/traceFile';

// Real traces: the engine drives the real mtr-packet inside the namespace network.
describeWithNetwork('trace engine on a real namespace network', (getNet) => {
  let client: MtrPacketClient;

  beforeAll(async () => {
    client = new MtrPacketClient({ path: getNet().mtrPacketPath });
    await client.open();
  });
  afterAll(async () => {
    await client?.close();
  });

  async function trace(input: Partial<TraceOptionsInput> & { target: string }) {
    const options = traceOptionsSchema.parse({ count: 1, intervalSec: 0.05, timeoutSec: 2, dns: false, ...input });
    const session = new TraceSession(
      't',
      options,
      { transport: client, explainFailure, batchIntervalMs: 20 },
      () => undefined,
    );
    await session.start();
    const summary = await session.done;
    return { summary, hops: session.snapshotHops() };
  }

  function expectPath(net: TestNetwork, hops: Hop[], version: 4 | 6) {
    expect(hops.map((h) => h.ttl)).toEqual(net.hops.map((h) => h.ttl));
    for (const spec of net.hops) {
      const hop = hops[spec.ttl - 1]!;
      const expected = version === 4 ? spec.v4 : spec.v6;
      if (spec.silent) {
        expect(hop.hosts, `TTL ${spec.ttl} is silent`).toEqual([]);
        expect(hop.lossPct).toBe(100);
      } else {
        expect(hop.hosts.length, `TTL ${spec.ttl} answered`).toBeGreaterThan(0);
        for (const host of hop.hosts) expect(expected).toContain(host.address);
      }
    }
  }

  it('traces the full IPv4 path in order with the silent hop present and the destination reached', async () => {
    const net = getNet();
    const { summary, hops } = await trace({ target: net.target.v4 });
    expect(summary.state).toBe('finished');
    expect(summary.destinationTtl).toBe(net.destinationTtl);
    expectPath(net, hops, 4);
  });

  it('traces the full IPv6 path', async () => {
    const net = getNet();
    const { summary, hops } = await trace({ target: net.target.v6 });
    expect(summary.state).toBe('finished');
    expect(summary.ipVersion).toBe(6);
    expect(summary.destinationTtl).toBe(net.destinationTtl);
    expectPath(net, hops, 6);
  });

  it('shows both ECMP branches for UDP without a port', async () => {
    const net = getNet();
    const { hops } = await trace({ target: net.target.v4, protocol: 'udp', count: 16 });
    const ecmp = hops[net.ecmpTtl - 1]!;
    expect(ecmp.hosts.map((h) => h.address).sort()).toEqual([...net.hops[net.ecmpTtl - 1]!.v4].sort());
    expect(ecmp.received).toBe(16);
  });

  it('shows exactly one branch for a fixed UDP flow (port and local port)', async () => {
    const net = getNet();
    const { hops } = await trace({ target: net.target.v4, protocol: 'udp', port: 33434, localPort: 40000, count: 16 });
    const ecmp = hops[net.ecmpTtl - 1]!;
    expect(ecmp.hosts).toHaveLength(1);
    expect(ecmp.received).toBe(16);
  });

  it('reaches the open TCP port of the target', async () => {
    const net = getNet();
    const { summary, hops } = await trace({ target: net.target.v4, protocol: 'tcp', port: net.target.openTcpPort });
    expect(summary.destinationTtl).toBe(net.destinationTtl);
    expect(hops.at(-1)!.hosts[0]!.address).toBe(net.target.v4);
  });

  it('runs three sessions at once over one mtr-packet', async () => {
    const net = getNet();
    const results = await Promise.all([
      trace({ target: net.target.v4, count: 3 }),
      trace({ target: net.target.v6, protocol: 'udp', count: 3 }),
      trace({ target: net.target.v4, protocol: 'tcp', port: net.target.openTcpPort, count: 3 }),
    ]);
    expectPath(net, results[0].hops, 4);
    expectPath(net, results[1].hops, 6);
    expectPath(net, results[2].hops, 4);
    for (const { summary, hops } of results) {
      expect(summary.rounds).toBe(3);
      expect(hops[0]!.sent).toBe(3);
      expect(hops[0]!.received).toBe(3);
    }
  });
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

// A continuous trace while a router's route changes under it (`ip route replace`), at a modest rate.
describeWithNetwork(
  'trace engine while the path gets shorter and longer again (real mtr-packet)',
  (getNet) => {
    it('sees the destination at the shorter TTL, then finds it again at the longer one, keeping history', async () => {
      const net = getNet();
      const client = new MtrPacketClient({ path: net.mtrPacketPath });
      await client.open();
      const options = traceOptionsSchema.parse({
        target: net.target.v4,
        count: null,
        intervalSec: 0.2,
        timeoutSec: 2,
        dns: false,
      });
      const session = new TraceSession('path', options, { transport: client, explainFailure }, () => undefined);
      const long = net.destinationTtl;
      const short = net.shortcut!.destinationTtl;
      try {
        await session.start();
        await waitFor(() => session.summary().destinationTtl === long && session.summary().rounds >= 3, 'the path');
        await net.shortcut!.use(true);
        await waitFor(() => session.summary().destinationTtl === short, 'the shorter path');
        const atSwitch = session.summary().rounds;
        await waitFor(() => session.summary().rounds >= atSwitch + 3, 'rounds on the shorter path');
        let hops = session.snapshotHops();
        const beyond = hops.find((h) => h.ttl === long)!;
        expect(beyond.onPath).toBe(false);
        expect(beyond.samples.length).toBeGreaterThanOrEqual(3);
        expect(hops.find((h) => h.ttl === short)!.hosts.map((h) => h.address)).toContain(net.target.v4);
        const sentBeyond = beyond.sent;

        await net.shortcut!.use(false);
        await waitFor(() => session.summary().destinationTtl === long, 'the destination at the longer TTL again');
        const found = session.summary().rounds;
        await waitFor(() => session.summary().rounds >= found + 2, 'rounds on the longer path');
        hops = session.snapshotHops();
        expect(hops.map((h) => h.ttl)).toEqual(net.hops.map((h) => h.ttl));
        expect(hops.every((h) => h.onPath !== false)).toBe(true);
        expect(hops[long - 1]!.sent).toBeGreaterThan(sentBeyond);
        // TTL `short` has answered as the destination and as r5 (the router in front of it).
        const r5 = net.hops[short - 1]!.v4;
        expect(hops[short - 1]!.hosts.map((h) => h.address).sort()).toEqual([...r5, net.target.v4].sort());
        expect(hops[short - 1]!.samples.at(-1)!.result).toBe('ttl-expired');
      } finally {
        session.dispose();
        await net.shortcut!.use(false);
        await client.close();
      }
    });
  },
  { shortcut: true },
);

// An unreachable target beside a healthy trace over the same mtr-packet.
describeWithNetwork(
  'trace engine towards an unreachable prefix (real mtr-packet)',
  (getNet) => {
    it('shows the router that answered unreachable, stops there, and leaves a healthy session alone', async () => {
      const net = getNet();
      const u = net.unreachable!;
      const client = new MtrPacketClient({ path: net.mtrPacketPath });
      await client.open();
      const run = async (target: string, maxTtl = 30) => {
        const options = traceOptionsSchema.parse({
          target,
          count: 3,
          intervalSec: 1.1,
          timeoutSec: 2,
          dns: false,
          maxTtl,
        });
        const session = new TraceSession(target, options, { transport: client, explainFailure }, () => undefined);
        await session.start();
        const summary = await session.done;
        const hops = session.snapshotHops();
        session.dispose();
        return { summary, hops };
      };
      try {
        // Linux rate-limits the unreachables of an `unreachable` route on its own (ip_error: a burst of 5,
        // then 1 a second, whatever icmp_ratelimit says): round 0 stays within the burst (TTLs 3..5)
        // and later rounds go a little over a second apart.
        const [blocked, healthy] = await Promise.all([run(u.v4, 5), run(net.target.v4)]);
        expect(blocked.summary.state).toBe('finished');
        expect(blocked.summary.unreachable).toEqual({ ttl: u.routerTtl, address: u.router.v4 });
        expect(blocked.summary.error).toBeUndefined();
        expect(blocked.hops.map((h) => h.ttl)).toEqual([1, 2, 3]);
        const last = blocked.hops[u.routerTtl - 1]!;
        expect(last.unreachable).toBe(true);
        expect(last.hosts.map((h) => h.address)).toEqual([u.router.v4]);
        expect(last.lossPct).toBe(0);
        expect(last.received).toBe(3);

        expect(healthy.summary.unreachable).toBeUndefined();
        expect(healthy.summary.destinationTtl).toBe(net.destinationTtl);
        expect(healthy.hops.map((h) => h.ttl)).toEqual(net.hops.map((h) => h.ttl));
        expect(healthy.hops.at(-1)!.hosts[0]!.address).toBe(net.target.v4);
        expect(healthy.hops.every((h) => h.unreachable === undefined)).toBe(true);
      } finally {
        await client.close();
      }
    });
  },
  { unreachablePrefix: true },
);
