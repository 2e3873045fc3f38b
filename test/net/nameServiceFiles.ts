/**
 * Per-namespace name-service files (`ip netns exec` bind-mounts /etc/netns/NAME/*
 * over /etc): a hosts file naming every node, `nameserver 127.0.0.1`, and
 * `hosts: files` only, so no lookup inside the network can leave the machine.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NETNS_ETC } from './namespaceCleanup';
import { NODES, addrOn, hostName, type Link } from './topology';

function hostsFile(id: string, links: readonly Link[]): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `# Hopscope test network ${id}`];
  for (const node of NODES) {
    for (const link of links) {
      if (link.left !== node && link.right !== node) continue;
      const a = addrOn(node, link.n);
      lines.push(`${a.v4}\t${hostName(node)}`, `${a.v6}\t${hostName(node)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * The host's nsswitch.conf with `hosts: files` only. `ip netns exec` bind-mounts
 * it over /etc/nsswitch.conf, so lookups inside the namespaces can never reach mDNS
 * or a resolver daemon on the host (systemd-resolved would query out of the host's
 * namespace over its Unix socket).
 */
function nsswitchFile(): string {
  let base = 'passwd: files\ngroup: files\nshadow: files\n';
  try {
    base = readFileSync('/etc/nsswitch.conf', 'utf8');
  } catch {
    // keep the minimal file
  }
  const withoutHosts = base
    .split('\n')
    .filter((line) => !/^\s*hosts\s*:/.test(line))
    .join('\n');
  return `${withoutHosts.trimEnd()}\nhosts: files\n`;
}

/** Writes hosts, resolv.conf and nsswitch.conf for every namespace, before any process runs in one. */
export async function writeNameServiceFiles(
  id: string,
  namespaces: readonly string[],
  links: readonly Link[],
): Promise<void> {
  const hosts = hostsFile(id, links);
  const nsswitch = nsswitchFile();
  await Promise.all(
    namespaces.map(async (ns) => {
      const dir = join(NETNS_ETC, ns);
      await mkdir(dir, { recursive: true });
      await Promise.all([
        writeFile(join(dir, 'hosts'), hosts),
        writeFile(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\n'),
        writeFile(join(dir, 'nsswitch.conf'), nsswitch),
      ]);
    }),
  );
}
