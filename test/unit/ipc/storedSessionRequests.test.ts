/** The stored-session calls' bounds: windows and bucket counts a request may ask for. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateInvokeRequest } from '@shared/ipc';
import {
  MAX_OPENED_SAMPLES_PER_HOP,
  MAX_STORED_WINDOW_MS,
  MAX_TIMELINE_BUCKETS,
  storedExportQuery,
  storedExportRequestOf,
} from '@shared/storedSessions';

const T0 = 1_700_000_000_000;

describe('stored-session requests', () => {
  it('accept buckets 1..MAX and reject anything outside, naming the field', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: MAX_TIMELINE_BUCKETS * 2 }), (buckets) => {
        const result = validateInvokeRequest('getTimeline', { id: 1, ttl: 1, from: T0, to: T0 + 1000, buckets });
        const valid = buckets >= 1 && buckets <= MAX_TIMELINE_BUCKETS;
        expect(result.ok).toBe(valid);
        if (!result.ok) expect(result.error.field).toBe('buckets');
      }),
    );
  });

  it('reject a window that ends before it starts or is longer than the bound', () => {
    for (const name of ['openStoredSession', 'getWindowStats', 'exportStoredSession'] as const) {
      const named = (request: object) =>
        name === 'exportStoredSession' ? { ...request, suggestedName: 'x' } : request;
      const backwards = validateInvokeRequest(name, named({ id: 2, from: T0, to: T0 }));
      expect(backwards).toMatchObject({
        ok: false,
        error: { field: 'to', message: expect.stringMatching(/after from/) },
      });
      const long = validateInvokeRequest(name, named({ id: 2, from: T0, to: T0 + MAX_STORED_WINDOW_MS + 1 }));
      expect(long).toMatchObject({ ok: false, error: { field: 'to' } });
      expect(validateInvokeRequest(name, named({ id: 2 }))).toMatchObject({ ok: true });
      expect(validateInvokeRequest(name, named({ id: 2, from: T0 }))).toMatchObject({ ok: true });
    }
    const timeline = validateInvokeRequest('getTimeline', { id: 1, ttl: 1, from: T0 + 5, to: T0, buckets: 10 });
    expect(timeline).toMatchObject({ ok: false, error: { field: 'to' } });
  });

  it('bound the samples per hop an opened tab asks for', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: MAX_OPENED_SAMPLES_PER_HOP * 2 }), (samplesPerHop) => {
        const result = validateInvokeRequest('openStoredSession', { id: 1, samplesPerHop });
        expect(result.ok).toBe(samplesPerHop >= 1 && samplesPerHop <= MAX_OPENED_SAMPLES_PER_HOP);
        if (!result.ok) expect(result.error.field).toBe('samplesPerHop');
      }),
    );
  });

  it('carry an export request through the harness query string unchanged', () => {
    fc.assert(
      fc.property(
        fc.record(
          {
            id: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
            from: fc.integer({ min: T0 - 1e9, max: T0 }),
            to: fc.constant(T0 + 1),
          },
          { requiredKeys: ['id'] },
        ),
        fc.string({ maxLength: 200 }),
        (window, suggestedName) => {
          const request = { ...window, suggestedName };
          const read = storedExportRequestOf(new URLSearchParams(storedExportQuery(request)));
          expect(read).toEqual(request);
          expect(validateInvokeRequest('exportStoredSession', read).ok).toBe(true);
        },
      ),
    );
    const bad = storedExportRequestOf(new URLSearchParams('id=x&suggestedName=a'));
    expect(validateInvokeRequest('exportStoredSession', bad)).toMatchObject({ ok: false, error: { field: 'id' } });
  });

  it('reject ids that are not stored-session numbers', () => {
    for (const id of [0, -1, 1.5, '1', 2 ** 32]) {
      expect(validateInvokeRequest('deleteStoredSession', { id })).toMatchObject({ ok: false, error: { field: 'id' } });
    }
  });
});
