/**
 * What the first screen loads: the app shell must not import zod (classic or
 * mini) or ipaddr.js (about a quarter of its JavaScript before); the form's
 * checks, which need both, load after it is drawn (lazyFormChecks.ts). Each
 * package is wrapped here by a module that notes that it was imported and
 * hands out the real one.
 */
import { describe, expect, it, vi } from 'vitest';

const imported = vi.hoisted(() => new Set<string>());
vi.mock('zod', async (importOriginal) => {
  imported.add('zod');
  return importOriginal();
});
// The trace options' schemas are built with zod/mini (src/shared/zodMini.ts).
vi.mock('zod/mini', async (importOriginal) => {
  imported.add('zod');
  return importOriginal();
});
vi.mock('ipaddr.js', async (importOriginal) => {
  imported.add('ipaddr.js');
  return importOriginal();
});

describe('the first screen', () => {
  it('imports neither zod nor ipaddr.js; the form checks do', async () => {
    await expect(import('../../src/renderer/src/app/App')).resolves.toHaveProperty('App');
    expect([...imported]).toEqual([]);
    await expect(import('../../src/renderer/src/options/formChecks')).resolves.toBeDefined();
    expect([...imported].sort()).toEqual(['ipaddr.js', 'zod']);
  });
});
