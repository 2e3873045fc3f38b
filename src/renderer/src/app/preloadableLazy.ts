/**
 * Code the first screen does not need, in chunks loaded once it is drawn
 * (preloadLazyParts) or as soon as something asks for them first.
 * preloadableModule is any such module; preloadableLazy is React.lazy over
 * one: once `preload()` has finished, the component renders on its first
 * try: the factory then hands React.lazy a thenable that calls back at once
 * (React reads it synchronously), so no fallback flashes when a trace
 * starts, and tests can render it without waiting.
 */
import { lazy, useSyncExternalStore, type ComponentType, type LazyExoticComponent } from 'react';

export interface PreloadableModule<M> {
  /** The module, once loaded; undefined before. */
  current: () => M | undefined;
  /** Loads the chunk (once; a failed load is tried again on the next call). */
  load: () => Promise<M>;
  /** Calls `listener` once the module has loaded (at once, when it has already); returns the unsubscribe. */
  subscribe: (listener: () => void) => () => void;
}

export interface PreloadableLazy<P> {
  Component: LazyExoticComponent<ComponentType<P>>;
  /** Loads the chunk (once); resolves when the component can render synchronously. */
  preload: () => Promise<void>;
}

/** Every part made with preloadableModule, for preloadLazyParts. */
const registered: (() => Promise<void>)[] = [];

/**
 * Loads every part made with preloadableModule or preloadableLazy: the app
 * calls it once the first screen is drawn, tests before they mount the app.
 */
export async function preloadLazyParts(): Promise<void> {
  // A loaded part may register parts of its own (the panes chunk holds the graph's): load until none are new.
  for (let done = 0; done < registered.length;) {
    const batch = registered.slice(done);
    done = registered.length;
    await Promise.all(batch.map((preload) => preload()));
  }
}

export function preloadableModule<M>(importModule: () => Promise<M>): PreloadableModule<M> {
  let loaded: M | undefined;
  let loading: Promise<M> | undefined;
  const listeners = new Set<() => void>();
  const load = () =>
    (loading ??= importModule().then(
      (module) => {
        loaded = module;
        for (const listener of listeners) listener();
        listeners.clear();
        return module;
      },
      (err: unknown) => {
        loading = undefined; // a failed load (e.g. a dropped connection) may be tried again
        throw err;
      },
    ));
  const subscribe = (listener: () => void) => {
    if (loaded !== undefined) listener();
    else listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  registered.push(() => load().then(() => undefined));
  return { current: () => loaded, load, subscribe };
}

/** The module once loaded (re-rendering then), undefined before; it never starts the load itself. */
export function useLoadedModule<M>(part: PreloadableModule<M>): M | undefined {
  return useSyncExternalStore(part.subscribe, part.current);
}

export function preloadableLazy<P extends object>(load: () => Promise<ComponentType<P>>): PreloadableLazy<P> {
  const part = preloadableModule(load);
  const Component = lazy(() => {
    const loaded = part.current();
    if (loaded === undefined) return part.load().then((component) => ({ default: component }));
    const module = { default: loaded };
    // Typed as a Promise for React.lazy; a thenable that resolves synchronously is what it reads best.
    return { then: (resolve: (value: typeof module) => void) => resolve(module) } as unknown as Promise<typeof module>;
  });
  return { Component, preload: () => part.load().then(() => undefined) };
}
