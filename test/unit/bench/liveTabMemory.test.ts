/** The live-tab memory benchmark's pure parts (bench/liveTabMemory.ts): the feed between readings, growth by kind. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { growthByKind, liveFeedSteps } from '../../../bench/liveTabMemory';

describe('liveFeedSteps', () => {
  it('feeds what is missing since the last reading', () => {
    expect(liveFeedSteps([1, 6, 12, 18, 24], 3600)).toEqual([
      { hours: 1, rounds: 3600 },
      { hours: 6, rounds: 18_000 },
      { hours: 12, rounds: 21_600 },
      { hours: 18, rounds: 21_600 },
      { hours: 24, rounds: 21_600 },
    ]);
    expect(liveFeedSteps([1, 1.5], 3600)).toEqual([
      { hours: 1, rounds: 3600 },
      { hours: 1.5, rounds: 1800 },
    ]);
  });

  it('adds up to the last reading, each step positive', () => {
    const ascending = fc
      .uniqueArray(fc.integer({ min: 1, max: 96 }), { minLength: 1, maxLength: 8 })
      .map((quarters) => quarters.sort((a, b) => a - b).map((q) => q / 4));
    fc.assert(
      fc.property(ascending, (hours) => {
        const steps = liveFeedSteps(hours, 3600);
        expect(steps.map((s) => s.hours)).toEqual(hours);
        expect(steps.every((s) => s.rounds > 0)).toBe(true);
        expect(steps.reduce((sum, s) => sum + s.rounds, 0)).toBe(hours.at(-1)! * 3600);
      }),
    );
  });

  it('refuses hours that are not positive and ascending', () => {
    expect(() => liveFeedSteps([0, 1], 3600)).toThrow(/positive and ascending, got 0, 1/);
    expect(() => liveFeedSteps([6, 1], 3600)).toThrow(/positive and ascending/);
    expect(() => liveFeedSteps([1, 1], 3600)).toThrow(/positive and ascending/);
  });
});

describe('growthByKind', () => {
  it('lists each kind of either snapshot by the size of its change', () => {
    expect(growthByKind({ object: 5, code: 3, native: 1 }, { object: 5.01, code: 3.62, string: 0.2 })).toEqual([
      ['native', -1],
      ['code', 0.62],
      ['string', 0.2],
      ['object', 0.01],
    ]);
  });
});
