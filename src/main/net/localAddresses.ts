import { networkInterfaces } from 'node:os';
import type { LocalAddress } from '@shared/ipc';
import { addressClass } from '@shared/addressClass';

/** Addresses a probe can be sent from (for the source-address picker). */
export function listLocalAddresses(): LocalAddress[] {
  const out: LocalAddress[] = [];
  for (const [name, entries] of Object.entries(networkInterfaces())) {
    for (const entry of entries ?? []) {
      // Link-local IPv6 needs a zone id, which mtr-packet's local-ip-6 cannot take.
      if (entry.family === 'IPv6' && entry.scopeid) continue;
      out.push({
        interface: name,
        address: entry.address,
        ipVersion: entry.family === 'IPv4' ? 4 : 6,
        internal: entry.internal,
        addressClass: addressClass(entry.address),
      });
    }
  }
  return out;
}
