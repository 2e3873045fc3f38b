/**
 * mtr's interactive keys in the real live view: `hopscope TARGET` runs on a
 * pseudo-terminal (util-linux `script`) in the test network's client
 * namespace, the test types keys into it and reads the frames it paints.
 * Nothing is timed: each step waits for the frame it expects.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import { ensureBuilt } from '../fixtures/ensureBuilt';
import { CLEAR_SCREEN } from '../../src/cli/liveFrame';

const ROOT = resolve(__dirname, '../..');
const HOPSCOPE = join(ROOT, 'bin/hopscope');
const SCRIPT = '/usr/bin/script';
/** Frames painted after a step without the one it waits for: the step did not work. */
const MAX_FRAMES = 60;

ensureBuilt();

const shellQuoted = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/** The live view on a terminal: every frame painted so far, and keys to type. */
class Terminal {
  private output = '';
  readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];

  constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => {
      this.output += d.toString().replaceAll('\r', '');
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.exited = new Promise((done) => child.on('exit', (code) => done(code)));
    void this.exited.then(() => {
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Where the output stands now: frames after this mark were painted after what happens next. */
  get mark(): number {
    return this.output.length;
  }

  type(key: string): number {
    const at = this.mark;
    this.child.stdin!.write(key);
    return at;
  }

  /** The first complete frame painted after `from` that `matches`. */
  async frame(from: number, matches: (frame: string) => boolean, what: string): Promise<string> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      // A frame is complete once the next one has begun.
      const frames = this.output.slice(from).split(CLEAR_SCREEN).slice(1, -1);
      const found = frames.find(matches);
      if (found !== undefined) return found;
      if (exited) throw new Error(`the live view ended before ${what}:\n${this.output.slice(-3000)}`);
      // Counted in frames, not time: a key's effect shows in the frame painted at once, results within a few.
      if (frames.length > MAX_FRAMES) throw new Error(`no frame showed ${what}; the last:\n${frames.at(-1)}`);
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  get text(): string {
    return this.output;
  }
}

/** Hop 1's row: its name and its Snt figure. */
function firstHop(frame: string): { name: string; sent: number } | null {
  const m = /^ {2}1\.\|-- (\S+)\s+[\d.]+%?\s+(\d+)/m.exec(frame);
  return m ? { name: m[1]!, sent: Number(m[2]) } : null;
}

describeWithNetwork('hopscope live view: mtr keys on a terminal', (getNet) => {
  /** `hopscope TARGET ARGS` on a pseudo-terminal in the client namespace. */
  function liveView(args: string[]): { term: Terminal; child: ChildProcess } {
    const net = getNet();
    const command = [process.execPath, HOPSCOPE, net.target.name, ...args].map(shellQuoted).join(' ');
    const child = spawn(
      net.clientPrefix[0]!,
      [...net.clientPrefix.slice(1), SCRIPT, '-q', '-e', '-c', command, '/dev/null'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    return { term: new Terminal(child), child };
  }

  it('shows names on n in a run started with -n', async () => {
    const net = getNet();
    const { term, child } = liveView(['-4', '-n', '-i', '0.1']);
    try {
      await term.frame(0, (f) => firstHop(f)?.name === net.hops[0]!.v4[0], 'addresses');
      await term.frame(term.type('n'), (f) => firstHop(f)?.name === net.hops[0]!.names[0], 'names');
      term.type('q');
      expect(await term.exited).toBe(0);
    } finally {
      child.kill();
    }
  }, 120_000);

  it('pauses, resumes, switches names off, resets counting, shows help, jitter, the strip and other protocols, and quits', async () => {
    const net = getNet();
    const name = net.hops[0]!.names[0]!;
    const address = net.hops[0]!.v4[0]!;
    const { term, child } = liveView(['-4', '-i', '0.1']);
    try {
      const counted = await term.frame(
        0,
        (f) => (firstHop(f)?.sent ?? 0) >= 5 && f.includes(name),
        'five rounds with names',
      );
      expect(firstHop(counted)!.name).toBe(name);

      await term.frame(term.type('p'), (f) => f.includes('[paused]'), 'the pause');
      await term.frame(term.type(' '), (f) => f.includes('round') && !f.includes('[paused]'), 'SPACE resuming');

      const addresses = await term.frame(term.type('n'), (f) => firstHop(f)?.name === address, 'addresses');
      expect(addresses).not.toContain(name);

      const before = firstHop(await term.frame(term.mark, (f) => firstHop(f) !== null, 'a frame'))!.sent;
      const reset = await term.frame(term.type('r'), (f) => f.includes('[reset at round'), 'the reset');
      expect(firstHop(reset)?.sent ?? 0).toBeLessThan(before);

      const help = await term.frame(term.type('?'), (f) => f.includes('Keys (as in mtr):'), 'the help');
      expect(help).toContain('r      reset statistics');
      await term.frame(term.type('x'), (f) => f.includes('HOST: '), 'the table again');

      const jitter = await term.frame(term.type('j'), (f) => /Jttr\s+Javg\s+Jmax\s+Jint/.test(f), 'jitter columns');
      expect(jitter).not.toContain('StDev');
      const strip = await term.frame(term.type('d'), (f) => f.includes('newest rounds last'), 'the strip');
      expect(strip).toMatch(new RegExp(`^ {2}1\\.\\|-- ${address.replaceAll('.', '\\.')} +\\.+`, 'm'));

      // u and t switch protocol through the session's options change (a new segment), and back to ICMP.
      await term.frame(term.type('u'), (f) => f.startsWith('hopscope UDP to '), 'UDP');
      await term.frame(term.type('t'), (f) => f.startsWith('hopscope TCP to '), 'TCP');
      await term.frame(term.type('t'), (f) => f.startsWith('hopscope ICMP to '), 'ICMP again');

      term.type('q');
      expect(await term.exited).toBe(0);
      // The final report after quitting is the plain report, as before.
      expect(term.text.slice(term.text.lastIndexOf(CLEAR_SCREEN))).toMatch(/^ {2}1\.\|-- /m);
    } finally {
      child.kill();
    }
  }, 120_000);
});
