import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import { traceDocumentSchema } from '@shared/traceFile';
import { ensureBuilt } from '../fixtures/ensureBuilt';

const ROOT = resolve(__dirname, '../..');
const HOPSCOPE = join(ROOT, 'bin/hopscope');
const FAKE = join(ROOT, 'test/fixtures/fake-mtr-packet.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function hopscope(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [HOPSCOPE, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? null) : 0;
        done({ code: typeof code === 'number' ? code : null, stdout, stderr });
      },
    );
  });
}

ensureBuilt();

describe('hopscope CLI: bad input', () => {
  const logDir = mkdtempSync(join(tmpdir(), 'hopscope-cli-'));
  const log = join(logDir, 'received.log');
  afterAll(() => rmSync(logDir, { recursive: true, force: true }));
  // The fake logs every line it receives, so the tests can prove nothing reached it.
  const fakeEnv = { MTR_PACKET: FAKE, FAKE_MTR_LOG: log };

  it.each([
    ['a newline injection in the target', ['trace', 'a\n2 send-probe ip-4 127.0.0.1'], /TARGET: target must be/],
    ['a space in the target', ['trace', '127.0.0.1 ttl 3'], /TARGET: target must be/],
    ['an empty target', ['trace', ''], /TARGET: target is empty/],
    ['a non-numeric count', ['127.0.0.1', '-c', 'abc'], /-c\/--count must be a number, got "abc"/],
    ['a zero count', ['127.0.0.1', '-c', '0'], /-c\/--count: count must be at least 1/],
    ['a port out of range', ['127.0.0.1', '-u', '-P', '70000'], /-P\/--port: port must be between 1 and 65535/],
    ['a port with ICMP', ['127.0.0.1', '-P', '53'], /-P\/--port: a port applies only to UDP, TCP and SCTP/],
    ['first TTL above max TTL', ['127.0.0.1', '-f', '10', '-m', '5'], /first TTL 10 must not exceed max TTL 5/],
    ['a max TTL of 256', ['127.0.0.1', '-m', '256'], /-m\/--max-ttl: max TTL must be between 1 and 255/],
    ['an interval below 50 ms', ['127.0.0.1', '-i', '0.01'], /-i\/--interval: interval must be at least 0.05/],
    ['a source address that is not an IP', ['127.0.0.1', '-a', 'eth0'], /-a\/--address: must be an IPv4 or IPv6/],
    ['a bit pattern of 300', ['127.0.0.1', '-B', '300'], /-B\/--bitpattern: bit pattern must be between 0 and 255/],
    ['a TOS over a byte', ['127.0.0.1', '-Q', '0x1ff'], /-Q\/--tos: TOS must be between 0 and 255/],
    ['a fractional TTL', ['127.0.0.1', '-m', '5.5'], /max TTL must be a whole number|must be a whole number/],
    [
      'two protocols',
      ['127.0.0.1', '-u', '-T'],
      /option '-(u, --udp|T, --tcp)' cannot be used with option '-(T, --tcp|u, --udp)'/,
    ],
    ['an unknown option', ['127.0.0.1', '--bogus'], /unknown option '--bogus'/],
    ['a missing target', ['trace'], /missing required argument 'target'/],
    ['--mtr-compat without --json', ['127.0.0.1', '--mtr-compat'], /--mtr-compat goes with --json/],
    ['a mark that is negative', ['127.0.0.1', '-M', '-1'], /-M\/--mark: mark must be between 0 and 4294967295/],
  ])('rejects %s with exit 2 and one clear line', async (_what, args, message) => {
    const run = await hopscope(args, fakeEnv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split('\n')[0]).toMatch(/^hopscope: /);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(run.stdout).toBe('');
  });

  it('never wrote any of those to mtr-packet', () => {
    // Validation happens before mtr-packet is even started.
    const lines = existsSync(log) ? readFileSync(log, 'utf8') : '';
    expect(lines).not.toContain('send-probe');
  });

  it('exits 1 with the install fix when mtr-packet is missing', async () => {
    const run = await hopscope(['127.0.0.1', '-c', '1', '--mtr-packet', '/nonexistent/mtr-packet']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/mtr-packet/);
    expect(run.stderr).toMatch(/^fix: .*(apt|mtr-tiny)/m);
  });

  it('exits 1 when the executable is not mtr-packet', async () => {
    const run = await hopscope(['127.0.0.1', '-c', '1', '--mtr-packet', '/bin/cat']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^hopscope: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 with the setcap fix on permission-denied', async () => {
    const run = await hopscope(['127.0.0.1', '-c', '1'], { MTR_PACKET: FAKE, FAKE_MTR_SCENARIO: 'permission-denied' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/setcap cap_net_raw\+ep/);
  });

  it('exits 1 for a host name that does not resolve', async () => {
    const run = await hopscope(['no-such-host.invalid', '-c', '1'], fakeEnv);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Cannot resolve no-such-host\.invalid/);
  });

  it('reports a crash of mtr-packet mid-trace and still prints what it collected', async () => {
    const run = await hopscope(['127.0.0.1', '-c', '5', '-i', '0.05', '--json'], {
      MTR_PACKET: FAKE,
      FAKE_MTR_SCENARIO: 'crash-after:3',
      FAKE_MTR_HOPS4: '198.18.0.1',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/code 3/);
    const doc = traceDocumentSchema.parse(JSON.parse(run.stdout));
    expect(doc.hops[0]!.received).toBeGreaterThan(0);
  });
});

describe('hopscope CLI with a scripted mtr-packet (what a namespace cannot produce)', () => {
  const env = { MTR_PACKET: FAKE, FAKE_MTR_SCENARIO: 'mpls', FAKE_MTR_HOPS4: '198.18.0.1,198.18.0.2' };

  it('shows MPLS label stacks in the report and keeps them in JSON', async () => {
    const report = await hopscope(['198.18.0.9', '-c', '2', '-i', '0.05', '-n'], env);
    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/\[MPLS: Lbl \d+ TC \d S [01] TTL \d+\]/);
    const json = await hopscope(['198.18.0.9', '-c', '1', '-n', '--json'], env);
    const doc = traceDocumentSchema.parse(JSON.parse(json.stdout));
    expect(doc.hops[0]!.hosts[0]!.mpls.length).toBeGreaterThan(0);
    expect(doc.hops[0]!.hosts[0]!.mpls[0]).toMatchObject({ bottomOfStack: false });
  });
});

describeWithNetwork('hopscope CLI on a real namespace network', (getNet) => {
  async function inClient(args: string[]): Promise<Run> {
    const r = await getNet().runInClient([process.execPath, HOPSCOPE, ...args], { timeoutMs: 60_000 });
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  }

  it('prints an mtr-style report with names from the hosts file, the silent hop as ???', async () => {
    const net = getNet();
    const run = await inClient([net.target.name, '-4', '-c', '2', '-i', '0.1', '--report']);
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').filter((l) => /^\s*\d+\.\|--/.test(l));
    expect(rows).toHaveLength(net.destinationTtl);
    expect(rows[0]).toContain(net.hops[0]!.names[0]!);
    expect(rows[net.silentTtl - 1]).toMatch(/\?\?\?\s+100\.0/);
    expect(rows.at(-1)).toContain(net.target.name);
  });

  it('prints a JSON document that validates and lists the path', async () => {
    const net = getNet();
    const run = await inClient([net.target.v6, '-c', '1', '-n', '--json']);
    expect(run.code).toBe(0);
    const doc = traceDocumentSchema.parse(JSON.parse(run.stdout));
    expect(doc.destinationReached).toBe(true);
    expect(doc.target).toEqual({ input: net.target.v6, address: net.target.v6, ipVersion: 6 });
    expect(doc.hops.map((h) => h.hosts[0]?.address ?? null)).toEqual(
      net.hops.map((h) => (h.silent ? null : expect.toBeOneOf(h.v6))),
    );
  });

  it("prints mtr's CSV columns", async () => {
    const net = getNet();
    const run = await inClient([net.target.v4, '-c', '1', '-n', '--csv']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('Mtr_Version,Start_Time,Status,Host,Hop,Ip,Loss%,Snt, ,Last,Avg,Best,Wrst,StDev,');
    expect(lines).toHaveLength(1 + net.destinationTtl);
    expect(lines[net.silentTtl]).toContain(',???,');
  });

  it("matches mtr --json's hop list for the same network", async () => {
    const net = getNet();
    const [ours, theirs] = await Promise.all([
      inClient([net.target.v4, '-c', '1', '-n', '--json', '--mtr-compat']),
      getNet().runInClient(['mtr', '--json', '-c', '1', '-n', net.target.v4], { timeoutMs: 60_000 }),
    ]);
    expect(ours.code).toBe(0);
    expect(theirs.code).toBe(0);
    type Hubs = { report: { hubs: { count: number; host: string; Snt: number }[] } };
    const a = (JSON.parse(ours.stdout) as Hubs).report.hubs;
    const b = (JSON.parse(theirs.stdout) as Hubs).report.hubs;
    expect(a.map((h) => h.count)).toEqual(b.map((h) => h.count));
    for (const [i, hub] of a.entries()) {
      const spec = net.hops[i]!;
      // ICMP hashes on addresses only, so both tools take the same ECMP branch.
      expect(hub.host).toBe(b[i]!.host);
      if (spec.silent) expect(hub.host).toBe('???');
      else expect(spec.v4).toContain(hub.host);
      expect(hub.Snt).toBe(b[i]!.Snt);
    }
  });

  it('reaches the open TCP port', async () => {
    const net = getNet();
    const run = await inClient([net.target.v4, '-T', '-P', String(net.target.openTcpPort), '-c', '1', '-n', '--json']);
    expect(run.code).toBe(0);
    const doc = traceDocumentSchema.parse(JSON.parse(run.stdout));
    expect(doc.destinationReached).toBe(true);
    expect(doc.hops.at(-1)!.hosts[0]!.address).toBe(net.target.v4);
  });
});
