import { describe, expect, it } from 'vitest';
import { CLEAR_SCREEN, formatLiveFrame } from '../../../src/cli/liveFrame';
import { traceOptionsSchema } from '@shared/traceOptions';
import type { SessionSummary } from '@shared/session';
import { handMade } from '../formats/fixtures';

const summary = (over: Partial<SessionSummary> = {}): SessionSummary => ({
  id: 'cli',
  options: traceOptionsSchema.parse({ target: 'example.net', count: 5 }),
  state: 'running',
  targetAddress: '198.51.100.10',
  ipVersion: 4,
  destinationTtl: 3,
  rounds: 2,
  startedAt: 1_772_362_800_000,
  mtrPacketVersion: '0.95',
  restarts: [],
  ...over,
});

const frame = (s: SessionSummary) =>
  formatLiveFrame(s, handMade, { wide: false, showIps: false, localHost: 'probe-box' });

describe('the CLI live view', () => {
  it('says how many probes are held back, on its own line under the status line', () => {
    const lines = frame(summary({ heldBackProbes: 37 }))
      .slice(CLEAR_SCREEN.length)
      .split('\n');
    expect(lines[0]).toContain('round 2/5');
    expect(lines[1]).toBe(
      'probes held back: 37 — waiting for a free mtr-packet probe slot (slots are shared with other traces)',
    );
    // The report follows after one blank line, as without held-back probes.
    expect(lines[2]).toBe('');
  });

  it('says nothing about held-back probes when none wait', () => {
    const without = frame(summary());
    expect(without).not.toMatch(/held back/);
    expect(frame(summary({ heldBackProbes: 0 }))).toBe(without);
    // With probes held back, the frame is the same plus exactly that one line.
    const withHeld = frame(summary({ heldBackProbes: 2 })).split('\n');
    expect(withHeld.filter((l) => !l.startsWith('probes held back: 2 ')).join('\n')).toBe(without);
  });
});
