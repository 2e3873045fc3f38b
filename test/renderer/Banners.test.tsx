import { describe, expect, it } from 'vitest';
import { act, useState } from 'react';
import { BannerStack, fixParts } from '../../src/renderer/src/app/Banners';
import type { Banner } from '../../src/renderer/src/app/uiState';
import { render } from './renderInDom';

describe('fixParts', () => {
  it('splits a fix into text and commands', () => {
    expect(fixParts('Run `a b` then `c`.')).toEqual([
      { text: 'Run ', command: false },
      { text: 'a b', command: true },
      { text: ' then ', command: false },
      { text: 'c', command: true },
      { text: '.', command: false },
    ]);
  });
});

function Stack({ initial }: { initial: Banner[] }) {
  const [banners, setBanners] = useState(initial);
  return <BannerStack banners={banners} onDismiss={(id) => setBanners((all) => all.filter((b) => b.id !== id))} />;
}

const click = (el: Element) => act(() => el.dispatchEvent(new MouseEvent('click', { bubbles: true })));

describe('BannerStack', () => {
  const problem = (id: number): Banner => ({
    id,
    tone: 'error',
    title: `Problem ${id}`,
    detail: 'detail',
    tabId: null,
  });
  const note = (id: number): Banner => ({ id, tone: 'success', title: `Saved ${id}`, tabId: null });

  it('shows the newest problem and folds the rest, at most two toasts, and dismisses any of them', () => {
    const { container, unmount } = render(
      <Stack initial={[problem(1), problem(2), problem(3), note(4), note(5), note(6)]} />,
    );
    const titles = () => [...container.querySelectorAll('.hs-banner strong')].map((s) => s.textContent);
    expect(titles()).toEqual(['Problem 3', 'Saved 5', 'Saved 6']);
    const more = container.querySelector('[data-testid="banner-more"]')!;
    expect(more.textContent).toBe('2 more messages');
    click(more);
    expect(titles()).toEqual(['Problem 3', 'Problem 2', 'Problem 1', 'Saved 5', 'Saved 6']);
    // Each banner has its own dismiss button.
    click(container.querySelector('[data-testid="error-banner"] .hs-banner-dismiss')!);
    expect(titles()).toEqual(['Problem 2', 'Problem 1', 'Saved 5', 'Saved 6']);
    click(container.querySelector('[data-testid="banner-dismiss-all"]')!);
    expect(titles()).toEqual(['Saved 5', 'Saved 6']);
    expect(container.querySelector('[data-testid="banner-stack"]')).toBeNull();
    unmount();
  });
});
