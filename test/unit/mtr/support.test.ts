import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineReader } from '../../../src/main/mtr/lineReader';
import { findSourceAddress } from '../../../src/main/mtr/sourceAddress';
import { explainMtrPacketProblem } from '../../../src/main/mtr/diagnostics';
import { ExecutableNotFoundError, ProcessError, StateError, ValidationError } from '../../../src/main/mtr/errors';
import { TargetResolveError } from '../../../src/main/net/resolveTarget';
import type { ProbeResult } from '@shared/probe';

function collect(maxLineLength?: number) {
  const lines: string[] = [];
  const overflows: string[] = [];
  const reader = new LineReader(
    (l) => lines.push(l),
    (p) => overflows.push(p),
    maxLineLength,
  );
  return { lines, overflows, reader };
}

describe('LineReader', () => {
  it('joins partial lines and strips CR', () => {
    const { lines, reader } = collect();
    reader.push('1 rep');
    reader.push('ly ip-4 1.2.3.4 round-trip-time 5\r');
    reader.push('\n2 no-reply\r\n3 no');
    expect(lines).toEqual(['1 reply ip-4 1.2.3.4 round-trip-time 5', '2 no-reply']);
    reader.push('-reply\n');
    expect(lines).toEqual(['1 reply ip-4 1.2.3.4 round-trip-time 5', '2 no-reply', '3 no-reply']);
  });

  it('emits an unterminated last line at end()', () => {
    const { lines, reader } = collect();
    reader.push('a\nb');
    reader.end();
    expect(lines).toEqual(['a', 'b']);
  });

  it('drops over-long lines up to their newline', () => {
    const { lines, overflows, reader } = collect(10);
    reader.push('0123456789abc');
    reader.push('def');
    reader.push('ghi\nok\n');
    expect(overflows).toHaveLength(1);
    expect(lines).toEqual(['ok']);
  });

  it('splits the same way however the input is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\r', '1'), maxLength: 20 }), { maxLength: 10 }),
        fc.array(fc.nat(30), { maxLength: 10 }),
        (parts, cuts) => {
          const text = parts.join('');
          const whole = collect();
          whole.reader.push(text);
          whole.reader.end();
          const chunked = collect();
          let pos = 0;
          for (const c of cuts) {
            chunked.reader.push(text.slice(pos, pos + c));
            pos += c;
          }
          chunked.reader.push(text.slice(pos));
          chunked.reader.end();
          expect(chunked.lines).toEqual(whole.lines);
        },
      ),
    );
  });
});

describe('findSourceAddress', () => {
  it('finds the loopback source for loopback destinations', async () => {
    expect(await findSourceAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(await findSourceAddress('::1')).toBe('::1');
  });

  it('returns null for anything that is not an IP literal', async () => {
    expect(await findSourceAddress('localhost')).toBeNull();
    expect(await findSourceAddress('')).toBeNull();
  });
});

describe('explainMtrPacketProblem', () => {
  const result = (r: Partial<ProbeResult>): ProbeResult => ({
    success: false,
    result: 'unknown',
    timeMs: null,
    responder: null,
    mpls: [],
    ...r,
  });

  it('has install instructions for every platform', () => {
    const err = new ExecutableNotFoundError(['/usr/bin/mtr-packet', '/usr/sbin/mtr-packet']);
    const linux = explainMtrPacketProblem(err, 'linux');
    expect(linux.title).toBe('mtr-packet was not found');
    expect(linux.detail).toContain('/usr/sbin/mtr-packet');
    expect(linux.fix).toContain('sudo apt install mtr-tiny');
    const mac = explainMtrPacketProblem(err, 'darwin');
    expect(mac.fix).toContain('brew install mtr');
    expect(mac.fix).toContain('$(brew --prefix)/sbin');
    expect(explainMtrPacketProblem(err, 'cygwin').fix).toContain('Cygwin setup');
    expect(explainMtrPacketProblem(err, 'freebsd').fix).toContain('package manager');
  });

  it('explains missing raw-socket permission per platform, quoting the executable path', () => {
    const err = new ProcessError('mtr-packet exited before answering the version check', {
      kind: 'exited',
      executable: '/opt/my tools/mtr-packet',
      exitCode: 1,
      stderrTail: 'mtr-packet: Failure to open IPv4 sockets: Operation not permitted',
    });
    const linux = explainMtrPacketProblem(err, 'linux');
    expect(linux.title).toBe('mtr-packet is not allowed to send probes');
    expect(linux.fix).toContain(`sudo setcap cap_net_raw+ep '/opt/my tools/mtr-packet'`);
    const mac = explainMtrPacketProblem(err, 'darwin');
    expect(mac.fix).toContain(
      `sudo chown root '/opt/my tools/mtr-packet' && sudo chmod u+s '/opt/my tools/mtr-packet'`,
    );
  });

  it('a permission-denied probe result mentions privileges and firewalls', () => {
    const r = explainMtrPacketProblem(result({ result: 'permission-denied' }), 'linux');
    expect(r.fix).toContain('setcap cap_net_raw+ep $(command -v mtr-packet)');
    expect(r.detail).toMatch(/firewall/);
  });

  it('a binary that cannot be executed', () => {
    const cause = Object.assign(new Error('spawn EACCES'), { code: 'EACCES' });
    const err = new ProcessError('could not start /x/mtr-packet: spawn EACCES', {
      kind: 'spawn-failed',
      executable: '/x/mtr-packet',
      cause,
    });
    expect(explainMtrPacketProblem(err, 'linux').fix).toContain('chmod a+rx /x/mtr-packet');
  });

  it('crashes and non-mtr-packet binaries', () => {
    const crash = new ProcessError('mtr-packet exited unexpectedly', {
      kind: 'exited',
      executable: '/usr/bin/mtr-packet',
      signal: 'SIGSEGV',
      stderrTail: 'boom',
    });
    const c = explainMtrPacketProblem(crash, 'linux');
    expect(c.title).toBe('mtr-packet stopped unexpectedly');
    expect(c.detail).toContain('SIGSEGV');
    expect(c.detail).toContain('boom');
    const notMtr = new ProcessError('/bin/cat is not mtr-packet', { kind: 'not-mtr-packet', executable: '/bin/cat' });
    expect(explainMtrPacketProblem(notMtr, 'linux').title).toBe('/bin/cat is not mtr-packet');
  });

  it('probe results', () => {
    expect(
      explainMtrPacketProblem(result({ result: 'invalid-argument', reason: 'protocol-not-supported' }), 'linux').title,
    ).toBe('Protocol not supported here');
    expect(explainMtrPacketProblem(result({ result: 'invalid-argument' }), 'linux').title).toBe(
      'mtr-packet rejected the probe',
    );
    expect(explainMtrPacketProblem(result({ result: 'no-route', responder: '192.0.2.1' }), 'linux').detail).toContain(
      '192.0.2.1',
    );
    expect(explainMtrPacketProblem(result({ result: 'probes-exhausted' }), 'linux').title).toMatch(/Too many/);
    expect(explainMtrPacketProblem(result({ result: 'network-down' }), 'linux').title).toMatch(/down/);
    expect(explainMtrPacketProblem(result({ result: 'no-reply' }), 'linux').title).toBe('No reply');
    expect(explainMtrPacketProblem(result({ raw: '5 weird' }), 'linux').detail).toContain('5 weird');
    expect(
      explainMtrPacketProblem(result({ success: true, result: 'reply', responder: '::1', timeMs: 1 }), 'linux').title,
    ).toBe('No problem');
  });

  it('other errors', () => {
    expect(explainMtrPacketProblem(new TargetResolveError('x.example', 'no such host'), 'linux').title).toBe(
      'Host name not found',
    );
    expect(explainMtrPacketProblem(new ValidationError('ttl', 'too big'), 'linux').title).toBe('Invalid setting: ttl');
    expect(explainMtrPacketProblem(new StateError('closed'), 'linux').title).toMatch(/not running/);
    expect(explainMtrPacketProblem(new Error('strange'), 'linux').detail).toBe('strange');
    expect(explainMtrPacketProblem('text', 'linux').detail).toBe('text');
  });
});
