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
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, existsSync, readFileSync, rmSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface HopSpec {
  ttl: number;
  /**
   * Addresses that answer at this TTL (two at the ECMP hop, same order as v6 and
   * names). For the silent hop these are the addresses it would answer from; it never does.
   */
  v4: string[];
  v6: string[];
  names: string[];
  silent: boolean;
}

export interface ExecOptions {
  input?: string;
  timeoutMs?: number;
  /** Merged over process.env (so PATH survives). */
  env?: NodeJS.ProcessEnv;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit code, or null when the process was killed (for example by the timeout). */
  code: number | null;
}

export type NodeName = 'client' | 'r1' | 'r2' | 'r3' | 'r4a' | 'r4b' | 'r5' | 'target';

export interface TestNetworkOptions {
  /** Keep the kernel's ICMP rate limits (off by default so tests are deterministic). */
  icmpRateLimit?: boolean;
  /** Build the spare r1–r3 link that `shortcut.use(true)` switches the path onto. */
  shortcut?: boolean;
  /** Give r3 an `unreachable` route to a prefix of its own (see `unreachable`). */
  unreachablePrefix?: boolean;
}

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

export const MTR_PACKET = '/usr/bin/mtr-packet';
export const TEST_DOMAIN = 'hopscope.test';

const NODES: readonly NodeName[] = ['client', 'r1', 'r2', 'r3', 'r4a', 'r4b', 'r5', 'target'];
const ROUTERS: readonly NodeName[] = ['r1', 'r2', 'r3', 'r4a', 'r4b', 'r5'];

/** Link N joins `left` (closer to the client, host part 1) and `right` (host part 2). */
interface Link {
  n: number;
  left: NodeName;
  right: NodeName;
  /** Built only with this option. */
  onlyWith?: 'shortcut';
}
const LINKS: readonly Link[] = [
  { n: 1, left: 'client', right: 'r1' },
  { n: 2, left: 'r1', right: 'r2' },
  { n: 3, left: 'r2', right: 'r3' },
  { n: 4, left: 'r3', right: 'r4a' },
  { n: 5, left: 'r3', right: 'r4b' },
  { n: 6, left: 'r4a', right: 'r5' },
  { n: 7, left: 'r4b', right: 'r5' },
  { n: 8, left: 'r5', right: 'target' },
  { n: 9, left: 'r1', right: 'r3', onlyWith: 'shortcut' },
];
const SHORTCUT_LINK = 9;
const UNREACHABLE_V4 = '198.18.100.0/24';
const UNREACHABLE_V6 = 'fd48:6f70:0:100::/64';
const UNREACHABLE_ROUTER: NodeName = 'r3';
const UNREACHABLE_TTL = 3;

/** The links a network with these options has. */
function linksOf(options: TestNetworkOptions): Link[] {
  return LINKS.filter((l) => l.onlyWith === undefined || options[l.onlyWith]);
}

// Addresses are written the way inet_ntop prints them, because tests compare them
// with mtr-packet's output as strings.
const v4Of = (n: number, host: 1 | 2): string => `198.18.${n}.${host}`;
const v6Of = (n: number, host: 1 | 2): string => `fd48:6f70:0:${n}::${host}`;
const ALL_V4 = '198.18.0.0/16';
const ALL_V6 = 'fd48:6f70::/48';
/** Interface names live inside namespaces, so the same short name is reused at both ends of a link. */
const ifName = (n: number): string => `l${n}`;

function linkByNumber(n: number): Link {
  const link = LINKS.find((l) => l.n === n);
  if (!link) throw new Error(`no link ${n}`);
  return link;
}

/** The address `node` has on link n. */
function addrOn(node: NodeName, n: number): { v4: string; v6: string } {
  const link = linkByNumber(n);
  const host = link.left === node ? 1 : link.right === node ? 2 : undefined;
  if (host === undefined) throw new Error(`${node} is not on link ${n}`);
  return { v4: v4Of(n, host), v6: v6Of(n, host) };
}

/** The other end of link n, seen from `node`: the gateway address for routes over that link. */
function peerOn(node: NodeName, n: number): { v4: string; v6: string } {
  const link = linkByNumber(n);
  return addrOn(link.left === node ? link.right : link.left, n);
}

/**
 * Static routes. `to` is either 'all' (the whole test prefix, the least specific
 * route) or a list of link numbers whose subnets get their own route. `via` is a
 * list of links whose far ends are the next hops; two entries make a multipath route.
 */
interface RouteSpec {
  to: 'all' | number[];
  via: number[];
}
const ROUTES: Record<NodeName, RouteSpec[]> = {
  client: [{ to: 'all', via: [1] }],
  r1: [{ to: 'all', via: [2] }],
  r2: [
    { to: [1], via: [2] },
    { to: 'all', via: [3] },
  ],
  r3: [
    { to: [1, 2], via: [3] },
    { to: [6], via: [4] },
    { to: [7], via: [5] },
    // The ECMP branch point: the target's subnet is reached over r4a and r4b.
    { to: [8], via: [4, 5] },
  ],
  // r4a and r4b each need a way back to the client (through r3) as well as forwards.
  r4a: [
    { to: 'all', via: [4] },
    { to: [8], via: [6] },
  ],
  r4b: [
    { to: 'all', via: [5] },
    { to: [8], via: [7] },
  ],
  // A single return path on purpose: the kernel picks the source of an ICMP error
  // from the route back to the client, so r5 always answers as 198.18.6.2 no matter
  // which branch the probe came through. (rp_filter is off, so the asymmetry is fine.)
  r5: [{ to: 'all', via: [6] }],
  target: [{ to: 'all', via: [8] }],
};

/**
 * Which node answers at each TTL, and the link whose address it answers from.
 * `v6Extra`: Linux sources an ICMPv6 time-exceeded from the link the probe
 * arrived on, so r5 answers IPv6 probes that came through r4b from link 7.
 */
const HOP_LAYOUT: {
  ttl: number;
  responders: { node: NodeName; link: number }[];
  v6Extra?: { node: NodeName; link: number }[];
  silent: boolean;
}[] = [
  { ttl: 1, responders: [{ node: 'r1', link: 1 }], silent: false },
  { ttl: 2, responders: [{ node: 'r2', link: 2 }], silent: true },
  { ttl: 3, responders: [{ node: 'r3', link: 3 }], silent: false },
  {
    ttl: 4,
    responders: [
      { node: 'r4a', link: 4 },
      { node: 'r4b', link: 5 },
    ],
    silent: false,
  },
  { ttl: 5, responders: [{ node: 'r5', link: 6 }], v6Extra: [{ node: 'r5', link: 7 }], silent: false },
  { ttl: 6, responders: [{ node: 'target', link: 8 }], silent: false },
];
const SILENT_TTL = 2;
const ECMP_TTL = 4;
const DESTINATION_TTL = 6;
const OPEN_TCP_PORT = 8080;
const CLOSED_TCP_PORT = 8081;

const hostName = (node: NodeName): string => `${node}.${TEST_DOMAIN}`;

/** Namespace names: `hs<pid>-<hex>-<node>`. The pid lets cleanupStaleTestNetworks() find dead runs. */
const NAME_PATTERN = /^hs(\d+)-[0-9a-f]{6}-[a-z0-9]+$/;
const TEMP_PREFIX = 'hopscope-net-';
const NETNS_ETC = '/etc/netns';

// ---------------------------------------------------------------------------
// Process helpers

function findExecutable(name: string): string | null {
  // `ip`, `nft` and `sysctl` live in sbin, which a non-login PATH may lack.
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return null;
}

function tools(): { ip: string; nft: string; sysctl: string } {
  const ip = findExecutable('ip');
  const nft = findExecutable('nft');
  const sysctl = findExecutable('sysctl');
  if (!ip || !nft || !sysctl) throw new Error(testNetworkUnavailableReason() ?? 'ip, nft or sysctl missing');
  return { ip, nft, sysctl };
}

function runProcess(file: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    // A command that never reads stdin closes it early; that is not an error here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Like runProcess, but a non-zero exit is an error that names the command and its stderr. */
async function mustRun(file: string, args: string[], input?: string): Promise<string> {
  const res = await runProcess(file, args, { input, timeoutMs: 15_000 });
  if (res.code !== 0) {
    const shown = [file, ...args].join(' ');
    const stdin = input ? `\n--- stdin ---\n${input}` : '';
    throw new Error(`command failed (exit ${res.code}): ${shown}\n${res.stderr.trim()}${stdin}`);
  }
  return res.stdout;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// ---------------------------------------------------------------------------
// Availability

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
  const ns = `${newId()}-probe`;
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

function newId(): string {
  return `hs${process.pid}-${randomBytes(3).toString('hex')}`;
}

// ---------------------------------------------------------------------------
// Stale-run cleanup

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
async function killNamespaceProcesses(ip: string, namespaces: string[]): Promise<void> {
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
// Creation

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

function sysctlsFor(node: NodeName, icmpRateLimit: boolean, links: readonly Link[]): string[] {
  const own = links.filter((l) => l.left === node || l.right === node).map((l) => ifName(l.n));
  // Duplicate address detection would hold new IPv6 addresses (link-locals too)
  // tentative for about a second, and a router with a tentative link-local cannot
  // even send neighbour solicitations. Off everywhere, before any link is up.
  const settings = [
    'net.ipv6.conf.all.accept_dad=0',
    'net.ipv6.conf.default.accept_dad=0',
    ...own.map((i) => `net.ipv6.conf.${i}.accept_dad=0`),
    // No router advertisements or autoconfiguration: the addresses are static.
    'net.ipv6.conf.default.accept_ra=0',
    ...own.map((i) => `net.ipv6.conf.${i}.accept_ra=0`),
  ];
  if (ROUTERS.includes(node)) {
    settings.push(
      'net.ipv4.ip_forward=1',
      'net.ipv6.conf.all.forwarding=1',
      // r5 returns traffic over a different branch than it may arrive on.
      'net.ipv4.conf.all.rp_filter=0',
      'net.ipv4.conf.default.rp_filter=0',
      ...own.map((i) => `net.ipv4.conf.${i}.rp_filter=0`),
    );
  }
  if (node === 'r3') {
    // Hash on the L4 five-tuple, so UDP/TCP probes with different ports spread over r4a and r4b.
    settings.push('net.ipv4.fib_multipath_hash_policy=1', 'net.ipv6.fib_multipath_hash_policy=1');
  }
  if (!icmpRateLimit && node !== 'client') {
    // The kernel throttles ICMP errors per destination (1/s for IPv4 time-exceeded
    // and unreachable) and per namespace (1000/s); tests probe much faster than
    // that and must be deterministic. icmpRateLimit: true keeps the defaults.
    settings.push(
      'net.ipv4.icmp_ratelimit=0',
      'net.ipv6.icmp.ratelimit=0',
      'net.ipv4.icmp_msgs_per_sec=1000000',
      'net.ipv4.icmp_msgs_burst=1000000',
    );
  }
  return settings;
}

function ipBatchFor(node: NodeName, options: TestNetworkOptions, links: readonly Link[]): string {
  const lines = ['link set lo up'];
  for (const link of links) {
    if (link.left !== node && link.right !== node) continue;
    const a = addrOn(node, link.n);
    const dev = ifName(link.n);
    lines.push(`address add ${a.v4}/24 dev ${dev}`, `address add ${a.v6}/64 dev ${dev} nodad`, `link set ${dev} up`);
  }
  for (const route of ROUTES[node]) {
    const prefixes =
      route.to === 'all'
        ? [{ v4: ALL_V4, v6: ALL_V6 }]
        : route.to.map((n) => ({ v4: `198.18.${n}.0/24`, v6: `fd48:6f70:0:${n}::/64` }));
    for (const prefix of prefixes) {
      for (const family of ['v4', 'v6'] as const) {
        const hops = route.via.map((n) => `via ${peerOn(node, n)[family]} dev ${ifName(n)}`);
        const nexthops = hops.length === 1 ? hops[0] : hops.map((h) => `nexthop ${h}`).join(' ');
        // The family is implied by the prefix, so the same batch handles v4 and v6.
        lines.push(`route add ${prefix[family]} ${nexthops}`);
      }
    }
  }
  if (options.unreachablePrefix && node === UNREACHABLE_ROUTER) {
    lines.push(`route add unreachable ${UNREACHABLE_V4}`, `route add unreachable ${UNREACHABLE_V6}`);
  }
  return lines.join('\n') + '\n';
}

/** `ip route replace` lines for r1's route to the target's subnet: over the spare link, or the usual one. */
function shortcutRoutes(on: boolean): string {
  const via = on ? SHORTCUT_LINK : 2;
  const peer = peerOn('r1', via);
  return (
    [
      `route replace 198.18.8.0/24 via ${peer.v4} dev ${ifName(via)}`,
      `route replace fd48:6f70:0:8::/64 via ${peer.v6} dev ${ifName(via)}`,
    ].join('\n') + '\n'
  );
}

/** r2 keeps forwarding but never reports an expired TTL, like a router that filters ICMP. */
const SILENT_RULES = `table inet hopscope_silent {
  chain out {
    type filter hook output priority 0; policy accept;
    icmp type time-exceeded drop
    icmpv6 type time-exceeded drop
  }
}
`;

/**
 * The target's TCP listener: accepts and closes every connection on [::]:port (dual
 * stack, so IPv4 too). It prints "ready" once listening and exits when its stdin
 * closes, so it cannot outlive the test process even if destroy() never runs.
 */
const LISTENER_SCRIPT = `
const net = require('node:net');
const server = net.createServer((s) => { s.on('error', () => {}); s.destroy(); });
server.listen({ port: Number(process.argv[1]), host: '::', ipv6Only: false }, () => process.stdout.write('ready\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
`;

function startListener(ip: string, ns: string, port: number): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(ip, ['netns', 'exec', ns, process.execPath, '-e', LISTENER_SCRIPT, String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      reject(new Error(`TCP listener in ${ns} did not start within 10 s: ${stderr.trim()}`));
    }, 10_000);
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      if (c.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`TCP listener in ${ns} exited (${code ?? signal}) before listening: ${stderr.trim()}`));
    });
  });
  return { child, ready };
}

/**
 * Probe the target over v4 and v6 with the real mtr-packet until both answer, so
 * the first probe of a test never meets an unresolved neighbour or a link still
 * coming up. Normally the first round succeeds.
 */
async function waitUntilReachable(ip: string, clientNs: string, v4: string, v6: string): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    const res = await runProcess(ip, ['netns', 'exec', clientNs, MTR_PACKET], {
      input: `1 send-probe ip-4 ${v4} timeout 1\n2 send-probe ip-6 ${v6} timeout 1\n`,
      timeoutMs: 5_000,
    });
    const replies = res.stdout.split('\n').filter((l) => / reply /.test(` ${l} `));
    if (replies.some((l) => l.startsWith('1 ')) && replies.some((l) => l.startsWith('2 '))) return;
    last = `${res.stdout}${res.stderr}`.trim();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`target never answered mtr-packet from ${clientNs}; last output: ${last}`);
}

/** Networks not yet destroyed, torn down synchronously if the process exits first. */
const liveNetworks = new Set<{ teardownSync(): void }>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const net of liveNetworks) net.teardownSync();
  });
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

  const id = newId();
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
    for (const ns of allNs) {
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
        input: allNs.map((ns) => `netns del ${ns}\n`).join(''),
        stdio: ['pipe', 'ignore', 'ignore'],
      });
    } catch {
      // some were never created
    }
    for (const ns of allNs) rmSync(join(NETNS_ETC, ns), { recursive: true, force: true });
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
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
      // Anything else a test left running in our namespaces would keep them alive.
      await killNamespaceProcesses(ip, allNs);
      // -force: keep deleting after a namespace that was never created.
      await runProcess(ip, ['-force', '-batch', '-'], { input: allNs.map((ns) => `netns del ${ns}\n`).join('') });
      await Promise.all(allNs.map((ns) => rm(join(NETNS_ETC, ns), { recursive: true, force: true })));
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    })();
    return destroyed;
  };

  installExitHook();
  liveNetworks.add(handle);
  const startedAt = Date.now();
  try {
    // 1. Name-service files first, so that no process in a namespace ever sees the host's.
    const hosts = hostsFile(id, links);
    const nsswitch = nsswitchFile();
    await Promise.all(
      allNs.map(async (ns) => {
        const dir = join(NETNS_ETC, ns);
        await mkdir(dir, { recursive: true });
        await Promise.all([
          writeFile(join(dir, 'hosts'), hosts),
          writeFile(join(dir, 'resolv.conf'), 'nameserver 127.0.0.1\n'),
          writeFile(join(dir, 'nsswitch.conf'), nsswitch),
        ]);
      }),
    );

    // 2. All namespaces and veth pairs in one `ip` process; each veth end is created
    //    directly inside its namespace. The two ends get different ifindexes on
    //    purpose: the kernel treats a carrier change on a veth whose peer has the same
    //    ifindex as its own as non-urgent and batches it for up to a second, which
    //    delays the link-local address and so IPv6 neighbour discovery by that much.
    const topology = [
      ...allNs.map((ns) => `netns add ${ns}`),
      ...links.map(
        (l) =>
          `link add name ${ifName(l.n)} index ${10 + l.n} netns ${namespaces[l.left]} ` +
          `type veth peer name ${ifName(l.n)} index ${50 + l.n} netns ${namespaces[l.right]}`,
      ),
    ];
    await mustRun(ip, ['-batch', '-'], topology.join('\n') + '\n');

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
    const hops: HopSpec[] = HOP_LAYOUT.map((h) => ({
      ttl: h.ttl,
      v4: h.responders.map((r) => addrOn(r.node, r.link).v4),
      v6: [...h.responders, ...(h.v6Extra ?? [])].map((r) => addrOn(r.node, r.link).v6),
      names: h.responders.map((r) => hostName(r.node)),
      silent: h.silent,
    }));
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
