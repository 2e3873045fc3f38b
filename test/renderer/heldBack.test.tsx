import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summary } from '../fixtures/traceBuilders';
import { byTestId, fakeApi, hopsEvent, mountApp, startTrace, stateBatch } from './appHarness';

beforeEach(() => localStorage.clear());
afterEach(() => {
  document.body.innerHTML = '';
});

const running = (over: Parameters<typeof summary>[0] = {}) =>
  summary({ id: 's1', targetAddress: '192.0.2.1', destinationTtl: 3, rounds: 4, ...over }, { target: '192.0.2.1' });

describe('held-back probes in the status bar', () => {
  it('shows how many probes wait for an mtr-packet slot while they wait, and nothing once they are sent', async () => {
    const fake = fakeApi();
    const { container, unmount } = await mountApp(fake);
    await startTrace(container, '192.0.2.1');
    fake.emit('sessionEvents', stateBatch(running(), 1, [hopsEvent(0)]));
    expect(byTestId(container, 'status-held-back')).toBeNull();

    fake.emit('sessionEvents', stateBatch(running({ heldBackProbes: 23 }), 2));
    const held = byTestId(container, 'status-held-back')!;
    expect(held).not.toBeNull();
    expect(held.textContent).toContain('Probes held back: 23');
    expect(held.textContent).toContain('waiting for a free mtr-packet probe slot');
    // The count is its own unshrinkable piece, so a narrow bar never cuts the number.
    expect(held.querySelector('.hs-status-num')!.textContent).toBe('23');
    expect(held.title).toContain('not counted as loss');
    expect(byTestId(container, 'status-bar')!.contains(held)).toBe(true);

    fake.emit('sessionEvents', stateBatch(running({ heldBackProbes: 5 }), 3));
    expect(byTestId(container, 'status-held-back')!.querySelector('.hs-status-num')!.textContent).toBe('5');

    // The engine leaves the field out when no probe waits.
    fake.emit('sessionEvents', stateBatch(running(), 4));
    expect(byTestId(container, 'status-held-back')).toBeNull();
    unmount();
  });
});
