/**
 * The renderer benchmark page's feed (bench/rendererBenchPage.js, plain page
 * code) run in a bare VM context standing in for the page: animation frames
 * are timers, and the batches the fake engine emits are recorded.
 */
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';

const PAGE = readFileSync(new URL('../../../bench/rendererBenchPage.js', import.meta.url), 'utf8');

interface Batch {
  seq: number;
  events: { type: string; samples?: { ttl: number; samples: { round: number }[] }[] }[];
}

type Spread = { p50: number; p95: number; p99: number; max: number };

interface FeedResult {
  frames: number;
  frameMs: Spread;
  frameStartMs: Spread;
  heapBytes: { afterEarly: number | null };
  domNodes: { afterEarly: number | null };
}

/**
 * A fresh page with a started session; `frames` counts the animation frames
 * asked for. By default the page has the real clock and a frame's timestamp
 * is the time its callback runs; with `frames` the page's clock moves on
 * `startEveryMs` before each callback, whose timestamp is `timestamp(n)` for
 * the nth frame, as Chromium's BeginFrame time can differ from it.
 */
async function page(frames?: { startEveryMs: number; timestamp: (frame: number) => number }) {
  const counts = { frames: 0 };
  let clock = 0;
  const context: Record<string, unknown> = {
    performance: frames === undefined ? performance : { now: () => clock },
    MessageChannel,
    requestAnimationFrame: (callback: (at: number) => void) => {
      const frame = counts.frames++;
      setTimeout(() => {
        if (frames === undefined) return callback(performance.now());
        clock += frames.startEveryMs;
        callback(frames.timestamp(frame));
      }, 0);
    },
    document: { getElementsByTagName: () => ({ length: 7 }), querySelectorAll: () => ({ length: 0 }) },
  };
  context.window = context;
  runInNewContext(PAGE, context);
  const api = context.hopscope as {
    startSession(options: { target: string }): Promise<unknown>;
    on(event: 'sessionEvents', listener: (batch: Batch) => void): () => void;
  };
  const batches: Batch[] = [];
  api.on('sessionEvents', (batch) => batches.push(batch));
  await api.startSession({ target: '192.0.2.30' });
  const run = context.__runRendererBench as (options: object) => Promise<FeedResult>;
  return { run, batches, counts };
}

const shape = { hopCount: 3, responders: 2 };

it('feeds one round per frame by default', async () => {
  const { run, batches, counts } = await page();
  const result = await run({ ...shape, rounds: 5, heapEarlyRound: 2 });
  expect(batches.map((b) => b.seq)).toEqual([1, 2, 3, 4, 5]);
  expect(counts.frames).toBe(6); // one a round, one more for the last paint
  expect(result.frames).toBe(5);
  expect(result.domNodes.afterEarly).toBe(7);
});

it('feeds roundsPerFrame rounds a frame, in order, stopping at the early reading', async () => {
  const { run, batches, counts } = await page();
  const result = await run({ ...shape, rounds: 150, heapEarlyRound: 100, roundsPerFrame: 60 });
  expect(batches.map((b) => b.seq)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
  const rounds = batches.map((b) => b.events.find((e) => e.type === 'hops')!.samples![0]!.samples[0]!.round);
  expect(rounds).toEqual(Array.from({ length: 150 }, (_, i) => i));
  // 60, then 40 to reach the early reading at round 100, then 50; and the last paint.
  expect(counts.frames).toBe(4);
  expect(result.frames).toBe(3);
  expect(result.domNodes.afterEarly).toBe(7);
  // A later call goes on where this one stopped.
  await run({ ...shape, rounds: 10, roundsPerFrame: 60 });
  expect(batches.at(-1)!.seq).toBe(160);
});

it('refuses a roundsPerFrame that is not a positive integer', async () => {
  const { run } = await page();
  await expect(run({ ...shape, rounds: 5, roundsPerFrame: 0 })).rejects.toThrow(/positive integer, got 0/);
});

it('times frames both by their timestamps and by when their callbacks ran', async () => {
  // Timestamps 16.67 ms apart, as BeginFrames paced by their deadline are, on frames that start 5 ms apart.
  const { run } = await page({ startEveryMs: 5, timestamp: (frame) => 1000 + (frame * 1000) / 60 });
  const result = await run({ ...shape, rounds: 20 });
  expect(result.frames).toBe(20);
  expect(result.frameMs.p50).toBeCloseTo(1000 / 60, 6);
  expect(result.frameMs.max).toBeCloseTo(1000 / 60, 6);
  expect(result.frameStartMs).toEqual({ p50: 5, p95: 5, p99: 5, max: 5 });
});
