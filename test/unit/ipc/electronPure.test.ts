/** The pure parts of the Electron adapter, the preload and the harness. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eventContract, INVOKE_NAMES, invokeContract, MENU_COMMANDS } from '@shared/ipc';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '@shared/channels';
import {
  CONTENT_SECURITY_POLICY,
  HEADER_ONLY_DIRECTIVES,
  parseCsp,
  securityHeaders,
} from '../../../src/main/electron/contentSecurity';
import { readAsset, resolveAssetPath } from '../../../src/main/electron/staticAssets';
import { isSafeExternalUrl } from '../../../src/main/electron/externalLinks';
import { safeFileName } from '../../../src/main/electron/fileNames';
import { restoreBounds, MIN_WINDOW } from '../../../src/main/electron/windowBounds';
import { buildMenuTemplate, MENU_ACCELERATORS } from '../../../src/main/electron/menu';
import {
  allowedHostHeaders,
  cookieName,
  readCookie,
  tokenMatches,
  newToken,
  isLoopbackHost,
} from '../../../src/harness/auth';
import type { MenuItemConstructorOptions } from 'electron';
import type { IncomingMessage } from 'node:http';

const ROOT = resolve(__dirname, '../../..');

describe('channel list', () => {
  it("names exactly the contract's calls and events", () => {
    expect(Object.keys(INVOKE_CHANNELS).sort()).toEqual([...INVOKE_NAMES].sort());
    for (const name of INVOKE_NAMES) expect(INVOKE_CHANNELS[name]).toBe(invokeContract[name].channel);
    expect(Object.keys(EVENT_CHANNELS).sort()).toEqual(Object.keys(eventContract).sort());
    for (const [name, { channel }] of Object.entries(eventContract)) {
      expect(EVENT_CHANNELS[name as keyof typeof EVENT_CHANNELS]).toBe(channel);
    }
  });

  it('channel names are unique', () => {
    const all = [...Object.values(INVOKE_CHANNELS), ...Object.values(EVENT_CHANNELS)];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('content security policy', () => {
  const html = readFileSync(join(ROOT, 'src/renderer/index.html'), 'utf8');
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];

  it('the header policy matches the meta policy of index.html (connect-src may only be narrower)', () => {
    expect(meta).toBeDefined();
    const header = parseCsp(CONTENT_SECURITY_POLICY);
    const page = parseCsp(meta!);
    expect([...header.keys()].filter((name) => !HEADER_ONLY_DIRECTIVES.includes(name)).sort()).toEqual(
      [...page.keys()].sort(),
    );
    for (const [name, values] of header) {
      if (HEADER_ONLY_DIRECTIVES.includes(name)) continue;
      if (name === 'connect-src') {
        for (const v of values) expect(page.get(name)).toContain(v);
      } else {
        expect(values.sort()).toEqual([...(page.get(name) ?? [])].sort());
      }
    }
  });

  it('header-only directives (ignored, with a console error, in a meta tag) are in the header only', () => {
    expect(HEADER_ONLY_DIRECTIVES).toContain('frame-ancestors');
    const header = parseCsp(CONTENT_SECURITY_POLICY);
    const page = parseCsp(meta!);
    for (const name of HEADER_ONLY_DIRECTIVES) {
      expect(page.has(name), `${name} in the meta policy`).toBe(false);
      expect(header.get(name)).toEqual(["'none'"]);
    }
  });

  it('allows no inline or eval script and no remote origins', () => {
    const header = parseCsp(CONTENT_SECURITY_POLICY);
    expect(header.get('script-src')).toEqual(["'self'"]);
    expect(header.get('object-src')).toEqual(["'none'"]);
    for (const values of header.values()) {
      for (const v of values) expect(v).not.toMatch(/^(https?:|ws:|wss:|\*|'unsafe-eval')/);
    }
    expect(securityHeaders()['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('static assets', () => {
  it('maps paths inside the root and refuses everything else', async () => {
    const root = await mkdtemp(join(tmpdir(), 'hopscope-assets-'));
    try {
      await mkdir(join(root, 'assets'));
      await writeFile(join(root, 'index.html'), '<!doctype html>');
      await writeFile(join(root, 'assets', 'a.js'), 'export {}');
      await writeFile(join(root, '..', 'hopscope-outside.txt'), 'secret');
      expect(resolveAssetPath(root, '/')).toBe(join(root, 'index.html'));
      expect(resolveAssetPath(root, '/assets/a.js')).toBe(join(root, 'assets', 'a.js'));
      for (const bad of ['/../x', '/assets/../../x', '/%2e%2e/x', '/..%2fx', '/a%00b', '/a\\..\\b', '/%E0%A4%A']) {
        expect(resolveAssetPath(root, bad)).toBeNull();
      }
      expect((await readAsset(root, '/assets/a.js'))?.contentType).toMatch(/^text\/javascript/);
      expect((await readAsset(root, '/index.html'))?.contentType).toMatch(/^text\/html/);
      expect(await readAsset(root, '/assets')).toBeNull();
      expect(await readAsset(root, '/missing.js')).toBeNull();
      expect(await readAsset(root, '/../hopscope-outside.txt')).toBeNull();
      fc.assert(
        fc.property(fc.string(), (p) => {
          const full = resolveAssetPath(root, '/' + p);
          if (full !== null) expect(full.startsWith(root + '/')).toBe(true);
        }),
        { numRuns: 500 },
      );
    } finally {
      await rm(join(root, '..', 'hopscope-outside.txt'), { force: true });
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe('static assets and symbolic links', () => {
  it('serves links within the folder and refuses links that lead out of it', async () => {
    const base = await mkdtemp(join(tmpdir(), 'hopscope-links-'));
    const root = join(base, 'renderer');
    try {
      await mkdir(join(root, 'assets'), { recursive: true });
      await mkdir(join(base, 'private'));
      await writeFile(join(base, 'secret.txt'), 'secret');
      await writeFile(join(base, 'private', 'key.txt'), 'key');
      await writeFile(join(root, 'assets', 'app.js'), 'export {}');
      await symlink(join(base, 'secret.txt'), join(root, 'secret.txt'));
      await symlink('../../secret.txt', join(root, 'assets', 'relative.txt'));
      await symlink(join(base, 'private'), join(root, 'private'));
      await symlink(join(root, 'assets', 'app.js'), join(root, 'inside.js'));
      // The names are inside root, so the path check alone lets them through.
      expect(resolveAssetPath(root, '/secret.txt')).toBe(join(root, 'secret.txt'));
      expect(await readAsset(root, '/secret.txt')).toBeNull();
      expect(await readAsset(root, '/assets/relative.txt')).toBeNull();
      expect(await readAsset(root, '/private/key.txt')).toBeNull();
      expect((await readAsset(root, '/inside.js'))?.body.toString()).toBe('export {}');
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });

  it('serves from a root that is itself reached through a link', async () => {
    const base = await mkdtemp(join(tmpdir(), 'hopscope-linked-root-'));
    try {
      await mkdir(join(base, 'real'));
      await writeFile(join(base, 'real', 'index.html'), '<!doctype html>');
      await symlink(join(base, 'real'), join(base, 'linked'));
      expect((await readAsset(join(base, 'linked'), '/'))?.contentType).toMatch(/^text\/html/);
    } finally {
      await rm(base, { recursive: true, force: true });
    }
  });
});

describe('external links', () => {
  it.each(['https://github.com/traviscross/mtr', 'http://example.com/a?b=c#d'])('allows %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(true);
  });
  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'app://hopscope/index.html',
    'https://user:pw@example.com/',
    'https://exa mple.com/',
    'https://example.com/\n',
    'https://example.com/' + 'a'.repeat(3000),
    '',
    'ms-settings:',
  ])('refuses %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });
  it('refuses non-strings', () => {
    expect(isSafeExternalUrl(undefined)).toBe(false);
    expect(isSafeExternalUrl({ href: 'https://x' })).toBe(false);
  });
});

describe('save dialog names', () => {
  it('keep the suggestion, strip what a file system rejects, add the extension once', () => {
    expect(safeFileName('trace 192.0.2.1', 'json')).toBe('trace 192.0.2.1.json');
    expect(safeFileName('graph.png', 'png')).toBe('graph.png');
    expect(safeFileName('../../etc/passwd', 'json')).toBe('_.._etc_passwd.json');
    expect(safeFileName('a/b\\c:d', 'json')).toBe('a_b_c_d.json');
    expect(safeFileName('', 'png')).toBe('hopscope-trace.png');
    expect(safeFileName('CON', 'json')).toBe('hopscope-CON.json');
    expect(safeFileName('x\ny', 'json')).toBe('x_y.json');
  });
  it('never yields a separator, a control character or a leading dot', () => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom('json', 'png') as fc.Arbitrary<'json' | 'png'>, (s, ext) => {
        const name = safeFileName(s, ext);
        expect(name).not.toMatch(/[/\\]/);
        expect([...name].some((ch) => ch.charCodeAt(0) < 0x20)).toBe(false);
        expect(name.startsWith('.')).toBe(false);
        expect(name.endsWith(`.${ext}`)).toBe(true);
      }),
    );
  });
});

describe('window bounds', () => {
  const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('defaults without saved state', () => {
    expect(restoreBounds(null, screen)).toEqual({ width: 1280, height: 800, maximized: false });
  });
  it('keeps a visible position', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1000, height: 700, maximized: false }, screen)).toEqual({
      x: 100,
      y: 50,
      width: 1000,
      height: 700,
      maximized: false,
    });
  });
  it('drops a position on a display that is gone, keeps the size within the screen', () => {
    expect(restoreBounds({ x: 3000, y: 50, width: 5000, height: 700, maximized: true }, screen)).toEqual({
      width: 1920,
      height: 700,
      maximized: true,
    });
  });
  it('never goes below the minimum size', () => {
    expect(restoreBounds({ width: 100, height: 100, maximized: false }, screen)).toMatchObject(MIN_WINDOW);
  });
});

describe('application menu', () => {
  function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
    return template.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])]);
  }

  it.each(['linux', 'darwin', 'win32'])('has every menu command once, with its accelerator (%s)', (platform) => {
    const sent: string[] = [];
    const template = buildMenuTemplate({ platform, appName: 'Hopscope', isDev: false, send: (c) => sent.push(c) });
    const commands = items(template).filter((i) => (MENU_COMMANDS as readonly string[]).includes(i.id ?? ''));
    expect(commands.map((i) => i.id).sort()).toEqual([...MENU_COMMANDS].sort());
    for (const item of commands) {
      expect(item.accelerator).toBe(MENU_ACCELERATORS[item.id as keyof typeof MENU_ACCELERATORS]);
      (item.click as (...args: unknown[]) => void)(undefined, undefined, undefined);
    }
    expect(sent.sort()).toEqual([...MENU_COMMANDS].sort());
    const accelerators = Object.values(MENU_ACCELERATORS);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('gives Export Session the keys the page binds to it (test/renderer/shortcuts.test.ts)', () => {
    expect(MENU_ACCELERATORS['export-session']).toBe('CmdOrCtrl+Shift+X');
  });

  it('only dev builds get reload and devtools', () => {
    const roles = (isDev: boolean) =>
      items(buildMenuTemplate({ platform: 'linux', appName: 'H', isDev, send: () => {} })).map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(false)).not.toContain('reload');
    expect(roles(true)).toContain('toggleDevTools');
  });
});

describe('harness token helpers', () => {
  it('compares tokens exactly', () => {
    const token = newToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token.slice(1), token)).toBe(false);
    expect(tokenMatches(token + 'x', token)).toBe(false);
    expect(tokenMatches('', token)).toBe(false);
    expect(tokenMatches(null, token)).toBe(false);
    expect(newToken()).not.toBe(token);
  });

  it('reads its own cookie only', () => {
    const req = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as IncomingMessage;
    expect(readCookie(req('a=1; hopscope_token_80=abc; b=2'), cookieName(80))).toBe('abc');
    expect(readCookie(req('hopscope_token_8080=abc'), cookieName(80))).toBeNull();
    expect(readCookie(req(), cookieName(80))).toBeNull();
  });

  it('allows the Host header of the address it listens on', () => {
    expect(allowedHostHeaders(8080, '127.0.0.2').has('127.0.0.2:8080')).toBe(true);
    expect(allowedHostHeaders(8080, '::1').has('[::1]:8080')).toBe(true);
    expect(allowedHostHeaders(8080, '127.0.0.1')).toEqual(new Set(['127.0.0.1:8080', 'localhost:8080', '[::1]:8080']));
    expect(allowedHostHeaders(8080, '127.0.0.2').has('127.0.0.3:8080')).toBe(false);
  });

  it('knows loopback addresses', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('0.0.0.0')).toBe(false);
    expect(isLoopbackHost('192.168.1.5')).toBe(false);
  });
});
