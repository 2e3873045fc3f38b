/** The pending-request table with fake timers: tokens, expiry, late replies and the silent-helper rule. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PendingRequests, parseReplyLine, isWellFormedReply, type RequestOutcome } from '../../../src/main/mtr';

const line = (text: string) => {
  const parsed = parseReplyLine(text);
  if (!parsed) throw new Error(`unparseable: ${text}`);
  return parsed;
};

describe('PendingRequests', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('settles by token, then treats a repeat as unknown and a reply after expiry as late', async () => {
    const table = new PendingRequests(100, () => Date.now());
    const a = table.nextToken();
    const b = table.nextToken();
    const outcomeA = table.track(a, 1000, 1000);
    const outcomeB = table.track(b, 1000, 1000);
    expect(table.settle(line(`${a} reply ip-4 198.18.0.1 round-trip-time 10`))).toBe('settled');
    expect(table.settle(line(`${a} reply ip-4 198.18.0.1 round-trip-time 10`))).toBe('unknown-token');
    expect((await outcomeA).kind).toBe('answered');
    table.noteLine();
    await vi.advanceTimersByTimeAsync(1000);
    expect(await outcomeB).toEqual({ kind: 'timed-out', helperSilent: false });
    expect(table.settle(line(`${b} no-reply`))).toBe('late');
    expect(table.size).toBe(0);
  });

  it('a timeout counts as a silent helper only when nothing was printed for longer than the threshold', async () => {
    const table = new PendingRequests(100, () => Date.now());
    const outcomes: Promise<RequestOutcome>[] = [];
    outcomes.push(table.track(table.nextToken(), 1300, 1000));
    await vi.advanceTimersByTimeAsync(500);
    table.noteLine(); // alive at 500 ms: at 1300 ms it has been quiet for 800 ms only
    outcomes.push(table.track(table.nextToken(), 1300, 1000)); // sent at 500, expires at 1800
    await vi.advanceTimersByTimeAsync(1300);
    expect(await outcomes[0]).toEqual({ kind: 'timed-out', helperSilent: false });
    // At 1800 ms it has been quiet for 1300 ms (> 1000).
    expect(await outcomes[1]).toEqual({ kind: 'timed-out', helperSilent: true });
  });

  it('an idle spell before a request is not counted as silence', async () => {
    const table = new PendingRequests(100, () => Date.now());
    await vi.advanceTimersByTimeAsync(60_000);
    const outcome = table.track(table.nextToken(), 1100, 1000);
    await vi.advanceTimersByTimeAsync(1100);
    expect(await outcome).toEqual({ kind: 'timed-out', helperSilent: true });
    const next = table.track(table.nextToken(), 900, 1000);
    await vi.advanceTimersByTimeAsync(900);
    expect((await next).kind).toBe('timed-out');
  });

  it('wraps tokens, skipping live and expired ones; failAll rejects everything', async () => {
    const table = new PendingRequests(3, () => Date.now());
    const live = table.track(table.nextToken(), 10_000, 10_000); // 1
    const expiring = table.track(table.nextToken(), 10, 10_000); // 2
    await vi.advanceTimersByTimeAsync(10);
    await expiring;
    expect(table.nextToken()).toBe(3);
    // 1 is live and 2 awaits a late reply, so the counter comes round to 3 again.
    expect(table.nextToken()).toBe(3);
    table.failAll(new Error('gone'));
    await expect(live).rejects.toThrow('gone');
  });
});

describe('isWellFormedReply', () => {
  it.each([
    ['12 13 14', false],
    ['12 Reply', false],
    ['12 reply ip-4', false],
    ['12 reply ip-4 banana round-trip-time 5', false],
    ['12 ttl-expired ip-4 192.0.2.1 round-trip-time -3', false],
    ['12 reply ip-4 192.0.2.1', false],
    ['12 reply ip-4 192.0.2.1 round-trip-time 5', true],
    ['12 ttl-expired ip-6 2001:db8::1 round-trip-time 5 mpls 1,0,1,1', true],
    ['12 no-route', true],
    ['12 no-reply', true],
    ['12 invalid-argument reason protocol-not-supported', true],
    ['12 feature-support support ok', true],
    ['12 some-future-reply detail 1', true],
  ])('%s → %s', (text, expected) => {
    expect(isWellFormedReply(line(text))).toBe(expected);
  });
});
