/**
 * The report a session's document prints (Copy report in the app, the same
 * writer as `hopscope -r`) names this machine on mtr's `HOST:` line and the
 * session's own start on `Start:`, not "localhost" and the time of copying.
 */
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TraceService } from '../../src/main/service/traceService';
import { formatReport } from '@shared/formats/report';
import { serviceCalls } from '../fixtures/serviceCalls';

const FAKE = fileURLToPath(new URL('../fixtures/fake-mtr-packet.mjs', import.meta.url));

describe("a session document's report header (fake mtr-packet)", () => {
  let service: TraceService;
  beforeEach(() => {
    process.env.FAKE_MTR_HOPS4 = '192.0.2.1,192.0.2.2';
    service = new TraceService({ mtrPacketPath: FAKE, routeLookup: async () => ({ routable: true, source: null }) });
  });
  afterEach(async () => {
    await service.dispose();
    delete process.env.FAKE_MTR_HOPS4;
  });
  const { start, summary, doc } = serviceCalls(() => service);

  it('says which machine probed and when the session started', async () => {
    const id = await start({ target: '192.0.2.9', count: 2, intervalSec: 0.05, timeoutSec: 1 });
    await expect.poll(async () => (await summary(id)).state, { timeout: 10_000 }).toBe('finished');
    const { startedAt } = await summary(id);
    const report = formatReport(await doc(id));
    expect(report).toContain(`HOST: ${hostname()}`);
    const started = /^Start: (\S+)/m.exec(report)?.[1];
    expect(Math.abs(Date.parse(started!) - startedAt)).toBeLessThan(1000);
  });
});
