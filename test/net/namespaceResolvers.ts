import type { ForwardLookup } from '../../src/main/net/resolveTarget';
import type { ReverseLookup } from '../../src/main/net/reverseDns';
import type { TestNetwork } from './testNetwork';

/**
 * Name lookups answered inside the client namespace (its hosts file and
 * nsswitch: files only). An engine running on the host with these never
 * asks the host's resolver about test addresses.
 */
export function namespaceResolvers(net: TestNetwork): { forward: ForwardLookup; reverse: ReverseLookup } {
  const getent = async (args: string[]): Promise<string[]> => {
    const r = await net.runInClient(['getent', ...args], { timeoutMs: 5_000 });
    return r.code === 0 ? r.stdout.trim().split('\n').filter(Boolean) : [];
  };
  return {
    reverse: async (address) => {
      const [line] = await getent(['hosts', address]);
      const name = line?.split(/\s+/)[1];
      return name ? [name] : [];
    },
    forward: async (host, family) => {
      const database = family === 4 ? 'ahostsv4' : family === 6 ? 'ahostsv6' : 'ahosts';
      const seen = new Set<string>();
      const found: { address: string; family: number }[] = [];
      for (const line of await getent([database, host])) {
        const address = line.split(/\s+/)[0]!;
        if (seen.has(address)) continue;
        seen.add(address);
        found.push({ address, family: address.includes(':') ? 6 : 4 });
      }
      if (found.length === 0) throw Object.assign(new Error(`${host} not found`), { code: 'ENOTFOUND' });
      return found;
    },
  };
}
