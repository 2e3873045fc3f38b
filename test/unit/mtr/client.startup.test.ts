/**
 * Starting, finding and stopping the client, and the mtr 0.93 source-address retry, against the
 * scripted fake mtr-packet (test/fixtures/fake-mtr-packet.mjs) and a few programs that are not it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ExecutableNotFoundError,
  MtrPacketClient,
  ProcessError,
  StateError,
  explainMtrPacketProblem,
  resolveMtrPacketPath,
} from '../../../src/main/mtr';
import { cleanUpFakeClients, FAKE, fake, opened, sendProbeLines, tempDir, trackClient } from './fakeClient';

afterEach(cleanUpFakeClients);

describe('opening something that is not mtr-packet', () => {
  it.each([
    ['/bin/cat', 'not-mtr-packet'],
    ['/bin/true', 'exited'],
  ])('%s → ProcessError', async (path, kind) => {
    const client = new MtrPacketClient({ path });
    trackClient(client);
    const err = (await client.open().catch((e: unknown) => e)) as ProcessError;
    expect(err).toBeInstanceOf(ProcessError);
    expect(err.kind).toBe(kind);
    expect(err.executable).toBe(path);
    await expect(client.probe('127.0.0.1')).rejects.toBe(err);
    expect(explainMtrPacketProblem(err, 'linux').title).toMatch(/not mtr-packet|stopped/);
  });

  it('a program that prints a banner', async () => {
    const { client } = fake('not-mtr');
    const err = (await client.open().catch((e: unknown) => e)) as ProcessError;
    expect(err).toBeInstanceOf(ProcessError);
    expect(err.kind).toBe('not-mtr-packet');
    expect(err.message).toContain('NotMtr 1.0');
    expect(explainMtrPacketProblem(err, 'linux').title).toContain('is not mtr-packet');
  });

  it('a program that never answers', async () => {
    const { client } = fake('mute', { commandTimeoutMs: 300 });
    const started = Date.now();
    const err = (await client.open().catch((e: unknown) => e)) as ProcessError;
    expect(err).toBeInstanceOf(ProcessError);
    expect(err.kind).toBe('no-answer');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a program that exits at once with an error', async () => {
    const { client } = fake('exit:7');
    const err = (await client.open().catch((e: unknown) => e)) as ProcessError;
    expect(err).toBeInstanceOf(ProcessError);
    expect(err.exitCode).toBe(7);
    expect(err.stderrTail).toContain('exiting on request');
    expect(err.phase).toBe('start-up');
    expect(err.message).toContain('exited during start-up');
    const help = explainMtrPacketProblem(err, 'linux');
    expect(help.title).toBe('mtr-packet stopped during start-up');
    expect(help.detail).toContain('exited during start-up');
    expect(help.detail).toContain('code 7');
    expect(help.detail).not.toContain('while probes were running');
  });

  it('mtr-packet without raw-socket permission', async () => {
    const { client } = fake('no-sockets');
    const err = (await client.open().catch((e: unknown) => e)) as ProcessError;
    expect(err).toBeInstanceOf(ProcessError);
    expect(err.exitCode).toBe(1);
    const help = explainMtrPacketProblem(err, 'linux');
    expect(help.title).toBe('mtr-packet is not allowed to send probes');
    expect(help.fix).toContain(`sudo setcap cap_net_raw+ep ${FAKE}`);
    expect(explainMtrPacketProblem(err, 'darwin').fix).toContain('chmod u+s');
  });

  it('a file that is not executable', async () => {
    const dir = tempDir();
    const file = join(dir, 'mtr-packet');
    writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    const client = new MtrPacketClient({ path: file });
    await expect(client.open()).rejects.toBeInstanceOf(ExecutableNotFoundError);
  });
});

describe('executable resolution', () => {
  it('a missing explicit path → ExecutableNotFoundError with the path tried', async () => {
    const client = new MtrPacketClient({ path: '/nonexistent/dir/mtr-packet' });
    const err = (await client.open().catch((e: unknown) => e)) as ExecutableNotFoundError;
    expect(err).toBeInstanceOf(ExecutableNotFoundError);
    expect(err).toBeInstanceOf(ProcessError);
    expect(err.pathsTried).toEqual(['/nonexistent/dir/mtr-packet']);
    await expect(client.probe('127.0.0.1')).rejects.toBe(err);
    const help = explainMtrPacketProblem(err, 'linux');
    expect(help.fix).toContain('sudo apt install mtr-tiny');
    expect(explainMtrPacketProblem(err, 'darwin').fix).toContain('brew install mtr');
    expect(explainMtrPacketProblem(err, 'darwin').fix).toContain('$(brew --prefix)/sbin');
    expect(explainMtrPacketProblem(err, 'win32').fix).toMatch(/Cygwin/);
  });

  it('searches PATH and the usual sbin directories for a bare name', () => {
    const err = (() => {
      try {
        resolveMtrPacketPath({ path: 'no-such-mtr-packet-here', env: { PATH: '/nonexistent-a:/nonexistent-b' } });
      } catch (e) {
        return e as ExecutableNotFoundError;
      }
      throw new Error('expected failure');
    })();
    expect(err).toBeInstanceOf(ExecutableNotFoundError);
    expect(err.pathsTried).toEqual(
      expect.arrayContaining([
        '/nonexistent-a/no-such-mtr-packet-here',
        '/usr/sbin/no-such-mtr-packet-here',
        '/usr/local/sbin/no-such-mtr-packet-here',
        '/opt/homebrew/sbin/no-such-mtr-packet-here',
        '/usr/local/opt/mtr/sbin/no-such-mtr-packet-here',
      ]),
    );
    expect(err.pathsTried[0]).toBe('/nonexistent-a/no-such-mtr-packet-here');
  });

  it('precedence: path option > MTR_PACKET > PATH', () => {
    const dir = tempDir();
    symlinkSync(FAKE, join(dir, 'mtr-packet'));
    expect(resolveMtrPacketPath({ env: { PATH: dir } })).toBe(join(dir, 'mtr-packet'));
    expect(resolveMtrPacketPath({ env: { PATH: dir, MTR_PACKET: '/bin/cat' } })).toBe('/bin/cat');
    expect(resolveMtrPacketPath({ path: '/bin/true', env: { PATH: dir, MTR_PACKET: '/bin/cat' } })).toBe('/bin/true');
    expect(() => resolveMtrPacketPath({ env: { MTR_PACKET: '/nonexistent/mtr-packet' } })).toThrow(/MTR_PACKET/);
  });

  it('MTR_PACKET in the env option selects the executable', async () => {
    const client = new MtrPacketClient({ env: { ...process.env, MTR_PACKET: FAKE, FAKE_MTR_VERSION: '0.94' } });
    trackClient(client);
    await client.open();
    expect(client.executablePath).toBe(FAKE);
    expect(client.version).toBe('0.94');
  });
});

describe('lifecycle', () => {
  it('StateError before open, on a second open, and after close', async () => {
    const { client } = fake('normal');
    await expect(client.probe('127.0.0.1')).rejects.toBeInstanceOf(StateError);
    await expect(client.checkSupport('udp')).rejects.toBeInstanceOf(StateError);
    const opening = client.open();
    await expect(client.open()).rejects.toBeInstanceOf(StateError);
    await opening;
    await expect(client.open()).rejects.toBeInstanceOf(StateError);
    await client.close();
    await client.close();
    await expect(client.probe('127.0.0.1')).rejects.toBeInstanceOf(StateError);
    await expect(client.checkSupport('udp')).rejects.toBeInstanceOf(StateError);
    await expect(client.open()).rejects.toBeInstanceOf(StateError);
  });

  it('close() rejects pending probes with StateError and stops the process', async () => {
    const { client } = await opened('never-reply');
    const pid = client.pid as number;
    const pending = Promise.allSettled(Array.from({ length: 5 }, () => client.probe('198.18.0.9', { timeoutSec: 60 })));
    await new Promise((r) => setTimeout(r, 50));
    await client.close();
    for (const p of await pending) {
      expect(p.status).toBe('rejected');
      expect((p as PromiseRejectedResult).reason).toBeInstanceOf(StateError);
    }
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('close() while opening rejects open()', async () => {
    const { client } = fake('mute', { commandTimeoutMs: 10_000 });
    const opening = client.open().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 100));
    await client.close();
    expect(await opening).toBeInstanceOf(StateError);
  });

  it('close() kills a process that ignores end of input and SIGTERM', async () => {
    const { client } = await opened('ignore-term');
    const pid = client.pid as number;
    const started = Date.now();
    await client.close();
    expect(Date.now() - started).toBeLessThan(4000);
    expect(() => process.kill(pid, 0)).toThrow();
  }, 10_000);

  it('Symbol.asyncDispose closes; static open() opens', async () => {
    const client = await MtrPacketClient.open({
      path: FAKE,
      env: { ...process.env, FAKE_MTR_SCENARIO: 'normal' },
    });
    trackClient(client);
    expect(client.isOpen).toBe(true);
    await client[Symbol.asyncDispose]();
    await expect(client.probe('127.0.0.1')).rejects.toBeInstanceOf(StateError);
  });
});

describe('the mtr 0.93 invalid-argument quirk', () => {
  it('retries once with the kernel-chosen source address, logs it, and sends it up front afterwards', async () => {
    const { client, logs, received } = await opened('invalid-argument-without-local-ip');
    const r = await client.probe('127.0.0.1');
    expect(r).toMatchObject({ success: true, result: 'reply', responder: '127.0.0.1' });
    expect(sendProbeLines(received())).toEqual([
      expect.stringMatching(/^\d+ send-probe ip-4 127\.0\.0\.1 timeout 10$/),
      expect.stringMatching(/^\d+ send-probe ip-4 127\.0\.0\.1 local-ip-4 127\.0\.0\.1 timeout 10$/),
    ]);
    expect(logs.some((l) => l.includes('0.93') && l.includes('retrying from 127.0.0.1'))).toBe(true);

    // Later probes carry the source address at once.
    expect((await client.probe('127.0.0.1', { ttl: 9 })).result).toBe('reply');
    const lines = sendProbeLines(received());
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain('local-ip-4 127.0.0.1');
  });

  it('works for IPv6 too', async () => {
    const { client, received } = await opened('invalid-argument-without-local-ip');
    expect((await client.probe('::1')).result).toBe('reply');
    expect(sendProbeLines(received())[1]).toContain('local-ip-6 ::1');
  });

  it('does not retry an invalid-argument that has a reason, or when the caller chose the source', async () => {
    const { client, received } = await opened('invalid-argument-without-local-ip');
    expect(await client.probe('127.0.0.1', { protocol: 'sctp', localIp: '127.0.0.1' })).toMatchObject({
      result: 'invalid-argument',
      reason: 'protocol-not-supported',
    });
    expect(sendProbeLines(received())).toHaveLength(1);
  });

  it('gives up when no source address can be found', async () => {
    const { client, received } = await opened('invalid-argument-without-local-ip', {
      findSourceAddress: async () => null,
    });
    expect((await client.probe('127.0.0.1')).result).toBe('invalid-argument');
    expect(sendProbeLines(received())).toHaveLength(1);
  });
});
