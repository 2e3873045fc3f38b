/**
 * The client against a scripted fake mtr-packet (test/fixtures/fake-mtr-packet.mjs): probing, input
 * validation and every fault the real one can show, and some it should not. No packets are sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessError, StateError, ValidationError, explainMtrPacketProblem, MAX_TOKEN } from '../../../src/main/mtr';
import type { ProbeOptions } from '@shared/probe';
import { cleanUpFakeClients, expectedV4, opened, sendProbeLines } from './fakeClient';

afterEach(cleanUpFakeClients);

describe('normal operation (fake)', () => {
  it('opens, reports the version and feature support, and probes', async () => {
    const { client } = await opened('normal');
    expect(client.isOpen).toBe(true);
    expect(client.version).toBe('0.95');
    expect(client.pid).toBeGreaterThan(0);
    expect(await client.checkSupport('version')).toBe('0.95');
    expect(await client.checkSupport('udp')).toBe(true);
    expect(await client.checkSupport('sctp')).toBe(false);
    const hop = await client.probe('198.18.0.9', { ttl: 1 });
    expect(hop).toMatchObject({ success: true, result: 'ttl-expired', responder: '192.0.2.1', mpls: [] });
    expect(hop.timeMs).toBeGreaterThan(0);
    const dest = await client.probe('2001:db8::99', { ttl: 9 });
    expect(dest).toMatchObject({ success: true, result: 'reply', responder: '2001:db8::99' });
    expect(client.inFlight).toBe(0);
    expect(client.malformedLines).toBe(0);
  });

  it('caches check-support answers', async () => {
    const { client, received } = await opened('normal');
    await client.checkSupport('tcp');
    await client.checkSupport('tcp');
    await client.checkSupport('version');
    expect(received().filter((l) => l.includes('check-support'))).toEqual([
      expect.stringMatching(/^\d+ check-support feature version$/),
      expect.stringMatching(/^\d+ check-support feature tcp$/),
    ]);
  });

  it('passes MPLS labels through', async () => {
    const { client } = await opened('mpls');
    const r = await client.probe('198.18.0.9', { ttl: 3 });
    expect(r).toMatchObject({ result: 'ttl-expired', responder: '192.0.2.3' });
    expect(r.mpls).toEqual([
      { label: 16003, trafficClass: 0, bottomOfStack: false, ttl: 252 },
      { label: 17003, trafficClass: 5, bottomOfStack: true, ttl: 1 },
    ]);
  });

  it('matches replies that arrive out of order', async () => {
    const { client, received } = await opened('out-of-order:8');
    const ttls = [1, 2, 3, 4, 5, 6, 7, 8];
    const results = await Promise.all(ttls.map((ttl) => client.probe('198.18.0.9', { ttl })));
    results.forEach((r, i) => {
      const ttl = ttls[i] as number;
      expect(r, `ttl ${ttl}`).toMatchObject(expectedV4(ttl, '198.18.0.9'));
    });
    expect(sendProbeLines(received())).toHaveLength(8);
  });

  it('keeps hundreds of concurrent probes apart', async () => {
    const { client } = await opened('normal');
    const probes = Array.from({ length: 300 }, (_, i) => {
      const ttl = i % 2 === 0 ? (i % 7) + 1 : undefined;
      const dest = `198.18.${i % 200}.${(i % 250) + 1}`;
      return { ttl, dest, options: { ttl, timeoutSec: 1 } as ProbeOptions };
    });
    const results = await Promise.all(probes.map((p) => client.probe(p.dest, p.options)));
    results.forEach((r, i) => {
      const p = probes[i];
      if (!p) throw new Error('index');
      expect(r).toMatchObject(expectedV4(p.ttl, p.dest));
    });
    expect(client.inFlight).toBe(0);
  });

  it('wraps the token counter without reusing live tokens', async () => {
    const { client, received } = await opened('normal');
    (client as unknown as { pending: { lastToken: number } }).pending.lastToken = MAX_TOKEN - 2;
    const results = await Promise.all([1, 2, 3, 4].map(() => client.probe('127.0.0.1')));
    expect(results.every((r) => r.result === 'reply')).toBe(true);
    const tokens = sendProbeLines(received()).map((l) => Number(l.split(' ')[0]));
    // Token 1 (the version check) is free again by then.
    expect(tokens).toEqual([MAX_TOKEN - 1, MAX_TOKEN, 1, 2]);
  });
});

describe('host names', () => {
  it('are not resolved here: a name is refused before anything is written (src/main/net resolves)', async () => {
    const { client, received } = await opened('normal');
    for (const name of ['target.example', 'localhost']) {
      const err = await client.probe(name).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe('host');
      expect((err as Error).message).toMatch(/names are resolved before probing/);
    }
    expect(sendProbeLines(received())).toHaveLength(0);
  });
});

describe('input validation (nothing reaches stdin)', () => {
  it('rejects injection attempts and bad options before writing anything', async () => {
    const { client, received } = await opened('normal');
    const attempts: [string, ProbeOptions | Record<string, unknown>, string][] = [
      ['a\n2 send-probe ip-4 127.0.0.1', {}, 'host'],
      ['127.0.0.1 ttl 1', {}, 'host'],
      ['127.0.0.1\n', {}, 'host'],
      ['127.0.0.1\r', {}, 'host'],
      ['exa mple.com', {}, 'host'],
      ['', {}, 'host'],
      ['-rf', {}, 'host'],
      ['127.0.0.1', { localIp: '127.0.0.1\n9 send-probe ip-4 127.0.0.1' }, 'localIp'],
      ['127.0.0.1', { protocol: 'icmp\n9 send-probe ip-4 127.0.0.1' }, 'protocol'],
      ['127.0.0.1', { ttl: '1\n9 send-probe ip-4 127.0.0.1' }, 'ttl'],
      ['127.0.0.1', { ttl: 1.5 }, 'ttl'],
      ['127.0.0.1', { ttl: 300 }, 'ttl'],
      ['127.0.0.1', { size: -1 }, 'size'],
      ['127.0.0.1', { port: 0 }, 'port'],
      ['127.0.0.1', { timeoutSec: 0 }, 'timeoutSec'],
      ['127.0.0.1', { 'local-ip-4': '1.2.3.4' }, '["local-ip-4"]'],
      ['127.0.0.1', { ipVersion: 6 }, 'ipVersion'],
      ['127.0.0.1', { localIp: '::1' }, 'localIp'],
    ];
    for (const [host, options, field] of attempts) {
      const err = await client.probe(host, options as ProbeOptions).catch((e: unknown) => e);
      expect(err, `${JSON.stringify(host)} ${JSON.stringify(options)}`).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe(field);
    }
    await expect(client.checkSupport('bogus' as 'udp')).rejects.toBeInstanceOf(ValidationError);
    // Give any stray write time to arrive before looking.
    await new Promise((r) => setTimeout(r, 100));
    expect(received()).toEqual([expect.stringMatching(/^\d+ check-support feature version$/)]);
  });
});

describe('subprocess faults', () => {
  it('rejects every pending probe with ProcessError when mtr-packet crashes, and later calls too', async () => {
    const { client } = await opened('crash-after:2');
    const started = Date.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => client.probe('198.18.0.9', { ttl: i + 4 })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected).toHaveLength(4);
    for (const r of rejected) {
      expect(r.reason).toBeInstanceOf(ProcessError);
      const e = r.reason as ProcessError;
      expect(e.kind).toBe('exited');
      expect(e.exitCode).toBe(3);
      expect(e.signal).toBeNull();
      expect(e.stderrTail).toContain('simulated crash');
      expect(e.message).toContain('exit code 3');
      expect(e.message).toContain('simulated crash');
    }
    expect(Date.now() - started).toBeLessThan(5000);
    expect(client.inFlight).toBe(0);
    expect(client.isOpen).toBe(false);
    await expect(client.probe('198.18.0.9')).rejects.toBeInstanceOf(ProcessError);
    await expect(client.checkSupport('tcp')).rejects.toBeInstanceOf(ProcessError);
    expect(explainMtrPacketProblem(rejected[0]?.reason, 'linux').title).toBe('mtr-packet stopped unexpectedly');
    await client.close();
    await expect(client.probe('198.18.0.9')).rejects.toBeInstanceOf(StateError);
  });

  it('reports a process killed by a signal', async () => {
    const { client } = await opened('never-reply');
    const pending = client.probe('198.18.0.9', { timeoutSec: 30 });
    process.kill(client.pid as number, 'SIGKILL');
    const err = (await pending.catch((e: unknown) => e)) as ProcessError;
    expect(err).toBeInstanceOf(ProcessError);
    expect(err.signal).toBe('SIGKILL');
    expect(err.message).toContain('SIGKILL');
  });

  it('survives mtr-packet closing its stdin (EPIPE) without unhandled errors', async () => {
    const { client, logs } = await opened('close-stdin');
    // Write only once the fake has really closed its input, so the write fails with EPIPE.
    while (!logs.some((l) => l.includes('closed stdin'))) await new Promise((r) => setTimeout(r, 10));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => client.probe('198.18.0.9', { timeoutSec: 30 })),
    );
    for (const o of outcomes) {
      expect(o.status).toBe('rejected');
      expect((o as PromiseRejectedResult).reason).toBeInstanceOf(ProcessError);
    }
    expect(logs.some((l) => l.includes('writing to mtr-packet failed'))).toBe(true);
    // Our own SIGKILL after the failed write is not what happened: the helper closed its input.
    const err = (outcomes[0] as PromiseRejectedResult).reason as ProcessError;
    expect(err.kind).toBe('io');
    expect(err.signal).toBeNull();
    expect(err.message).not.toContain('SIGKILL');
    expect(err.message).toMatch(/stopped reading its input unexpectedly \(writing to it failed: EPIPE\)/);
    const help = explainMtrPacketProblem(err, 'linux');
    expect(help.title).toBe('mtr-packet stopped reading its input');
    expect(help.detail).not.toContain('SIGKILL');
  });

  it('never takes a malformed line with a colliding token as the reply (junk-collide)', async () => {
    const { client, logs } = await opened('junk-collide');
    const ttls = [1, 3, 5, 1, 3, 5, 9];
    const results = await Promise.all(ttls.map((ttl) => client.probe('198.18.0.9', { ttl, timeoutSec: 5 })));
    results.forEach((r, i) => expect(r).toMatchObject(expectedV4(ttls[i], '198.18.0.9')));
    expect(results.some((r) => r.result === 'unknown')).toBe(false);
    // Eight junk lines per probe, every one counted and none settled a probe.
    expect(client.malformedLines).toBe(ttls.length * 8);
    expect(logs.some((l) => l.includes('13 14'))).toBe(true);
  });

  it('counts and logs garbage lines without disturbing probes', async () => {
    const { client, logs } = await opened('garbage');
    const ttls = [1, 3, 5, 1, 3, 5, 9, 9];
    const results = await Promise.all(ttls.map((ttl) => client.probe('198.18.0.9', { ttl })));
    results.forEach((r, i) => expect(r).toMatchObject(expectedV4(ttls[i], '198.18.0.9')));
    // Per reply: 9 junk lines, of which the blank-only ones are unparseable too.
    expect(client.malformedLines).toBeGreaterThanOrEqual(ttls.length * 8);
    expect(client.lateReplies).toBe(0);
    expect(logs.some((l) => l.includes('unknown token'))).toBe(true);
    expect(logs.some((l) => l.includes('unparseable'))).toBe(true);
    expect(logs.some((l) => l.includes('not logged'))).toBe(true);
    expect(logs.length).toBeLessThan(60);
  });

  it('returns permission-denied as a result, with an explanation', async () => {
    const { client } = await opened('permission-denied');
    const r = await client.probe('198.18.0.9');
    expect(r).toEqual({ success: false, result: 'permission-denied', timeMs: null, responder: null, mpls: [] });
    const linux = explainMtrPacketProblem(r, 'linux');
    expect(linux.fix).toContain('setcap cap_net_raw+ep');
    expect(explainMtrPacketProblem(r, 'darwin').fix).toMatch(/root/);
  });

  it('resolves a probe whose reply never comes as no-reply after its timeout plus the grace', async () => {
    const { client } = await opened('drop-ttl:7', { timeoutGraceMs: 100 });
    const started = Date.now();
    const p = client.probe('198.18.0.9', { ttl: 7, timeoutSec: 0.4 });
    await new Promise((r) => setImmediate(r));
    expect(client.inFlight).toBe(1);
    // mtr-packet keeps answering other probes meanwhile: it is alive, the probe was lost.
    let settled = false;
    void p.finally(() => (settled = true));
    while (!settled) {
      expect((await client.probe('198.18.0.9', { ttl: 1 })).result).toBe('ttl-expired');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await p).toEqual({ success: false, result: 'no-reply', timeMs: null, responder: null, mpls: [] });
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(480);
    expect(client.inFlight).toBe(0);
  });

  it('a probe that times out while mtr-packet printed nothing at all resolves as helper-stalled', async () => {
    const { client } = await opened('never-reply', { timeoutGraceMs: 100 });
    const started = Date.now();
    const results = await Promise.all([1, 2].map((ttl) => client.probe('198.18.0.9', { ttl, timeoutSec: 0.2 })));
    for (const r of results) {
      expect(r).toEqual({ success: false, result: 'helper-stalled', timeMs: null, responder: null, mpls: [] });
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('a stopped helper (SIGSTOP) gives helper-stalled, and answers again after SIGCONT', async () => {
    const { client } = await opened('normal', { timeoutGraceMs: 100 });
    const pid = client.pid as number;
    process.kill(pid, 'SIGSTOP');
    try {
      const results = await Promise.all([1, 3, 9].map((ttl) => client.probe('198.18.0.9', { ttl, timeoutSec: 0.3 })));
      for (const r of results) expect(r.result).toBe('helper-stalled');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(await client.probe('198.18.0.9', { ttl: 1, timeoutSec: 2 })).toMatchObject({ result: 'ttl-expired' });
  });

  it('ignores (and counts) a reply that arrives after its probe timed out', async () => {
    const { client } = await opened('slow:700', { timeoutGraceMs: 100 });
    // Silent for longer than the probe's timeout: that is the helper, not the network.
    expect((await client.probe('198.18.0.9', { timeoutSec: 0.2 })).result).toBe('helper-stalled');
    await new Promise((r) => setTimeout(r, 900));
    expect(client.lateReplies).toBe(1);
    expect(client.malformedLines).toBe(0);
  });
});
