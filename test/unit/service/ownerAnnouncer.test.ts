/**
 * Owners ride along with a session's batches: once per new responder, never
 * delaying a batch, and those seen while the data loads arrive in one extra
 * batch when it is ready, with seq numbers kept unbroken. Uses the real
 * Enricher on the committed test-network databases.
 */
import { describe, expect, it } from 'vitest';
import { Enricher } from '../../../src/main/enrich/enricher';
import { OwnerAnnouncer } from '../../../src/main/service/ownerAnnouncer';
import type { HopStatsUpdate, SessionEventBatch } from '@shared/session';
import { TEST_NETWORK_ASN_DB, TEST_NETWORK_GEO_DB } from '../../fixtures/enrich/testNetworkOwners';

function hop(ttl: number, ...addresses: string[]): HopStatsUpdate {
  return {
    ttl,
    sent: 1,
    lost: 0,
    hosts: addresses.map((address) => ({
      address,
      hostname: null,
      received: 1,
      lastMs: 1,
      avgMs: 1,
      bestMs: 1,
      worstMs: 1,
      stdevMs: 0,
      jitterMs: 0,
      mpls: [],
    })),
  } as unknown as HopStatsUpdate;
}

function hopsBatch(seq: number, ...hops: HopStatsUpdate[]): SessionEventBatch {
  return { sessionId: 's', seq, events: [{ type: 'hops', hops, samples: [] }] };
}

const enricher = () => new Enricher({ asnDb: TEST_NETWORK_ASN_DB, geoDb: TEST_NETWORK_GEO_DB, shipped: false });

describe('OwnerAnnouncer', () => {
  it('appends one owner event per new address to the batch naming it, once the data is loaded', async () => {
    const source = enricher();
    await source.load();
    const sent: SessionEventBatch[] = [];
    const announcer = new OwnerAnnouncer('s', source, (b) => sent.push(b));
    announcer.pass(hopsBatch(1, hop(1, '198.18.1.1'), hop(2, '198.18.2.2')));
    announcer.pass(hopsBatch(2, hop(1, '198.18.1.1'), hop(3, '198.18.4.1')));
    expect(sent.map((b) => b.seq)).toEqual([1, 2]);
    const owners = sent.map((b) => b.events.filter((e) => e.type === 'owner'));
    expect(owners[0]!.map((e) => e.type === 'owner' && [e.address, e.owner.as?.asn, e.owner.country?.code])).toEqual([
      ['198.18.1.1', 64512, 'NL'],
      ['198.18.2.2', 64513, 'NL'],
    ]);
    expect(owners[1]!.map((e) => e.type === 'owner' && e.address)).toEqual(['198.18.4.1']);
  });

  it('sends the owners of addresses seen while loading in an extra batch and shifts later seqs', async () => {
    const source = enricher();
    const sent: SessionEventBatch[] = [];
    const announcer = new OwnerAnnouncer('s', source, (b) => sent.push(b));
    announcer.pass(hopsBatch(1, hop(1, '198.18.1.1'), hop(2, '203.0.113.9')));
    // The batch itself went out at once, without owners.
    expect(sent).toHaveLength(1);
    expect(sent[0]!.events.some((e) => e.type === 'owner')).toBe(false);
    await source.load();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toHaveLength(2);
    expect(sent[1]!.seq).toBe(2);
    expect(sent[1]!.events).toEqual([
      { type: 'owner', address: '198.18.1.1', owner: source.lookup('198.18.1.1') },
      { type: 'owner', address: '203.0.113.9', owner: {} },
    ]);
    announcer.pass(hopsBatch(2, hop(3, '198.18.8.1')));
    expect(sent[2]!.seq).toBe(3);
  });

  it('sends nothing more once closed', async () => {
    const source = enricher();
    const sent: SessionEventBatch[] = [];
    const announcer = new OwnerAnnouncer('s', source, (b) => sent.push(b));
    announcer.pass(hopsBatch(1, hop(1, '198.18.1.1')));
    announcer.close();
    await source.load();
    await new Promise((resolve) => setImmediate(resolve));
    announcer.pass(hopsBatch(2, hop(1, '198.18.1.1')));
    expect(sent).toHaveLength(1);
  });

  it('announces again, in one extra batch, the owners that changed when the databases change', async () => {
    const source = new Enricher({ asnDb: TEST_NETWORK_ASN_DB, shipped: false });
    await source.load();
    const sent: SessionEventBatch[] = [];
    const announcer = new OwnerAnnouncer('s', source, (b) => sent.push(b));
    announcer.pass(hopsBatch(1, hop(1, '198.18.1.1'), hop(2, '203.0.113.9')));
    // Same data: nothing to say.
    announcer.reannounce();
    expect(sent).toHaveLength(1);

    expect((await source.useUserDatabases({ asnDb: TEST_NETWORK_ASN_DB, geoDb: TEST_NETWORK_GEO_DB })).ok).toBe(true);
    announcer.reannounce();
    expect(sent).toHaveLength(2);
    expect(sent[1]).toEqual({
      sessionId: 's',
      seq: 2,
      events: [{ type: 'owner', address: '198.18.1.1', owner: source.lookup('198.18.1.1') }],
    });
    expect(sent[1]!.events[0]).toMatchObject({ owner: { as: { asn: 64512 }, country: { code: 'NL' } } });
    // Later engine batches come after the extra one.
    announcer.pass(hopsBatch(2, hop(3, '198.18.8.1')));
    expect(sent[2]!.seq).toBe(3);

    // Taking the file away takes its answer away too.
    expect((await source.useUserDatabases({})).ok).toBe(true);
    announcer.reannounce();
    expect(sent[3]!.events.map((e) => e.type === 'owner' && [e.address, e.owner])).toEqual([
      ['198.18.1.1', {}],
      ['198.18.8.1', {}],
    ]);
  });
});
