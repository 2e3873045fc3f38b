/** One tab per trace: a live session or an opened file, each with its own state. */
import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { truncateMiddle } from '../graph/textFit';
import type { SessionState } from '@shared/session';
import type { TabMode, TraceTab } from '../store/reducers';
import { useController, useTraces } from './context';
import { remoteBadge } from '../remote/connectionText';
import './TabBar.css';

interface TabItemProps {
  id: string;
  title: string;
  /** The title as the tab shows it (see tabLabel). */
  label: string;
  /** Protocol (and port), to tell traces of the same target apart. */
  detail: string | null;
  /** An agent's session: where from, read-only (see remoteBadge). */
  remote: string | null;
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

/**
 * Characters of a tab's title that fit beside its state dot and protocol. The
 * middle goes, not the end: IPv6 targets share their prefix and names their
 * domain, so the distinguishing part is often at the end.
 */
export const TAB_LABEL_CHARS = 20;

export function tabLabel(title: string, others: readonly string[] = []): string {
  const max = TAB_LABEL_CHARS;
  const short = truncateMiddle(title, max);
  if (short === title) return short;
  const clashing = others.filter((o) => o !== title && truncateMiddle(o, max) === short);
  if (clashing.length === 0) return short;
  // Two targets read alike once shortened: show the part where this one differs from the rest.
  const common = Math.max(...clashing.map((o) => commonPrefix(o, title)));
  const head = 4;
  const room = max - head - 2;
  const start = Math.max(head, Math.min(common - 3, title.length - room));
  const end = start + room;
  return `${title.slice(0, head)}…${title.slice(start, end)}${end < title.length ? '…' : title.slice(end, end + 1)}`;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

const STATE_TEXT: Record<SessionState, string> = {
  resolving: 'resolving',
  running: 'running',
  paused: 'paused',
  finished: 'finished',
  stopped: 'stopped',
  failed: 'failed',
};

const TabItem = memo(function TabItem({
  id,
  title,
  label,
  detail,
  remote,
  mode,
  state,
  active,
  onSelect,
  onClose,
}: TabItemProps) {
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
        <span className="hs-tab-title">{label}</span>
        {detail && <span className="hs-tab-detail">{detail}</span>}
        {remote && (
          <span className="hs-tab-remote" data-testid="remote-badge" title={remote}>
            {remote}
          </span>
        )}
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

/** Scrolls the strip one way; shows how many tabs are hidden that way, and nothing when none are. */
function TabScrollButton({
  direction,
  hidden,
  onScroll,
}: {
  direction: 1 | -1;
  hidden: number;
  onScroll: (direction: 1 | -1) => void;
}) {
  if (hidden === 0) return null;
  const back = direction === -1;
  return (
    <button
      type="button"
      className="hs-tab-scroll"
      data-testid={back ? 'tabs-scroll-back' : 'tabs-scroll-forward'}
      aria-label={`Show ${hidden} more tab${hidden === 1 ? '' : 's'} to the ${back ? 'left' : 'right'}`}
      onClick={() => onScroll(direction)}
    >
      {back ? `‹ ${hidden}` : `${hidden} ›`}
    </button>
  );
}

/** Tabs hidden on each side of the scrolled strip, counted from their positions. */
function hiddenTabs(list: HTMLElement): { before: number; after: number } {
  const view = list.getBoundingClientRect();
  let before = 0;
  let after = 0;
  for (const tab of list.querySelectorAll<HTMLElement>('[data-testid="tab"]')) {
    const box = tab.getBoundingClientRect();
    if (box.left < view.left - 1) before++;
    else if (box.right > view.right + 1) after++;
  }
  return { before, after };
}

/** Which tabs the strip hides, kept up to date as it scrolls, resizes or changes. */
function useTabOverflow(listRef: RefObject<HTMLDivElement | null>, tabCount: number) {
  const [hidden, setHidden] = useState({ before: 0, after: 0 });
  useEffect(() => {
    const list = listRef.current;
    if (list === null) return;
    const update = () =>
      setHidden((old) => {
        const next = hiddenTabs(list);
        return old.before === next.before && old.after === next.after ? old : next;
      });
    update();
    list.addEventListener('scroll', update, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(update);
    observer?.observe(list);
    return () => {
      list.removeEventListener('scroll', update);
      observer?.disconnect();
    };
  }, [listRef, tabCount]);
  return hidden;
}

export function TabBar({ newTabShortcut }: { newTabShortcut: string }) {
  const controller = useController();
  const tabs = useTraces((s) => s.tabs);
  const titles = tabs.map((t) => t.title);
  const listRef = useRef<HTMLDivElement>(null);
  const hidden = useTabOverflow(listRef, tabs.length);
  const scrollTabs = (direction: 1 | -1) =>
    listRef.current?.scrollBy?.({ left: direction * listRef.current.clientWidth * 0.8, behavior: 'smooth' });
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
      <TabScrollButton direction={-1} hidden={hidden.before} onScroll={scrollTabs} />
      <div className="hs-tablist" role="tablist" aria-label="Traces" onKeyDown={onKeyDown} ref={listRef}>
        {tabs.map((tab) => (
          <TabItem
            key={tab.id}
            id={tab.id}
            title={tab.title}
            label={tabLabel(tab.title, titles)}
            detail={tabDetail(tab)}
            remote={remoteBadge(tab.summary?.remote)}
            mode={tab.mode}
            state={tab.summary?.state ?? null}
            active={tab.id === activeTabId}
            onSelect={select}
            onClose={close}
          />
        ))}
      </div>
      <TabScrollButton direction={1} hidden={hidden.after} onScroll={scrollTabs} />
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
