import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { namespaceAwareSourceFinder, sharesNetworkNamespace } from '../../../src/agent/sourceAddressGuard';
import { waitFor } from './waitFor';

const isRoot = process.getuid?.() === 0;

/** A process in a network namespace of its own (as `ip netns exec` would run mtr-packet), once it is there. */
async function inOwnNamespace(): Promise<ChildProcess> {
  const child = spawn('unshare', ['--net', 'sleep', '30'], { stdio: 'ignore' });
  // unshare execs sleep after entering the namespace: once the name is sleep, the namespace is the new one.
  await waitFor(() => {
    try {
      return readFileSync(`/proc/${child.pid}/comm`, 'utf8').trim() === 'sleep';
    } catch {
      return false;
    }
  });
  return child;
}

describe('the source-address guard for an mtr-packet in another namespace', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill();
    child = undefined;
  });

  it('tells the same namespace from another one, and an unreadable process from both', async () => {
    expect(await sharesNetworkNamespace(process.pid)).toBe(true);
    expect(await sharesNetworkNamespace(2 ** 22 + 1)).toBeNull();
    if (!isRoot) return;
    child = await inOwnNamespace();
    expect(await sharesNetworkNamespace(child.pid!)).toBe(false);
  });

  it.skipIf(!isRoot)('finds no source for a helper in another namespace, and says so once', async () => {
    child = await inOwnNamespace();
    const asked: string[] = [];
    const log: string[] = [];
    const finder = namespaceAwareSourceFinder(
      () => child!.pid!,
      (m) => log.push(m),
      async (d) => {
        asked.push(d);
        return '192.0.2.1';
      },
    );
    expect(await finder('198.18.0.9')).toBeNull();
    expect(await finder('198.18.0.10')).toBeNull();
    expect(asked).toEqual([]);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/another network namespace: the mtr 0\.93 source-address retry is off/);
  });

  it('asks the kernel as before for a helper in this namespace, or one it cannot inspect', async () => {
    const asked: string[] = [];
    const find = async (d: string) => {
      asked.push(d);
      return '192.0.2.1';
    };
    expect(
      await namespaceAwareSourceFinder(
        () => process.pid,
        () => undefined,
        find,
      )('198.18.0.9'),
    ).toBe('192.0.2.1');
    expect(
      await namespaceAwareSourceFinder(
        () => null,
        () => undefined,
        find,
      )('198.18.0.10'),
    ).toBe('192.0.2.1');
    expect(asked).toEqual(['198.18.0.9', '198.18.0.10']);
  });
});
