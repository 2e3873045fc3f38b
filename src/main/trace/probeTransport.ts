import type { ProbeOptions, ProbeResult } from '@shared/probe';

/**
 * What a trace session needs from mtr-packet. The real client satisfies it;
 * engine unit tests use a scripted one. `address` is always an IP literal:
 * the session resolves its target once.
 */
export interface ProbeTransport {
  probe(address: string, options?: ProbeOptions): Promise<ProbeResult>;
  /** Probes accepted but not yet sent (a pacing transport); the session starts no round while any wait. */
  heldBack?(): number;
}
