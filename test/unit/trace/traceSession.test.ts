import { describe, expect, it } from 'vitest';
import { TraceSession, MAX_UNKNOWN_HOPS } from '../../../src/main/trace/traceSession';
import { traceOptionsSchema, type TraceOptionsInput } from '@shared/traceOptions';
import type { SessionEvent, SessionEventBatch } from '@shared/session';
import { ScriptedTransport } from '../../fixtures/scriptedTransport';
import { ReverseDnsCache } from '../../../src/main/net/reverseDns';
import { explainFailure } from '../../../src/main/service/sessionErrors';
import { scriptedSession, waitFor } from './sessionHarness';

const TARGET = '198.18.9.9';
const PATH = [
  { responders: ['198.18.0.1'] },
  { responders: [] }, // silent
  { responders: ['198.18.0.3'] },
  { responders: ['198.18.4.1', '198.18.4.2'] }, // ECMP
];

function makeSession(transport: ScriptedTransport, input: Partial<TraceOptionsInput> = {}) {
  const batches: SessionEventBatch[] = [];
  const options = traceOptionsSchema.parse({ target: TARGET, count: 1, intervalSec: 0.05, dns: false, ...input });
  const session = new TraceSession('s1', options, { transport, explainFailure, batchIntervalMs: 20 }, (b) =>
    batches.push(b),
  );
  const events = () => batches.flatMap((b) => b.events);
  return { session, batches, events };
}

function ofType<T extends SessionEvent['type']>(events: SessionEvent[], type: T) {
  return events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
}

describe('TraceSession', () => {
  it('probes every TTL of the first round in parallel and learns the destination TTL', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    const { session, events } = makeSession(transport, { maxTtl: 30 });
    await session.start();
    const summary = await session.done;
    expect(transport.maxInFlight).toBe(30);
    expect(summary.state).toBe('finished');
    expect(summary.destinationTtl).toBe(5);
    const hops = session.snapshotHops();
    expect(hops.map((h) => h.ttl)).toEqual([1, 2, 3, 4, 5]);
    expect(hops[4]!.hosts[0]!.address).toBe(TARGET);
    expect(ofType(events(), 'destination-reached')).toEqual([{ type: 'destination-reached', ttl: 5 }]);
  });

  it('declares a silent hop lost by the adaptive wait, without waiting for the probe timeout', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    const { session } = makeSession(transport, { timeoutSec: 30 });
    await session.start();
    const summary = await session.done;
    // The session finished while mtr-packet would still be waiting on the silent probe.
    expect(transport.pendingSilent).toBe(1);
    expect(summary.state).toBe('finished');
    const silent = session.snapshotHops()[1]!;
    expect(silent.hosts).toEqual([]);
    expect(silent.lossPct).toBe(100);
    transport.releaseSilent();
  });

  it('still counts a reply that arrives after the hop was presumed lost', async () => {
    // Presumed lost because the router after it answered (a destination's answer would not do: see below).
    const slow = [{ responders: ['198.18.0.1'], lateReplyMs: 150 }, { responders: ['198.18.0.2'] }];
    const transport = new ScriptedTransport(slow, TARGET, 1);
    const { session } = makeSession(transport);
    await session.start();
    await session.done;
    expect(session.snapshotHops()[0]!.lossPct).toBe(100);
    await new Promise((r) => setTimeout(r, 250));
    const hop = session.snapshotHops()[0]!;
    expect(hop.received).toBe(1);
    expect(hop.lossPct).toBe(0);
    expect(hop.hosts[0]!.address).toBe('198.18.0.1');
  });

  it('keeps per-responder statistics for ECMP hops and reports each new responder once', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    const { session, events } = makeSession(transport, { count: 4 });
    await session.start();
    await session.done;
    const ecmp = session.snapshotHops()[3]!;
    expect(ecmp.hosts.map((h) => h.address).sort()).toEqual(['198.18.4.1', '198.18.4.2']);
    expect(ecmp.sent).toBe(4);
    expect(ecmp.received).toBe(4);
    const changes = ofType(events(), 'path-changed').filter((e) => e.ttl === 4);
    expect(changes.map((e) => e.address).sort()).toEqual(['198.18.4.1', '198.18.4.2']);
    transport.releaseSilent();
  });

  it('stops probing past the destination after discovery', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    const { session } = makeSession(transport, { count: 3, maxTtl: 20 });
    await session.start();
    await session.done;
    const laterRounds = transport.sent.slice(20);
    expect(laterRounds).toHaveLength(10);
    expect(Math.max(...laterRounds.map((p) => p.options.ttl!))).toBe(5);
    transport.releaseSilent();
  });

  it('limits later rounds to a few TTLs past the last answer when the destination never answers', async () => {
    const blackhole = [{ responders: ['198.18.0.1'] }, ...Array.from({ length: 29 }, () => ({ responders: [] }))];
    const transport = new ScriptedTransport(blackhole, TARGET);
    const { session } = makeSession(transport, { count: 2, timeoutSec: 0.2 });
    await session.start();
    // Round 0 waits for mtr-packet's own no-reply on the silent tail; simulate it.
    setTimeout(() => transport.releaseSilent(), 50);
    setTimeout(() => transport.releaseSilent(), 200);
    const summary = await session.done;
    expect(summary.destinationTtl).toBeNull();
    const second = transport.sent.slice(30);
    expect(Math.max(...second.map((p) => p.options.ttl!))).toBe(1 + MAX_UNKNOWN_HOPS);
  });

  it('passes every probe option through to the transport', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    const { session } = makeSession(transport, {
      protocol: 'udp',
      port: 53,
      localPort: 4000,
      size: 100,
      bitPattern: 7,
      tos: 16,
      mark: 3,
      localIp: '198.18.0.100',
      timeoutSec: 2,
      maxTtl: 1,
    });
    await session.start();
    await session.done;
    expect(transport.sent[0]!.options).toEqual({
      ttl: 1,
      protocol: 'udp',
      port: 53,
      localPort: 4000,
      size: 100,
      bitPattern: 7,
      tos: 16,
      mark: 3,
      localIp: '198.18.0.100',
      timeoutSec: 2,
      ipVersion: 4,
    });
    transport.releaseSilent();
  });

  it('ends with a specific error on permission-denied and keeps what it collected', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    const { session, events } = makeSession(transport, { count: null });
    transport.override = (_a, o) =>
      transport.sent.length > 12 && o.ttl === 3
        ? { success: false, result: 'permission-denied', responder: null, timeMs: null, mpls: [] }
        : undefined;
    await session.start();
    const summary = await session.done;
    expect(summary.state).toBe('failed');
    expect(summary.error?.code).toBe('mtr-packet-permission');
    expect(summary.error?.fix).toBeTruthy();
    expect(session.snapshotHops()[0]!.received).toBeGreaterThan(0);
    expect(ofType(events(), 'error')).toHaveLength(1);
    transport.releaseSilent();
  });

  it('resolves a new target before anything stops: on failure the running trace is untouched', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    const { TargetResolveError } = await import('../../../src/main/net/resolveTarget');
    const { session, batches } = scriptedSession(
      transport,
      { count: null },
      {
        resolveTarget: async (target) => {
          if (target === 'nowhere.invalid') throw new TargetResolveError(target, 'no such host');
          return { address: TARGET, ipVersion: 4 };
        },
      },
    );
    await session.start();
    await waitFor(() => session.summary().rounds >= 2, 'two rounds');
    const before = session.summary();
    const batchesBefore = batches.length;
    const failed = session.updateOptions(
      traceOptionsSchema.parse({ target: 'nowhere.invalid', count: null, intervalSec: 0.05, dns: false }),
    );
    await expect(failed).rejects.toThrow('cannot resolve nowhere.invalid: no such host');
    const error = explainFailure(await failed.catch((e: unknown) => e));
    // Title and detail read as one sentence: the target is named once.
    expect(`${error.title}: ${error.detail}`).toBe('Cannot resolve nowhere.invalid: no such host');
    const after = session.summary();
    expect(after).toMatchObject({ state: 'running', targetAddress: TARGET, segment: 0, restarts: [] });
    expect(after.options.target).toBe(TARGET);
    expect(after.error).toBeUndefined();
    await waitFor(() => session.summary().rounds > before.rounds, 'rounds going on');
    expect(
      batches
        .slice(batchesBefore)
        .flatMap((b) => b.events)
        .some((e) => e.type === 'error' || (e.type === 'state' && e.summary.state !== 'running')),
    ).toBe(false);
    session.stop();
    transport.releaseSilent();
  });

  it('does not run again when stopped while a new target is being resolved', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    let answer!: () => void;
    const { session } = scriptedSession(
      transport,
      { count: null },
      {
        resolveTarget: (target) =>
          target === TARGET
            ? Promise.resolve({ address: TARGET, ipVersion: 4 })
            : new Promise((resolve) => (answer = () => resolve({ address: '198.18.9.8', ipVersion: 4 }))),
      },
    );
    await session.start();
    await waitFor(() => session.summary().rounds >= 1, 'a round');
    const applying = session.updateOptions(
      traceOptionsSchema.parse({ target: 'slow.hopscope.test', count: null, intervalSec: 0.05, dns: false }),
    );
    session.stop();
    const sent = transport.sent.length;
    answer();
    await applying;
    await new Promise((r) => setTimeout(r, 100));
    expect(session.summary()).toMatchObject({ state: 'stopped', segment: 0, targetAddress: TARGET });
    expect(transport.sent.length).toBe(sent);
    transport.releaseSilent();
  });

  it('fails clearly when the target does not resolve', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    const options = traceOptionsSchema.parse({ target: 'nowhere.invalid', count: 1, dns: false });
    const session = new TraceSession(
      's2',
      options,
      {
        transport,
        explainFailure,
        resolveTarget: async () => {
          const { TargetResolveError } = await import('../../../src/main/net/resolveTarget');
          throw new TargetResolveError('nowhere.invalid', 'no such host');
        },
      },
      () => undefined,
    );
    await session.start();
    const summary = await session.done;
    expect(summary.state).toBe('failed');
    expect(summary.error).toMatchObject({ code: 'resolve-failed' });
    expect(summary.error!.detail).toContain('no such host');
    expect(transport.sent).toHaveLength(0);
  });

  it('pauses, resumes, starts a new segment with new options keeping the earlier one, and stops', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    const { session } = makeSession(transport, { count: null, intervalSec: 0.05 });
    await session.start();
    await new Promise((r) => setTimeout(r, 160));
    session.pause();
    const sentAtPause = transport.sent.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(transport.sent.length).toBe(sentAtPause);
    expect(session.summary().state).toBe('paused');
    session.resume();
    await new Promise((r) => setTimeout(r, 100));
    expect(transport.sent.length).toBeGreaterThan(sentAtPause);
    const before = session.snapshotHops()[0]!.sent;
    await session.updateOptions(
      traceOptionsSchema.parse({ target: TARGET, protocol: 'tcp', port: 443, intervalSec: 0.05, dns: false }),
    );
    await new Promise((r) => setTimeout(r, 120));
    expect(transport.sent.at(-1)!.options.protocol).toBe('tcp');
    // TCP counts start from nothing; the ICMP segment keeps what it had.
    const tcpSent = session.snapshotHops()[0]!.sent;
    expect(tcpSent).toBeGreaterThan(0);
    expect(session.snapshotEarlierSegments()[0]![0]!.sent).toBeGreaterThanOrEqual(before);
    expect(session.summary().segment).toBe(1);
    expect(session.summary().restarts).toHaveLength(1);
    session.stop();
    const summary = await session.done;
    expect(summary.state).toBe('stopped');
    transport.releaseSilent();
  });

  it('batches events: far fewer batches than probes, with sample deltas for every answered probe', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    const { session, batches, events } = makeSession(transport, { count: 5, intervalSec: 0.05 });
    await session.start();
    await session.done;
    expect(batches.length).toBeLessThan(transport.sent.length);
    expect(batches.map((b) => b.seq)).toEqual(batches.map((_b, i) => i + 1));
    const deltas = ofType(events(), 'hops').flatMap((e) => e.samples);
    const ttl1 = deltas.filter((d) => d.ttl === 1).flatMap((d) => d.samples);
    expect(ttl1.map((s) => s.round)).toEqual([0, 1, 2, 3, 4]);
    transport.releaseSilent();
  });

  it('emits hostname events from the asynchronous reverse DNS cache without delaying probes', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    const dns = new ReverseDnsCache(
      (address) => new Promise((resolve) => setTimeout(() => resolve([`host-${address}.test`]), 60)),
    );
    const batches: SessionEventBatch[] = [];
    const options = traceOptionsSchema.parse({ target: TARGET, count: 1, dns: true });
    const session = new TraceSession(
      's3',
      options,
      { transport, explainFailure, reverseDns: dns, batchIntervalMs: 10 },
      (b) => batches.push(b),
    );
    await session.start();
    await session.done; // finishes before the slow resolver answers
    expect(session.snapshotHops()[0]!.hosts[0]!.hostname).toBeNull();
    await dns.whenIdle(1000);
    expect(session.snapshotHops()[0]!.hosts[0]!.hostname).toBe('host-198.18.0.1.test');
    transport.releaseSilent();
  });

  it('warns that fixed-flow UDP over IPv6 cannot work with mtr-packet 0.95', async () => {
    const transport = new ScriptedTransport(PATH, 'fd48::9');
    const batches: SessionEventBatch[] = [];
    const options = traceOptionsSchema.parse({
      target: 'fd48::9',
      protocol: 'udp',
      port: 53,
      localPort: 4000,
      count: 1,
      dns: false,
    });
    const session = new TraceSession('s4', options, { transport, explainFailure, mtrPacketVersion: '0.95' }, (b) =>
      batches.push(b),
    );
    await session.start();
    await session.done;
    const errors = ofType(
      batches.flatMap((b) => b.events),
      'error',
    );
    expect(errors.map((e) => e.error.code)).toEqual(['mtr-packet-limitation']);
    transport.releaseSilent();
  });

  it('still receives host names after a stopped session is restarted with new options', async () => {
    const transport = new ScriptedTransport(PATH, TARGET);
    const dns = new ReverseDnsCache((address) => Promise.resolve([`host-${address}.test`]));
    const batches: SessionEventBatch[] = [];
    const options = traceOptionsSchema.parse({ target: TARGET, count: 1, dns: true, maxTtl: 1 });
    const session = new TraceSession(
      's5',
      options,
      { transport, explainFailure, reverseDns: dns, batchIntervalMs: 10 },
      (b) => batches.push(b),
    );
    await session.start();
    await session.done;
    await dns.whenIdle(1000);
    await new Promise((r) => setTimeout(r, 30));
    dns.clear();
    await session.updateOptions(
      traceOptionsSchema.parse({ target: TARGET, count: 1, dns: true, maxTtl: 1, protocol: 'udp' }),
    );
    await dns.whenIdle(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(session.snapshotHops()[0]!.hosts[0]!.hostname).toBe('host-198.18.0.1.test');
    const restartNames = ofType(
      batches.flatMap((b) => b.events),
      'hostname',
    );
    expect(restartNames.length).toBeGreaterThanOrEqual(2);
  });
});
