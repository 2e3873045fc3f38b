/**
 * The options form before its checks (zod) have loaded: the first screen
 * draws without them, and a Start pressed that early waits for them, so a bad
 * field is still pointed out and nothing invalid is started.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'react';
import { defaultDraft } from '../../src/renderer/src/options/formModel';
import { formChecks } from '../../src/renderer/src/options/lazyFormChecks';
import type { RunControls } from '../../src/renderer/src/options/RunControls';
import { render } from './renderInDom';
import { FormWithState, idleRun } from './formWithState';

const noRun = (): RunControls => ({ ...idleRun(), onStart: vi.fn() });

function submit(container: HTMLElement): void {
  const form = container.querySelector('form')!;
  act(() => void form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true })));
}

/** Lets the checks' import and the submit that waited on it finish. */
async function settle(): Promise<void> {
  await act(async () => {
    await formChecks.load();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

const targetNote = (container: HTMLElement) => {
  const input = container.querySelector('[data-testid="target-input"]')!;
  return container.ownerDocument.getElementById(input.getAttribute('aria-describedby')!)?.textContent;
};

afterEach(() => {
  document.body.innerHTML = '';
});

describe('the options form before its checks have loaded', () => {
  it('waits for them on Start: a bad target is pointed out, not started; a good one starts once', async () => {
    expect(formChecks.current()).toBeUndefined();
    const bad = noRun();
    const first = render(<FormWithState initial={{ ...defaultDraft(), target: 'exa mple.com' }} run={bad} />);
    // Drawn without the checks: only the hint, no judgement yet.
    expect(targetNote(first.container)).toBe('Host name, IPv4 or IPv6 address');
    submit(first.container);
    expect(bad.onStart).not.toHaveBeenCalled();
    await settle();
    expect(formChecks.current()).toBeDefined();
    expect(targetNote(first.container)).toMatch(/^target must be an IPv4 address, an IPv6 address or a host name/);
    expect(bad.onStart).not.toHaveBeenCalled();
    first.unmount();

    const good = noRun();
    const second = render(<FormWithState initial={{ ...defaultDraft(), target: '192.0.2.1' }} run={good} />);
    submit(second.container);
    expect(good.onStart).toHaveBeenCalledTimes(1);
    second.unmount();
  });
});
