/** A tab to a hopscope.trace document and back: opened files and live exports. */
import { describe, expect, it } from 'vitest';
import { traceDocumentSchema, type TraceDocument } from '@shared/traceFile';
import { applyEventBatch, createLiveTab, loadDocument, toTraceDocument } from '../../src/renderer/src/store/reducers';
import { hop, host, sample, summary, traceDocument } from '../fixtures/traceBuilders';

function savedDocument(): TraceDocument {
  return traceDocumentSchema.parse(
    traceDocument(
      [
        {
          ...hop(1, [host('192.168.1.1', { hostname: 'gw.lan', received: 2 })], { sent: 2 }),
          samples: [sample(0, '192.168.1.1', 1), sample(1, '192.168.1.1', 1.2)],
        },
        {
          ...hop(2, [], { sent: 2, received: 0, lossPct: 100 }),
          samples: [sample(0, null, null), sample(1, null, null)],
        },
        {
          ...hop(3, [host('93.184.216.34', { received: 2 })], { sent: 2 }),
          samples: [sample(0, '93.184.216.34', 20), sample(1, '93.184.216.34', 21)],
        },
      ],
      {
        createdAt: '2025-01-02T03:04:05.000Z',
        target: { input: 'target.hopscope.test', address: '93.184.216.34', ipVersion: 4 },
        options: { protocol: 'icmp', firstTtl: 1, maxTtl: 30, count: 2, intervalSec: 1, timeoutSec: 10, dns: true },
        rounds: 2,
        restarts: [],
      },
    ),
  );
}

describe('documents', () => {
  it('opens a saved trace read-only and writes it back unchanged', () => {
    const doc = savedDocument();
    const tab = loadDocument(doc, { id: 'f1' });
    expect(tab).toMatchObject({
      mode: 'file',
      sessionId: null,
      title: 'target.hopscope.test',
      destinationTtl: 3,
      readOnlyDoc: doc,
    });
    expect(tab.samples[1]).toBe(doc.hops[0]!.samples);
    const back = toTraceDocument(tab);
    expect(traceDocumentSchema.parse(back)).toEqual(doc);
  });

  it('exports a live tab as a valid document', () => {
    const tab = applyEventBatch(createLiveTab({ id: 't1', summary: summary(), sampleCap: 600 }), {
      sessionId: 'session-1',
      seq: 1,
      events: [
        { type: 'state', summary: summary({ rounds: 1, destinationTtl: 2 }, { port: undefined, protocol: 'udp' }) },
        {
          type: 'hops',
          hops: [
            hop(2, [host('93.184.216.34')]),
            hop(1, [host('10.0.0.1', { mpls: [{ label: 24005, trafficClass: 0, bottomOfStack: true, ttl: 1 }] })]),
          ],
          samples: [{ ttl: 1, samples: [sample(0, '10.0.0.1', 1)] }],
        },
      ],
    });
    const doc = toTraceDocument(tab, new Date('2025-01-02T03:04:05.000Z'));
    expect(traceDocumentSchema.safeParse(doc).success).toBe(true);
    expect(doc.options).not.toHaveProperty('port');
    expect(doc).toMatchObject({
      destinationReached: true,
      rounds: 1,
      target: { input: 'target.hopscope.test', address: '93.184.216.34', ipVersion: 4 },
    });
    expect(doc.options.protocol).toBe('udp');
    expect(doc.hops.map((h) => [h.ttl, h.samples.length])).toEqual([
      [1, 1],
      [2, 0],
    ]);

    // And it opens again as the same trace.
    const reopened = toTraceDocument(loadDocument(doc, { id: 'f2' }));
    expect(reopened).toEqual(doc);
  });

  it('refuses to export a tab without a session', () => {
    expect(() => toTraceDocument(createLiveTab({ id: 'empty' }))).toThrow(/no trace/);
  });
});
