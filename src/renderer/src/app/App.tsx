/**
 * The app shell: tabs and file actions on top, the options of the active
 * trace on the left, its graph and table in the middle, its status below.
 * All behaviour lives in AppController; this file lays it out and wires the
 * window-wide keyboard shortcuts and file drops.
 */
import { Suspense, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { HopscopeApi, MenuCommand } from '@shared/ipc';
import { traceStore as defaultTraceStore, type TraceStore } from '../store/traceStore';
import { selectActiveTab } from '../store/selectors';
import { Banners } from './Banners';
import { ControllerContext, useController, useTraces, useUi } from './context';
import { AppController, type ControllerOptions } from './controller';
import { commandForKey, isMacPlatform, SHORTCUT_COMMANDS, shortcutLabel } from './shortcuts';
import { SidePanel } from './SidePanel';
import { SessionsList } from './SessionsList';
import { StatusBar } from './StatusBar';
import { TabBar } from './TabBar';
import { TraceView } from './TraceView';
import { preloadableLazy } from './preloadableLazy';
import { ShellDialogs } from '../about/ShellDialogs';
import { tabUi } from './uiState';
import './App.css';

// Its own chunk: connecting to an agent is rare, and the first screen does not need it.
const AgentsPanel = preloadableLazy(() => import('../remote/AgentsPanel').then((m) => m.AgentsPanel)).Component;

export interface AppProps {
  api: HopscopeApi;
  store?: TraceStore;
  controllerOptions?: ControllerOptions;
}

function hasFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

function ToolButton({
  testId,
  label,
  name,
  title,
  disabled,
  onClick,
  children,
}: {
  testId: string;
  label: string;
  /** Accessible name when the visible label leans on a group label. */
  name?: string;
  title: string;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="hs-tool"
      data-testid={testId}
      aria-label={name ?? label}
      title={title}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
      <span>{label}</span>
    </button>
  );
}

const stroke = {
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 1.4,
  strokeLinecap: 'round',
  strokeLinejoin: 'round',
} as const;

function Toolbar({ keys }: { keys: Record<MenuCommand, string> }) {
  const controller = useController();
  const hasData = useTraces((s) => {
    const tab = selectActiveTab(s);
    return tab !== null && Object.keys(tab.hops).length > 0;
  });
  const activeId = useTraces((s) => selectActiveTab(s)?.id ?? null);
  const recorded = useUi((s) => activeId !== null && tabUi(s, activeId).storedId !== undefined);
  return (
    <div className="hs-toolbar" role="toolbar" aria-label="Files">
      <ToolButton
        testId="open-trace"
        label="Open"
        title={`Open a saved trace or session file (${keys.open})`}
        onClick={() => void controller.files.openFile()}
      >
        <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
          <path d="M1.5 3.5v8h11v-6.5h-6l-1.5-1.5z" {...stroke} />
        </svg>
      </ToolButton>
      <span className="hs-toolbar-sep" aria-hidden="true" />
      <span className="hs-toolbar-label" aria-hidden="true">
        Export
      </span>
      <ToolButton
        testId="export-json"
        label="JSON"
        name="Export JSON"
        title={`Export JSON: the trace with all samples (${keys['export-json']})`}
        disabled={!hasData}
        onClick={() => void controller.files.exportJson()}
      >
        <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
          <path d="M7 1.5v7.5M4 6l3 3 3-3M2 10.5v2h10v-2" {...stroke} />
        </svg>
      </ToolButton>
      <ToolButton
        testId="export-session"
        label="Session"
        name="Export session"
        title={`Export session: the whole recorded session, every sample, as one file Hopscope opens again (${keys['export-session']})`}
        disabled={!recorded}
        onClick={() => void controller.files.exportSession()}
      >
        <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
          <ellipse cx="7" cy="3.5" rx="5" ry="2" {...stroke} />
          <path d="M2 3.5v7c0 1.1 2.2 2 5 2s5-.9 5-2v-7M2 7c0 1.1 2.2 2 5 2s5-.9 5-2" {...stroke} />
        </svg>
      </ToolButton>
      <ToolButton
        testId="export-png"
        label="PNG"
        name="Export PNG"
        title={`Export PNG: the whole graph as an image (${keys['export-png']})`}
        disabled={!hasData}
        onClick={() => void controller.files.exportPng()}
      >
        <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
          <rect x="1.5" y="2.5" width="11" height="9" rx="1" {...stroke} />
          <path d="M3.5 9.5l2.5-3 2 2 1.5-1.5 1.5 2.5" {...stroke} />
        </svg>
      </ToolButton>
      <span className="hs-toolbar-sep" aria-hidden="true" />
      <ToolButton
        testId="copy-report"
        label="Copy report"
        title={`Copy the report to the clipboard, as mtr --report prints it (${keys['copy-report']})`}
        disabled={!hasData}
        onClick={() => void controller.files.copyReport()}
      >
        <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
          <rect x="4.5" y="4.5" width="8" height="8" rx="1" {...stroke} />
          <path d="M9.5 2.5v-1h-8v8h1" {...stroke} />
        </svg>
      </ToolButton>
    </div>
  );
}

function DropOverlay() {
  const dragging = useUi((s) => s.dragging);
  if (!dragging) return null;
  return (
    <div className="hs-drop" aria-hidden="true">
      <div className="hs-drop-card">
        <strong>Drop to open</strong>
        <span>Hopscope trace or session file, or mtr --json report</span>
      </div>
    </div>
  );
}

function Shell({ platform, transport }: { platform: string; transport: HopscopeApi['transport'] }) {
  const mac = isMacPlatform(platform);
  const keys = useMemo(() => {
    return Object.fromEntries(SHORTCUT_COMMANDS.map((c) => [c, shortcutLabel(c, mac)])) as Record<MenuCommand, string>;
  }, [mac]);
  const shortcuts = {
    startStop: keys['start-stop'],
    open: keys.open,
    newTab: keys['new-tab'],
    exportJson: keys['export-json'],
    exportSession: keys['export-session'],
    exportPng: keys['export-png'],
  };
  return (
    <div className="hs-app">
      <header className="hs-topbar">
        <div className="hs-brand">
          <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
            <path d="M3 14 L8 6 L12 12 L17 4" className="hs-brand-path" />
            <circle cx="3" cy="14" r="2" className="hs-brand-hop" />
            <circle cx="8" cy="6" r="2" className="hs-brand-hop" />
            <circle cx="12" cy="12" r="2" className="hs-brand-hop" />
            <circle cx="17" cy="4" r="2.4" className="hs-brand-dest" />
          </svg>
          <span>Hopscope</span>
        </div>
        <TabBar newTabShortcut={keys['new-tab']} />
        <Toolbar keys={keys} />
      </header>
      <div className="hs-workspace">
        <aside className="hs-sidebar" aria-label="Trace options">
          <div className="hs-sidebar-main">
            <SidePanel startShortcut={keys['start-stop']} platform={platform} />
          </div>
          <SessionsList />
          <Suspense fallback={null}>
            <AgentsPanel />
          </Suspense>
        </aside>
        <main className="hs-main">
          <Banners />
          <TraceView shortcuts={shortcuts} />
        </main>
      </div>
      <StatusBar engine={transport === 'electron' ? 'Desktop' : 'Browser harness'} />
      <DropOverlay />
      <ShellDialogs />
    </div>
  );
}

export function App({ api, store = defaultTraceStore, controllerOptions }: AppProps) {
  const [controller] = useState(() => new AppController(api, store, controllerOptions));

  useEffect(() => controller.init(), [controller]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      const command = commandForKey(event, api.transport);
      if (command !== null) {
        event.preventDefault();
        void controller.runCommand(command);
        return;
      }
      // Ctrl/Cmd+1…9 picks a tab.
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey && /^[1-9]$/.test(event.key)) {
        event.preventDefault();
        controller.selectTabAt(Number(event.key) - 1);
      }
    };
    // A dropped file must never make the window navigate to it.
    const onDragOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      controller.setDragging(true);
    };
    const onDragLeave = (event: DragEvent) => {
      // relatedTarget is null only when the pointer leaves the window.
      if (event.relatedTarget === null) controller.setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      controller.setDragging(false);
      const file = event.dataTransfer?.files[0];
      if (file) void controller.files.importFile(file);
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('dragenter', onDragOver);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('dragenter', onDragOver);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [controller, api.transport]);

  return (
    <ControllerContext.Provider value={controller}>
      <Shell platform={api.platform} transport={api.transport} />
    </ControllerContext.Provider>
  );
}
