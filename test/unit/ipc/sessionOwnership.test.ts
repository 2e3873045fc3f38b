/** Which connection owns which session, and when an orphaned one is given up. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SessionOwnership } from '../../../src/main/service/sessionOwnership';

describe('SessionOwnership', () => {
  let abandoned: string[];
  let ownership: SessionOwnership;
  beforeEach(() => {
    vi.useFakeTimers();
    abandoned = [];
    ownership = new SessionOwnership(1000, (id) => abandoned.push(id));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("abandons a released owner's sessions after the grace period, and only those", () => {
    const a = {};
    const b = {};
    ownership.claim('s1', a);
    ownership.claim('s2', a);
    ownership.claim('s3', b);
    ownership.release(a);
    expect(ownership.isOrphaned('s1')).toBe(true);
    expect(ownership.ownerOf('s1')).toBeUndefined();
    vi.advanceTimersByTime(999);
    expect(abandoned).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(abandoned.sort()).toEqual(['s1', 's2']);
    expect(ownership.ownerOf('s3')).toBe(b);
  });

  it('a session claimed again within the grace period is kept, by its new owner', () => {
    const gone = {};
    const next = {};
    ownership.claim('s1', gone);
    ownership.claim('s2', gone);
    ownership.release(gone);
    ownership.claim('s1', next);
    expect(ownership.isOrphaned('s1')).toBe(false);
    vi.advanceTimersByTime(5000);
    expect(abandoned).toEqual(['s2']);
    // Releasing the old owner again changes nothing for the session it no longer owns.
    ownership.release(gone);
    vi.advanceTimersByTime(5000);
    expect(abandoned).toEqual(['s2']);
    ownership.release(next);
    vi.advanceTimersByTime(1000);
    expect(abandoned).toEqual(['s2', 's1']);
  });

  it('forgotten and cleared sessions are never abandoned', () => {
    const owner = {};
    ownership.claim('s1', owner);
    ownership.claim('s2', owner);
    ownership.release(owner);
    ownership.forget('s1');
    ownership.clear();
    vi.advanceTimersByTime(10_000);
    expect(abandoned).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
