import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CrashSuspects } from '../../../src/main/service/crashSuspects';

describe('CrashSuspects', () => {
  it('blames an address in flight at two restarts in a row, and only that one', () => {
    const suspects = new CrashSuspects(30_000, 2);
    expect([...suspects.noteRestart(1_000, ['10.0.0.9', '10.0.0.1'])]).toEqual([]);
    expect([...suspects.noteRestart(2_000, ['10.0.0.9', '10.0.0.2'])]).toEqual([['10.0.0.9', 2]]);
    // Blamed once, it starts afresh.
    expect([...suspects.noteRestart(3_000, ['10.0.0.9'])]).toEqual([]);
  });

  it('does not chain restarts further apart than the window', () => {
    const suspects = new CrashSuspects(30_000, 2);
    suspects.noteRestart(0, ['10.0.0.9']);
    expect(suspects.noteRestart(31_000, ['10.0.0.9']).size).toBe(0);
  });

  it('a restart without the address breaks its streak (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 1, maxLength: 30 }), (inFlight) => {
        const suspects = new CrashSuspects(30_000, 2);
        let streak = 0;
        inFlight.forEach((present, i) => {
          const blamed = suspects.noteRestart(i * 1000, present ? ['10.0.0.9'] : ['10.0.0.1']);
          streak = present ? streak + 1 : 0;
          expect(blamed.has('10.0.0.9')).toBe(streak >= 2);
          if (streak >= 2) streak = 0;
        });
      }),
    );
  });
});
