/** Whether a namespace network can be built on this machine, and the tools it is built with. */
import { execFileSync } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { findExecutable } from './hostCommands';
import { newNetworkId } from './namespaceCleanup';

export const MTR_PACKET = '/usr/bin/mtr-packet';

let cachedReason: string | null | undefined;

/** null when a network can be built here; otherwise exactly why not. The answer is cached. */
export function testNetworkUnavailableReason(): string | null {
  if (cachedReason === undefined) cachedReason = probeAvailability();
  return cachedReason;
}

function probeAvailability(): string | null {
  if (process.platform !== 'linux') return `network namespaces need Linux (platform is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return `creating network namespaces needs root (uid is ${process.getuid()})`;
  }
  const ip = findExecutable('ip');
  if (!ip) return '`ip` (iproute2) not found in PATH, /usr/sbin or /sbin';
  const nft = findExecutable('nft');
  if (!nft) return '`nft` (nftables) not found in PATH, /usr/sbin or /sbin';
  if (!findExecutable('sysctl')) return '`sysctl` (procps) not found in PATH, /usr/sbin or /sbin';
  try {
    accessSync(MTR_PACKET, fsConstants.X_OK);
  } catch {
    return `${MTR_PACKET} is missing or not executable (install mtr-tiny)`;
  }

  // Build a scratch namespace with a veth pair and an nftables table: that proves
  // netns, veth and nf_tables all work here, not just that the binaries exist.
  const ns = `${newNetworkId()}-probe`;
  const step = (what: string, file: string, args: string[], input?: string): string | null => {
    try {
      execFileSync(file, args, { input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 10_000 });
      return null;
    } catch (err) {
      const e = err as { stderr?: Buffer; message: string };
      const detail = e.stderr?.toString().trim() || e.message;
      return `${what} failed (${[file, ...args].join(' ')}): ${detail}`;
    }
  };
  const reason =
    step('network namespace creation', ip, ['netns', 'add', ns]) ??
    step('veth creation', ip, ['-n', ns, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1']) ??
    step('nftables in a namespace', ip, ['netns', 'exec', ns, nft, '-f', '-'], 'table inet probe { }\n');
  // Remove the scratch namespace whatever happened.
  try {
    execFileSync(ip, ['netns', 'del', ns], { stdio: 'ignore' });
  } catch {
    // it may never have been created
  }
  return reason;
}

export function tools(): { ip: string; nft: string; sysctl: string } {
  const ip = findExecutable('ip');
  const nft = findExecutable('nft');
  const sysctl = findExecutable('sysctl');
  if (!ip || !nft || !sysctl) throw new Error(testNetworkUnavailableReason() ?? 'ip, nft or sysctl missing');
  return { ip, nft, sysctl };
}
