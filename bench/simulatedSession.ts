/**
 * The simulated session the history and timeline benchmarks write: 30 hops ×
 * one sample a second, an ICMP-rate-limited router at TTL 7, a loss burst
 * in hour 3, and two path changes (TTLs 10-20 move to other routers at 8 h
 * and 16 h). Deterministic for a given random source.
 */
import type { HistoryStore } from '../src/main/history';
import type { ProbeResultKind } from '@shared/probe';

export const HOPS = 30;
export const HOUR_ROUNDS = 3600;

/** Path changes at 8 h and 16 h: TTLs 10-20 move to other routers. */
export function responder(ttl: number, round: number): string {
  if (ttl === HOPS) return '203.0.113.30';
  const phase = ttl >= 10 && ttl <= 20 ? Math.min(2, Math.floor(round / (8 * HOUR_ROUNDS))) : 0;
  return `10.${phase}.${ttl}.1`;
}

export function lossChance(ttl: number, round: number): number {
  if (ttl === 7) return 0.3; // an ICMP-rate-limited router
  const burst = round >= 3 * HOUR_ROUNDS && round < 3 * HOUR_ROUNDS + 600;
  return burst && ttl >= 15 ? 0.2 : 0.01;
}

/** Writes one round (every TTL) of the session started at `t0`, one round a second. */
export function writeRound(
  store: HistoryStore,
  session: number,
  round: number,
  t0: number,
  random: () => number,
): void {
  const at = t0 + round * 1000;
  for (let ttl = 1; ttl <= HOPS; ttl++) {
    const lost = random() < lossChance(ttl, round);
    const result: ProbeResultKind = lost ? 'no-reply' : ttl === HOPS ? 'reply' : 'ttl-expired';
    store.addSample({
      session,
      segment: 0,
      ttl,
      round,
      at,
      result,
      address: lost ? null : responder(ttl, round),
      rttMs: lost ? null : Math.round((ttl * 1.5 + -Math.log(1 - random()) * 2) * 1000) / 1000,
      mpls: null,
    });
  }
}
