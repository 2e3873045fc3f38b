/** What the benchmarks share: the namespace network, where figures go, how a failure ends the run. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTestNetwork, testNetworkUnavailableReason, type TestNetwork } from '../test/net/testNetwork';

const RESULTS = resolve(import.meta.dirname, 'results');

/** Run with a fresh namespace test network (needs root), destroyed afterwards whatever happens. */
export async function withTestNetwork(run: (net: TestNetwork) => Promise<void>): Promise<void> {
  const reason = testNetworkUnavailableReason();
  if (reason) throw new Error(`benchmark needs the namespace network: ${reason}`);
  const net = await createTestNetwork();
  try {
    await run(net);
  } finally {
    await net.destroy();
  }
}

/** Write a benchmark's figures to bench/results/NAME. */
export function saveResult(name: string, result: unknown): void {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, name), JSON.stringify(result, null, 2) + '\n');
}

/** Run a benchmark's main; a failure prints its message and sets exit code 1. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
