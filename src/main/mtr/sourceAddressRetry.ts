/**
 * mtr 0.93 answers a bare `invalid-argument` on some systems unless a probe names its source address.
 * This wraps sending a probe: on that answer it retries once from the kernel's source address for the
 * destination, and once that has worked, later probes carry the source address up front.
 */
import { ipVersionOf, type ProbeResult } from '@shared/probe';
import { withProbeFields, type ValidProbeOptions } from './probeOptions';

const SOURCE_CACHE_MS = 60_000;
const SOURCE_CACHE_ENTRIES = 1024;

export type SendProbe = (address: string, options: ValidProbeOptions) => Promise<ProbeResult>;

export class SourceAddressRetry {
  private readonly cache = new Map<string, { at: number; address: Promise<string | null> }>();
  /** Set once the retry has worked: later probes carry a source address up front. */
  private sendSourceAddress = false;

  constructor(
    private readonly findSource: (destination: string) => Promise<string | null>,
    private readonly log: (msg: string) => void,
  ) {}

  async send(address: string, options: ValidProbeOptions, sendProbe: SendProbe): Promise<ProbeResult> {
    let sent = options;
    if (this.sendSourceAddress && options.localIp === undefined) {
      const source = await this.sourceFor(address);
      if (source !== null) sent = withProbeFields(options, { localIp: source });
    }
    const result = await sendProbe(address, sent);
    if (!shouldRetry(sent, result)) return result;

    const source = await this.sourceFor(address);
    if (source === null) return result;
    this.log(
      `mtr-packet answered invalid-argument for a probe to ${address} without a source address (an mtr 0.93 bug); retrying from ${source}`,
    );
    const retried = await sendProbe(address, withProbeFields(options, { localIp: source }));
    // Only an answer proves the source address works: a `no-reply` is also what a source address from
    // another network namespace gets (the agent on the host, mtr-packet in a namespace), and switching
    // every later probe to it would turn the whole trace into silent hops.
    if (retried.success && !this.sendSourceAddress) {
      this.sendSourceAddress = true;
      this.log('the retry worked: later probes will carry an explicit source address');
    }
    return retried;
  }

  private sourceFor(destination: string): Promise<string | null> {
    const now = Date.now();
    const hit = this.cache.get(destination);
    if (hit && now - hit.at < SOURCE_CACHE_MS) return hit.address;
    if (this.cache.size > SOURCE_CACHE_ENTRIES) this.cache.clear();
    const address = this.findSource(destination).then(
      (a) => (a !== null && ipVersionOf(a) === ipVersionOf(destination) ? a : null),
      () => null,
    );
    this.cache.set(destination, { at: now, address });
    return address;
  }
}

function shouldRetry(sent: ValidProbeOptions, result: ProbeResult): boolean {
  if (result.result !== 'invalid-argument' || result.reason !== undefined || sent.localIp !== undefined) return false;
  // mtr-packet itself rejects privileged local ports; a source address would not help.
  return sent.localPort === undefined || sent.localPort >= 1024;
}
