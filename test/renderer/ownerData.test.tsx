/**
 * The About box and the database settings in the whole App (happy-dom, fake
 * engine): opened from the status bar or the menu command, the About box
 * names the version, mtr-packet, the data dates and the credit the licences
 * ask for; the settings send typed paths to the engine and show its verdict.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act } from 'react';
import { APP_VERSION } from '@shared/appInfo';
import type { EnrichmentStatus } from '@shared/enrichment';
import { settingsOf } from '../../src/renderer/src/settings/ownerDataCommands';
import { byTestId, click, fakeApi, mountApp, ok, settle, typeInto } from './appHarness';

const READY: EnrichmentStatus = {
  state: 'ready',
  sources: [
    {
      kind: 'asn',
      origin: 'user',
      file: '/data/asn.csv',
      dataDate: '2026-11-20',
      dataDateBasis: 'file-mtime',
      ranges: 8,
    },
    { kind: 'asn', origin: 'shipped', file: 'asn-ipv4.csv', dataDate: '2026-06-17', dataDateBasis: 'package-version' },
    { kind: 'country', origin: 'shipped', file: 'geo.mmdb', dataDate: '2026-06-16', dataDateBasis: 'mmdb-build-epoch' },
  ],
  problems: [],
};

beforeEach(() => localStorage.clear());
afterEach(() => {
  document.body.innerHTML = '';
});

const text = (root: ParentNode, id: string) => byTestId(root, id)?.textContent ?? '';

describe('About box', () => {
  it('opens from the status bar with version, mtr-packet, data dates and attribution', async () => {
    const fake = fakeApi();
    fake.handlers.getEnrichmentStatus.mockImplementation(() => ok(READY));
    const { container } = await mountApp(fake);
    // The status bar names the AS data date in use (the user's file here).
    expect(text(container, 'status-data-date')).toBe('AS data 2026-11-20 (yours)');
    expect(byTestId(container, 'about-box')).toBeNull();

    await click(byTestId(container, 'open-about')!);
    await settle();
    const about = byTestId(container, 'about-box')!;
    expect(text(about, 'about-version')).toBe(APP_VERSION);
    expect(text(about, 'about-mtr-packet')).toBe('mtr-packet 0.95 at /usr/bin/mtr-packet');
    expect(text(about, 'about-user-asn')).toContain('/data/asn.csv, 8 ranges, data date 2026-11-20');
    expect(text(about, 'about-shipped-asn')).toContain('@ip-location-db/asn, data date 2026-06-17');
    expect(text(about, 'about-shipped-asn')).toMatch(/RouteViews.*DB-IP.*CC BY 4\.0/s);
    expect(text(about, 'about-shipped-country')).toContain('data date 2026-06-16');
    expect(text(about, 'about-shipped-country')).toContain('CC0');
    const links = [...about.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(links).toEqual(
      expect.arrayContaining([
        'https://www.routeviews.org/',
        'https://db-ip.com',
        'https://creativecommons.org/licenses/by/4.0/',
      ]),
    );

    // Escape closes it.
    act(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(byTestId(container, 'about-box')).toBeNull();
  });

  it('opens from the menu command, and leads on to the settings', async () => {
    const fake = fakeApi('electron');
    const { container } = await mountApp(fake);
    await fake.emit('menuCommand', 'about');
    await settle();
    expect(byTestId(container, 'about-box')).not.toBeNull();
    await click(byTestId(container, 'about-change-databases')!);
    await settle();
    expect(byTestId(container, 'about-box')).toBeNull();
    expect(byTestId(container, 'enrichment-settings')).not.toBeNull();
  });
});

describe('database settings', () => {
  it('sends the typed paths and shows the engine’s refusal, with the file and line', async () => {
    const fake = fakeApi();
    fake.handlers.getEnrichmentSettings.mockImplementation(() => ok({ asnDbPath: '/old/asn.csv', geoDbPath: null }));
    fake.handlers.setEnrichmentSettings.mockImplementation(() =>
      ok({
        applied: false as const,
        settings: { asnDbPath: '/old/asn.csv', geoDbPath: null },
        problems: ['/data/new.csv:3: AS number "AS1" is not a whole number from 0 to 4294967295'],
      }),
    );
    const { container } = await mountApp(fake);
    await fake.emit('menuCommand', 'enrichment-settings');
    await settle();
    const form = byTestId(container, 'enrichment-settings')!;
    const asn = byTestId(form, 'asn-db-path') as HTMLInputElement;
    expect(asn.value).toBe('/old/asn.csv');
    // The browser harness has no file dialog: no Browse button.
    expect([...form.querySelectorAll('button')].map((b) => b.textContent)).not.toContain('Browse…');

    typeInto(asn, ' /data/new.csv ');
    await click(byTestId(form, 'enrichment-settings-apply')!);
    await settle();
    expect(fake.handlers.setEnrichmentSettings).toHaveBeenCalledWith({ asnDbPath: '/data/new.csv', geoDbPath: null });
    expect(text(form, 'enrichment-settings-problems')).toContain('/data/new.csv:3: AS number "AS1"');
    expect(text(form, 'enrichment-settings-problems')).toContain('previous data stays in use');
    expect(byTestId(form, 'enrichment-settings-applied')).toBeNull();
  });

  it('says what is in use once applied, and the status bar follows', async () => {
    const fake = fakeApi('electron');
    fake.handlers.chooseDatabaseFile.mockImplementation(() => ok('/picked/asn.csv'));
    fake.handlers.setEnrichmentSettings.mockImplementation((settings) =>
      ok({ applied: true as const, settings: settings as never, status: READY }),
    );
    const { container } = await mountApp(fake);
    expect(byTestId(container, 'status-data-date')).toBeNull();
    await fake.emit('menuCommand', 'enrichment-settings');
    await settle();
    const form = byTestId(container, 'enrichment-settings')!;
    const browse = [...form.querySelectorAll('button')].find((b) => b.textContent === 'Browse…')!;
    await click(browse);
    await settle();
    expect(fake.handlers.chooseDatabaseFile).toHaveBeenCalledWith({ kind: 'asn' });
    expect((byTestId(form, 'asn-db-path') as HTMLInputElement).value).toBe('/picked/asn.csv');
    await click(byTestId(form, 'enrichment-settings-apply')!);
    await settle();
    expect(text(form, 'enrichment-settings-applied')).toContain('Applied');
    expect(text(form, 'enrichment-settings-status')).toContain('AS data 2026-11-20 (your file)');
    expect(text(container, 'status-data-date')).toBe('AS data 2026-11-20 (yours)');
  });
});

describe('settingsOf (the form as typed)', () => {
  it('trims, and an empty field means no file', () => {
    expect(settingsOf({ asnDbPath: '  /srv/asn.csv \n', geoDbPath: '   ' })).toEqual({
      asnDbPath: '/srv/asn.csv',
      geoDbPath: null,
    });
  });
});
