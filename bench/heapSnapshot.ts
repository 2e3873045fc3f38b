/**
 * A Chromium page's heap snapshot over CDP (HeapProfiler.takeHeapSnapshot),
 * and what a snapshot's nodes take by kind (V8's node types: object, code,
 * native, string…), to tell which kind grew between two snapshots.
 */
import type { Page } from 'playwright-core';

/** The snapshot as DevTools' memory panel loads it (after a forced GC). */
export async function takeHeapSnapshot(page: Page): Promise<string> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const chunks: string[] = [];
    cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => chunks.push(chunk));
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    return chunks.join('');
  } finally {
    await cdp.detach();
  }
}

interface SnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
}

/** Self size and count of the snapshot's nodes, by node type. */
export function sizesByKind(snapshot: string): Record<string, { count: number; bytes: number }> {
  const { snapshot: meta, nodes } = JSON.parse(snapshot) as SnapshotJson;
  const fields = meta.meta.node_fields;
  const kinds = meta.meta.node_types[0];
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  if (typeAt < 0 || sizeAt < 0) throw new Error('heap snapshot without type or self_size node fields');
  const sizes: Record<string, { count: number; bytes: number }> = {};
  for (let i = 0; i < nodes.length; i += fields.length) {
    const kind = kinds[nodes[i + typeAt]!] ?? 'unknown';
    const entry = (sizes[kind] ??= { count: 0, bytes: 0 });
    entry.count++;
    entry.bytes += nodes[i + sizeAt]!;
  }
  return sizes;
}
