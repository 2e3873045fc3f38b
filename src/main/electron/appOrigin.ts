/**
 * The renderer's origin under Electron. Pages are served from a privileged
 * custom scheme instead of file:// so they get a real origin to check.
 * No electron import here: the harness and unit tests use this too.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'hopscope';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True when `url` parses and belongs to our app:// origin (any path). */
export function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string' || url.length === 0) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}

/** Our page: app://, or the dev server's origin under `electron-vite dev` (never when packaged). */
export function isOwnPageUrl(url: string | null | undefined, devServerOrigin?: string | null): boolean {
  if (isAppUrl(url)) return true;
  if (!devServerOrigin || typeof url !== 'string') return false;
  try {
    return new URL(url).origin === devServerOrigin;
  } catch {
    return false;
  }
}

/**
 * Requests the renderer may make to network schemes: none, except to the dev
 * server (page, modules and its HMR socket) under `electron-vite dev`.
 */
export function isAllowedNetworkRequest(url: string, devServerOrigin?: string | null): boolean {
  if (!devServerOrigin) return false;
  try {
    const target = new URL(url);
    const dev = new URL(devServerOrigin);
    const scheme = target.protocol === 'ws:' ? 'http:' : target.protocol === 'wss:' ? 'https:' : target.protocol;
    return scheme === dev.protocol && target.host === dev.host;
  } catch {
    return false;
  }
}
