/**
 * Namespace naming and removal: every name carries its creator's pid, so runs
 * whose creator died can be found and removed; a live network is torn down
 * synchronously if the process exits before destroy().
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { findExecutable, pidAlive, runProcess } from './hostCommands';

/** Namespace names: `hs<pid>-<hex>-<node>`. The pid lets cleanupStaleTestNetworks() find dead runs. */
const NAME_PATTERN = /^hs(\d+)-[0-9a-f]{6}-[a-z0-9]+$/;
export const TEMP_PREFIX = 'hopscope-net-';
export const NETNS_ETC = '/etc/netns';

/** A fresh network id: `hs<pid>-<6 hex>`. */
export function newNetworkId(): string {
  return `hs${process.pid}-${randomBytes(3).toString('hex')}`;
}

/**
 * Remove namespaces, /etc/netns dirs and temp dirs left by runs whose creator
 * process is gone (a crashed or killed test worker). Live runs are left alone.
 * Returns the namespace names it removed.
 */
export async function cleanupStaleTestNetworks(): Promise<string[]> {
  const ip = findExecutable('ip');
  if (!ip) return [];
  const isStale = (name: string): boolean => {
    const m = NAME_PATTERN.exec(name);
    return m !== null && !pidAlive(Number(m[1]));
  };

  const listed = await runProcess(ip, ['netns', 'list']);
  // `ip netns list` prints "NAME" or "NAME (id: N)".
  const stale = listed.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter(isStale);
  await killNamespaceProcesses(ip, stale);
  if (stale.length > 0) {
    await runProcess(ip, ['-force', '-batch', '-'], { input: stale.map((ns) => `netns del ${ns}\n`).join('') });
  }

  const etcDirs = existsSync(NETNS_ETC) ? (await readdir(NETNS_ETC)).filter(isStale) : [];
  await Promise.all(etcDirs.map((d) => rm(join(NETNS_ETC, d), { recursive: true, force: true })));

  const tempDirs = (await readdir(tmpdir())).filter((d) => {
    const m = new RegExp(`^${TEMP_PREFIX}(\\d+)-`).exec(d);
    return m !== null && !pidAlive(Number(m[1]));
  });
  await Promise.all(tempDirs.map((d) => rm(join(tmpdir(), d), { recursive: true, force: true })));
  return stale;
}

/** SIGKILL whatever still runs inside the given namespaces (a listener, a leaked mtr-packet). */
export async function killNamespaceProcesses(ip: string, namespaces: string[]): Promise<void> {
  const lists = await Promise.all(namespaces.map((ns) => runProcess(ip, ['netns', 'pids', ns])));
  for (const list of lists) {
    for (const pid of list.stdout.split(/\s+/).filter(Boolean).map(Number)) {
      if (pid > 1 && pid !== process.pid) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------

/** Networks not yet destroyed, torn down synchronously if the process exits first. */
export const liveNetworks = new Set<{ teardownSync(): void }>();
let exitHookInstalled = false;
export function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const net of liveNetworks) net.teardownSync();
  });
}

/** Removes the given namespaces (killing what runs in them), their /etc/netns dirs and the temp dir. */
export async function removeNamespaces(ip: string, namespaces: string[], tempDir: string | undefined): Promise<void> {
  // Anything else a test left running in our namespaces would keep them alive.
  await killNamespaceProcesses(ip, namespaces);
  // -force: keep deleting after a namespace that was never created.
  await runProcess(ip, ['-force', '-batch', '-'], { input: namespaces.map((ns) => `netns del ${ns}\n`).join('') });
  await Promise.all(namespaces.map((ns) => rm(join(NETNS_ETC, ns), { recursive: true, force: true })));
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
}

/** removeNamespaces for process exit, where nothing asynchronous runs any more. */
export function removeNamespacesSync(ip: string, namespaces: string[], tempDir: string | undefined): void {
  for (const ns of namespaces) {
    try {
      const pids = execFileSync(ip, ['netns', 'pids', ns], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      for (const pid of pids.split(/\s+/).filter(Boolean).map(Number)) {
        if (pid > 1 && pid !== process.pid) process.kill(pid, 'SIGKILL');
      }
    } catch {
      // namespace already gone
    }
  }
  try {
    execFileSync(ip, ['-force', '-batch', '-'], {
      input: namespaces.map((ns) => `netns del ${ns}\n`).join(''),
      stdio: ['pipe', 'ignore', 'ignore'],
    });
  } catch {
    // some were never created
  }
  for (const ns of namespaces) rmSync(join(NETNS_ETC, ns), { recursive: true, force: true });
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}
