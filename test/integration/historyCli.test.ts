import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import { traceDocumentSchema, type TraceDocument } from '@shared/traceFile';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { HistoryStore } from '../../src/main/history';

const ROOT = resolve(import.meta.dirname, '../..');
const HOPSCOPE = join(ROOT, 'bin/hopscope');
const ROUNDS = 300;
const dir = mkdtempSync(join(tmpdir(), 'hopscope-history-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

ensureBuilt();

describeWithNetwork('hopscope trace --record and hopscope report on a real namespace network', (getNet) => {
  async function inClient(args: string[]) {
    return getNet().runInClient([process.execPath, HOPSCOPE, ...args], { timeoutMs: 120_000 });
  }
  const parse = (stdout: string): TraceDocument => traceDocumentSchema.parse(JSON.parse(stdout));
  const byTtl = (doc: TraceDocument) => new Map(doc.hops.map((h) => [h.ttl, h]));

  it(`records ${ROUNDS} rounds at 0.05 s; two adjacent report windows add up to the whole and to the live trace`, async () => {
    const net = getNet();
    const file = join(dir, 'session.duckdb');
    const trace = await inClient([net.target.v4, '-n', '-c', String(ROUNDS), '-i', '0.05', '--json', '--record', file]);
    expect(trace.stderr).toBe('');
    expect(trace.code).toBe(0);
    const live = parse(trace.stdout);
    expect(statSync(file).size).toBeGreaterThan(0);

    // Split at the send time of the middle round, read from the file itself.
    const store = await HistoryStore.open(file, { readOnly: true });
    const [session] = await store.sessions();
    const recorded = await store.samples(session!.session);
    await store.close();
    const firstHop = recorded.filter((s) => s.ttl === 1);
    expect(firstHop).toHaveLength(ROUNDS);
    const split = firstHop[ROUNDS / 2]!.at;
    // Probes of one round can straddle a millisecond: the whole ends just after the newest probe of any TTL.
    const end = Math.max(...recorded.map((s) => s.at)) + 1;

    const whole = await inClient(['report', file, '--json']);
    expect(whole.code).toBe(0);
    // --from as ISO 8601, --to as Unix seconds (and the other way round), to the millisecond.
    const early = await inClient(['report', file, '--json', '--to', (split / 1000).toFixed(3)]);
    const late = await inClient([
      'report',
      file,
      '--json',
      '--from',
      new Date(split).toISOString(),
      '--to',
      String(end / 1000),
    ]);
    expect([early.stderr, late.stderr]).toEqual(['', '']);
    const [w, a, b] = [parse(whole.stdout), parse(early.stdout), parse(late.stdout)];

    expect(a.rounds).toBe(ROUNDS / 2);
    expect(b.rounds).toBe(ROUNDS / 2);
    expect(w.rounds).toBe(ROUNDS);
    const [wh, ah, bh] = [byTtl(w), byTtl(a), byTtl(b)];
    for (const hop of live.hops) {
      const all = wh.get(hop.ttl)!;
      // The file reproduces what the live trace counted (late replies replaced their presumed losses in both).
      expect([hop.ttl, all.sent, all.received]).toEqual([hop.ttl, hop.sent, hop.received]);
      const first = ah.get(hop.ttl)!;
      const second = bh.get(hop.ttl)!;
      expect([hop.ttl, first.sent + second.sent]).toEqual([hop.ttl, all.sent]);
      expect([hop.ttl, first.received + second.received]).toEqual([hop.ttl, all.received]);
    }
    const destination = wh.get(net.destinationTtl)!;
    expect(destination.sent).toBe(ROUNDS);
    expect(w.destinationReached).toBe(true);
    expect(wh.get(net.silentTtl)!.received).toBe(0);

    // The text formats print the same window.
    const text = await inClient(['report', file, '-r', '--to', (split / 1000).toFixed(3)]);
    const rows = text.stdout.split('\n').filter((l) => /^\s*\d+\.\|--/.test(l));
    expect(rows).toHaveLength(net.destinationTtl);
    expect(rows.at(-1)).toMatch(new RegExp(`\\s${ROUNDS / 2}\\s`));
    const csv = await inClient(['report', file, '--csv', '--from', String(split / 1000)]);
    expect(csv.stdout.trim().split('\n')).toHaveLength(1 + net.destinationTtl);
    const xml = await inClient(['report', file, '-x', '--from', String(split / 1000)]);
    expect(xml.stdout.match(/<HUB COUNT="\d+"/g)).toHaveLength(net.destinationTtl);
    expect(xml.stdout).toContain(`<Snt>${String(ROUNDS / 2).padStart(6)}</Snt>`);
  }, 180_000);

  it('ends quietly when its reader goes away (report --json | head)', () => {
    // The recorded session's JSON is far larger than a pipe holds, so writing outlives `head`.
    const file = join(dir, 'session.duckdb');
    const run = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "$0" "$1" report "$2" --json | head -c 100 >/dev/null`,
        process.execPath,
        HOPSCOPE,
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('names the problem with a foreign file and leaves it alone', async () => {
    const run = await inClient(['report', join(ROOT, 'package.json')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/package\.json: not a Hopscope history file/);
    const refused = await inClient([getNet().target.v4, '-n', '-c', '1', '--record', join(ROOT, 'package.json')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/package\.json: not a Hopscope history file/);
  });
});
