/**
 * What a trace session uses for an option nobody gave: traceOptionsSchema
 * fills these in, and the renderer's form shows them without loading the
 * schema (and zod) on its first screen.
 */
import { DEFAULT_SAMPLES_PER_HOP } from './limits';
import type { Protocol } from './protocols';

export interface TraceOptionDefaults {
  protocol: Protocol;
  firstTtl: number;
  maxTtl: number;
  /** Null runs until stopped. */
  count: number | null;
  intervalSec: number;
  timeoutSec: number;
  dns: boolean;
  sampleBufferSize: number;
}

export const TRACE_OPTION_DEFAULTS: Readonly<TraceOptionDefaults> = {
  protocol: 'icmp',
  firstTtl: 1,
  maxTtl: 30,
  count: null,
  intervalSec: 1,
  timeoutSec: 10,
  dns: true,
  sampleBufferSize: DEFAULT_SAMPLES_PER_HOP,
};
