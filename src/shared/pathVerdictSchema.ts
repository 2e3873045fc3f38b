/**
 * The shape of the verdicts a document may carry (`TraceDocument.verdicts`).
 * Kept apart from the functions that compute them (pathVerdicts.ts) so the
 * document schema can include it without an import cycle.
 */
import { z } from 'zod';

const ttl = z.number().int().min(1).max(255);
const ms = z.number().min(0);

export const hopVerdictSchema = z.object({
  ttl,
  /**
   * Whether this hop's loss continues downstream. False: later hops that
   * answer lose clearly less, the signature of a router rate-limiting its
   * ICMP replies rather than loss on the path. Null when the hop has no loss
   * or nothing downstream answers.
   */
  lossContinuesDownstream: z.boolean().nullable(),
  /** Rounds whose RTT is the answer to a re-sent TCP SYN (1, 2, 3, 4 or 7 s late), not latency. */
  synRetransmitRounds: z.array(z.number().int().min(0)),
});
export type HopVerdict = z.infer<typeof hopVerdictSchema>;

/** What matters end to end: loss and latency at the destination. */
export const endToEndSchema = z.object({
  destinationReached: z.boolean(),
  /** The destination's TTL, or the last TTL that answered when it was not reached. */
  ttl: ttl.nullable(),
  address: z.string().nullable(),
  lossPct: z.number().min(0).max(100).nullable(),
  avgMs: ms.nullable(),
  bestMs: ms.nullable(),
  worstMs: ms.nullable(),
});
export type EndToEnd = z.infer<typeof endToEndSchema>;

export const pathVerdictsSchema = z.object({
  hops: z.array(hopVerdictSchema),
  endToEnd: endToEndSchema,
});
export type PathVerdicts = z.infer<typeof pathVerdictsSchema>;
