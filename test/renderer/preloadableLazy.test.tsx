import { describe, expect, it } from 'vitest';
import { act, Suspense } from 'react';
import { preloadableLazy } from '../../src/renderer/src/app/preloadableLazy';
import { render } from './renderInDom';

function Greeting({ name }: { name: string }) {
  return <p data-testid="greeting">Hello {name}</p>;
}

function mount(Component: React.ComponentType<{ name: string }>) {
  return render(
    <Suspense fallback={<p data-testid="fallback">loading</p>}>
      <Component name="path" />
    </Suspense>,
  );
}

describe('preloadableLazy', () => {
  it('renders on the first try once preloaded, loading the chunk once', async () => {
    let loads = 0;
    const lazyGreeting = preloadableLazy(async () => {
      loads++;
      return Greeting;
    });
    await lazyGreeting.preload();
    await lazyGreeting.preload();
    const { container, unmount } = mount(lazyGreeting.Component);
    expect(container.textContent).toBe('Hello path');
    expect(loads).toBe(1);
    unmount();
  });

  it('suspends until loaded when not preloaded', async () => {
    let finish!: () => void;
    const lazyGreeting = preloadableLazy(
      () => new Promise<typeof Greeting>((resolve) => (finish = () => resolve(Greeting))),
    );
    const { container, unmount } = mount(lazyGreeting.Component);
    expect(container.textContent).toBe('loading');
    await act(async () => {
      finish();
      await lazyGreeting.preload();
    });
    expect(container.textContent).toBe('Hello path');
    unmount();
  });

  it('tries a failed load again', async () => {
    let attempts = 0;
    const lazyGreeting = preloadableLazy(async () => {
      if (++attempts === 1) throw new Error('connection dropped');
      return Greeting;
    });
    await expect(lazyGreeting.preload()).rejects.toThrow('connection dropped');
    await lazyGreeting.preload();
    expect(attempts).toBe(2);
    expect(mount(lazyGreeting.Component).container.textContent).toBe('Hello path');
  });
});
