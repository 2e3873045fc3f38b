import { afterEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runTrace, unreachableNote } from '../../../src/cli/runTrace';
import { buildTraceDocument } from '@shared/traceDocument';
import { traceOptionsSchema } from '@shared/traceOptions';
import { traceDocumentSchema } from '@shared/traceFile';
import { summary } from '../../fixtures/traceBuilders';

const FAKE = fileURLToPath(new URL('../../fixtures/fake-mtr-packet.mjs', import.meta.url));

function collect() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

async function jsonRun(scenario: string, count = 3) {
  process.env.FAKE_MTR_SCENARIO = scenario;
  const stdout = collect();
  const stderr = collect();
  const code = await runTrace(
    {
      options: traceOptionsSchema.parse({ target: '127.0.0.3', count, intervalSec: 0.05, maxTtl: 5, dns: false }),
      output: 'json',
      mtrCompat: false,
      wide: false,
      showIps: false,
      mtrPacketPath: FAKE,
      recordPath: undefined,
    },
    { stdout: stdout.stream, stderr: stderr.stream },
  );
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

afterEach(() => {
  delete process.env.FAKE_MTR_SCENARIO;
});

// The fake mtr-packet dies on request; reality cannot be made to crash on cue.
describe('hopscope trace --json', () => {
  it('survives one helper death: the run completes and its document records the restart', async () => {
    const run = await jsonRun('crash-after:4');
    expect(run.code).toBe(0);
    const doc = traceDocumentSchema.parse(JSON.parse(run.stdout));
    expect(doc.endedEarly).toBeUndefined();
    expect(doc.markers?.filter((m) => m.kind === 'helper-restarted')).toHaveLength(1);
    expect(doc.markers?.[0]?.detail).toMatch(/simulated crash/);
  });

  it('says in the document that the run ended early when the helper kept dying on its target, and why', async () => {
    // Every new helper dies after four probes: the target is blamed at the second death in a row.
    const run = await jsonRun('crash-after:4', 20);
    expect(run.code).toBe(1);
    const doc = traceDocumentSchema.parse(JSON.parse(run.stdout));
    expect(doc.hops.some((h) => h.sent > 0)).toBe(true);
    expect(doc.endedEarly?.code).toBe('mtr-packet-crashed');
    expect(doc.endedEarly?.reason).toMatch(/keeps crashing on 127\.0\.0\.3: .*2 times in a row/);
    expect(run.stderr).toContain('hopscope:');
  });

  it('prints only the error, no hops at 100 % loss, when mtr-packet may not send a single probe', async () => {
    const run = await jsonRun('permission-denied');
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^hopscope: /);
  });

  it('writes no early end for a run that completed', async () => {
    const run = await jsonRun('normal');
    expect(run.code).toBe(0);
    const doc = traceDocumentSchema.parse(JSON.parse(run.stdout));
    expect(doc.endedEarly).toBeUndefined();
    expect(doc.rounds).toBe(3);
  });
});

describe('the report of an unreachable target', () => {
  it('ends with one line naming the router that said so', () => {
    const session = summary(
      {
        id: 'cli',
        state: 'finished',
        targetAddress: '198.18.7.1',
        rounds: 1,
        startedAt: 0,
        unreachable: { ttl: 2, address: '198.18.0.2' },
      },
      { target: '198.18.7.1' },
    );
    expect(unreachableNote(buildTraceDocument(session, []))).toBe(
      'note: 198.18.7.1 is unreachable: 198.18.0.2 at hop 2 answered ICMP unreachable\n',
    );
    expect(unreachableNote(buildTraceDocument({ ...session, unreachable: undefined }, []))).toBe('');
  });
});
