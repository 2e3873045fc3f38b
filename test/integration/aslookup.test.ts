/**
 * `hopscope -z` / `-y 2` on the namespace test network with the real
 * mtr-packet. The network's private addresses have no public AS, so the
 * fixture databases (`--asn-db`, `--geo-db`) give them invented private ASes
 * and countries; without them Hopscope, like mtr (whose DNS lookups cannot
 * leave the namespace), shows `AS???` everywhere, which lets the mtr-shaped
 * outputs be compared with real mtr's.
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import { traceDocumentSchema } from '@shared/traceFile';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { TEST_NETWORK_ASN_DB, TEST_NETWORK_GEO_DB, testNetworkOwnerOf } from '../fixtures/enrich/testNetworkOwners';

const HOPSCOPE = join(resolve(__dirname, '../..'), 'bin/hopscope');
const OWNER_DATA = ['--asn-db', TEST_NETWORK_ASN_DB, '--geo-db', TEST_NETWORK_GEO_DB];

ensureBuilt();

/** The address a report row names (run with -n), from ` N. AS…  address  figures`. */
const ROW = /^\s*(\d+)\. (AS\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s/;

describeWithNetwork('hopscope -z on the namespace network', (getNet) => {
  const scratch = mkdtempSync(join(tmpdir(), 'hopscope-aslookup-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const hopscope = (args: string[]) =>
    getNet().runInClient([process.execPath, HOPSCOPE, ...args], { timeoutMs: 60_000 });

  it('shows AS64512…AS64515 and the countries at the right hops of the -z -y 2 report', async () => {
    const net = getNet();
    const run = await hopscope([net.target.v4, '-c', '1', '-n', '-r', '-z', '-y', '2', ...OWNER_DATA]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = run.stdout
      .split('\n')
      .map((line) => ROW.exec(line))
      .filter((m) => m !== null);
    expect(rows).toHaveLength(net.destinationTtl);
    for (const [i, row] of rows.entries()) {
      const spec = net.hops[i]!;
      const [, ttl, as, country, address] = row;
      expect(Number(ttl)).toBe(spec.ttl);
      if (spec.silent) {
        expect([as, country, address]).toEqual(['AS???', '???', '???']);
        continue;
      }
      expect(spec.v4).toContain(address);
      const owner = testNetworkOwnerOf(address!)!;
      expect(as).toBe(`AS${owner.asn}`);
      expect(country).toBe(owner.country);
    }
    expect(rows.map((r) => r[2])).toEqual(['AS64512', 'AS???', 'AS64513', 'AS64514', 'AS64514', 'AS64515']);
    // Under the report, each AS once with its organisation and the data behind it.
    expect(run.stdout).toMatch(
      /^ {2}AS64514 Hopscope Test Transit, Inc\., DE \(user data of \d{4}-\d\d-\d\d\): hops 4, 5$/m,
    );
  });

  it('carries each responder’s owner and the data sources in the JSON document (IPv6)', async () => {
    const net = getNet();
    const run = await hopscope([net.target.v6, '-c', '1', '-n', '--json', '-z', ...OWNER_DATA]);
    expect(run.code).toBe(0);
    const doc = traceDocumentSchema.parse(JSON.parse(run.stdout));
    const hosts = doc.hops.flatMap((h) => h.hosts);
    expect(hosts.length).toBeGreaterThanOrEqual(net.destinationTtl - 1);
    for (const host of hosts) {
      const expected = testNetworkOwnerOf(host.address)!;
      expect(host.owner).toMatchObject({
        as: { asn: expected.asn, organisation: expected.organisation, origin: 'user' },
        country: { code: expected.country, origin: 'user' },
      });
    }
    expect(doc.enrichment).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'asn',
          origin: 'user',
          file: basename(TEST_NETWORK_ASN_DB),
          dataDateBasis: 'file-mtime',
        }),
        expect.objectContaining({ kind: 'country', origin: 'user', file: 'test-network-country.mmdb' }),
        expect.objectContaining({
          kind: 'asn',
          origin: 'shipped',
          file: 'asn-ipv4.csv',
          dataDateBasis: 'package-version',
        }),
      ]),
    );
    // Every owner names a data date that one of the listed sources has.
    const dates = new Set(doc.enrichment!.map((s) => `${s.origin}:${s.dataDate}`));
    for (const host of hosts) expect(dates).toContain(`user:${host.owner!.as!.dataDate}`);
  });

  it('adds the Asn column to the CSV', async () => {
    const net = getNet();
    const run = await hopscope([net.target.v4, '-c', '1', '-n', '--csv', '-z', ...OWNER_DATA]);
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trim().split('\n');
    expect(header).toBe('Mtr_Version,Start_Time,Status,Host,Hop,Ip,Asn,Loss%,Snt, ,Last,Avg,Best,Wrst,StDev,');
    const cells = rows.map((r) => r.split(','));
    expect(cells.map((c) => c[6])).toEqual(['AS64512', 'AS???', 'AS64513', 'AS64514', 'AS64514', 'AS64515']);
    expect(cells.map((c) => testNetworkOwnerOf(c[5]!)?.asn ?? null)).toEqual([64512, null, 64513, 64514, 64514, 64515]);
  });

  it("matches real mtr -z's JSON and CSV shape (shipped data gives private space no AS, like mtr)", async () => {
    const net = getNet();
    const [ours, theirs, oursCsv, theirsCsv] = await Promise.all([
      hopscope([net.target.v4, '-c', '1', '-n', '--json', '--mtr-compat', '-z']),
      net.runInClient(['mtr', '-z', '--json', '-c', '1', '-n', net.target.v4], { timeoutMs: 60_000 }),
      hopscope([net.target.v4, '-c', '1', '-n', '--csv', '--mtr-compat', '-z']),
      net.runInClient(['mtr', '-z', '--csv', '-c', '1', '-n', net.target.v4], { timeoutMs: 60_000 }),
    ]);
    for (const run of [ours, theirs, oursCsv, theirsCsv]) expect(run.code).toBe(0);
    type Hubs = { report: { hubs: Record<string, unknown>[] } };
    const a = (JSON.parse(ours.stdout) as Hubs).report.hubs;
    const b = (JSON.parse(theirs.stdout) as Hubs).report.hubs;
    expect(a.map((h) => Object.keys(h))).toEqual(b.map((h) => Object.keys(h)));
    expect(a.map((h) => [h.host, h.ASN])).toEqual(b.map((h) => [h.host, h.ASN]));
    const strip = (csv: string) =>
      csv
        .trim()
        .split('\n')
        .map((l) => l.split(',').slice(3, 7).join(','));
    expect(strip(oursCsv.stdout)).toEqual(strip(theirsCsv.stdout));
  });

  it('reports a missing or malformed database on stderr and still traces (exit 0)', async () => {
    const net = getNet();
    const malformed = join(scratch, 'broken-asn.csv');
    writeFileSync(malformed, '198.18.1.0,198.18.1.255,64512,Fine\n198.18.9.0,not-an-address,64513,Broken\n');
    const missing = join(scratch, 'no-such.mmdb');
    const run = await hopscope([
      net.target.v4,
      '-c',
      '1',
      '-n',
      '-r',
      '-z',
      '--asn-db',
      malformed,
      '--geo-db',
      missing,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`hopscope: AS/country data not used: ${malformed}:2:`);
    expect(run.stderr).toContain(`hopscope: AS/country data not used: ${missing}: file not found`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // The trace ran; without the user's data every hop is AS??? (private space has no public AS).
    const rows = run.stdout.split('\n').filter((l) => ROW.test(l));
    expect(rows).toHaveLength(net.destinationTtl);
    expect(rows.every((r) => r.includes(' AS??? '))).toBe(true);
  });

  it('rejects -y items the offline data does not have, and --asn-db without -z/-y, before tracing', async () => {
    const net = getNet();
    const prefix = await hopscope([net.target.v4, '-c', '1', '-y', '1']);
    expect(prefix.code).toBe(2);
    expect(prefix.stderr).toMatch(/^hopscope: -y\/--ipinfo 1 \(IP prefix\) is not in the offline data/);
    const alone = await hopscope([net.target.v4, '-c', '1', '--asn-db', TEST_NETWORK_ASN_DB]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--asn-db and --geo-db go with -z\/--aslookup or -y\/--ipinfo/);
  });
});
