/**
 * React.lazy over a chunk that can also be loaded ahead of use. Once
 * `preload()` has finished, the component renders on its first try: the
 * factory then hands React.lazy a thenable that calls back at once (React
 * reads it synchronously), so no fallback flashes when a trace starts, and
 * tests can render it without waiting.
 */
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

export interface PreloadableLazy<P> {
  Component: LazyExoticComponent<ComponentType<P>>;
  /** Loads the chunk (once); resolves when the component can render synchronously. */
  preload: () => Promise<void>;
}

/** Every part made with preloadableLazy, for preloadLazyParts. */
const registered: (() => Promise<void>)[] = [];

/**
 * Loads every part made with preloadableLazy: the app calls it once the first
 * screen is drawn, tests before they mount the app.
 */
export async function preloadLazyParts(): Promise<void> {
  // A loaded part may register parts of its own (the panes chunk holds the graph's): load until none are new.
  for (let done = 0; done < registered.length;) {
    const batch = registered.slice(done);
    done = registered.length;
    await Promise.all(batch.map((preload) => preload()));
  }
}

export function preloadableLazy<P extends object>(load: () => Promise<ComponentType<P>>): PreloadableLazy<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  const start = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (err: unknown) => {
        loading = undefined; // a failed load (e.g. a dropped connection) may be tried again
        throw err;
      },
    ));
  const Component = lazy(() => {
    if (loaded === undefined) return start().then((component) => ({ default: component }));
    const module = { default: loaded };
    // Typed as a Promise for React.lazy; a thenable that resolves synchronously is what it reads best.
    return { then: (resolve: (value: typeof module) => void) => resolve(module) } as unknown as Promise<typeof module>;
  });
  const preload = () => start().then(() => undefined);
  registered.push(preload);
  return { Component, preload };
}
