/**
 * Smoke tests of the real Electron app through Playwright's _electron:
 * the window opens on app://, the preload API is there (and nothing else),
 * and a trace to 127.0.0.1 runs. They need the Electron binary, which
 * cannot be downloaded everywhere (ELECTRON_SKIP_BINARY_DOWNLOAD=1 in CI
 * here); without it the suite is skipped with the reason printed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { INVOKE_NAMES, type HopscopeApi } from '@shared/ipc';
import type { SessionEventBatch } from '@shared/session';

const ROOT = resolve(__dirname, '../..');
const SKIP_REASON = 'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD); skipping _electron smoke tests';

/** In Node, require('electron') returns the binary's path, or throws when the download was skipped. */
function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(join(ROOT, 'package.json'))('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) console.warn(SKIP_REASON);

interface PageGlobals {
  hopscope?: HopscopeApi;
  require?: unknown;
  process?: unknown;
  __batches: SessionEventBatch[];
}

describe.skipIf(!binary)('Electron app (_electron smoke tests)', () => {
  let app: ElectronApplication;
  let page: Page;
  let configHome: string;

  beforeAll(async () => {
    ensureBuilt();
    // A throw-away profile, so preferences.json never lands in the real one.
    configHome = await mkdtemp(join(tmpdir(), 'hopscope-electron-'));
    app = await _electron.launch({
      executablePath: binary!,
      // Chromium refuses to start as root with its own sandbox; the renderer sandbox flag is unaffected.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ROOT],
      env: { ...process.env, XDG_CONFIG_HOME: configHome },
    });
    page = await app.firstWindow();
  });

  afterAll(async () => {
    await app?.close();
    if (configHome) await rm(configHome, { recursive: true, force: true });
  });

  it('opens one window, on app://', async () => {
    expect(page.url()).toBe('app://hopscope/index.html');
    await page.waitForSelector('#root', { state: 'attached' });
    const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
    expect(windows).toBe(1);
  });

  it('exposes exactly the HopscopeApi and no Node or Electron objects', async () => {
    const shape = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return {
        keys: Object.keys(g.hopscope ?? {}).sort(),
        transport: g.hopscope?.transport,
        require: typeof g.require,
        process: typeof g.process,
      };
    });
    expect(shape.keys).toEqual([...INVOKE_NAMES, 'on', 'platform', 'transport'].sort());
    expect(shape.transport).toBe('electron');
    expect(shape.require).toBe('undefined');
    expect(shape.process).toBe('undefined');
  });

  it('blocks inline script (CSP) in the window', async () => {
    const ran = await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.appendChild(s);
      return window.__inlineRan === true;
    })()`);
    expect(ran).toBe(false);
  });

  it('runs a trace to 127.0.0.1 over IPC', async () => {
    const started = await page.evaluate(async () => {
      const g = globalThis as unknown as PageGlobals;
      const api = g.hopscope!;
      g.__batches = [];
      api.on('sessionEvents', (batch) => g.__batches.push(batch));
      await api.rendererReady();
      return api.startSession({ target: '127.0.0.1', count: 1, intervalSec: 0.5, timeoutSec: 2, dns: false });
    });
    expect(started).toMatchObject({ ok: true });
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).__batches.some((b) =>
          b.events.some((e) => e.type === 'destination-reached' && e.ttl === 1),
        ),
      undefined,
      { timeout: 60_000 },
    );
  });

  it('records the trace in history.duckdb in its user-data folder (DuckDB loads in Electron main)', async () => {
    const listed = await page.evaluate(async () => {
      const api = (globalThis as unknown as PageGlobals).hopscope!;
      return api.listStoredSessions();
    });
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.value.history.state).toBe('recording');
    // userData is <XDG_CONFIG_HOME>/<app name>: the test's throw-away profile.
    expect(listed.value.history.path).toMatch(new RegExp(`^${configHome}/[^/]+/history\\.duckdb$`));
    expect(listed.value.sessions.map((s) => s.target)).toEqual(['127.0.0.1']);
  });
});
