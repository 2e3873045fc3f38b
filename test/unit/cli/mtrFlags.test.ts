/**
 * The flags as mtr users type them: mtr's short letters parse to the same
 * request as the long names, through the real commander definition.
 */
import { describe, expect, it } from 'vitest';
import { parseTrace } from './parseTrace';

describe("mtr's short letters", () => {
  it.each([
    [['-j'], ['--json']],
    [['-C'], ['--csv']],
    [
      ['-Z', '3'],
      ['--timeout', '3'],
    ],
    [['-S'], ['--sctp']],
  ])('%j means the same as %j', (short, long) => {
    expect(parseTrace(['192.0.2.1', ...short])).toEqual(parseTrace(['192.0.2.1', ...long]));
  });

  it('maps them onto the outputs and options mtr gives them', () => {
    expect(parseTrace(['192.0.2.1', '-j']).output).toBe('json');
    expect(parseTrace(['192.0.2.1', '-C']).output).toBe('csv');
    expect(parseTrace(['192.0.2.1', '-Z', '3']).options.timeoutSec).toBe(3);
    expect(parseTrace(['192.0.2.1', '-S']).options.protocol).toBe('sctp');
  });

  it('names the short letter in errors', () => {
    expect(() => parseTrace(['192.0.2.1', '-Z', 'x'])).toThrow(/-Z\/--timeout must be a number/);
    expect(() => parseTrace(['192.0.2.1', '-j', '-C'])).toThrow(/cannot be used with/);
  });

  it('refuses a packet size mtr-packet cannot build before any probe is sent', () => {
    expect(parseTrace(['192.0.2.1', '-s', '9000']).options.size).toBe(9000);
    expect(() => parseTrace(['192.0.2.1', '-s', '9001'])).toThrow(
      /-s\/--psize: packet size must be between 0 and 9000/,
    );
  });
});

describe('-x/--xml', () => {
  it("prints mtr's XML after mtr's 10 rounds, with or without --mtr-compat, and never beside another format", () => {
    expect(parseTrace(['192.0.2.1', '-x'])).toMatchObject({ output: 'xml', options: { count: 10 } });
    expect(parseTrace(['192.0.2.1', '--xml', '--mtr-compat'])).toMatchObject({ output: 'xml', mtrCompat: true });
    expect(() => parseTrace(['192.0.2.1', '-x', '-j'])).toThrow(/cannot be used with/);
    expect(() => parseTrace(['192.0.2.1', '-x', '-r'])).toThrow(/cannot be used with/);
  });
});

describe('-l/--raw', () => {
  it("streams mtr's raw lines for mtr's 10 rounds unless -c says otherwise, and never beside another format", () => {
    expect(parseTrace(['192.0.2.1', '-l'])).toMatchObject({ output: 'raw', options: { count: 10 } });
    expect(parseTrace(['192.0.2.1', '--raw', '-c', '3'])).toMatchObject({ output: 'raw', options: { count: 3 } });
    for (const other of ['-j', '-C', '-x', '-r']) {
      expect(() => parseTrace(['192.0.2.1', '-l', other])).toThrow(/cannot be used with/);
    }
  });
});

describe('-p/--split', () => {
  it('runs until stopped unless -c says otherwise, as mtr does, and never beside another format', () => {
    expect(parseTrace(['192.0.2.1', '-p'])).toMatchObject({ output: 'split', options: { count: null } });
    expect(parseTrace(['192.0.2.1', '--split', '-c', '3'])).toMatchObject({ output: 'split', options: { count: 3 } });
    for (const other of ['-j', '-C', '-x', '-l', '-r']) {
      expect(() => parseTrace(['192.0.2.1', '-p', other])).toThrow(/cannot be used with/);
    }
  });
});

describe('-o/--order', () => {
  it("passes mtr's letters on, spaces included, and leaves the default alone without -o", () => {
    expect(parseTrace(['192.0.2.1', '-r', '-o', 'LSD NBAW']).fields).toBe('LSD NBAW');
    expect(parseTrace(['192.0.2.1', '-C', '--order', 'GJMXI']).fields).toBe('GJMXI');
    expect(parseTrace(['192.0.2.1', '-r']).fields).toBeUndefined();
  });

  it('names the letter mtr does not know, and refuses the outputs whose fields are fixed', () => {
    expect(() => parseTrace(['192.0.2.1', '-r', '-o', 'LSQ'])).toThrow(
      '-o/--order: unknown field letter "Q" (mtr\'s fields: L D R S N B A W V G J M X I, and spaces)',
    );
    expect(() => parseTrace(['192.0.2.1', '-r', '-o', 'ls'])).toThrow(/unknown field letter "l"/);
    expect(() => parseTrace(['192.0.2.1', '-r', '-o', 'L'.repeat(21)])).toThrow(/at most 20 fields, got 21/);
    expect(parseTrace(['192.0.2.1', '-j', '--mtr-compat', '-o', 'LS']).fields).toBe('LS');
    for (const format of ['-j', '-l', '-p']) {
      expect(() => parseTrace(['192.0.2.1', format, '-o', 'LS'])).toThrow(/-o\/--order sets the columns of the report/);
    }
  });
});

describe('-e/--mpls', () => {
  it('asks for the MPLS labels in the places mtr shows them', () => {
    expect(parseTrace(['192.0.2.1', '-e', '-r']).mpls).toBe(true);
    expect(parseTrace(['192.0.2.1', '--mpls', '-l']).mpls).toBe(true);
    expect(parseTrace(['192.0.2.1', '-r']).mpls).toBe(false);
  });
});

describe('-G/--gracetime and -U/--max-unknown', () => {
  it('become the engine options, named in errors', () => {
    expect(parseTrace(['192.0.2.1', '-r', '-G', '2.5']).options.graceSec).toBe(2.5);
    expect(parseTrace(['192.0.2.1', '-r', '-U', '12']).options.maxUnknown).toBe(12);
    // Neither changes anything unless given.
    expect(parseTrace(['192.0.2.1', '-r']).options).not.toHaveProperty('graceSec');
    expect(parseTrace(['192.0.2.1', '-r']).options).not.toHaveProperty('maxUnknown');
    expect(() => parseTrace(['192.0.2.1', '-r', '-G', '0'])).toThrow('-G/--gracetime: grace time must be positive');
    expect(() => parseTrace(['192.0.2.1', '-r', '-U', '0'])).toThrow('-U/--max-unknown: max unknown must be between 1');
    expect(() => parseTrace(['192.0.2.1', '-p', '-G', '3'])).toThrow(
      /-G\/--gracetime: a grace time applies after the last round/,
    );
    expect(parseTrace(['192.0.2.1', '-p', '-c', '3', '-G', '3']).options.graceSec).toBe(3);
  });
});

describe("mtr's other spellings", () => {
  it('takes --report-cycles for -c and -t for the live view', () => {
    expect(parseTrace(['192.0.2.1', '-r', '--report-cycles', '4']).options.count).toBe(4);
    expect(() => parseTrace(['192.0.2.1', '-c', '3', '--report-cycles', '4'])).toThrow(/the same option; give one/);
    expect(parseTrace(['192.0.2.1', '-t'], false).output).toBe('live');
    expect(() => parseTrace(['192.0.2.1', '-t', '-r'])).toThrow('-t/--curses is the live view; it goes with no other');
  });

  it('refuses what Hopscope does not do with the reason, rather than as an unknown option', () => {
    expect(() => parseTrace(['192.0.2.1', '-F', 'hosts.txt'])).toThrow(
      /-F\/--filename: hopscope traces one target per run/,
    );
    expect(() => parseTrace(['192.0.2.1', '-g'])).toThrow(/-g\/--gtk: mtr's GTK window is not here/);
    expect(() => parseTrace(['192.0.2.1', '--displaymode', '1'])).toThrow(/--displaymode: mtr's stripchart modes/);
  });
});
