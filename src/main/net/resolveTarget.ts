import { ipVersionOf, type IpVersion } from '@shared/probe';
import type { ResolvedTarget } from '../trace/sessionDeps';

export type { ResolvedTarget };

export type ForwardLookup = (host: string, family: 0 | 4 | 6) => Promise<{ address: string; family: number }[]>;

// node:dns loads when a name must be resolved, not at start-up: a trace of an IP literal never needs it.
const systemLookup: ForwardLookup = async (host, family) =>
  (await import('node:dns')).promises.lookup(host, { all: true, family });

export class TargetResolveError extends Error {
  constructor(
    readonly target: string,
    /** Why, without the target (a title names it already). */
    readonly reason: string,
    /** The name resolves, but to no address of this IP version (the one asked for). */
    readonly missingVersion?: IpVersion,
  ) {
    super(`cannot resolve ${target}: ${reason}`);
    this.name = 'TargetResolveError';
  }
}

async function lookupAll(target: string, ipVersion: IpVersion | undefined, lookup: ForwardLookup) {
  try {
    return await lookup(target, ipVersion ?? 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // "No such host" would be wrong for a name that has addresses, only not of the version asked for.
    if (ipVersion !== undefined && (code === 'ENOTFOUND' || code === 'ENODATA')) {
      const others = await lookup(target, 0).catch(() => []);
      if (others.length > 0) {
        const list = others.map((a) => a.address).join(', ');
        throw new TargetResolveError(target, `it has no IPv${ipVersion} address, only ${list}`, ipVersion);
      }
    }
    const why =
      code === 'ENOTFOUND'
        ? 'no such host'
        : code === 'EAI_AGAIN'
          ? 'the resolver did not answer'
          : String(code ?? err);
    throw new TargetResolveError(target, why);
  }
}

/** Every address of a validated target, by IP version (for the UI's address picker). */
export async function resolveAllAddresses(
  target: string,
  ipVersion?: IpVersion,
  lookup: ForwardLookup = systemLookup,
): Promise<{ v4: string[]; v6: string[] }> {
  const literal = ipVersionOf(target);
  const found = literal !== null ? [{ address: target, family: literal }] : await lookupAll(target, ipVersion, lookup);
  return {
    v4: found.filter((a) => a.family === 4).map((a) => a.address),
    v6: found.filter((a) => a.family === 6).map((a) => a.address),
  };
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
  const found = await lookupAll(target, ipVersion, lookup);
  const first = found.find((a) => a.family === 4 || a.family === 6);
  if (!first) throw new TargetResolveError(target, `no IPv${ipVersion ?? '4 or IPv6'} address`);
  return { address: first.address, ipVersion: first.family as IpVersion };
}
