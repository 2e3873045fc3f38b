import { describe, expect, it } from 'vitest';
import { hopRows, hopRowValue, sortHops } from '../../src/renderer/src/table/sortHops';
import { hop, host } from '../fixtures/traceBuilders';

const hops = [
  hop(3, [host('10.0.3.1', { avgMs: 30 }), host('10.0.3.2', { avgMs: 5, hostname: 'b.example' })], { lossPct: 0 }),
  hop(1, [host('10.0.1.1', { avgMs: 1, hostname: 'gw.lan' })], { lossPct: 10 }),
  hop(2, [], { sent: 10, received: 0, lossPct: 100 }),
  hop(4, [host('10.0.4.1', { avgMs: null })], { lossPct: 50 }),
];
const keys = (rows: { key: string }[]) => rows.map((r) => r.key);

describe('sortHops', () => {
  it('lists responders mtr-style: by TTL, siblings after the first responder, silent TTLs once', () => {
    const rows = hopRows(hops);
    expect(keys(rows)).toEqual(['1:10.0.1.1', '2:*', '3:10.0.3.1', '3:10.0.3.2', '4:10.0.4.1']);
    expect(rows.map((r) => r.responderIndex)).toEqual([0, 0, 0, 1, 0]);
    expect(rows[1]!.host).toBeNull();
  });

  it('sorts by TTL descending keeping siblings in order under their TTL', () => {
    expect(keys(sortHops(hops, { column: 'ttl', direction: 'descending' }))).toEqual([
      '4:10.0.4.1',
      '3:10.0.3.1',
      '3:10.0.3.2',
      '2:*',
      '1:10.0.1.1',
    ]);
  });

  it('sorts by a per-responder metric with missing values last in both directions', () => {
    expect(keys(sortHops(hops, { column: 'avg', direction: 'ascending' }))).toEqual([
      '1:10.0.1.1',
      '3:10.0.3.2',
      '3:10.0.3.1',
      '2:*',
      '4:10.0.4.1',
    ]);
    expect(keys(sortHops(hops, { column: 'avg', direction: 'descending' }))).toEqual([
      '3:10.0.3.1',
      '3:10.0.3.2',
      '1:10.0.1.1',
      '2:*',
      '4:10.0.4.1',
    ]);
  });

  it('sorts by loss with ties in path order', () => {
    expect(keys(sortHops(hops, { column: 'loss', direction: 'descending' }))).toEqual([
      '2:*',
      '4:10.0.4.1',
      '1:10.0.1.1',
      '3:10.0.3.1',
      '3:10.0.3.2',
    ]);
  });

  it('sorts hosts by name, else address, numerically', () => {
    const many = [
      hop(1, [host('10.0.0.10')]),
      hop(2, [host('10.0.0.9')]),
      hop(3, [host('10.0.0.1', { hostname: 'a.example' })]),
    ];
    expect(keys(sortHops(many, { column: 'host', direction: 'ascending' }))).toEqual([
      '2:10.0.0.9',
      '1:10.0.0.10',
      '3:10.0.0.1',
    ]);
  });

  it('does not modify its input', () => {
    const copy = structuredClone(hops);
    sortHops(hops, { column: 'avg', direction: 'descending' });
    expect(hops).toEqual(copy);
  });

  it('reads MPLS stacks as text', () => {
    const [row] = hopRows([
      hop(1, [
        host('10.0.0.1', {
          mpls: [
            { label: 16, trafficClass: 0, bottomOfStack: false, ttl: 1 },
            { label: 24005, trafficClass: 0, bottomOfStack: true, ttl: 1 },
          ],
        }),
      ]),
    ]);
    expect(hopRowValue(row!, 'mpls')).toBe('16 / 24005');
  });
});
