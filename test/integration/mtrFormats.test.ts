/**
 * `hopscope -x` and `hopscope -l` against the real mtr on the namespace
 * network: the same elements, attributes and line kinds in the same layout
 * (numbers aside), and files that Hopscope's own importers read back to the
 * path both tools saw.
 */
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import type { TestNetwork } from '../net/testNetwork';
import { parseTraceFile } from '@shared/formats/importTrace';
import { hopName } from '@shared/formats/common';
import { ensureBuilt } from '../fixtures/ensureBuilt';

const HOPSCOPE = join(resolve(__dirname, '../..'), 'bin/hopscope');

ensureBuilt();

async function run(net: TestNetwork, argv: string[]): Promise<string> {
  const result = await net.runInClient(argv, { timeoutMs: 60_000 });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** The XML with names and numbers masked: what must match mtr's byte for byte. */
const xmlLayout = (xml: string) =>
  xml
    .replace(/(HOST|SRC)="[^"]*"/g, '$1="…"')
    .replace(/>\s*\d+(\.\d+)?%?</g, (m) => (m.includes('%') ? '>N%<' : '>N<'));

function importedPath(text: string, format: string) {
  const r = parseTraceFile(text);
  if (!r.ok) throw new Error(`${format}: ${r.error}`);
  expect(r.sourceFormat).toBe(format);
  return r.doc;
}

describeWithNetwork('mtr output formats from hopscope', (getNet) => {
  it('-x writes the XML layout mtr writes, and it imports back to the path', async () => {
    const net = getNet();
    const common = ['-n', '-c', '2', '-i', '0.2', net.target.v4];
    const [mtrXml, ours, oursCompat] = await Promise.all([
      run(net, ['mtr', '-x', ...common]),
      run(net, [process.execPath, HOPSCOPE, '-x', ...common]),
      run(net, [process.execPath, HOPSCOPE, '-x', '--mtr-compat', ...common]),
    ]);
    expect(xmlLayout(ours)).toBe(xmlLayout(mtrXml));
    expect(xmlLayout(oursCompat)).toBe(xmlLayout(mtrXml));
    expect(ours).toMatch(/^ {8}<Snt> {5}2<\/Snt>$/m);

    const expected = net.hops.map((h) => (h.silent ? '???' : expect.toBeOneOf(h.v4)));
    for (const text of [ours, oursCompat, mtrXml]) {
      const doc = importedPath(text, 'mtr-xml');
      expect(doc.hops.map((h) => hopName(h))).toEqual(expected);
      expect(doc.hops.map((h) => h.sent)).toEqual(expected.map(() => 2));
      expect(doc.hops[net.silentTtl - 1]!.lossPct).toBe(100);
      expect(doc.destinationReached).toBe(true);
    }
  });
});
