/**
 * Vitest glue for the namespace test network: one network per describe block,
 * created before its tests and destroyed after them whatever happened.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  createTestNetwork,
  testNetworkUnavailableReason,
  type TestNetwork,
  type TestNetworkOptions,
} from './testNetwork';

/** CI=true (or any value but "false"/"0") means the network tests must run, never skip. */
export function isCi(): boolean {
  const value = process.env.CI;
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

/**
 * Like describe(), with a test network. `fn` receives getNet(), which returns the
 * network inside hooks and tests (not while the suite is being collected).
 *
 * Where no network can be built the suite is skipped with the exact reason printed,
 * except in CI, where that is a failing test instead: CI must run these tests.
 */
export function describeWithNetwork(
  name: string,
  fn: (getNet: () => TestNetwork) => void,
  options: TestNetworkOptions = {},
): void {
  const reason = testNetworkUnavailableReason();
  if (reason !== null) {
    if (isCi()) {
      describe(name, () => {
        it('has a namespace test network (required in CI)', () => {
          throw new Error(`test network unavailable in CI: ${reason}`);
        });
      });
      return;
    }
    console.warn(`[test network] skipping "${name}": ${reason}`);
    describe.skip(name, () =>
      fn(() => {
        throw new Error(`test network unavailable: ${reason}`);
      }),
    );
    return;
  }

  describe(name, () => {
    let net: TestNetwork | undefined;
    // createTestNetwork removes everything itself when it fails, so afterAll only
    // has something to do when it succeeded.
    beforeAll(async () => {
      net = await createTestNetwork(options);
    });
    afterAll(async () => {
      await net?.destroy();
      net = undefined;
    });
    fn(() => {
      if (!net) throw new Error('test network not available here (creation failed, or called outside a hook/test)');
      return net;
    });
  });
}
