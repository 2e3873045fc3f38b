/** openNewestFitting asks for shorter windows only while the answer is too large. */
import { expect, it } from 'vitest';
import { openNewestFitting } from '@shared/openedWindow';
import type { FocusWindow } from '@shared/storedSessions';

const session = { samples: 1000, startedAt: 0, lastAt: 3_599_999 };

async function tries(codes: string[]): Promise<(FocusWindow | null)[]> {
  const asked: (FocusWindow | null)[] = [];
  await openNewestFitting(session, async (window) => {
    asked.push(window);
    const code = codes[asked.length - 1];
    return code === undefined ? { ok: true, value: 'opened' } : { ok: false, error: { code, message: code } };
  });
  return asked;
}

it('halves the window while the answer is too large, from the whole session', async () => {
  expect(await tries(['too-large', 'too-large'])).toEqual([
    null,
    { from: 1_800_000, to: 3_600_000 },
    { from: 2_700_000, to: 3_600_000 },
  ]);
});

it('gives up at once on any other failure: a shorter window would fail the same way', async () => {
  expect(await tries(['not-found'])).toEqual([null]);
  expect(await tries(['failed', 'failed'])).toEqual([null]);
});
