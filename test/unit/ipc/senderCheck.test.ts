import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkSender, isTrustedSender, type SenderInfo } from '../../../src/main/electron/senderCheck';
import { APP_ENTRY_URL, isAllowedNetworkRequest, isAppUrl } from '../../../src/main/electron/appOrigin';

const OURS = new Set([7]);
const good: SenderInfo = { url: APP_ENTRY_URL, isMainFrame: true, webContentsId: 7, trustedWebContentsIds: OURS };

describe('isTrustedSender', () => {
  it('accepts the top frame of our window on app://', () => {
    expect(isTrustedSender(good)).toBe(true);
    expect(isTrustedSender({ ...good, url: 'app://hopscope/' })).toBe(true);
    expect(isTrustedSender({ ...good, url: 'app://hopscope/index.html#/tab/2?x=1' })).toBe(true);
  });

  it.each([
    ['another origin', 'https://evil.example/'],
    ['http on loopback', 'http://127.0.0.1:5173/'],
    ['file://', 'file:///work/main/out/renderer/index.html'],
    ['devtools', 'devtools://devtools/bundled/devtools_app.html'],
    ['chrome-extension', 'chrome-extension://abcdef/page.html'],
    ['a look-alike host', 'app://hopscope.evil/index.html'],
    ['a host suffix', 'app://evilhopscope/index.html'],
    ['a port', 'app://hopscope:8080/index.html'],
    ['credentials', 'app://user:pw@hopscope/index.html'],
    ['about:blank', 'about:blank'],
    ['data:', 'data:text/html,<script>1</script>'],
    ['javascript:', 'javascript:alert(1)'],
    ['an empty url', ''],
    ['a destroyed frame', null],
    ['garbage', 'not a url at all'],
  ])('rejects %s', (_what, url) => {
    const verdict = checkSender({ ...good, url });
    expect(verdict.ok).toBe(false);
  });

  it('rejects a subframe even on our origin', () => {
    expect(checkSender({ ...good, isMainFrame: false })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('subframe'),
    });
  });

  it('rejects a webContents that is not one of our windows (e.g. devtools, a stray window)', () => {
    expect(checkSender({ ...good, webContentsId: 8 })).toMatchObject({ ok: false });
    expect(checkSender({ ...good, trustedWebContentsIds: new Set() })).toMatchObject({ ok: false });
  });

  it('trusts the dev server origin only when one is configured, and only that origin', () => {
    const dev = 'http://localhost:5173';
    expect(isTrustedSender({ ...good, url: `${dev}/` })).toBe(false);
    expect(isTrustedSender({ ...good, url: `${dev}/`, devServerOrigin: dev })).toBe(true);
    expect(isTrustedSender({ ...good, url: 'http://localhost:5174/', devServerOrigin: dev })).toBe(false);
    expect(isTrustedSender({ ...good, url: `${dev}/`, devServerOrigin: dev, isMainFrame: false })).toBe(false);
  });

  it('no URL outside app://hopscope is ever trusted', () => {
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.string()), (url) => {
        fc.pre(!isAppUrl(url));
        expect(isTrustedSender({ ...good, url })).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('isAllowedNetworkRequest', () => {
  it('allows nothing without a dev server', () => {
    for (const url of ['http://127.0.0.1/', 'https://example.com/', 'ws://localhost:5173/']) {
      expect(isAllowedNetworkRequest(url, null)).toBe(false);
    }
  });

  it('allows only the dev server (and its HMR socket) under electron-vite dev', () => {
    const dev = 'http://localhost:5173';
    expect(isAllowedNetworkRequest('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAllowedNetworkRequest('ws://localhost:5173/', dev)).toBe(true);
    expect(isAllowedNetworkRequest('http://localhost:5174/', dev)).toBe(false);
    expect(isAllowedNetworkRequest('https://localhost:5173/', dev)).toBe(false);
    expect(isAllowedNetworkRequest('http://evil.example/', dev)).toBe(false);
    expect(isAllowedNetworkRequest('garbage', dev)).toBe(false);
  });
});
