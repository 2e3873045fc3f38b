/**
 * `mtr --raw` written as the trace runs, from the session's event batches,
 * with the lines mtr 0.95's ui/raw.c prints (hop as a 0-based index):
 *
 *   x IDX SEQ             a probe went out
 *   h IDX ADDR            a reply came from ADDR, not the hop's last responder
 *                         (twice when ADDR is new at the hop, as mtr prints it)
 *   m IDX LBL TC S TTL    with -e: an MPLS label of that reply
 *   d IDX NAME            the hop's name, once per hop, before a reply
 *   p IDX USEC SEQ        the reply to probe SEQ, after USEC microseconds
 *
 * A batch carries a probe once it has a result, so its `x` line comes with
 * its `p` (or alone, lost); a late reply to a probe presumed lost is a `p`
 * for the `x` printed before. Sequence numbers run from 33000 to 65535 and
 * wrap, as mtr's do. Local failures (no probe left the machine) print
 * nothing: they count neither as sent nor as lost. The import is
 * mtrRawImport.ts.
 */
import { LOCAL_RESULT_KINDS } from '../probe';
import type { HostStats, Sample } from '../traceFile';
import type { SessionEventBatch } from '../session';
import { printableText } from '../textSafety';

const MIN_SEQ = 33000;
const SEQ_SPAN = 65536 - MIN_SEQ;

export interface RawOptions {
  /** Names arrive with reverse DNS on; mtr prints `d` lines only then. */
  dns: boolean;
  /** `-e`: an `m` line per MPLS label after each `h` line. */
  mpls: boolean;
}

export class MtrRawStream {
  private nextSeq = 0;
  /** Sequence number of each probe printed, by `segment/ttl/round`; a key per sequence number in use. */
  private readonly seqOf = new Map<string, number>();
  private readonly keyOfSeq: (string | undefined)[] = [];
  /** Per hop index: the last responder, every responder printed, whether its name was printed. */
  private readonly current = new Map<number, string>();
  private readonly seen = new Map<number, Set<string>>();
  private readonly named = new Set<number>();
  private readonly names = new Map<string, string>();

  constructor(private readonly opts: RawOptions) {}

  /** The raw lines of one batch (empty when it holds no probe results or names). */
  write(batch: SessionEventBatch): string {
    const lines: string[] = [];
    for (const event of batch.events) {
      if (event.type === 'hostname') {
        if (event.hostname !== null) this.onName(event.address, event.hostname, lines);
        continue;
      }
      if (event.type !== 'hops') continue;
      const hosts = new Map(event.hops.map((h) => [h.ttl, h.hosts]));
      const samples = event.samples
        .flatMap(({ ttl, samples: list }) => list.map((s) => ({ ttl, s })))
        .sort((a, b) => a.s.at - b.s.at || a.ttl - b.ttl || a.s.round - b.s.round);
      for (const { ttl, s } of samples) this.onSample(event.segment ?? 0, ttl, s, hosts.get(ttl) ?? [], lines);
    }
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
  }

  private onSample(segment: number, ttl: number, s: Sample, hosts: HostStats[], lines: string[]): void {
    if (LOCAL_RESULT_KINDS.has(s.result)) return;
    const idx = ttl - 1;
    const key = `${segment}/${ttl}/${s.round}`;
    let seq = this.seqOf.get(key);
    if (seq === undefined) {
      seq = this.take(key);
      lines.push(`x ${idx} ${seq}`);
    }
    if (s.rttMs === null || s.address === null) return;
    // A reply settles its probe for good; only a probe without one may still hear a late reply.
    this.seqOf.delete(key);
    if (this.current.get(idx) !== s.address) {
      const seen = this.seen.get(idx) ?? new Set<string>();
      this.seen.set(idx, seen);
      const mpls = this.opts.mpls ? (hosts.find((h) => h.address === s.address)?.mpls ?? []) : [];
      const host = [
        `h ${idx} ${s.address}`,
        ...mpls.map((l) => `m ${idx} ${l.label} ${l.trafficClass} ${l.bottomOfStack ? 1 : 0} ${l.ttl}`),
      ];
      if (!seen.has(s.address)) lines.push(...host);
      seen.add(s.address);
      this.current.set(idx, s.address);
      lines.push(...host);
    }
    const name = this.names.get(s.address);
    if (name !== undefined && !this.named.has(idx)) this.printName(idx, name, lines);
    lines.push(`p ${idx} ${Math.round(s.rttMs * 1000)} ${seq}`);
  }

  private onName(address: string, hostname: string, lines: string[]): void {
    if (!this.opts.dns) return;
    this.names.set(address, hostname);
    for (const [idx, responder] of this.current) {
      if (responder === address && !this.named.has(idx)) this.printName(idx, hostname, lines);
    }
  }

  private printName(idx: number, name: string, lines: string[]): void {
    // A name is one field to the end of the line: nothing that could end the line or fake another.
    const text = printableText(name).trim();
    if (text === '') return;
    this.named.add(idx);
    lines.push(`d ${idx} ${text}`);
  }

  /** The next sequence number, forgetting the probe that held it one wrap ago. */
  private take(key: string): number {
    const slot = this.nextSeq;
    this.nextSeq = (this.nextSeq + 1) % SEQ_SPAN;
    const old = this.keyOfSeq[slot];
    if (old !== undefined && this.seqOf.get(old) === MIN_SEQ + slot) this.seqOf.delete(old);
    this.keyOfSeq[slot] = key;
    const seq = MIN_SEQ + slot;
    this.seqOf.set(key, seq);
    return seq;
  }
}
