/**
 * The `getEnrichmentStatus` call: validated like every call, answering which
 * data the service uses (user files first, with their dates), `idle` with
 * nothing when owners are off, and problems named for files it cannot use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TraceService, type TraceServiceOptions } from '../../../src/main/service/traceService';
import { TEST_NETWORK_ASN_DB, TEST_NETWORK_GEO_DB } from '../../fixtures/enrich/testNetworkOwners';

const services: TraceService[] = [];
function service(options: TraceServiceOptions) {
  const s = new TraceService(options);
  services.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.dispose()));
});

async function readyStatus(s: TraceService) {
  for (;;) {
    const result = await s.dispatch('getEnrichmentStatus', undefined);
    if (!result.ok) throw new Error(result.error.message);
    if (result.value.state === 'ready') return result.value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('getEnrichmentStatus', () => {
  it('names the user databases and their dates once loaded', async () => {
    const status = await readyStatus(
      service({ enrichment: { asnDb: TEST_NETWORK_ASN_DB, geoDb: TEST_NETWORK_GEO_DB, shipped: false } }),
    );
    expect(status.sources.map((s) => [s.kind, s.origin, s.file])).toEqual([
      ['asn', 'user', TEST_NETWORK_ASN_DB],
      ['country', 'user', TEST_NETWORK_GEO_DB],
    ]);
    expect(status.sources.every((s) => /^\d{4}-\d{2}-\d{2}$/.test(s.dataDate))).toBe(true);
    expect(status.problems).toEqual([]);
  });

  it('says idle with no data when owners are off', async () => {
    const result = await service({}).dispatch('getEnrichmentStatus', undefined);
    expect(result).toEqual({ ok: true, value: { state: 'idle', sources: [], problems: [] } });
  });

  it('reports a database it cannot use, by file, and still answers', async () => {
    const status = await readyStatus(service({ enrichment: { asnDb: '/nonexistent/asn.csv', shipped: false } }));
    expect(status.sources).toEqual([]);
    expect(status.problems.join('\n')).toContain('/nonexistent/asn.csv');
  });

  it('rejects a payload, as every call without arguments does', async () => {
    const result = await service({}).dispatch('getEnrichmentStatus', { extra: 1 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid-request');
  });
});
