/**
 * The renderer benchmark's page stands in for the engine with a hand-written
 * api (bench/rendererBenchPage.js, plain page code): it must answer every call
 * of the contract, or the app throws the moment it makes a new one and the
 * benchmark measures nothing.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { INVOKE_CHANNELS } from '@shared/channels';

it('answers every invoke call of the contract', () => {
  const page = readFileSync(new URL('../../../bench/rendererBenchPage.js', import.meta.url), 'utf8');
  const missing = Object.keys(INVOKE_CHANNELS).filter((name) => !new RegExp(`^\\s+${name}(: |\\()`, 'm').test(page));
  expect(missing).toEqual([]);
});
