import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventOutbox, type Delivery } from '../../../src/main/service/eventOutbox';
import type { SessionEventBatch } from '@shared/session';

const batch = (seq: number): SessionEventBatch => ({ sessionId: 's1', seq, events: [] });

describe('EventOutbox', () => {
  it('queues until ready, then flushes in order and delivers directly', () => {
    const sent: Delivery[] = [];
    const outbox = new EventOutbox((d) => sent.push(d));
    outbox.post('sessionEvents', batch(1));
    outbox.post('menuCommand', 'open');
    outbox.post('sessionEvents', batch(2));
    expect(sent).toEqual([]);
    expect(outbox.queued).toBe(3);
    outbox.markReady();
    expect(sent.map((d) => d.event)).toEqual(['sessionEvents', 'menuCommand', 'sessionEvents']);
    expect(sent[2]).toEqual({ event: 'sessionEvents', payload: batch(2) });
    expect(outbox.queued).toBe(0);
    outbox.post('sessionEvents', batch(3));
    expect(sent).toHaveLength(4);
  });

  it('a second markReady does not send anything twice', () => {
    const sent: Delivery[] = [];
    const outbox = new EventOutbox((d) => sent.push(d));
    outbox.post('menuCommand', 'new-tab');
    outbox.markReady();
    outbox.markReady();
    expect(sent).toHaveLength(1);
  });

  it('queues again after a reload until the new page is ready', () => {
    const sent: Delivery[] = [];
    const outbox = new EventOutbox((d) => sent.push(d));
    outbox.markReady();
    outbox.post('sessionEvents', batch(1));
    outbox.markNotReady();
    outbox.post('sessionEvents', batch(2));
    expect(sent).toHaveLength(1);
    outbox.markReady();
    expect(sent.map((d) => (d.payload as SessionEventBatch).seq)).toEqual([1, 2]);
  });

  it('keeps the newest `capacity` events in order and counts the dropped ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 60 }), (capacity, count) => {
        const sent: number[] = [];
        const outbox = new EventOutbox((d) => sent.push((d.payload as SessionEventBatch).seq), capacity);
        for (let i = 0; i < count; i++) outbox.post('sessionEvents', batch(i));
        expect(outbox.queued).toBe(Math.min(count, capacity));
        expect(outbox.dropped).toBe(Math.max(0, count - capacity));
        outbox.markReady();
        const expected = Array.from({ length: count }, (_, i) => i).slice(Math.max(0, count - capacity));
        expect(sent).toEqual(expected);
      }),
    );
  });
});
