/**
 * `hopscope -x` and `hopscope -l` against the real mtr on the namespace
 * network: the same elements, attributes and line kinds in the same layout
 * (numbers aside), and files that Hopscope's own importers read back to the
 * path both tools saw.
 */
import { spawn } from 'node:child_process';
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

/**
 * Runs with stdin open and silent, as a terminal nobody types on: mtr's split mode polls stdin for keys and,
 * on a stdin at its end, spins without probing (mtr 0.95).
 */
async function runKeepingStdin(net: TestNetwork, argv: string[]): Promise<string> {
  const [file, ...args] = [...net.clientPrefix, ...argv];
  const child = spawn(file!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const ended = new Promise((done) => child.stdout.once('end', done));
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  await ended;
  clearTimeout(timer);
  child.stdin.destroy();
  expect(code).toBe(0);
  return out;
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

  it("-l streams mtr's raw lines as replies arrive, which import back to the path", async () => {
    const net = getNet();
    const common = ['-n', '-c', '2', '-i', '0.2', net.target.v4];
    const [mtrRaw, ours] = await Promise.all([
      run(net, ['mtr', '-l', ...common]),
      run(net, [process.execPath, HOPSCOPE, '-l', ...common]),
    ]);
    const grammar = /^(x \d+ \d+|h \d+ \S+|p \d+ \d+ \d+|d \d+ \S.*)$/;
    for (const text of [mtrRaw, ours]) for (const line of text.trimEnd().split('\n')) expect(line).toMatch(grammar);
    const indexes = (text: string, kind: string) =>
      [
        ...new Set(
          text
            .split('\n')
            .filter((l) => l.startsWith(`${kind} `))
            .map((l) => Number(l.split(' ')[1])),
        ),
      ].sort((a, b) => a - b);
    // mtr also probes one TTL past the destination in its first round; Hopscope's stream leaves that TTL out.
    const onPath = (list: number[]) => list.filter((i) => i < net.destinationTtl);
    expect(indexes(ours, 'p')).toEqual(onPath(indexes(mtrRaw, 'p')));
    expect(indexes(ours, 'h')).toEqual(onPath(indexes(mtrRaw, 'h')));
    expect(indexes(ours, 'x')).toEqual(onPath(indexes(mtrRaw, 'x')));
    // Every reply names a probe sent before it at the same hop.
    const sent = new Set<string>();
    for (const [kind, idx, a, b] of ours
      .trimEnd()
      .split('\n')
      .map((l) => l.split(' '))) {
      if (kind === 'x') sent.add(`${idx} ${a}`);
      if (kind === 'p') expect(sent.has(`${idx} ${b}`)).toBe(true);
    }

    const expected = net.hops.map((h) => (h.silent ? '???' : expect.toBeOneOf(h.v4)));
    const doc = importedPath(ours, 'mtr-raw');
    expect(doc.hops.map((h) => hopName(h))).toEqual(expected);
    expect(doc.hops.map((h) => h.sent)).toEqual(expected.map(() => 2));
    expect(doc.hops[0]!.samples.filter((s) => s.rttMs !== null)).toHaveLength(2);
  });

  it('-l prints while the trace runs: the destination answers while nearly all its rounds remain', async () => {
    const net = getNet();
    const [file, ...args] = [
      ...net.clientPrefix,
      process.execPath,
      HOPSCOPE,
      '-l',
      '-n',
      '-c',
      '100000',
      net.target.v4,
    ];
    const child = spawn(file!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    // A hundred thousand rounds, one a second: only output written as it happens can show the destination's reply.
    await new Promise<void>((done) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (new RegExp(`^p ${net.destinationTtl - 1} `, 'm').test(out)) done();
      });
    });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(importedPath(out, 'mtr-raw').hops).toHaveLength(net.destinationTtl);
  });

  it("-p prints mtr's split lines, ending at the path both tools saw", async () => {
    const net = getNet();
    const common = ['-n', '-c', '2', '-i', '0.2', net.target.v4];
    const [mtrSplit, ours] = await Promise.all([
      runKeepingStdin(net, ['mtr', '-p', ...common]),
      run(net, [process.execPath, HOPSCOPE, '-p', ...common]),
    ]);
    const grammar = /^(\d+ \S+ \d+ \d+ \d+ \d+ \d+ \d+|\d+ \?\?\?|-\d+)$/;
    /** Each TTL's last line: what a split display shows at the end. */
    const final = (text: string) => {
      const lines = new Map<number, string[]>();
      for (const line of text.trimEnd().split('\n')) {
        expect(line).toMatch(grammar);
        if (line.startsWith('-')) lines.delete(Number(line.slice(1)));
        else lines.set(Number(line.split(' ')[0]), line.split(' ').slice(1));
      }
      return lines;
    };
    const theirs = final(mtrSplit);
    const mine = final(ours);
    // A silent hop's line is never printed (it starts as ???), in mtr as in Hopscope.
    const answering = net.hops.flatMap((h, i) => (h.silent ? [] : [i + 1]));
    expect([...mine.keys()].sort((a, b) => a - b)).toEqual(answering);
    expect([...theirs.keys()].sort((a, b) => a - b)).toEqual(answering);
    for (const ttl of answering) {
      const [name, loss, rcv, snt] = mine.get(ttl)!;
      expect(net.hops[ttl - 1]!.v4).toContain(name);
      expect([loss, rcv, snt]).toEqual(['0', '2', '2']);
      expect(theirs.get(ttl)!.length).toBe(mine.get(ttl)!.length);
    }
  });

  it('-o lays out the same columns as mtr -o, in the report and the CSV header', async () => {
    const net = getNet();
    const order = 'LDRS NBAWVGJMXI';
    const common = ['-n', '-c', '2', '-i', '0.2', '-o', order, net.target.v4];
    const [mtrReport, ours, mtrCsv, oursCsv] = await Promise.all([
      run(net, ['mtr', '-r', ...common]),
      run(net, [process.execPath, HOPSCOPE, '-r', '--mtr-compat', ...common]),
      run(net, ['mtr', '-C', ...common]),
      run(net, [process.execPath, HOPSCOPE, '-C', '--mtr-compat', ...common]),
    ]);
    const header = (text: string) => text.split('\n')[1];
    expect(header(ours)).toBe(header(mtrReport));
    expect(header(ours)).toMatch(/Loss% Drop {3}Rcv {3}Snt {3}Last {2}Best/);
    // Each hop's row: the name column aside, the same cells in the same places.
    const rows = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^ +\d+\.\|-- /.test(l))
        .map((l) => l.slice(33).replace(/ *\d+(\.\d+)?/g, ' N'));
    expect(rows(ours)).toEqual(rows(mtrReport));
    expect(rows(ours)).toHaveLength(net.destinationTtl);
    expect(oursCsv.split('\n')[0]).toBe(mtrCsv.split('\n')[0]);

    // mtr's --json writes the same fields as keys, in order.
    const [mtrJson, oursJson] = await Promise.all([
      run(net, ['mtr', '-j', ...common]),
      run(net, [process.execPath, HOPSCOPE, '-j', '--mtr-compat', ...common]),
    ]);
    type Report = { report: { mtr: object; hubs: object[] } };
    const keys = (text: string) => {
      const { report } = JSON.parse(text) as Report;
      return [Object.keys(report.mtr), ...report.hubs.map((h) => Object.keys(h))];
    };
    expect(keys(oursJson)).toEqual(keys(mtrJson));
  });

  it("-l names each hop once with a d line, as mtr does, from the namespace's hosts file", async () => {
    const net = getNet();
    const common = ['-4', '-c', '2', '-i', '0.2', net.target.name];
    const [mtrRaw, ours] = await Promise.all([
      run(net, ['mtr', '-l', ...common]),
      run(net, [process.execPath, HOPSCOPE, '-l', ...common]),
    ]);
    const names = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('d '))
        .map((l) => l.split(' '))
        .filter(([, idx]) => Number(idx) < net.destinationTtl)
        .map(([, idx, name]) => [Number(idx), name] as const)
        .sort((a, b) => a[0] - b[0]);
    // At the ECMP hop each tool names the responder it heard first.
    const answering = net.hops.flatMap((h, i) => (h.silent ? [] : [[i, expect.toBeOneOf(h.names)] as const]));
    expect(names(ours)).toEqual(answering);
    expect(names(mtrRaw)).toEqual(answering);
    const doc = importedPath(ours, 'mtr-raw');
    expect(doc.hops.at(-1)!.hosts[0]!.hostname).toBe(net.target.name);
  });
});
