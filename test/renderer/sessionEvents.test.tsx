import { describe, expect, it } from 'vitest';
import { SessionEvents } from '../../src/renderer/src/app/SessionEvents';
import { render } from './renderInDom';

describe('SessionEvents', () => {
  it('lists helper restarts and stalls, an unreachable destination and an early end, with printable text', () => {
    const { container, unmount } = render(
      <SessionEvents
        markers={[
          { kind: 'helper-restarted', at: Date.UTC(2026, 10, 29, 14, 0, 0), round: 12, detail: 'mtr-packet exited' },
          { kind: 'helper-stalled', at: Date.UTC(2026, 10, 29, 14, 1, 0), round: 70 },
        ]}
        unreachable={{ ttl: 4, address: '198.18.8.1' }}
        endedEarly={{ reason: 'helper died \u001b[31m' }}
      />,
    );
    const markers = [...container.querySelectorAll('[data-testid="event-marker"]')];
    expect(markers.map((m) => m.getAttribute('data-kind'))).toEqual(['helper-restarted', 'helper-stalled']);
    expect(markers[0]!.textContent).toContain('Helper restarted, round 12: mtr-packet exited');
    expect(markers[1]!.textContent).toContain('Helper stalled (not loss), round 70');
    expect(container.querySelector('[data-testid="event-unreachable"]')!.textContent).toContain('198.18.8.1 at hop 4');
    expect(container.querySelector('[data-testid="event-ended-early"]')!.textContent).not.toContain('\u001b');
    unmount();
  });

  it('says nothing when nothing happened', () => {
    const { container, unmount } = render(<SessionEvents markers={[]} unreachable={undefined} />);
    expect(container.querySelector('[data-testid="session-events"]')).toBeNull();
    unmount();
  });
});
