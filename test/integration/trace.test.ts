import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import type { TestNetwork } from '../net/testNetwork';
import { MtrPacketClient } from '../../src/main/mtr/client';
import { TraceSession } from '../../src/main/trace/traceSession';
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
    const session = new TraceSession('t', options, { transport: client, batchIntervalMs: 20 }, () => undefined);
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
