import { describe, expect, it } from 'vitest';
import { LOCAL_RESULT_KINDS, type ProbeResult, type ProbeResultKind } from '@shared/probe';
import { buildTraceDocument } from '@shared/traceDocument';
import { traceDocumentSchema } from '@shared/traceFile';
import { traceOptionsSchema } from '@shared/traceOptions';
import { ScriptedTransport } from '../../fixtures/scriptedTransport';
import { TARGET, expectLiveModelEqualsFileModel, scriptedSession, waitFor } from './sessionHarness';

const local = (result: ProbeResultKind): ProbeResult => ({
  success: false,
  result,
  responder: null,
  timeMs: null,
  mpls: [],
});

describe('local results are never loss', () => {
  it('a session refused every probe (permission-denied) shows its error and no loss', async () => {
    const transport = new ScriptedTransport([{ responders: ['198.18.0.1'] }], TARGET);
    transport.override = () => local('permission-denied');
    const { session } = scriptedSession(transport, { count: 3, maxTtl: 25 });
    await session.start();
    const summary = await session.done;
    await new Promise((r) => setTimeout(r, 20));
    expect(summary.state).toBe('failed');
    expect(summary.error?.code).toBe('mtr-packet-permission');
    const hops = session.snapshotHops();
    expect(hops.length).toBeGreaterThan(0);
    for (const hop of hops) {
      expect(hop.sent, `TTL ${hop.ttl}`).toBe(0);
      expect(hop.lossPct, `TTL ${hop.ttl}`).toBe(0);
    }
  });

  it('a stalled helper marks its round stalled; a presumed loss it replaces is no longer loss', async () => {
    const path = [{ responders: ['198.18.0.1'] }, { responders: [] }, { responders: ['198.18.0.3'] }];
    const transport = new ScriptedTransport(path, TARGET);
    const { session, batches, initial } = scriptedSession(transport, { count: 1, timeoutSec: 30 });
    await session.start();
    await session.done;
    expect(session.snapshotHops()[1]!.lossPct).toBe(100); // presumed lost by the adaptive wait
    transport.releaseSilent(local('helper-stalled'));
    await waitFor(() => session.snapshotHops()[1]!.sent === 0, 'the stalled result');
    const hop = session.snapshotHops()[1]!;
    expect(hop.lossPct).toBe(0);
    expect(hop.samples).toEqual([expect.objectContaining({ round: 0, result: 'helper-stalled', address: null })]);
    expect(session.summary().markers).toEqual([expect.objectContaining({ kind: 'helper-stalled', round: 0 })]);
    expectLiveModelEqualsFileModel(session, batches, initial);
  });

  it.each([...LOCAL_RESULT_KINDS].filter((k) => !['permission-denied', 'invalid-argument', 'unknown'].includes(k)))(
    '%s counts neither as sent nor as lost',
    async (kind) => {
      const transport = new ScriptedTransport([{ responders: ['198.18.0.1'] }], TARGET);
      transport.override = (_a, o) => (o.ttl === 1 ? local(kind) : undefined);
      const { session } = scriptedSession(transport, { count: 2 });
      await session.start();
      await session.done;
      const first = session.snapshotHops()[0]!;
      expect(first).toMatchObject({ sent: 0, received: 0, lossPct: 0 });
      expect(first.samples.map((s) => s.result)).toEqual([kind, kind]);
    },
  );
});

describe('markers', () => {
  it('records options changes, helper restarts reported by the service, and writes them to the document', async () => {
    const transport = new ScriptedTransport([{ responders: ['198.18.0.1'] }], TARGET);
    let clock = 1_000;
    const { session } = scriptedSession(transport, { count: null }, { now: () => clock });
    await session.start();
    await waitFor(() => session.summary().rounds >= 2, 'two rounds');
    clock = 2_000;
    session.recordMarker('helper-restarted', 'mtr-packet exited with signal 9');
    const round = session.summary().markers![0]!.round;
    expect(round).toBeGreaterThanOrEqual(2);
    clock = 3_000;
    await session.updateOptions(
      traceOptionsSchema.parse({ target: TARGET, protocol: 'udp', count: 1, intervalSec: 0.05, dns: false }),
    );
    const summary = await session.done;
    expect(summary.markers).toEqual([
      { kind: 'helper-restarted', at: 2_000, round, detail: 'mtr-packet exited with signal 9' },
      { kind: 'options-changed', at: 3_000, round: expect.any(Number) },
    ]);
    expect(summary.restarts).toEqual([{ at: 3_000, round: summary.markers![1]!.round }]);
    const doc = traceDocumentSchema.parse(buildTraceDocument(summary, session.snapshotHops()));
    expect(doc.markers).toEqual(summary.markers);
  });
});
