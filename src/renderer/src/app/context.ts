/** The controller for components below App, and hooks onto its two stores. */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppController } from './controller';
import type { UiState } from './uiState';
import type { TraceStoreState } from '../store/traceStore';

export const ControllerContext = createContext<AppController | null>(null);

export function useController(): AppController {
  const controller = useContext(ControllerContext);
  if (controller === null) throw new Error('useController outside <App>');
  return controller;
}

/** A slice of the trace store; selectors must return stable values. */
export function useTraces<T>(selector: (state: TraceStoreState) => T): T {
  return useStore(useController().traces, selector);
}

export function useUi<T>(selector: (state: UiState) => T): T {
  return useStore(useController().ui, selector);
}
