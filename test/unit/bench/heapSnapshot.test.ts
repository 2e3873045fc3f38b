/** Heap snapshot sizes by node type (bench/heapSnapshot.ts), on a hand-made snapshot in V8's format. */
import { expect, it } from 'vitest';
import { sizesByKind } from '../../../bench/heapSnapshot';

const meta = (fields: string[]) => ({
  meta: { node_fields: fields, node_types: [['hidden', 'array', 'string', 'object', 'code'], 'string', 'number'] },
});

it('adds up self sizes and counts by node type', () => {
  // Fields: type, name, id, self_size, edge_count.
  const nodes = [3, 0, 1, 40, 0, 4, 0, 2, 100, 0, 3, 0, 3, 24, 0, 2, 0, 4, 16, 0];
  const snapshot = JSON.stringify({ snapshot: meta(['type', 'name', 'id', 'self_size', 'edge_count']), nodes });
  expect(sizesByKind(snapshot)).toEqual({
    object: { count: 2, bytes: 64 },
    code: { count: 1, bytes: 100 },
    string: { count: 1, bytes: 16 },
  });
});

it('refuses a snapshot without the fields it needs', () => {
  const snapshot = JSON.stringify({ snapshot: meta(['type', 'name', 'id']), nodes: [] });
  expect(() => sizesByKind(snapshot)).toThrow(/without type or self_size/);
});
