/**
 * The probe scheduler against a scripted transport whose probes settle only when the test says so,
 * so caps, turn order and closing can be observed exactly.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ProbeOptions, ProbeResult } from '@shared/probe';
import { isValidProbeOptions, StateError, ValidationError } from '../../../src/main/mtr';
import { MTR_PACKET_MAX_PROBES, ProbeScheduler } from '../../../src/main/probing/probeScheduler';
import type { ProbeTransport } from '../../../src/main/trace/probeTransport';

interface Sent {
  address: string;
  options: ProbeOptions;
  settle: (result: ProbeResult) => void;
  fail: (err: Error) => void;
}

/** Records every probe it is given and answers only when told. */
class ManualTransport implements ProbeTransport {
  readonly sent: Sent[] = [];
  readonly open: Sent[] = [];
  inFlight = 0;
  maxInFlight = 0;

  probe(address: string, options: ProbeOptions = {}): Promise<ProbeResult> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise((resolve, reject) => {
      const entry: Sent = {
        address,
        options,
        settle: (r) => {
          this.inFlight--;
          resolve(r);
        },
        fail: (e) => {
          this.inFlight--;
          reject(e);
        },
      };
      this.sent.push(entry);
      this.open.push(entry);
    });
  }

  /** Answer the open probe at `index` (default: the oldest) with a reply from its own address. */
  answer(index = 0): void {
    const [entry] = this.open.splice(index, 1);
    if (!entry) throw new Error('nothing to answer');
    entry.settle(reply(entry.address));
  }
}

const reply = (address: string): ProbeResult => ({
  success: true,
  result: 'reply',
  timeMs: 1,
  responder: address,
  mpls: [],
});
const flush = () => new Promise((r) => setImmediate(r));
/** 198.18.<session>.<n>: the session a probe came from is visible in its address. */
const addr = (session: number, n: number) => `198.18.${session}.${(n % 250) + 1}`;
const sessionOf = (address: string) => Number(address.split('.')[2]);

describe('ProbeScheduler', () => {
  it('never exceeds the global or per-session cap, and every probe gets its own answer', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 12 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        async (maxInFlight, maxPerSession, bursts, picks) => {
          const transport = new ManualTransport();
          const scheduler = new ProbeScheduler(transport, { maxInFlight, maxInFlightPerSession: maxPerSession });
          const perSessionMax = new Map<number, number>();
          const results: Promise<void>[] = [];
          let n = 0;
          for (const [session, count] of bursts) {
            const t = scheduler.forSession(`s${session}`);
            for (let i = 0; i < count; i++) {
              const address = addr(session, n++);
              results.push(t.probe(address, { ttl: 1 }).then((r) => expect(r.responder).toBe(address)));
            }
          }
          let step = 0;
          while (transport.open.length > 0) {
            const counts = new Map<number, number>();
            for (const o of transport.open)
              counts.set(sessionOf(o.address), (counts.get(sessionOf(o.address)) ?? 0) + 1);
            for (const [s, c] of counts) {
              expect(c).toBeLessThanOrEqual(maxPerSession);
              perSessionMax.set(s, Math.max(perSessionMax.get(s) ?? 0, c));
            }
            expect(transport.open.length).toBeLessThanOrEqual(maxInFlight);
            transport.answer((picks[step++ % picks.length] ?? 0) % transport.open.length);
            await flush();
          }
          await Promise.all(results);
          expect(transport.sent).toHaveLength(n);
          expect(transport.maxInFlight).toBeLessThanOrEqual(maxInFlight);
          expect(scheduler.heldBack()).toBe(0);
          expect(scheduler.inFlight()).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('shares free slots round-robin: a late small session is not stuck behind a flood', async () => {
    const transport = new ManualTransport();
    const scheduler = new ProbeScheduler(transport, { maxInFlight: 2, maxInFlightPerSession: 2 });
    const flood = scheduler.forSession('flood');
    const small = scheduler.forSession('small');
    const all: Promise<ProbeResult>[] = [];
    for (let i = 0; i < 100; i++) all.push(flood.probe(addr(1, i)));
    for (let i = 0; i < 10; i++) all.push(small.probe(addr(2, i)));
    expect(flood.heldBack()).toBe(98);
    expect(small.heldBack()).toBe(10);
    while (transport.open.length > 0) {
      transport.answer();
      await flush();
    }
    await Promise.all(all);
    // After the flood's first two, sends alternate until the small session is done.
    const order = transport.sent.map((s) => sessionOf(s.address));
    expect(order.slice(0, 2)).toEqual([1, 1]);
    expect(order.slice(2, 22)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 2 : 1)));
    expect(small.heldBack()).toBe(0);
  });

  it('a session that keeps refilling its queue never starves another one', async () => {
    const transport = new ManualTransport();
    const scheduler = new ProbeScheduler(transport, { maxInFlight: 3, maxInFlightPerSession: 3 });
    const greedy = scheduler.forSession('greedy');
    const other = scheduler.forSession('other');
    let g = 0;
    const refill = () => {
      for (let i = 0; i < 5; i++) void greedy.probe(addr(1, g++)).then(refill, () => undefined);
    };
    refill();
    const otherDone = Promise.all(Array.from({ length: 6 }, (_, i) => other.probe(addr(2, i))));
    let answered = 0;
    let finished = false;
    void otherDone.then(() => (finished = true));
    while (!finished) {
      transport.answer();
      answered++;
      await flush();
      expect(answered).toBeLessThan(40);
    }
    expect(greedy.heldBack()).toBeGreaterThan(0);
    greedy.close();
  });

  it('per-session caps hold even when the global cap has room', async () => {
    const transport = new ManualTransport();
    const scheduler = new ProbeScheduler(transport, { maxInFlight: 100, maxInFlightPerSession: 4 });
    const a = scheduler.forSession('a');
    for (let i = 0; i < 10; i++) void a.probe(addr(1, i)).catch(() => undefined);
    expect(transport.open).toHaveLength(4);
    expect(a.inFlight()).toBe(4);
    expect(a.heldBack()).toBe(6);
    transport.answer();
    await flush();
    expect(transport.open).toHaveLength(4);
    expect(a.heldBack()).toBe(5);
    a.close();
  });

  it('close() rejects queued probes, lets probes in flight finish, and refuses later probes', async () => {
    const transport = new ManualTransport();
    const scheduler = new ProbeScheduler(transport, { maxInFlight: 2, maxInFlightPerSession: 2 });
    const a = scheduler.forSession('a');
    const b = scheduler.forSession('b');
    const outcomes = Array.from({ length: 5 }, (_, i) =>
      a.probe(addr(1, i)).then(
        (r) => r.result,
        (e: unknown) => e,
      ),
    );
    const bProbe = b.probe(addr(2, 0));
    a.close();
    expect(a.heldBack()).toBe(0);
    transport.answer();
    transport.answer();
    await flush();
    const settled = await Promise.all(outcomes);
    expect(settled.slice(0, 2)).toEqual(['reply', 'reply']);
    for (const e of settled.slice(2)) expect(e).toBeInstanceOf(StateError);
    // The freed slots went to the other session.
    expect(transport.open.map((o) => sessionOf(o.address))).toEqual([2]);
    transport.answer();
    expect((await bProbe).responder).toBe(addr(2, 0));
    await expect(a.probe(addr(1, 9))).rejects.toBeInstanceOf(StateError);
    // A new transport under the same id after close starts fresh.
    expect(scheduler.forSession('a')).not.toBe(a);
    scheduler.close();
    expect(() => scheduler.forSession('c')).toThrow(StateError);
  });

  it('validates once at the boundary and hands the transport the validated options', async () => {
    const transport = new ManualTransport();
    const scheduler = new ProbeScheduler(transport);
    const s = scheduler.forSession('a');
    await expect(s.probe('198.18.0.1', { ttl: 300 })).rejects.toBeInstanceOf(ValidationError);
    await expect(s.probe('host.example', { ttl: 1 })).rejects.toBeInstanceOf(ValidationError);
    expect(transport.sent).toHaveLength(0);
    const options: ProbeOptions = { ttl: 3, timeoutSec: 1 };
    void s.probe('198.18.0.1', options).catch(() => undefined);
    void s.probe('198.18.0.2', options).catch(() => undefined);
    expect(transport.sent).toHaveLength(2);
    expect(isValidProbeOptions(transport.sent[0]?.options)).toBe(true);
    // The same options object is parsed once: both probes carry the same validated value.
    expect(transport.sent[0]?.options).toBe(transport.sent[1]?.options);
    s.close();
  });

  it('refuses caps that do not leave mtr-packet room', () => {
    const t = new ManualTransport();
    expect(() => new ProbeScheduler(t, { maxInFlight: MTR_PACKET_MAX_PROBES })).toThrow(ValidationError);
    expect(() => new ProbeScheduler(t, { maxInFlight: 0 })).toThrow(ValidationError);
    expect(() => new ProbeScheduler(t, { maxInFlightPerSession: 1.5 })).toThrow(ValidationError);
  });
});
