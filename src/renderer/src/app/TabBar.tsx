/** One tab per trace: a live session or an opened file, each with its own state. */
import { memo, useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import type { SessionState } from '@shared/session';
import type { TabMode, TraceTab } from '../store/reducers';
import { useController, useTraces } from './context';
import './TabBar.css';

interface TabItemProps {
  id: string;
  title: string;
  /** Protocol (and port), to tell traces of the same target apart. */
  detail: string | null;
  mode: TabMode;
  state: SessionState | null;
  active: boolean;
  onSelect: (id: string) => void;
  onClose: (id: string) => void;
}

function tabDetail(tab: TraceTab): string | null {
  const o = tab.summary?.options ?? tab.readOnlyDoc?.options;
  if (!o || o.protocol === undefined) return null;
  return `${o.protocol.toUpperCase()}${o.port !== undefined ? `:${o.port}` : ''}`;
}

const STATE_TEXT: Record<SessionState, string> = {
  resolving: 'resolving',
  running: 'running',
  paused: 'paused',
  finished: 'finished',
  stopped: 'stopped',
  failed: 'failed',
};

const TabItem = memo(function TabItem({ id, title, detail, mode, state, active, onSelect, onClose }: TabItemProps) {
  const ref = useRef<HTMLDivElement>(null);
  // A new or picked tab may sit outside the scrolled strip.
  useEffect(() => {
    if (active) ref.current?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [active]);
  const status = mode === 'file' ? 'saved trace, read-only' : state === null ? 'not started' : STATE_TEXT[state];
  return (
    <div
      ref={ref}
      className={`hs-tab${active ? ' is-active' : ''}`}
      data-testid="tab"
      data-tab-id={id}
      data-mode={mode}
    >
      <button
        type="button"
        role="tab"
        id={`tab-${id}`}
        aria-selected={active}
        aria-controls="hs-tabpanel"
        tabIndex={active ? 0 : -1}
        className="hs-tab-button"
        title={`${title}${detail ? ` (${detail})` : ''} — ${status}`}
        onClick={() => onSelect(id)}
        onAuxClick={(e) => e.button === 1 && onClose(id)}
      >
        {mode === 'file' ? (
          <svg className="hs-tab-file" width="11" height="12" viewBox="0 0 11 12" aria-hidden="true">
            <path d="M1.5 .5h5l3 3v8h-8z M6.5 .5v3h3" fill="none" stroke="currentColor" />
          </svg>
        ) : (
          <span className={`hs-state-dot hs-state-dot--${state ?? 'idle'}`} aria-hidden="true" />
        )}
        <span className="hs-tab-title">{title}</span>
        {detail && <span className="hs-tab-detail">{detail}</span>}
        <span className="hs-visually-hidden">, {status}</span>
      </button>
      <button
        type="button"
        className="hs-tab-close"
        aria-label={`Close ${title}`}
        title="Close tab"
        tabIndex={-1}
        onClick={() => onClose(id)}
      >
        ×
      </button>
    </div>
  );
});

export function TabBar({ newTabShortcut }: { newTabShortcut: string }) {
  const controller = useController();
  const tabs = useTraces((s) => s.tabs);
  const activeTabId = useTraces((s) => s.activeTabId);
  const select = useCallback((id: string) => controller.selectTab(id), [controller]);
  const close = useCallback((id: string) => void controller.closeTab(id), [controller]);

  // Arrow keys move between tabs, as in any tab strip.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = tabs.findIndex((t) => t.id === activeTabId);
    let next: number | null = null;
    if (event.key === 'ArrowRight') next = (at + 1) % tabs.length;
    else if (event.key === 'ArrowLeft') next = (at - 1 + tabs.length) % tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = tabs.length - 1;
    else if (event.key === 'Delete' && activeTabId !== null) close(activeTabId);
    if (next === null) return;
    event.preventDefault();
    const tab = tabs[next];
    if (!tab) return;
    select(tab.id);
    event.currentTarget.querySelector<HTMLButtonElement>(`[data-tab-id="${tab.id}"] [role="tab"]`)?.focus();
  };

  return (
    <div className="hs-tabs">
      <div className="hs-tablist" role="tablist" aria-label="Traces" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <TabItem
            key={tab.id}
            id={tab.id}
            title={tab.title}
            detail={tabDetail(tab)}
            mode={tab.mode}
            state={tab.summary?.state ?? null}
            active={tab.id === activeTabId}
            onSelect={select}
            onClose={close}
          />
        ))}
      </div>
      <button
        type="button"
        className="hs-tab-new"
        data-testid="new-tab"
        aria-label="New trace tab"
        title={`New trace tab (${newTabShortcut})`}
        onClick={() => controller.newTab()}
      >
        +
      </button>
    </div>
  );
}
