/**
 * The app:// protocol: serves the built renderer from disk with the CSP as
 * a response header. Registered as standard + secure so the page has a
 * real, secure origin (checklist item 18: no file://).
 */
import { protocol, type Session } from 'electron';
import { APP_HOST, APP_SCHEME } from './appOrigin';
import { securityHeaders } from './contentSecurity';
import { readAsset } from './staticAssets';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveAppProtocol(ses: Session, rendererDir: string): void {
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const plain = (status: number, text: string) =>
      new Response(text, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const url = new URL(request.url);
    if (url.hostname !== APP_HOST) return plain(404, 'not found');
    const asset = await readAsset(rendererDir, url.pathname);
    if (!asset) return plain(404, 'not found');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(asset.body), {
      status: 200,
      headers: { ...securityHeaders(), 'Content-Type': asset.contentType },
    });
  });
}
