/**
 * mtr flags that change where or how long a real trace probes, on the
 * namespace network: -I sends from the interface's address, as mtr does.
 */
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';
import { describeWithNetwork } from '../net/vitestNetwork';
import { findExecutable } from '../net/hostCommands';
import { traceDocumentSchema } from '@shared/traceFile';
import { ensureBuilt } from '../fixtures/ensureBuilt';

const HOPSCOPE = join(resolve(__dirname, '../..'), 'bin/hopscope');

ensureBuilt();

describeWithNetwork('mtr flags on a real trace', (getNet) => {
  it("-I traces from the interface's address, and names a missing interface", async () => {
    const net = getNet();
    const listed = await net.runInClient([findExecutable('ip')!, '-o', '-4', 'addr', 'show']);
    // "2: NAME    inet 198.18.1.1/24 ...": the client's one link, towards r1.
    const line = listed.stdout.split('\n').find((l) => l.includes(' inet 198.18.1.1/'))!;
    const name = line.split(/\s+/)[1]!.replace(/@.*$/, '');
    const run = await net.runInClient([process.execPath, HOPSCOPE, '-I', name, '-n', '-c', '1', '-j', net.target.v4], {
      timeoutMs: 60_000,
    });
    expect(run.code, run.stderr).toBe(0);
    const doc = traceDocumentSchema.parse(JSON.parse(run.stdout));
    expect(doc.options).toMatchObject({ localIp: '198.18.1.1', ipVersion: 4 });
    expect(doc.destinationReached).toBe(true);

    const missing = await net.runInClient([
      process.execPath,
      HOPSCOPE,
      '-I',
      'nosuch0',
      '-n',
      '-c',
      '1',
      net.target.v4,
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^hopscope: -I\/--interface: no interface named "nosuch0" here \(there are: .*lo/);
  });

  it('-G ends a run whose last hop never answers, where only an hour-long timeout would otherwise', async () => {
    const net = getNet();
    // -m stops at the silent router: no later hop answers past it, so only its timeout (-Z) or -G ends its wait.
    const run = await net.runInClient(
      [
        process.execPath,
        HOPSCOPE,
        '-n',
        '-c',
        '2',
        '-i',
        '0.2',
        '-m',
        String(net.silentTtl),
        '-Z',
        '3600',
        '-G',
        '0.5',
        '-j',
        net.target.v4,
      ],
      { timeoutMs: 60_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const doc = traceDocumentSchema.parse(JSON.parse(run.stdout));
    expect(doc.options).toMatchObject({ graceSec: 0.5, timeoutSec: 3600 });
    const silent = doc.hops.find((h) => h.ttl === net.silentTtl)!;
    expect(silent).toMatchObject({ sent: 2, received: 0, lossPct: 100 });
  });
});
