/**
 * A throw-away routed network built from Linux network namespaces, for tests that
 * run the real mtr-packet.
 *
 *   client ── r1 ── r2 ── r3 ─┬─ r4a ─┬─ r5 ── target
 *                    (silent) └─ r4b ─┘
 *
 * TTL 1 is r1, 2 is r2 (forwards but never sends time-exceeded), 3 is r3, 4 is r4a
 * or r4b (r3 load-balances per L4 flow), 5 is r5 and 6 is the target.
 *
 * Options add, on request:
 *   - `shortcut`: a spare link 9 from r1 straight to r3. Unused until
 *     `net.shortcut.use(true)` points r1's route to the target's subnet over it
 *     (`ip route replace`), which makes the path one hop shorter (the target at
 *     TTL 5); `use(false)` puts the route back.
 *   - `unreachablePrefix`: r3 holds an `unreachable` route to 198.18.100.0/24
 *     and fd48:6f70:0:100::/64, so probes there get ICMP unreachable from r3 at
 *     TTL 3 (mtr-packet: `no-route` with r3's address).
 *
 * Every link carries IPv4 and IPv6. Link N (1..8) uses 198.18.N.0/24 and
 * fd48:6f70:0:N::/64; its left end (towards the client) is .1 / ::1 and its right
 * end .2 / ::2. Nothing connects to the host's namespace and no namespace has a
 * default route, so a probe to any other address fails locally with no-route.
 *
 * Everything runs through `ip`, `sysctl` and `nft` by execFile/spawn with argv
 * arrays: no shell ever sees a string built at run time.
 *
 * This file assembles the network and is the only one tests import. The parts:
 * topology.ts (the shape as data), linkSetup.ts (namespaces, veths, addresses,
 * sysctls), routesAndFirewall.ts (routes, nftables), nameServiceFiles.ts
 * (hosts, resolv.conf, nsswitch.conf), targetServices.ts (listener, readiness),
 * namespaceCleanup.ts (names, stale runs, exit teardown), availability.ts and
 * hostCommands.ts (what this machine can do, and running commands).
 */
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MTR_PACKET, testNetworkUnavailableReason, tools } from './availability';
import { mustRun, runProcess, type ExecOptions, type ExecResult } from './hostCommands';
import { ipBatchFor, namespacesAndLinksBatch, sysctlsFor } from './linkSetup';
import { writeNameServiceFiles } from './nameServiceFiles';
import {
  TEMP_PREFIX,
  cleanupStaleTestNetworks,
  installExitHook,
  liveNetworks,
  newNetworkId,
  removeNamespaces,
  removeNamespacesSync,
} from './namespaceCleanup';
import { SILENT_RULES, shortcutRoutes } from './routesAndFirewall';
import { startListener, waitUntilReachable } from './targetServices';
import {
  CLOSED_TCP_PORT,
  DESTINATION_TTL,
  ECMP_TTL,
  NODES,
  OPEN_TCP_PORT,
  SILENT_TTL,
  UNREACHABLE_ROUTER,
  UNREACHABLE_TTL,
  addrOn,
  expectedHops,
  hostName,
  linksOf,
  type HopSpec,
  type NodeName,
  type TestNetworkOptions,
} from './topology';

export type { ExecOptions, ExecResult } from './hostCommands';
export type { HopSpec, NodeName, TestNetworkOptions } from './topology';
export { TEST_DOMAIN } from './topology';
export { MTR_PACKET, testNetworkUnavailableReason } from './availability';
export { cleanupStaleTestNetworks } from './namespaceCleanup';

export interface TestNetwork {
  /** Unique per run: 'hs' + creator pid + '-' + random hex. Every namespace name starts with it. */
  id: string;
  /** Namespace the probes are sent from. */
  clientNs: string;
  /** The namespace of every node, for exec(). */
  namespaces: Readonly<Record<NodeName, string>>;
  /** Executable wrapper script: runs /usr/bin/mtr-packet inside clientNs (`exec ip netns exec NS /usr/bin/mtr-packet "$@"`). Pass as the client's path option or MTR_PACKET. */
  mtrPacketPath: string;
  clientV4: string;
  clientV6: string;
  target: { v4: string; v6: string; name: string; openTcpPort: number; closedTcpPort: number };
  /** Expected responders per TTL from the client, 1..destinationTtl. The ECMP hop has two entries in v4/v6. The silent hop has silent: true. The last entry is the target. */
  hops: HopSpec[];
  silentTtl: number;
  ecmpTtl: number;
  destinationTtl: number;
  /** Run a command inside a namespace of this network (argv, no shell). Never rejects for a non-zero exit. */
  exec(ns: string, argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Convenience: exec in clientNs. */
  runInClient(argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** argv prefix that runs a command in clientNs, for spawn(): ['ip','netns','exec',clientNs]. */
  clientPrefix: string[];
  /** With `shortcut`: switch r1's route to the target over the spare link (true) or back (false). */
  shortcut?: { use(on: boolean): Promise<void>; destinationTtl: number };
  /** With `unreachablePrefix`: addresses r3 answers ICMP unreachable for, and r3 as it answers. */
  unreachable?: { v4: string; v6: string; routerTtl: number; router: { v4: string; v6: string } };
  /** Idempotent; removes every namespace, process, temp file and /etc/netns/NAME dir it made. */
  destroy(): Promise<void>;
  /** How long createTestNetwork() took, in ms. */
  creationMs: number;
}

export async function createTestNetwork(options: TestNetworkOptions = {}): Promise<TestNetwork> {
  const unavailable = testNetworkUnavailableReason();
  if (unavailable) throw new Error(`test network unavailable: ${unavailable}`);
  const { ip, nft, sysctl } = tools();
  try {
    await cleanupStaleTestNetworks();
  } catch {
    // Best effort: leftovers from other runs must not stop this one.
  }

  const id = newNetworkId();
  const links = linksOf(options);
  const namespaces = Object.fromEntries(NODES.map((n) => [n, `${id}-${n}`])) as Record<NodeName, string>;
  const allNs = NODES.map((n) => namespaces[n]);
  const clientNs = namespaces.client;

  // Everything made so far, so that a failure (or destroy) removes exactly that.
  let listener: ChildProcess | undefined;
  let tempDir: string | undefined;
  let destroyed: Promise<void> | undefined;

  const teardownSync = (): void => {
    listener?.kill('SIGKILL');
    removeNamespacesSync(ip, allNs, tempDir);
  };
  const handle = { teardownSync };

  const destroy = (): Promise<void> => {
    destroyed ??= (async () => {
      liveNetworks.delete(handle);
      if (listener && listener.exitCode === null && listener.signalCode === null) {
        const exited = new Promise<void>((r) => listener?.once('exit', () => r()));
        listener.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))]);
      }
      await removeNamespaces(ip, allNs, tempDir);
    })();
    return destroyed;
  };

  installExitHook();
  liveNetworks.add(handle);
  const startedAt = Date.now();
  try {
    // 1. Name-service files first, so that no process in a namespace ever sees the host's.
    await writeNameServiceFiles(id, allNs, links);

    // 2. All namespaces and veth pairs in one `ip` process.
    await mustRun(ip, ['-batch', '-'], namespacesAndLinksBatch(namespaces, links));

    // 3. In parallel: sysctls (before any link is up, for DAD), the silent rule, the listener.
    const started = startListener(ip, namespaces.target, OPEN_TCP_PORT);
    // Recorded at once, so a failure in a parallel step still tears it down.
    listener = started.child;
    started.ready.catch(() => undefined);
    await Promise.all([
      ...NODES.map((node) =>
        mustRun(ip, [
          'netns',
          'exec',
          namespaces[node],
          sysctl,
          '-q',
          '-e',
          '-w',
          ...sysctlsFor(node, !!options.icmpRateLimit, links),
        ]),
      ),
      mustRun(ip, ['netns', 'exec', namespaces.r2, nft, '-f', '-'], SILENT_RULES),
      started.ready,
    ]);

    // 4. Addresses, links up and routes: one `ip -n NS -batch -` per namespace.
    await Promise.all(
      NODES.map((node) => mustRun(ip, ['-n', namespaces[node], '-batch', '-'], ipBatchFor(node, options, links))),
    );

    // 5. The mtr-packet wrapper.
    tempDir = await mkdtemp(join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`));
    const mtrPacketPath = join(tempDir, 'mtr-packet');
    await writeFile(mtrPacketPath, `#!/bin/sh\nexec ${ip} netns exec ${clientNs} ${MTR_PACKET} "$@"\n`);
    await chmod(mtrPacketPath, 0o755);

    const target = addrOn('target', 8);
    await waitUntilReachable(ip, clientNs, target.v4, target.v6);

    const client = addrOn('client', 1);
    const hops: HopSpec[] = expectedHops();
    const known = new Set(allNs);
    const exec = (ns: string, argv: string[], opts?: ExecOptions): Promise<ExecResult> => {
      // Only our own namespaces: this helper must never run probes from the host.
      if (!known.has(ns)) return Promise.reject(new Error(`${ns} is not a namespace of test network ${id}`));
      return runProcess(ip, ['netns', 'exec', ns, ...argv], opts);
    };
    return {
      id,
      clientNs,
      namespaces,
      mtrPacketPath,
      clientV4: client.v4,
      clientV6: client.v6,
      target: {
        v4: target.v4,
        v6: target.v6,
        name: hostName('target'),
        openTcpPort: OPEN_TCP_PORT,
        closedTcpPort: CLOSED_TCP_PORT,
      },
      hops,
      silentTtl: SILENT_TTL,
      ecmpTtl: ECMP_TTL,
      destinationTtl: DESTINATION_TTL,
      exec,
      runInClient: (argv, opts) => exec(clientNs, argv, opts),
      clientPrefix: [ip, 'netns', 'exec', clientNs],
      ...(options.shortcut
        ? {
            shortcut: {
              use: async (on: boolean) => {
                await mustRun(ip, ['-n', namespaces.r1, '-batch', '-'], shortcutRoutes(on));
              },
              destinationTtl: DESTINATION_TTL - 1,
            },
          }
        : {}),
      ...(options.unreachablePrefix
        ? {
            unreachable: {
              v4: '198.18.100.1',
              v6: 'fd48:6f70:0:100::1',
              routerTtl: UNREACHABLE_TTL,
              // r3 answers from the link its route back to the client leaves by.
              router: addrOn(UNREACHABLE_ROUTER, 3),
            },
          }
        : {}),
      destroy,
      creationMs: Date.now() - startedAt,
    };
  } catch (err) {
    await destroy().catch(() => undefined);
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`createTestNetwork failed; everything it built was removed.\n${message}`, { cause: err });
  }
}
