/**
 * The user's database settings: one schema for the preferences file and the
 * IPC call (absolute paths or null, nothing else).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { enrichmentSettingsSchema, isAbsolutePath, MAX_DATABASE_PATH_CHARS } from '@shared/enrichmentSettings';
import { validateInvokeRequest } from '@shared/ipc';
import { validatePreferences } from '../../../src/main/electron/preferences';

describe('enrichmentSettingsSchema', () => {
  it('takes absolute paths (POSIX and Windows) or null for each file', () => {
    for (const settings of [
      { asnDbPath: '/srv/data/asn.csv', geoDbPath: null },
      { asnDbPath: null, geoDbPath: 'C:\\data\\country.mmdb' },
      { asnDbPath: '\\\\server\\share\\asn.csv', geoDbPath: '/x.mmdb' },
      { asnDbPath: null, geoDbPath: null },
    ]) {
      expect(enrichmentSettingsSchema.parse(settings)).toEqual(settings);
    }
  });

  it.each([
    ['a relative path', { asnDbPath: 'asn.csv', geoDbPath: null }, 'asnDbPath', 'must be absolute'],
    ['an empty path', { asnDbPath: null, geoDbPath: '' }, 'geoDbPath', 'is empty'],
    ['a NUL byte', { asnDbPath: '/a\0b', geoDbPath: null }, 'asnDbPath', 'must be absolute'],
    [
      'a path too long',
      { asnDbPath: `/${'a'.repeat(MAX_DATABASE_PATH_CHARS)}`, geoDbPath: null },
      'asnDbPath',
      'longer',
    ],
    ['a missing key', { asnDbPath: null }, 'geoDbPath', ''],
    ['an extra key', { asnDbPath: null, geoDbPath: null, shipped: false }, '', ''],
  ])('refuses %s, naming the field', (_what, payload, field, words) => {
    const result = validateInvokeRequest('setEnrichmentSettings', payload);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid-request');
    if (field) expect(result.error.field).toBe(field);
    expect(result.error.message).toContain(words);
  });

  it('agrees with the preferences file, which stores the same two fields', () => {
    const good = validatePreferences({ version: 1, asnDbPath: '/srv/asn.csv', geoDbPath: null });
    expect(good.ok && [good.value.asnDbPath, good.value.geoDbPath]).toEqual(['/srv/asn.csv', null]);
    const defaults = validatePreferences({ version: 1 });
    expect(defaults.ok && [defaults.value.asnDbPath, defaults.value.geoDbPath]).toEqual([null, null]);
    expect(validatePreferences({ version: 1, geoDbPath: 'country.mmdb' })).toMatchObject({ ok: false });
  });

  it('calls a path absolute exactly when it starts at a root', () => {
    fc.assert(
      fc.property(fc.string(), (rest) => {
        expect(isAbsolutePath(`/${rest}`)).toBe(true);
        if (!/^[/\\]/.test(rest) && !/^[A-Za-z]:[\\/]/.test(rest)) expect(isAbsolutePath(rest)).toBe(false);
      }),
    );
  });
});
