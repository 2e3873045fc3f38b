/**
 * `checkMtrPacket` when the helper dies while answering: the status says "not available" with the
 * real reason, it does not fail the call. Uses the scripted fake (test/fixtures/fake-mtr-packet.mjs).
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { TraceService } from '../../../src/main/service/traceService';

const FAKE = fileURLToPath(new URL('../../fixtures/fake-mtr-packet.mjs', import.meta.url));

describe('checkMtrPacket with a helper that closes its input', () => {
  it('reports available:false with what happened (its own exit, not a SIGKILL we sent)', async () => {
    const service = new TraceService({
      mtrPacketPath: FAKE,
      clientOptions: { env: { ...process.env, FAKE_MTR_SCENARIO: 'close-stdin' } },
    });
    const status = await service.dispatch('checkMtrPacket', undefined);
    expect(status.ok).toBe(true);
    if (!status.ok) return;
    expect(status.value.available).toBe(false);
    expect(status.value.version).toBe('0.95');
    // Depending on timing the feature check either fails to write (EPIPE: "closed its input") or
    // goes into the pipe unanswered until the fake exits with code 5. Both are what happened.
    expect(status.value.error?.title).toMatch(/^mtr-packet stopped/);
    expect(status.value.error?.detail).toMatch(/closed its input|code 5/);
    expect(status.value.error?.detail).not.toContain('SIGKILL');
  });

  it('reports a helper that exits before its version check as a start-up failure', async () => {
    const service = new TraceService({
      mtrPacketPath: FAKE,
      clientOptions: { env: { ...process.env, FAKE_MTR_SCENARIO: 'exit:4' } },
    });
    const status = await service.dispatch('checkMtrPacket', undefined);
    expect(status.ok).toBe(true);
    if (!status.ok) return;
    expect(status.value.available).toBe(false);
    expect(status.value.error?.title).toBe('mtr-packet stopped during start-up');
    expect(status.value.error?.detail).toContain('exited during start-up');
    expect(status.value.error?.detail).not.toContain('while probes were running');
  });
});
