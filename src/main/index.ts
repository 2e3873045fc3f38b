/**
 * Electron main process: wires the TraceService to a hardened window.
 * Everything with logic lives in ./electron/* (pure parts unit-tested);
 * this file only orders the startup and shutdown steps.
 */
import { app, BrowserWindow, ipcMain, Menu, session } from 'electron';
import { isAbsolute, join } from 'node:path';
import { TraceService } from './service/traceService';
// Built by electron-vite as a separate file: large trace files are parsed there, off the main thread.
import traceFileWorkerPath from './service/traceFileWorker?modulePath';
import { APP_ENTRY_URL } from './electron/appOrigin';
import { registerAppScheme, serveAppProtocol } from './electron/appProtocol';
import { createFileDialogs } from './electron/fileDialogs';
import { hardenSession, installAppHardening } from './electron/hardening';
import { IpcBridge } from './electron/ipcBridge';
import { buildMenuTemplate } from './electron/menu';
import { loadPreferences, PreferencesStore } from './electron/preferences';
import { createMainWindow, windowStateOf } from './electron/window';

const log = (message: string): void => console.error(`[hopscope] ${message}`);
const isDev = !app.isPackaged;
// electron-vite dev serves the renderer over HTTP; a packaged app never trusts it.
const devRendererUrl = isDev ? (process.env.ELECTRON_RENDERER_URL ?? null) : null;
const devServerOrigin = devRendererUrl ? new URL(devRendererUrl).origin : null;
const SHUTDOWN_TIMEOUT_MS = 5000;

// Both must happen before 'ready'.
registerAppScheme();
app.enableSandbox();
installAppHardening({ devServerOrigin, log });

let shutdown: (() => Promise<void>) | null = null;
let quitState: 'running' | 'stopping' | 'stopped' = 'running';

// Stop every session and reap mtr-packet before the process goes away.
app.on('before-quit', (event) => {
  if (quitState === 'stopped' || !shutdown) return;
  event.preventDefault();
  if (quitState === 'stopping') return;
  quitState = 'stopping';
  void shutdown().finally(() => {
    quitState = 'stopped';
    app.quit();
  });
});
// One window is the whole app: closing it quits, on macOS too, so no trace runs unseen.
app.on('window-all-closed', () => app.quit());
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

/** `--mtr-packet=/path` on the command line wins over the saved preference. */
/** An absolute path given as `--NAME=PATH` on the app's command line. */
function commandLinePath(name: 'mtr-packet' | 'asn-db' | 'geo-db'): string | null {
  const value = app.commandLine.getSwitchValue(name);
  return value && isAbsolute(value) ? value : null;
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const loaded = await loadPreferences(userData);
  if (loaded.problem) {
    log(
      `preferences: ${loaded.problem}${loaded.setAsidePath ? ` (moved to ${loaded.setAsidePath})` : ''}; using defaults`,
    );
  }
  const prefs = new PreferencesStore(userData, loaded.preferences, (err) =>
    log(`cannot save preferences: ${String(err)}`),
  );

  let mainWindow: BrowserWindow | null = null;
  const mtrPacketPath = commandLinePath('mtr-packet') ?? prefs.get().mtrPacketPath;
  let asnDb = commandLinePath('asn-db') ?? prefs.get().asnDbPath;
  let geoDb = commandLinePath('geo-db') ?? prefs.get().geoDbPath;
  const service = new TraceService({
    // Every session is recorded here. DuckDB locks the file for one writing process: the
    // single-instance lock below keeps it to this one; a failure only turns history off.
    history: { path: join(userData, 'history.duckdb'), log },
    ...(mtrPacketPath ? { mtrPacketPath } : {}),
    dialogs: createFileDialogs(() => mainWindow),
    traceFileWorker: { path: traceFileWorkerPath },
    // Owners from the user's databases (if set), then the shipped data, loaded in the background.
    enrichment: { ...(asnDb ? { asnDb } : {}), ...(geoDb ? { geoDb } : {}) },
    // Databases chosen in the app's settings apply at once and are remembered for the next start.
    enrichmentSettings: {
      get: () => ({ asnDbPath: asnDb, geoDbPath: geoDb }),
      set: (settings) => {
        ({ asnDbPath: asnDb, geoDbPath: geoDb } = settings);
        void prefs.update(settings);
      },
    },
    lastTraceOptions: {
      get: () => prefs.get().lastTraceOptions,
      set: (options) => void prefs.setLastTraceOptions(options),
    },
  });
  const bridge = new IpcBridge(service, {
    devServerOrigin,
    log,
  });

  shutdown = async () => {
    if (mainWindow && !mainWindow.isDestroyed()) void prefs.setWindow(windowStateOf(mainWindow));
    bridge.dispose();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log('sessions did not stop in time; quitting anyway');
        resolve();
      }, SHUTDOWN_TIMEOUT_MS);
    });
    await Promise.race([service.dispose().catch((err: unknown) => log(`dispose failed: ${String(err)}`)), timeout]);
    clearTimeout(timer);
    await prefs.flush();
  };

  hardenSession(session.defaultSession, { devServerOrigin, log });
  serveAppProtocol(session.defaultSession, join(__dirname, '../renderer'));
  bridge.register(ipcMain);

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        appName: app.name,
        isDev,
        send: (command, window) => {
          const target = window instanceof BrowserWindow ? window : BrowserWindow.getFocusedWindow();
          if (target) bridge.post(target.webContents.id, 'menuCommand', command);
        },
      }),
    ),
  );

  const win = createMainWindow({
    preloadPath: join(__dirname, '../preload/index.cjs'),
    saved: prefs.get().window,
    title: 'Hopscope',
  });
  mainWindow = win;
  bridge.attach(win);
  win.on('close', () => void prefs.setWindow(windowStateOf(win)));
  win.on('closed', () => {
    mainWindow = null;
  });
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  await win.loadURL(devRendererUrl ?? APP_ENTRY_URL);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      log(`startup failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      app.exit(1);
    });
}
