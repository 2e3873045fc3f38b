/**
 * What the first screen loads: the app shell must not import zod or
 * ipaddr.js (about a quarter of its JavaScript before); the form's checks,
 * which need both, load after it is drawn (lazyFormChecks.ts). Both packages
 * are replaced here by modules that only note that they were imported.
 */
import { describe, expect, it, vi } from 'vitest';

const imported = vi.hoisted(() => new Set<string>());
vi.mock('zod', () => {
  imported.add('zod');
  return {};
});
vi.mock('ipaddr.js', () => {
  imported.add('ipaddr.js');
  return {};
});

describe('the first screen', () => {
  it('imports neither zod nor ipaddr.js; the form checks do', async () => {
    await expect(import('../../src/renderer/src/app/App')).resolves.toHaveProperty('App');
    expect([...imported]).toEqual([]);
    // The same guard sees the lazily loaded checks import both (their schemas fail to build on the stand-ins).
    await import('../../src/renderer/src/options/formChecks').catch(() => undefined);
    expect([...imported].sort()).toEqual(['ipaddr.js', 'zod']);
  });
});
