/**
 * One reading of a Chromium page's memory, as the renderer memory benchmarks
 * take it: the JS heap after a forced GC (CDP HeapProfiler.collectGarbage,
 * then Runtime.getHeapUsage) and the DOM node count, with the load average.
 */
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';

export const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 100) / 100;
const load = () => Number(loadavg()[0]!.toFixed(2));

export interface Reading {
  /** After a forced GC: what the page's JS objects take, and what V8 has committed for them. */
  heapUsedMb: number;
  heapTotalMb: number;
  domNodes: number;
  loadAverage: number;
}

/** Waits `settleMs` (a debounced fetch lands, React commits), collects garbage and reads. */
export async function readMemory(page: Page, settleMs = 1500): Promise<Reading> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await page.waitForTimeout(settleMs);
    // Twice: objects freed by the first collection's finalizers go in the second.
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const nodes = metrics.find((m) => m.name === 'Nodes')?.value ?? NaN;
    return { heapUsedMb: mb(heap.usedSize), heapTotalMb: mb(heap.totalSize), domNodes: nodes, loadAverage: load() };
  } finally {
    await cdp.detach();
  }
}

/** `long`'s used heap over `short`'s, to three decimals. */
export const heapRatio = (long: Reading, short: Reading) =>
  Math.round((long.heapUsedMb / short.heapUsedMb) * 1000) / 1000;
