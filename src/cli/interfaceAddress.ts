/**
 * `-I NAME` as mtr 0.95 does it (ui/net.c, net_find_interface_address_from_name): mtr-packet has no
 * interface argument, so mtr sends from the interface's address of the target's family, passed as the
 * source address. The kernel still routes by its tables (no SO_BINDTODEVICE), as under mtr.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { IpVersion } from '@shared/probe';
import { UsageError } from './options';

type Interfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** The address `-I name` sends from, with its IP version; `version` when -4, -6 or the target fixes it. */
export function interfaceAddress(
  name: string,
  version: IpVersion | undefined,
  interfaces: Interfaces = networkInterfaces(),
): { address: string; ipVersion: IpVersion } {
  const infos = interfaces[name];
  if (!infos) {
    const known = Object.keys(interfaces).join(', ');
    throw new UsageError(`-I/--interface: no interface named ${JSON.stringify(name)} here (there are: ${known})`);
  }
  // A global IPv6 address before a link-local one, which could not reach past the first router.
  const of = (v: IpVersion) =>
    infos.filter((i) => i.family === `IPv${v}`).sort((a, b) => Number(a.scopeid !== 0) - Number(b.scopeid !== 0))[0];
  const versions = ([4, 6] as const).filter((v) => of(v) !== undefined);
  if (versions.length === 0) throw new UsageError(`-I/--interface: ${name} has no IP address`);
  if (version !== undefined && of(version) === undefined)
    throw new UsageError(`-I/--interface: ${name} has no IPv${version} address`);
  const chosen = version ?? (versions.length === 1 ? versions[0] : undefined);
  if (chosen === undefined) {
    throw new UsageError(
      `-I/--interface: ${name} has IPv4 and IPv6 addresses; add -4 or -6 to say which to send from (mtr takes the target's)`,
    );
  }
  return { address: of(chosen)!.address, ipVersion: chosen };
}
