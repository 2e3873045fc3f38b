import { describe, expect, it } from 'vitest';
import { ScriptedTransport } from '../../fixtures/scriptedTransport';
import { TARGET, expectLiveModelEqualsFileModel, scriptedSession, waitFor } from './sessionHarness';

const path = [{ responders: ['198.18.0.1'] }, { responders: ['198.18.0.2'] }];

// mtr's `r` key: counting starts again, as a new segment, never by wiping what was collected.
describe('resetting statistics', () => {
  it('closes the segment as it stood and counts the next from zero, with the same options', async () => {
    const transport = new ScriptedTransport(path, TARGET, 1);
    const { session, batches, initial } = scriptedSession(transport, { count: null });
    await session.start();
    await waitFor(() => session.summary().rounds >= 4, 'four rounds');
    session.resetStatistics();
    const before = session.snapshotEarlierSegments()[0]!;
    expect(before.every((h) => h.sent >= 4)).toBe(true);
    // Right after the reset at most the first round of the new segment is out.
    expect(session.snapshotHops().every((h) => h.sent <= 1 && h.received === 0)).toBe(true);
    await waitFor(() => (session.summary().segments?.at(-1)?.rounds ?? 0) >= 1, 'a round after the reset');
    session.stop();
    await session.done;
    const summary = session.summary();
    expect(summary.segment).toBe(1);
    expect(summary.segments![1]!.options).toEqual(summary.segments![0]!.options);
    expect(summary.markers?.map((m) => m.kind)).toEqual(['statistics-reset']);
    expect(summary.markers![0]!.round).toBe(summary.segments![1]!.firstRound);
    // The new segment's counts start at the reset; the closed segment keeps its own.
    const after = session.snapshotHops();
    expect(after.map((h) => h.ttl)).toEqual(before.map((h) => h.ttl));
    expect(after.every((h) => h.sent <= summary.segments![1]!.rounds + 1)).toBe(true);
    expect(session.snapshotEarlierSegments()[0]).toEqual(before);
    expectLiveModelEqualsFileModel(session, batches, initial);
  });

  it('leaves a paused session paused, and does nothing before the target is known', async () => {
    const transport = new ScriptedTransport(path, TARGET, 1);
    const { session } = scriptedSession(transport, { count: null });
    session.resetStatistics();
    expect(session.summary().segment).toBe(0);
    await session.start();
    await waitFor(() => session.summary().rounds >= 2, 'two rounds');
    session.pause();
    session.resetStatistics();
    expect(session.summary()).toMatchObject({ state: 'paused', segment: 1 });
    session.resume();
    await waitFor(() => (session.summary().segments?.at(-1)?.rounds ?? 0) >= 1, 'a round after resuming');
    session.stop();
    await session.done;
  });
});
