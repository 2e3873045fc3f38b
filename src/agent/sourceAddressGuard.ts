/**
 * The mtr 0.93 workaround (src/main/mtr/sourceAddressRetry.ts) retries a bare
 * `invalid-argument` from the source address the *agent's* kernel picks. When
 * mtr-packet runs in another network namespace (a wrapper such as
 * `ip netns exec NS mtr-packet` as --mtr-packet), that address belongs to the
 * wrong namespace: mtr-packet 0.95 answers such probes `no-reply` (observed).
 * The retry itself no longer switches on for good after silence, but each
 * refused probe would still read as a lost one. This finder answers "no
 * source" unless mtr-packet shares the agent's network namespace, so the
 * retry stays off there and a refused probe is reported as the error it is.
 */
import { readlink } from 'node:fs/promises';
import { findSourceAddress } from '../main/mtr';

/** Whether process `pid` is in this process's network namespace; null when that cannot be read. */
export async function sharesNetworkNamespace(pid: number): Promise<boolean | null> {
  try {
    const [ours, theirs] = await Promise.all([readlink('/proc/self/ns/net'), readlink(`/proc/${pid}/ns/net`)]);
    return ours === theirs;
  } catch {
    return null;
  }
}

/**
 * A `findSourceAddress` for the mtr-packet client options. `helperPid` is the
 * running mtr-packet's pid. An mtr-packet with a file capability is not
 * readable by an unprivileged agent: that is the plain deployment (same
 * namespace), so "unknown" keeps the workaround on. A namespace wrapper needs
 * root, and root can read it.
 */
export function namespaceAwareSourceFinder(
  helperPid: () => number | null,
  log: (message: string) => void,
  find: (destination: string) => Promise<string | null> = (d) => findSourceAddress(d),
): (destination: string) => Promise<string | null> {
  let warned = false;
  return async (destination) => {
    const pid = helperPid();
    const shared = pid === null ? null : await sharesNetworkNamespace(pid);
    if (shared === false) {
      if (!warned) {
        warned = true;
        log(
          `mtr-packet (pid ${pid}) runs in another network namespace: the mtr 0.93 source-address retry is off, since this host's source address would be wrong there`,
        );
      }
      return null;
    }
    return find(destination);
  };
}
