/**
 * What a trace session needs from the world, as interfaces the engine owns.
 * The service and the CLI bind them to mtr-packet, the system resolver and
 * their error wording; tests bind them to scripted stand-ins. trace/ imports
 * nothing from mtr/, net/ or electron/ (an ESLint zone enforces it).
 */
import { ipVersionOf, type IpVersion, type ProbeOptions } from '@shared/probe';
import type { UserFacingError } from '@shared/session';
import type { TraceOptions } from '@shared/traceOptions';
import type { ProbeTransport } from './probeTransport';

export interface ResolvedTarget {
  address: string;
  ipVersion: IpVersion;
}

/**
 * How per-probe options are made: `base` once per options change (the
 * service validates them there), `withTtl` per probe (only the ttl is new).
 */
export interface ProbeOptionsBuilder {
  base(options: ProbeOptions): ProbeOptions;
  withTtl(base: ProbeOptions, ttl: number): ProbeOptions;
}

/** Without a builder the options are passed as they are; the transport validates them. */
export const plainProbeOptions: ProbeOptionsBuilder = {
  base: (options) => options,
  withTtl: (base, ttl) => ({ ...base, ttl }),
};

/** Turns a validated target into one address; rejects when it cannot. */
export type TargetResolver = (target: string, ipVersion?: IpVersion) => Promise<ResolvedTarget>;

/** Reverse DNS as the session uses it: a cached answer now, and a notice when one arrives. */
export interface HostnameSource {
  /** The cached name, null when looked up without a name, undefined when not yet known (a lookup starts). */
  get(address: string): string | null | undefined;
  onResolved(listener: (address: string, hostname: string | null) => void): () => void;
}

/** Optional check before the first probe that the target is routable at all; a problem ends the session. */
export type RouteCheck = (target: ResolvedTarget, options: TraceOptions) => Promise<UserFacingError | null>;

/**
 * Turns whatever ended or troubled a session (a resolver error, a transport
 * error, a fatal probe result) into words a person can act on.
 */
export type FailureExplainer = (cause: unknown, options?: TraceOptions) => UserFacingError;

export interface TraceSessionDeps {
  transport: ProbeTransport;
  /** Defaults to accepting IP literals only (the service and the CLI inject the system resolver). */
  resolveTarget?: TargetResolver;
  /** Defaults to the bare error message (the service and the CLI inject their wording). */
  explainFailure?: FailureExplainer;
  reverseDns?: HostnameSource;
  checkRoute?: RouteCheck;
  /** Defaults to plainProbeOptions (the service and the CLI validate once, then set only the ttl). */
  probeOptions?: ProbeOptionsBuilder;
  mtrPacketVersion?: string | null;
  /** This machine's host name, for mtr's `HOST:` line in reports. */
  host?: string;
  /** How long events are gathered before a batch goes out. */
  batchIntervalMs?: number;
  now?: () => number;
}

/** Without a resolver only an IP literal can be traced. */
export const resolveLiteralOnly: TargetResolver = (target, ipVersion) => {
  const version = ipVersionOf(target);
  if (version === null || (ipVersion !== undefined && version !== ipVersion)) {
    return Promise.reject(new Error(`cannot resolve ${target}: no resolver was given to the trace engine`));
  }
  return Promise.resolve({ address: target, ipVersion: version });
};

/** Without an explainer a failure is shown as what it says. */
export const explainBriefly: FailureExplainer = (cause) => {
  const detail =
    cause instanceof Error
      ? cause.message
      : typeof cause === 'object' && cause !== null && 'result' in cause
        ? String(cause.result)
        : String(cause);
  return { code: 'internal', title: 'Trace failed', detail };
};
