/**
 * -e/--mpls end to end, over the scripted mtr-packet (a namespace's Linux
 * routers add no RFC 4950 extensions): mtr's places for the labels.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTraceFile } from '@shared/formats/importTrace';
import { ensureBuilt } from '../fixtures/ensureBuilt';

const ROOT = resolve(__dirname, '../..');
const env = {
  ...process.env,
  MTR_PACKET: join(ROOT, 'test/fixtures/fake-mtr-packet.mjs'),
  FAKE_MTR_SCENARIO: 'mpls',
  FAKE_MTR_HOPS4: '198.18.0.1,198.18.0.2',
};

ensureBuilt();

function hopscope(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/hopscope'), '198.18.0.9', '-n', '-c', '2', '-i', '0.05', ...args],
      { env, timeout: 60_000 },
      (err, stdout) => (err ? fail(err) : done(stdout)),
    );
  });
}

const MPLS_LINE = /^ {7}\[MPLS: Lbl \d+ TC \d S [01] TTL \d+\]$/m;

describe('-e/--mpls', () => {
  it("shows the labels in Hopscope's report always, in mtr's (--mtr-compat) only with -e", async () => {
    const [plain, compat, compatE] = await Promise.all([
      hopscope(['-r']),
      hopscope(['-r', '--mtr-compat']),
      hopscope(['-r', '--mtr-compat', '-e']),
    ]);
    expect(plain).toMatch(MPLS_LINE);
    expect(compat).not.toMatch(/MPLS/);
    expect(compatE).toMatch(MPLS_LINE);
  });

  it('adds m lines to -l after each h line, which import back as the labels', async () => {
    const [raw, rawE] = await Promise.all([hopscope(['-l']), hopscope(['-l', '-e'])]);
    expect(raw).not.toMatch(/^m /m);
    expect(rawE).toMatch(/^h 0 198\.18\.0\.1\nm 0 16001 0 0 254\nm 0 17001 5 1 1\n/m);
    const r = parseTraceFile(rawE);
    if (!r.ok) throw new Error(r.error);
    expect(r.doc.hops[0]!.hosts[0]!.mpls).toEqual([
      { label: 16001, trafficClass: 0, bottomOfStack: false, ttl: 254 },
      { label: 17001, trafficClass: 5, bottomOfStack: true, ttl: 1 },
    ]);
  });
});
