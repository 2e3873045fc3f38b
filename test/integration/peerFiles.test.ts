/**
 * Real mtr (Debian mtr-tiny) writes each of its formats on the namespace
 * network, and Hopscope opens them: statistics from --json, --csv and --xml,
 * every sample from --raw, and a clear refusal for the -r text. Then the
 * `hopscope` CLI's own report on the same network: the session's start, this
 * machine's name, and, with the kernel's ICMP rate limiting on, the verdict
 * that the routers' loss is not the path's.
 */
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import type { TestNetwork } from '../net/testNetwork';
import { parseTraceFile } from '@shared/formats/importTrace';
import { hopName } from '@shared/formats/common';
import { judgePath } from '@shared/pathVerdicts';
import { formatReport } from '@shared/formats/report';
import { traceDocumentSchema } from '@shared/traceFile';
import { ensureBuilt } from '../fixtures/ensureBuilt';

const HOPSCOPE = join(resolve(__dirname, '../..'), 'bin/hopscope');

ensureBuilt();

async function mtr(net: TestNetwork, args: string[]): Promise<string> {
  const run = await net.runInClient(['mtr', ...args], { timeoutMs: 60_000 });
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

async function hopscope(net: TestNetwork, args: string[]): Promise<string> {
  const run = await net.runInClient([process.execPath, HOPSCOPE, ...args], { timeoutMs: 60_000 });
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

describeWithNetwork('files written by the real mtr', (getNet) => {
  it('opens --json, --csv, --xml and --raw with the path mtr saw, and knows what -r text is', async () => {
    const net = getNet();
    const common = ['-n', '-c', '3', '-i', '0.2', net.target.v4];
    const [json, csv, xml, raw, report] = await Promise.all(
      [['--json'], ['--csv'], ['--xml'], ['--raw'], ['-r']].map((format) => mtr(net, [...format, ...common])),
    );
    const expected = net.hops.map((h) => (h.silent ? '???' : expect.toBeOneOf(h.v4)));
    for (const [text, format] of [
      [json, 'mtr-json'],
      [csv, 'mtr-csv'],
      [xml, 'mtr-xml'],
      [raw, 'mtr-raw'],
    ] as const) {
      const r = parseTraceFile(text!);
      if (!r.ok) throw new Error(`${format}: ${r.error}`);
      expect(r.sourceFormat).toBe(format);
      expect(traceDocumentSchema.safeParse(r.doc).success).toBe(true);
      const listed = r.doc.hops.filter((h) => h.ttl <= net.destinationTtl);
      expect(
        listed.map((h) => hopName(h)),
        format,
      ).toEqual(expected);
      expect(listed[net.silentTtl - 1]!.lossPct).toBe(100);
      expect(r.doc.target.address).toBe(net.target.v4);
      expect(r.doc.destinationReached).toBe(true);
      // mtr records none of these: they stay unknown rather than ICMP, 1 s, 1-30.
      expect(r.doc.options.protocol).toBeUndefined();
      expect(r.doc.options.intervalSec).toBeUndefined();
      expect(r.doc.options.maxTtl).toBeUndefined();
      // Only the CSV carries a time; nothing is stamped with the time of opening.
      expect(r.doc.createdAt).toBeUndefined();
      if (format === 'mtr-csv') expect(Math.abs(Date.parse(r.doc.startedAt!) - Date.now())).toBeLessThan(600_000);
      else expect(r.doc.startedAt).toBeUndefined();
    }
    // Every sample of the raw log: three rounds at the first hop.
    const rawDoc = parseTraceFile(raw!);
    expect(rawDoc.ok && rawDoc.doc.hops[0]!.samples.filter((s) => s.rttMs !== null)).toHaveLength(3);

    const refused = parseTraceFile(report!);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.error).toMatch(/^an mtr text report \(mtr -r \/ --report\).*mtr --json/);
  });

  it("hopscope -r starts at the session's start, names this machine and sums up the path", async () => {
    const net = getNet();
    const before = Date.now();
    const report = await hopscope(net, [net.target.v4, '-n', '-c', '2', '-i', '0.1', '-r']);
    const lines = report.split('\n');
    const start = Date.parse(lines[0]!.replace(/^Start: /, '').replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    // The start is when the trace began, before the report was printed at its end.
    expect(start).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(lines[1]).toMatch(new RegExp(`^HOST: ${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+Loss%`));
    expect(report).toContain(`Note: hop ${net.silentTtl} (???) does not answer, but later hops do`);
    expect(report).toMatch(
      new RegExp(
        `End to end: 0\\.0% loss, latency avg .* at the destination ${net.target.v4.replace(/\./g, '\\.')} \\(hop ${net.destinationTtl}\\)\\.`,
      ),
    );

    const json = JSON.parse(await hopscope(net, [net.target.v4, '-n', '-c', '1', '--json']));
    const doc = traceDocumentSchema.parse(json);
    expect(doc.host).toBe(hostname());
    expect(doc.verdicts?.endToEnd).toMatchObject({ destinationReached: true, ttl: net.destinationTtl, lossPct: 0 });
    expect(doc.verdicts?.hops.find((v) => v.ttl === net.silentTtl)?.lossContinuesDownstream).toBe(false);
  });
});

describeWithNetwork('TCP SYN retransmission at the target', (getNet) => {
  it('flags replies to a re-sent SYN instead of presenting them as latency', async () => {
    const net = getNet();
    const port = String(net.target.openTcpPort);
    // Every other SYN to the open port is dropped, so the kernel re-sends it after 1 s.
    const rules = `table inet hs_syn {
      chain input {
        type filter hook input priority 0;
        tcp dport ${port} tcp flags & (syn | ack) == syn numgen inc mod 2 == 0 drop
      }
    }`;
    const added = await net.exec(net.namespaces.target, ['nft', '-f', '-'], { input: rules });
    expect(added.code, added.stderr).toBe(0);
    try {
      const json = JSON.parse(
        await hopscope(net, [
          net.target.v4,
          '-n',
          '-T',
          '-P',
          port,
          '-c',
          '6',
          '-i',
          // Rounds 2 s apart: a dropped SYN's 1 s re-send arrives before the next round's SYN, so the
          // every-other drop cannot keep catching the same probe's re-sends (it did at 0.5 s, now and then).
          '2',
          '--timeout',
          '5',
          '--json',
        ]),
      );
      const doc = traceDocumentSchema.parse(json);
      const destination = doc.hops.find((h) => h.ttl === net.destinationTtl)!;
      const flagged = doc.verdicts!.hops.find((v) => v.ttl === net.destinationTtl)!.synRetransmitRounds;
      expect(flagged.length).toBeGreaterThan(0);
      // Each flagged round really is a reply whole seconds after the probe; no other reply is.
      for (const s of destination.samples.filter((x) => x.rttMs !== null)) {
        const late = s.rttMs! > 990 && s.rttMs! % 1000 < 150;
        expect(flagged.includes(s.round), `round ${s.round}: ${s.rttMs} ms`).toBe(late);
      }
      const report = formatReport(doc);
      expect(report).toContain(`Note: hop ${net.destinationTtl} (${net.target.v4}): `);
      expect(report).toMatch(/came whole seconds late because TCP re-sent the SYN/);
    } finally {
      await net.exec(net.namespaces.target, ['nft', 'delete', 'table', 'inet', 'hs_syn']);
    }
  });
});

describeWithNetwork(
  'ICMP rate limiting on the routers (the classic mtr false alarm)',
  (getNet) => {
    it("judges the routers' loss as theirs, not the path's, in mtr's own file and in hopscope -r", async () => {
      const net = getNet();
      const imported = parseTraceFile(await mtr(net, ['--json', '-n', '-c', '20', '-i', '0.1', net.target.v4]));
      if (!imported.ok) throw new Error(imported.error);
      const verdicts = judgePath(imported.doc);
      const routers = verdicts.hops.filter((v) => v.ttl < net.destinationTtl && v.ttl !== net.silentTtl);
      const lossy = routers.filter((v) => imported.doc.hops.find((h) => h.ttl === v.ttl)!.lossPct > 0);
      expect(lossy.length).toBeGreaterThan(0);
      for (const v of lossy) expect(v.lossContinuesDownstream, `hop ${v.ttl}`).toBe(false);
      expect(verdicts.endToEnd).toMatchObject({ destinationReached: true, lossPct: 0 });

      // Let the routers' token buckets refill before the second run.
      await new Promise((done) => setTimeout(done, 1500));
      const report = await hopscope(net, [net.target.v4, '-n', '-c', '20', '-i', '0.1', '-r']);
      expect(report).toMatch(/but later hops do not: this router limits its ICMP replies; not loss on the path\./);
      expect(report).toMatch(/End to end: 0\.0% loss/);
    });
  },
  { icmpRateLimit: true },
);
