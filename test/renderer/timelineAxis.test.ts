/** The timeline's tick labels: 24-hour local time, like the focus control's. */
import { expect, it } from 'vitest';
import { timeTickLabel } from '../../src/renderer/src/timeline/TimelineAxis';

it('writes whole minutes as HH:MM in 24-hour time, seconds as :SS, and midnight as the date', () => {
  expect(timeTickLabel(new Date(2026, 11, 7, 0, 29, 0))).toBe('00:29');
  expect(timeTickLabel(new Date(2026, 11, 7, 13, 5, 0))).toBe('13:05');
  expect(timeTickLabel(new Date(2026, 11, 7, 0, 29, 15))).toBe(':15');
  expect(timeTickLabel(new Date(2026, 11, 7, 0, 29, 15, 500))).toBe('.500');
  expect(timeTickLabel(new Date(2026, 11, 7, 0, 0, 0))).toBe('2026-12-07');
});
