/**
 * The main window with every renderer-side security switch set explicitly
 * (checklist items 2-4, 6, 8-12), whatever Electron's defaults are.
 */
import { BrowserWindow, screen } from 'electron';
import type { WindowState } from './preferences';
import { MIN_WINDOW, restoreBounds } from './windowBounds';

export interface MainWindowOptions {
  preloadPath: string;
  saved: WindowState | null;
  title: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const bounds = restoreBounds(
    options.saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  // electronegativity-ignore: AUXCLICK_JS_CHECK — Blink has no Auxclick flag to disable any more (electron#10315); middle-click windows hit setWindowOpenHandler, which denies them (hardening.ts).
  const win = new BrowserWindow({
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    title: options.title,
    show: false,
    webPreferences: {
      // electronegativity-ignore: PRELOAD_JS_CHECK — reviewed: the sandboxed preload exposes only contract-generated invoke functions and an event subscription via contextBridge; no ipcRenderer, no Node APIs.
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  });
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  return win;
}

/** What to remember about a window when it closes. */
export function windowStateOf(win: BrowserWindow): WindowState {
  const b = win.getNormalBounds();
  return {
    x: Math.round(b.x),
    y: Math.round(b.y),
    width: Math.round(b.width),
    height: Math.round(b.height),
    maximized: win.isMaximized(),
  };
}
