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
import { CLEAR_SCREEN } from '../../src/cli/clearScreen';

const ROOT = resolve(__dirname, '../..');
const HOPSCOPE = join(ROOT, 'bin/hopscope');
const SCRIPT = '/usr/bin/script';
/** Frames painted after a step without the one it waits for: the step did not work. */
const MAX_FRAMES = 60;
/** The same for split mode's lines (one per hop and change). */
const MAX_LINES = 600;

ensureBuilt();

const shellQuoted = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/** The live view on a terminal: every frame painted so far, and keys to type. */
class Terminal {
  private output = '';
  readonly exited: Promise<number | null>;
  private waiters: (() => void)[] = [];
  private exitCode: number | null | undefined;

  constructor(private readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => {
      this.output += d.toString().replaceAll('\r', '');
      for (const wake of this.waiters.splice(0)) wake();
    });
    // 'close', not 'exit': the last output (the final report) may still be in the pipe when the process exits.
    this.exited = new Promise((done) =>
      child.on('close', (code) => {
        this.exitCode = code;
        done(code);
      }),
    );
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

  /** The first whole line written after `from` that `matches` (split mode paints no frames, it prints lines). */
  async line(from: number, matches: (line: string) => boolean, what: string): Promise<string> {
    for (;;) {
      const lines = this.output.slice(from).split('\n').slice(0, -1);
      const found = lines.find(matches);
      if (found !== undefined) return found;
      if (this.exitCode !== undefined) throw new Error(`the run ended before ${what}:\n${this.output.slice(-3000)}`);
      if (lines.length > MAX_LINES) throw new Error(`no line showed ${what}; the last:\n${lines.at(-1)}`);
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  get text(): string {
    return this.output;
  }
}

/** A hop's row (TTL below 10): its name and its second figure (Snt in the default columns). */
function hopRow(frame: string, ttl: number): { name: string; sent: number } | null {
  const m = new RegExp(`^ {2}${ttl}\\.\\|-- (\\S+)\\s+[\\d.]+%?\\s+(\\d+)`, 'm').exec(frame);
  return m ? { name: m[1]!, sent: Number(m[2]) } : null;
}

const firstHop = (frame: string) => hopRow(frame, 1);

/** The columns' header line. */
const columns = (frame: string) => frame.split('\n').find((l) => l.startsWith('HOST: ')) ?? '';

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
      expect(help).toContain('r       reset statistics');
      await term.frame(term.type('x'), (f) => f.includes('HOST: '), 'the table again');

      const jitter = await term.frame(term.type('j'), (f) => /Jttr\s+Javg\s+Jmax\s+Jint/.test(f), 'jitter columns');
      expect(jitter).not.toContain('StDev');
      const strip = await term.frame(term.type('d'), (f) => f.includes('newest rounds last'), 'the strip');
      expect(strip).toMatch(new RegExp(`^ {2}1\\.\\|-- ${address.replaceAll('.', '\\.')} +\\.+`, 'm'));

      // u and t switch protocol through the session's options change (a new segment), and back to ICMP.
      await term.frame(term.type('u'), (f) => f.startsWith('hopscope UDP to '), 'UDP');
      await term.frame(term.type('t'), (f) => f.startsWith('hopscope TCP to '), 'TCP');
      // Quit once ICMP has answered: the final report shows the segment running then, and one that has
      // measured nothing yet prints no report.
      const icmp = (f: string) => f.startsWith('hopscope ICMP to ') && firstHop(f)?.name === address;
      await term.frame(term.type('t'), icmp, 'ICMP again, answered');

      term.type('q');
      expect(await term.exited).toBe(0);
      // The final report after quitting is the plain report, as before.
      expect(term.text.slice(term.text.lastIndexOf(CLEAR_SCREEN))).toMatch(/^ {2}1\.\|-- /m);
    } finally {
      child.kill();
    }
  }, 120_000);

  it('takes values at a prompt: o columns, f/m TTLs, i interval, Q TOS, z AS info, then c cycles and the report', async () => {
    const { term, child } = liveView(['-4', '-n', '-i', '0.1']);
    const hasNotice = (f: string, notice: string) => f.split('\n')[1] === notice;
    try {
      await term.frame(0, (f) => (firstHop(f)?.sent ?? 0) >= 2, 'two rounds');

      // o: an unknown letter is refused by name and the columns stay; a good order replaces them.
      await term.frame(term.type('o'), (f) => /^Fields \(letters LDRSNBAWVGJMXI.*: $/m.test(f), 'the o prompt');
      const refused = await term.frame(term.type('LSDZ\r'), (f) => f.includes('unknown field letter "Z"'), 'o refused');
      expect(columns(refused)).toMatch(/Loss%\s+Snt\s+Last\s+Avg\s+Best\s+Wrst\s+StDev$/);
      await term.frame(term.type('oLSD\r'), (f) => /Loss%\s+Snt\s+Drop$/.test(columns(f)), 'the columns LSD');

      // f and m: the session probes only TTLs 3 and 4 from then on (hops 1, 5 and 6 are gone from the view).
      const from3 = await term.frame(
        term.type('f3\r'),
        (f) => hasNotice(f, 'first TTL 3: statistics start again') && (hopRow(f, 3)?.sent ?? 0) >= 2,
        'probes from TTL 3',
      );
      expect(hopRow(from3, 1)).toBeNull();
      const tooLow = 'max TTL 2 refused: first TTL 3 must not exceed max TTL 2';
      await term.frame(term.type('m2\r'), (f) => hasNotice(f, tooLow) && hopRow(f, 3) !== null, 'm 2 refused');
      const to4 = await term.frame(
        term.type('m4\r'),
        (f) => hasNotice(f, 'max TTL 4: statistics start again') && (hopRow(f, 4)?.sent ?? 0) >= 3,
        'probes up to TTL 4',
      );
      for (const ttl of [1, 2, 5, 6]) expect(hopRow(to4, ttl)).toBeNull();

      // i: the session's interval, as the status line reads it from the session.
      const tooShort = 'interval 0 refused: interval must be at least 0.05 seconds';
      const kept = await term.frame(term.type('i0\r'), (f) => hasNotice(f, tooShort), 'i 0 refused');
      expect(kept.split('\n')[0]).toContain(' every 0.1 s');
      await term.frame(
        term.type('i0.3\r'),
        (f) => hasNotice(f, 'interval 0.3 s: statistics start again') && f.split('\n')[0]!.includes(' every 0.3 s'),
        'the interval 0.3 s',
      );

      // Q (upper case) asks for the TOS and never quits; Escape leaves its prompt.
      await term.frame(term.type('Q'), (f) => /^TOS \(0-255 or 0x\.\.; now default\)/m.test(f), 'the TOS prompt');
      await term.frame(term.type('\x1b'), (f) => !f.includes('TOS (') && hopRow(f, 3) !== null, 'the prompt gone');
      await term.frame(term.type('Q16\r'), (f) => hasNotice(f, 'TOS 16: statistics start again'), 'TOS 16');

      // z: the AS column, from the offline data the view loads on demand (test addresses have no AS).
      await term.frame(term.type('z'), (f) => /^ {2}3\. AS\?\?\? +198\.18\./m.test(f), 'the AS column');
      await term.frame(term.type('z'), (f) => hopRow(f, 3) !== null, 'no AS column');

      // c: three rounds from now, then the report of those three rounds, as mtr's report cycles.
      await term.frame(term.type('c3\r'), (f) => / round \d\/3 every 0\.3 s/.test(f), 'the count of 3');
      expect(await term.exited).toBe(0);
      const report = term.text.slice(term.text.lastIndexOf(CLEAR_SCREEN));
      expect([hopRow(report, 3)?.sent, hopRow(report, 4)?.sent]).toEqual([3, 3]);
      expect(hopRow(report, 5)).toBeNull();
    } finally {
      child.kill();
    }
  }, 120_000);

  it("acknowledges keys in split mode, where nothing is painted, as mtr's split mode takes them: q and r", async () => {
    const { term, child } = liveView(['-4', '-n', '-i', '0.1', '-p']);
    try {
      // Split lines: TTL, address, then figures.
      await term.line(0, (l) => /^1 198\.18\.1\.2 /.test(l), "hop 1's split line");
      const note = 'hopscope: split mode (-p) takes q quit, r reset, p pause, SPACE resume';
      await term.line(term.type('o'), (l) => l.startsWith(note), 'the note on o');
      await term.line(term.type('Q'), (l) => l.startsWith(note), 'the note on Q, which does not quit');
      await term.line(term.type('r'), (l) => l === 'hopscope: statistics reset: counting starts again', 'the reset');
      term.type('q');
      expect(await term.exited).toBe(0);
    } finally {
      child.kill();
    }
  }, 120_000);
});
