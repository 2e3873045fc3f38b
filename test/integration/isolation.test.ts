/**
 * One session must not hurt another, on the real mtr-packet in namespaces:
 * a fully silent path, a router answering unreachable and a local
 * `unreachable` route, each beside healthy sessions.
 */
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { describeWithNetwork } from '../net/vitestNetwork';
import { namespaceResolvers } from '../net/namespaceResolvers';
import { namespaceRouteLookup } from '../net/namespaceRouteLookup';
import type { TestNetwork } from '../net/testNetwork';
import { TraceService } from '../../src/main/service/traceService';
import { serviceCalls } from '../fixtures/serviceCalls';
import type { SessionEventBatch } from '@shared/session';

const HOPSCOPE = join(resolve(__dirname, '../..'), 'bin/hopscope');

ensureBuilt();

function makeService(net: TestNetwork) {
  const batches: SessionEventBatch[] = [];
  const service = new TraceService({
    mtrPacketPath: net.mtrPacketPath,
    resolvers: namespaceResolvers(net),
    routeLookup: namespaceRouteLookup(net),
  });
  service.onEvents((b) => batches.push(b));
  const { start, summary, doc } = serviceCalls(() => service);
  const errors = (id: string) =>
    batches
      .filter((b) => b.sessionId === id)
      .flatMap((b) => b.events)
      .flatMap((e) => (e.type === 'error' ? [e.error] : []));
  return { service, start, summary, doc, errors };
}

/** The healthy sessions' promise: every round reached the destination, no probe was refused locally. */
async function expectHealthy(
  net: TestNetwork,
  s: ReturnType<typeof makeService>,
  id: string,
  rounds: number,
): Promise<void> {
  await expect.poll(async () => (await s.summary(id)).state, { timeout: 60_000, interval: 200 }).toBe('finished');
  const doc = await s.doc(id);
  const destination = doc.hops.find((h) => h.ttl === net.destinationTtl)!;
  expect(destination.sent).toBe(rounds);
  expect(destination.lossPct).toBe(0);
  const results = doc.hops.flatMap((h) => h.samples.map((x) => x.result));
  expect(results).not.toContain('probes-exhausted');
  expect(results).not.toContain('helper-restarted');
  expect(s.errors(id)).toEqual([]);
}

describeWithNetwork(
  'sessions beside a silent path and unreachable targets (real mtr-packet)',
  (getNet) => {
    it('a fully silent path (0.05 s, 30 TTLs, 10 s timeouts) does not cost two healthy sessions a probe', async () => {
      const net = getNet();
      // r1 drops everything to r5's far address before routing it: no hop ever answers, not even r1.
      const silentTarget = '198.18.7.2';
      const rules = `table inet hs_silent {
        chain pre { type filter hook prerouting priority -300; ip daddr ${silentTarget} drop; }
      }`;
      const added = await net.exec(net.namespaces.r1, ['nft', '-f', '-'], { input: rules });
      expect(added.code, added.stderr).toBe(0);
      const s = makeService(net);
      try {
        const silent = await s.start({ target: silentTarget, intervalSec: 0.05, maxTtl: 30, timeoutSec: 10 });
        // Let the silent session fill its share of the slots first.
        await new Promise((r) => setTimeout(r, 1500));
        const held = (await s.summary(silent)).heldBackProbes ?? 0;
        const healthy = [
          await s.start({ target: net.target.v4, count: 20, intervalSec: 0.1 }),
          await s.start({ target: net.target.v6, protocol: 'udp', count: 20, intervalSec: 0.1 }),
        ];
        for (const id of healthy) await expectHealthy(net, s, id, 20);
        const silentNow = await s.summary(silent);
        expect(silentNow.state).toBe('running');
        // Its rounds waited for its own probes instead of queueing without bound.
        expect(held).toBeGreaterThan(0);
        expect(held).toBeLessThanOrEqual(30);
        const silentDoc = await s.doc(silent);
        expect(silentDoc.hops.every((h) => h.received === 0)).toBe(true);
      } finally {
        await s.service.dispose();
        await net.exec(net.namespaces.r1, ['nft', 'delete', 'table', 'inet', 'hs_silent']);
      }
    });

    it('a router answering unreachable (!N) ends that path; the healthy sessions beside it are untouched', async () => {
      const net = getNet();
      const s = makeService(net);
      try {
        const blocked = await s.start({ target: net.unreachable!.v4, intervalSec: 0.1 });
        // First the verdict: r3's kernel rate-limits its unreachable errors with the same per-client
        // tokens its time-exceeded answers to the healthy sessions use up.
        await expect
          .poll(async () => (await s.summary(blocked)).unreachable, { timeout: 10_000 })
          .toMatchObject({ ttl: net.unreachable!.routerTtl, address: net.unreachable!.router.v4 });
        const healthy = [
          await s.start({ target: net.target.v4, count: 15, intervalSec: 0.1 }),
          await s.start({ target: net.target.v6, count: 15, intervalSec: 0.1 }),
        ];
        for (const id of healthy) await expectHealthy(net, s, id, 15);
        const summary = await s.summary(blocked);
        expect(summary.state).toBe('running');
        expect(summary.unreachable).toMatchObject({
          ttl: net.unreachable!.routerTtl,
          address: net.unreachable!.router.v4,
        });
        expect(summary.markers?.filter((m) => m.kind === 'helper-restarted')).toEqual([]);
      } finally {
        await s.service.dispose();
      }
    });

    it('a local `unreachable` route fails that session with "Network is unreachable" before any probe; mtr-packet never sees it', async () => {
      const net = getNet();
      const prefix = '198.18.201.0/24';
      const prefix6 = 'fd48:6f70:0:201::/64';
      const added = await net.runInClient(['ip', 'route', 'add', 'unreachable', prefix]);
      expect(added.code, added.stderr).toBe(0);
      const added6 = await net.runInClient(['ip', '-6', 'route', 'add', 'unreachable', prefix6]);
      expect(added6.code, added6.stderr).toBe(0);
      const s = makeService(net);
      try {
        const healthy = [
          await s.start({ target: net.target.v4, count: 15, intervalSec: 0.1 }),
          await s.start({ target: net.target.v6, count: 15, intervalSec: 0.1 }),
        ];
        const local = await s.start({ target: '198.18.201.7', intervalSec: 0.1 });
        const local6 = await s.start({ target: 'fd48:6f70:0:201::7', intervalSec: 0.1 });
        for (const id of [local, local6]) {
          await expect.poll(async () => (await s.summary(id)).state, { timeout: 10_000 }).toBe('failed');
          const summary = await s.summary(id);
          expect(summary.error).toMatchObject({ code: 'no-route', title: 'Network is unreachable' });
          expect((await s.doc(id)).hops).toEqual([]);
        }
        for (const id of healthy) {
          await expectHealthy(net, s, id, 15);
          expect((await s.summary(id)).markers?.filter((m) => m.kind === 'helper-restarted')).toEqual([]);
        }
        // The CLI, run where the route is, answers as mtr does: the error and exit status 1, no report.
        const cli = await net.runInClient([process.execPath, HOPSCOPE, '198.18.201.7', '-n', '-c', '1', '-r'], {
          timeoutMs: 30_000,
        });
        expect(cli.code).toBe(1);
        expect(cli.stdout).toBe('');
        expect(cli.stderr).toMatch(/^hopscope: Network is unreachable: .*198\.18\.201\.7/);
      } finally {
        await s.service.dispose();
        await net.runInClient(['ip', 'route', 'del', 'unreachable', prefix]);
        await net.runInClient(['ip', '-6', 'route', 'del', 'unreachable', prefix6]);
      }
    });
  },
  { unreachablePrefix: true },
);
