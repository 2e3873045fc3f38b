/**
 * App-wide guards applied to every webContents and to the session: no
 * navigation away from the app, no new windows, no webviews, no
 * permissions, no downloads. External http(s) links opened with
 * target=_blank go to the system browser after validation.
 */
import { app, shell, type Session, type WebContents } from 'electron';
import { isAllowedNetworkRequest, isOwnPageUrl } from './appOrigin';
import { isSafeExternalUrl } from './externalLinks';

export interface HardeningOptions {
  /** The dev server origin under `electron-vite dev`, trusted like app://. */
  devServerOrigin?: string | null;
  log?: (message: string) => void;
}

function openExternalIfSafe(url: string, log: (message: string) => void): void {
  if (!isSafeExternalUrl(url)) {
    log(`blocked opening ${JSON.stringify(url.slice(0, 200))}`);
    return;
  }
  // electronegativity-ignore: OPEN_EXTERNAL_JS_CHECK — the URL passed isSafeExternalUrl (http/https, no credentials, no control characters) just above.
  shell.openExternal(url).catch((err: unknown) => log(`cannot open ${url}: ${String(err)}`));
}

export function hardenWebContents(contents: WebContents, options: HardeningOptions = {}): void {
  const log = options.log ?? (() => {});
  // The app is a single page: it never navigates itself; reloads do not pass through here.
  contents.on('will-navigate', (event) => {
    event.preventDefault();
    log(`blocked navigation to ${event.url.slice(0, 200)}`);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isOwnPageUrl(event.url, options.devServerOrigin)) {
      event.preventDefault();
      log(`blocked frame navigation to ${event.url.slice(0, 200)}`);
    }
  });
  contents.on('will-redirect', (event) => {
    if (!isOwnPageUrl(event.url, options.devServerOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfSafe(url, log);
    return { action: 'deny' };
  });
}

export function hardenSession(ses: Session, options: HardeningOptions = {}): void {
  const log = options.log ?? (() => {});
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`denied permission request: ${permission}`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  // Files are saved through the main process's dialogs, never as downloads.
  ses.on('will-download', (event) => event.preventDefault());
  // The app is local: nothing goes to the network (the CSP says so too; this holds even if it were lost).
  ses.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] },
    (details, callback) => {
      const allowed = isAllowedNetworkRequest(details.url, options.devServerOrigin);
      if (!allowed) log(`blocked request to ${details.url.slice(0, 200)}`);
      callback({ cancel: !allowed });
    },
  );
}

/** Guard every webContents ever created, including ones we did not create ourselves. */
export function installAppHardening(options: HardeningOptions = {}): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, options));
}
