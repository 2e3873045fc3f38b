/**
 * Owner events in the tab store: an owner reaches every host of its address
 * (current and earlier segments) and survives later stats updates that
 * lack it, whichever comes first.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ResponderEnrichment } from '@shared/enrichment';
import type { SessionEvent, SessionEventBatch } from '@shared/session';
import { applyEventBatch, createLiveTab, type TraceTab } from '../../src/renderer/src/store/reducers';
import { hop, host, summary } from '../fixtures/traceBuilders';

const TRANSIT: ResponderEnrichment = {
  as: { asn: 64514, organisation: 'Hopscope Test Transit, Inc.', origin: 'user', dataDate: '2026-11-01' },
  country: { code: 'DE', origin: 'user', dataDate: '2026-11-01' },
};

let seq = 0;
const batch = (...events: SessionEvent[]): SessionEventBatch => ({ sessionId: 'session-1', seq: ++seq, events });
const hopsOf = (...addresses: string[]): SessionEvent => ({
  type: 'hops',
  hops: addresses.map((a, i) => hop(i + 1, [host(a)])),
  samples: [],
});

function liveTab(): TraceTab {
  seq = 0;
  return createLiveTab({ id: 't1', summary: summary() });
}

describe('owner events', () => {
  it('set the owner on known hosts and keep it through later updates without one', () => {
    let tab = applyEventBatch(liveTab(), batch(hopsOf('198.18.4.1', '198.18.8.1')));
    tab = applyEventBatch(tab, batch({ type: 'owner', address: '198.18.4.1', owner: TRANSIT }));
    expect(tab.hops[1]!.hosts[0]!.owner).toEqual(TRANSIT);
    expect(tab.hops[2]!.hosts[0]!.owner).toBeUndefined();
    expect(tab.owners?.['198.18.4.1']).toEqual(TRANSIT);
    tab = applyEventBatch(tab, batch(hopsOf('198.18.4.1', '198.18.8.1')));
    expect(tab.hops[1]!.hosts[0]!.owner).toEqual(TRANSIT);
  });

  it('carried in hops (the snapshot of a re-attached session) are kept through later updates without them', () => {
    const snapshot: SessionEvent = {
      type: 'hops',
      hops: [hop(1, [host('198.18.4.1', { owner: TRANSIT })])],
      samples: [],
    };
    let tab = applyEventBatch(liveTab(), batch(snapshot));
    tab = applyEventBatch(tab, batch(hopsOf('198.18.4.1')));
    expect(tab.hops[1]!.hosts[0]!.owner).toEqual(TRANSIT);
  });

  it('arriving in the same batch as the hops (the usual case) applies to them', () => {
    const tab = applyEventBatch(
      liveTab(),
      batch(hopsOf('198.18.4.1'), { type: 'owner', address: '198.18.4.1', owner: TRANSIT }),
    );
    expect(tab.hops[1]!.hosts[0]!.owner).toEqual(TRANSIT);
  });

  it('reach responders of earlier segments and leave unrelated state untouched', () => {
    let tab = applyEventBatch(liveTab(), batch(hopsOf('198.18.4.1')));
    tab = applyEventBatch(tab, batch({ type: 'state', summary: summary({ segment: 1 }) }));
    tab = applyEventBatch(tab, batch({ type: 'hops', segment: 1, hops: [hop(1, [host('10.9.9.9')])], samples: [] }));
    const current = tab.hops;
    const hostnames = tab.hostnames;
    tab = applyEventBatch(tab, batch({ type: 'owner', address: '198.18.4.1', owner: TRANSIT }));
    expect(tab.earlierSegments[0]!.hops[1]!.hosts[0]!.owner).toEqual(TRANSIT);
    expect(tab.hops).toBe(current);
    expect(tab.hostnames).toBe(hostnames);
  });

  it('an owner ({} = unknown too) ends on exactly the hosts of its address, whatever the order of events', () => {
    const addresses = ['198.18.1.1', '198.18.4.1', '198.18.8.1'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...addresses), { minLength: 1, maxLength: 6 }),
        fc.subarray(addresses),
        fc.boolean(),
        (path, owned, ownersFirst) => {
          const owners: SessionEvent[] = owned.map((address) => ({ type: 'owner', address, owner: {} }));
          let tab = liveTab();
          if (ownersFirst) tab = applyEventBatch(tab, batch(...owners));
          tab = applyEventBatch(tab, batch(hopsOf(...path)));
          if (!ownersFirst) tab = applyEventBatch(tab, batch(...owners));
          for (const h of Object.values(tab.hops)) {
            const expected = owned.includes(h.hosts[0]!.address) ? {} : undefined;
            expect(h.hosts[0]!.owner).toEqual(expected);
          }
        },
      ),
    );
  });
});
