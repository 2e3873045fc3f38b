export type ReverseLookup = (address: string) => Promise<string[]>;

/**
 * getnameinfo, as mtr uses: it honours nsswitch and /etc/hosts, which
 * c-ares' dns.reverse does not.
 */
export const systemReverseLookup: ReverseLookup = async (address) => {
  // node:dns loads with the first name asked for, not at start-up (`-n` never asks).
  const { hostname } = await (await import('node:dns')).promises.lookupService(address, 0);
  return hostname && hostname !== address ? [hostname] : [];
};

/**
 * Asynchronous, cached reverse DNS. `get` never waits: it returns what is
 * known (a name, null for "no name", undefined for "not yet") and starts a
 * lookup in the background, so a slow resolver never delays a probe.
 * Lookups run a few at a time with a deadline each.
 */
export class ReverseDnsCache {
  private readonly names = new Map<string, string | null>();
  private readonly queued: string[] = [];
  private readonly queuedSet = new Set<string>();
  private running = 0;
  private readonly listeners = new Set<(address: string, hostname: string | null) => void>();

  constructor(
    private readonly lookup: ReverseLookup = systemReverseLookup,
    private readonly concurrency = 4,
    private readonly timeoutMs = 3000,
  ) {}

  get(address: string): string | null | undefined {
    if (this.names.has(address)) return this.names.get(address);
    if (!this.queuedSet.has(address)) {
      this.queuedSet.add(address);
      this.queued.push(address);
      this.pump();
    }
    return undefined;
  }

  /** Called once per address when its lookup settles. Returns an unsubscribe function. */
  onResolved(listener: (address: string, hostname: string | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once no lookup is queued or running, or after `timeoutMs`, whichever is first. */
  whenIdle(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const deadline = Date.now() + timeoutMs;
      const check = () => {
        if ((this.running === 0 && this.queued.length === 0) || Date.now() >= deadline) resolve();
        else setTimeout(check, 20).unref();
      };
      check();
    });
  }

  clear(): void {
    this.names.clear();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queued.length > 0) {
      const address = this.queued.shift()!;
      this.running++;
      void this.resolve(address).finally(() => {
        this.running--;
        this.queuedSet.delete(address);
        this.pump();
      });
    }
  }

  private async resolve(address: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<string[]>((resolve) => {
      timer = setTimeout(() => resolve([]), this.timeoutMs);
      timer.unref();
    });
    let hostname: string | null;
    try {
      const found = await Promise.race([this.lookup(address), deadline]);
      hostname = found[0] ?? null;
    } catch {
      hostname = null;
    } finally {
      clearTimeout(timer);
    }
    this.names.set(address, hostname);
    for (const listener of this.listeners) listener(address, hostname);
  }
}
