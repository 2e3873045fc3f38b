import { promises as dns } from 'node:dns';
import { ipVersionOf, type IpVersion } from '../../shared/probe';

export interface ResolvedTarget {
  address: string;
  ipVersion: IpVersion;
}

export type ForwardLookup = (host: string, family: 0 | 4 | 6) => Promise<{ address: string; family: number }[]>;

const systemLookup: ForwardLookup = (host, family) => dns.lookup(host, { all: true, family });

export class TargetResolveError extends Error {
  constructor(
    readonly target: string,
    detail: string,
  ) {
    super(`cannot resolve ${target}: ${detail}`);
    this.name = 'TargetResolveError';
  }
}

/**
 * Resolve a validated target to one address, honouring a requested IP
 * version. Uses the system resolver (getaddrinfo), so /etc/hosts and
 * nsswitch apply exactly as they do for mtr.
 */
export async function resolveTarget(
  target: string,
  ipVersion?: IpVersion,
  lookup: ForwardLookup = systemLookup,
): Promise<ResolvedTarget> {
  const literal = ipVersionOf(target);
  if (literal !== null) {
    if (ipVersion !== undefined && ipVersion !== literal) {
      throw new TargetResolveError(target, `it is an IPv${literal} address but IPv${ipVersion} was requested`);
    }
    return { address: target, ipVersion: literal };
  }
  let found: { address: string; family: number }[];
  try {
    found = await lookup(target, ipVersion ?? 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOTFOUND'
        ? 'no such host'
        : code === 'EAI_AGAIN'
          ? 'the resolver did not answer'
          : String(code ?? err);
    throw new TargetResolveError(target, why);
  }
  const first = found.find((a) => a.family === 4 || a.family === 6);
  if (!first) throw new TargetResolveError(target, `no IPv${ipVersion ?? '4 or IPv6'} address`);
  return { address: first.address, ipVersion: first.family as IpVersion };
}
