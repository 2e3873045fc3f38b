/** Preferences against real files in a temporary directory. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultPreferences,
  loadPreferences,
  PREFERENCES_FILE,
  PreferencesStore,
  savePreferences,
  validatePreferences,
  type Preferences,
} from '../../../src/main/electron/preferences';
import { validateInvokeRequest } from '@shared/ipc';

let dir: string;
const fixedNow = () => new Date('2026-03-04T05:06:07.890Z');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hopscope-prefs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const write = (content: string) => writeFile(join(dir, PREFERENCES_FILE), content);

function traceOptions() {
  const valid = validateInvokeRequest('startSession', {
    target: 'r1.hopscope.test',
    protocol: 'tcp',
    port: 443,
    count: 10,
  });
  if (!valid.ok) throw new Error('fixture options are invalid');
  return valid.value;
}

const full: Preferences = {
  version: 1,
  window: { x: 10, y: -20, width: 1200, height: 700, maximized: true },
  lastTraceOptions: traceOptions(),
  mtrPacketPath: '/usr/bin/mtr-packet',
  asnDbPath: '/srv/data/asn.csv',
  geoDbPath: null,
};

describe('loadPreferences', () => {
  it('uses defaults, silently, when there is no file', async () => {
    expect(await loadPreferences(dir)).toEqual({ preferences: defaultPreferences() });
  });

  it('loads a valid file', async () => {
    await write(JSON.stringify(full));
    const result = await loadPreferences(dir);
    expect(result.problem).toBeUndefined();
    expect(result.preferences).toEqual(full);
  });

  it('fills in defaults for omitted optional fields', async () => {
    await write(JSON.stringify({ version: 1 }));
    expect((await loadPreferences(dir)).preferences).toEqual(defaultPreferences());
  });

  it('sets a corrupt (non-JSON) file aside and uses defaults', async () => {
    await write('{"version": 1, "window": {');
    const result = await loadPreferences(dir, fixedNow);
    expect(result.preferences).toEqual(defaultPreferences());
    expect(result.problem).toMatch(/not JSON/);
    const asideName = 'preferences.corrupt-2026-03-04T05-06-07-890Z.json';
    expect(result.setAsidePath).toBe(join(dir, asideName));
    expect((await readdir(dir)).sort()).toEqual([asideName]);
    expect(await readFile(join(dir, asideName), 'utf8')).toBe('{"version": 1, "window": {');
  });

  it.each([
    ['a window width of the wrong type', { version: 1, window: { width: '800', height: 600 } }, 'window.width'],
    ['a tiny window', { version: 1, window: { width: 5, height: 600 } }, 'window.width'],
    ['an unknown key', { version: 1, theme: 'dark' }, ''],
    ['a future version', { version: 2 }, 'version'],
    ['a relative mtr-packet path', { version: 1, mtrPacketPath: 'bin/mtr-packet' }, 'mtrPacketPath'],
    ['a relative AS database path', { version: 1, asnDbPath: 'asn.csv' }, 'asnDbPath'],
    [
      'an invalid trace option',
      { version: 1, lastTraceOptions: { target: 'a b', maxTtl: 30 } },
      'lastTraceOptions.target',
    ],
    [
      'an out-of-range trace option',
      { version: 1, lastTraceOptions: { target: 'x.test', maxTtl: 999 } },
      'lastTraceOptions.maxTtl',
    ],
    ['an array', [1, 2], ''],
    ['null', null, ''],
  ])('rejects %s: set aside, defaults used, field named', async (_what, content, field) => {
    await write(JSON.stringify(content));
    const result = await loadPreferences(dir, fixedNow);
    expect(result.preferences).toEqual(defaultPreferences());
    expect(result.setAsidePath).toBeDefined();
    if (field) expect(result.problem?.startsWith(`${field}:`)).toBe(true);
    expect(await readdir(dir)).not.toContain(PREFERENCES_FILE);
  });

  it('leaves an unreadable path alone (a directory where the file should be)', async () => {
    await mkdir(join(dir, PREFERENCES_FILE));
    const result = await loadPreferences(dir);
    expect(result.preferences).toEqual(defaultPreferences());
    expect(result.problem).toMatch(/cannot read/);
    expect(result.setAsidePath).toBeUndefined();
    expect(await readdir(dir)).toEqual([PREFERENCES_FILE]);
  });
});

describe('savePreferences and PreferencesStore', () => {
  it('round-trips and leaves no temporary file behind', async () => {
    await savePreferences(dir, full);
    expect(await readdir(dir)).toEqual([PREFERENCES_FILE]);
    expect((await loadPreferences(dir)).preferences).toEqual(full);
  });

  it('creates the directory when needed', async () => {
    const nested = join(dir, 'a', 'b');
    await savePreferences(nested, full);
    expect((await loadPreferences(nested)).preferences).toEqual(full);
  });

  it('refuses to write invalid preferences', async () => {
    const bad = { ...full, window: { width: -1, height: 1, maximized: false } } as Preferences;
    await expect(savePreferences(dir, bad)).rejects.toThrow(/window.width/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('applies updates in order; the file ends with the last one', async () => {
    const store = new PreferencesStore(dir, defaultPreferences());
    for (let i = 0; i < 10; i++) void store.setWindow({ width: 800 + i, height: 600, maximized: false });
    void store.setLastTraceOptions(traceOptions());
    await store.flush();
    const loaded = (await loadPreferences(dir)).preferences;
    expect(loaded.window?.width).toBe(809);
    expect(loaded.lastTraceOptions).toEqual(traceOptions());
    expect(store.get()).toEqual(loaded);
  });

  it('reports write errors instead of throwing', async () => {
    const errors: unknown[] = [];
    const blocker = join(dir, 'file');
    await writeFile(blocker, 'x');
    // A directory path below a regular file cannot be created.
    const store = new PreferencesStore(join(blocker, 'sub'), defaultPreferences(), (err) => errors.push(err));
    await store.setWindow({ width: 800, height: 600, maximized: false });
    expect(errors).toHaveLength(1);
  });

  it('validatePreferences names the first bad field', () => {
    expect(validatePreferences({ version: 1, window: { width: 800, height: 'x' } })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^window\.height:/),
    });
  });
});
