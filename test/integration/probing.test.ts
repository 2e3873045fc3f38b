/**
 * The probe scheduler, the helper supervisor and stall detection against the real mtr-packet in the
 * namespace test network (test/net). Probes go only to that network's addresses.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MtrPacketClient } from '../../src/main/mtr';
import { HelperSupervisor, type HelperRestart } from '../../src/main/probing/helperSupervisor';
import { ProbeScheduler } from '../../src/main/probing/probeScheduler';
import type { ProbeResult } from '@shared/probe';
import { describeWithNetwork } from '../net/vitestNetwork';

const count = (results: ProbeResult[], kind: ProbeResult['result']) => results.filter((r) => r.result === kind).length;

describeWithNetwork('probe scheduling and helper supervision with the real mtr-packet', (getNet) => {
  let client: MtrPacketClient;

  beforeAll(async () => {
    client = await MtrPacketClient.open({ path: getNet().mtrPacketPath });
  });
  afterAll(async () => {
    await client?.close();
  });

  it('without the scheduler, a flood to the silent hop exhausts mtr-packet (the problem)', async () => {
    const net = getNet();
    const flood = Array.from({ length: 1100 }, () =>
      client.probe(net.target.v4, { ttl: net.silentTtl, timeoutSec: 1 }),
    );
    await new Promise((r) => setTimeout(r, 100));
    const healthy = await Promise.all(Array.from({ length: 10 }, () => client.probe(net.target.v4, { timeoutSec: 2 })));
    const flooded = await Promise.all(flood);
    expect(count(flooded, 'probes-exhausted') + count(healthy, 'probes-exhausted')).toBeGreaterThan(0);
  });

  it('with the scheduler, a flood in one session leaves the other session its replies', async () => {
    const net = getNet();
    // Let mtr-packet's slots from the previous test drain (their 1 s timeouts).
    await new Promise((r) => setTimeout(r, 1500));
    const scheduler = new ProbeScheduler(client);
    const silent = scheduler.forSession('silent-path');
    const healthy = scheduler.forSession('healthy');
    const flood = Array.from({ length: 3000 }, () =>
      silent.probe(net.target.v4, { ttl: net.silentTtl, timeoutSec: 2 }).then(
        (r) => r,
        (e: unknown) => e,
      ),
    );
    expect(silent.heldBack()).toBeGreaterThan(0);
    const options = { timeoutSec: 2 };
    const replies: ProbeResult[] = [];
    for (let round = 0; round < 5; round++) {
      replies.push(...(await Promise.all(Array.from({ length: 20 }, () => healthy.probe(net.target.v4, options)))));
      expect(silent.heldBack(), 'the flood is being held back').toBeGreaterThan(0);
    }
    expect(count(replies, 'probes-exhausted')).toBe(0);
    expect(count(replies, 'reply')).toBe(replies.length);
    silent.close();
    const settled = await Promise.all(flood);
    const results = settled.filter((r): r is ProbeResult => typeof r === 'object' && r !== null && 'result' in r);
    expect(results.length).toBeGreaterThan(0);
    expect(count(results, 'probes-exhausted')).toBe(0);
    expect(count(results, 'no-reply')).toBe(results.length);
    expect(scheduler.inFlight()).toBe(0);
  });

  it('kill -9 during a run: in-flight probes are helper-restarted, later probes reach the target', async () => {
    const net = getNet();
    const restarts: HelperRestart[] = [];
    const supervisor = new HelperSupervisor({ client: { path: net.mtrPacketPath }, restartDelaysMs: [50] });
    supervisor.onRestart((r) => restarts.push(r));
    await supervisor.open();
    try {
      const pid = supervisor.client?.pid as number;
      const inFlight = Array.from({ length: 5 }, () =>
        supervisor.probe(net.target.v4, { ttl: net.silentTtl, timeoutSec: 5 }),
      );
      await new Promise((r) => setTimeout(r, 100));
      process.kill(pid, 'SIGKILL');
      for (const r of await Promise.all(inFlight)) expect(r.result).toBe('helper-restarted');
      expect(await supervisor.probe(net.target.v4, { timeoutSec: 2 })).toMatchObject({
        success: true,
        result: 'reply',
        responder: net.target.v4,
      });
      expect(supervisor.client?.pid).not.toBe(pid);
      expect(restarts).toHaveLength(1);
      expect(restarts[0]?.inFlightAddresses).toEqual([net.target.v4]);
      expect(restarts[0]?.error.signal).toBe('SIGKILL');
    } finally {
      await supervisor.close();
    }
  });

  it('a stopped mtr-packet (SIGSTOP) shows as helper-stalled, not loss; after SIGCONT it answers again', async () => {
    const net = getNet();
    const stalled = await MtrPacketClient.open({ path: net.mtrPacketPath, timeoutGraceMs: 300 });
    try {
      const pid = stalled.pid as number;
      process.kill(pid, 'SIGSTOP');
      try {
        const results = await Promise.all(
          Array.from({ length: 4 }, (_, i) => stalled.probe(net.target.v4, { ttl: i + 1, timeoutSec: 1 })),
        );
        for (const r of results) expect(r.result).toBe('helper-stalled');
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      expect(await stalled.probe(net.target.v4, { timeoutSec: 2 })).toMatchObject({ result: 'reply' });
    } finally {
      await stalled.close();
    }
  });
});
