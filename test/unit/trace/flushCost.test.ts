import { afterEach, describe, expect, it, vi } from 'vitest';
import { traceOptionsSchema, MAX_SAMPLE_BUFFER_SIZE } from '@shared/traceOptions';
import { describeSchemaProblem, firstSchemaProblem } from '@shared/schemaProblem';
import { RingBuffer } from '../../../src/main/trace/stats';
import { ScriptedTransport } from '../../fixtures/scriptedTransport';
import { TARGET, scriptedSession } from './sessionHarness';
import { traceDocumentSchema } from '@shared/traceFile';

const PATH = [{ responders: ['198.18.0.1'] }, { responders: ['198.18.0.2', '198.18.0.3'] }];

/** Runs the same scripted trace and counts what its batches cost: samples copied out of buffers, samples sent. */
async function batchWork(sampleBufferSize: number) {
  const copied = { calls: 0, items: 0 };
  const toArray = RingBuffer.prototype.toArray;
  const spy = vi.spyOn(RingBuffer.prototype, 'toArray').mockImplementation(function (this: RingBuffer<unknown>) {
    const items = toArray.call(this);
    copied.calls++;
    copied.items += items.length;
    return items;
  });
  const transport = new ScriptedTransport(PATH, TARGET, 1);
  const { session, batches } = scriptedSession(transport, { count: 20, intervalSec: 0.05, sampleBufferSize });
  await session.start();
  await session.done;
  session.flush();
  spy.mockRestore();
  const sent = batches
    .flatMap((b) => b.events)
    .flatMap((e) => (e.type === 'hops' ? e.samples : []))
    .reduce((n, d) => n + d.samples.length, 0);
  return { copied, sent };
}

afterEach(() => vi.restoreAllMocks());

describe('work per batch', () => {
  it('does not depend on the sample buffer size: no buffer is copied, only new samples travel', async () => {
    const small = await batchWork(5);
    const large = await batchWork(MAX_SAMPLE_BUFFER_SIZE);
    expect(small.copied).toEqual({ calls: 0, items: 0 });
    expect(large.copied).toEqual({ calls: 0, items: 0 });
    // Each sample of the path (3 TTLs × 20 rounds) travels once, whatever the buffer holds.
    expect(small.sent).toBe(3 * 20);
    expect(large.sent).toBe(3 * 20);
  });
});

describe('sample buffer size', () => {
  it('is bounded by what memory allows, and the message says why', () => {
    expect(traceOptionsSchema.safeParse({ target: TARGET, sampleBufferSize: MAX_SAMPLE_BUFFER_SIZE }).success).toBe(
      true,
    );
    const tooLarge = traceOptionsSchema.safeParse({ target: TARGET, sampleBufferSize: 100_000 });
    expect(tooLarge.success).toBe(false);
    const message = describeSchemaProblem(firstSchemaProblem(tooLarge.error!));
    expect(message).toMatch(/^sampleBufferSize: /);
    expect(message).toContain(`at most ${MAX_SAMPLE_BUFFER_SIZE}`);
    expect(message).toContain('memory');
  });
});

describe('sample buffer size in a saved file', () => {
  it('still reads from version-1 files that recorded a size above today’s bound', () => {
    const doc = {
      format: 'hopscope.trace',
      version: 1,
      createdAt: '2025-01-02T03:04:05.000Z',
      tool: { name: 'hopscope', version: '0.1.0', mtrPacketVersion: '0.95' },
      target: { input: TARGET, address: TARGET, ipVersion: 4 },
      options: {
        protocol: 'icmp',
        firstTtl: 1,
        maxTtl: 30,
        count: 1,
        intervalSec: 1,
        timeoutSec: 10,
        dns: false,
        sampleBufferSize: 100_000,
      },
      destinationReached: false,
      hops: [],
    };
    expect(traceDocumentSchema.parse(doc).options.sampleBufferSize).toBe(100_000);
  });
});
