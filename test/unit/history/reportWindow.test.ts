import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseReportTime, parseReportWindow, pickSession } from '../../../src/cli/reportWindow';

describe('report window arguments', () => {
  it('reads Unix seconds and ISO 8601 times to the millisecond', () => {
    expect(parseReportTime('--from', '1795313952')).toBe(1795313952000);
    expect(parseReportTime('--from', '1795313952.25')).toBe(1795313952250);
    expect(parseReportTime('--to', '2026-11-29T14:05:00Z')).toBe(Date.UTC(2026, 10, 29, 14, 5));
    expect(parseReportTime('--to', '2026-11-29T14:05:00.5+01:00')).toBe(Date.UTC(2026, 10, 29, 13, 5, 0, 500));
    expect(parseReportTime('--to', '2026-11-29')).toBe(Date.UTC(2026, 10, 29));
  });

  it('round-trips any instant written either way', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000 }), (ms) => {
        expect(parseReportTime('--from', new Date(ms).toISOString())).toBe(ms);
        expect(parseReportTime('--from', (ms / 1000).toFixed(3))).toBe(ms);
      }),
    );
  });

  it.each(['yesterday', '', '12abc', '-5', '2026-13', 'Sun Nov 29 2026', '2026-11-29T25:00:00Z'])(
    'rejects %j naming the flag',
    (raw) => {
      expect(() => parseReportTime('--from', raw)).toThrow(/^--from must be an ISO 8601 time .* or Unix seconds/);
    },
  );

  it('needs --from before --to', () => {
    expect(parseReportWindow({ from: '100', to: '200' })).toEqual({ from: 100_000, to: 200_000 });
    expect(() => parseReportWindow({ from: '200', to: '200' })).toThrow('--from must be before --to');
  });

  it('picks a session by number or id, the newest by default', () => {
    const sessions = [
      { session: 1, uid: 'cli' },
      { session: 2, uid: 'abc' },
    ];
    expect(pickSession(sessions)?.session).toBe(2);
    expect(pickSession(sessions, '1')?.session).toBe(1);
    expect(pickSession(sessions, 'abc')?.session).toBe(2);
    expect(pickSession(sessions, '3')).toBeUndefined();
  });
});
