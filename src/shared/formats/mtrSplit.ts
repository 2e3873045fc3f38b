/**
 * `mtr --split` written as the trace runs, as mtr 0.95's ui/split.c does: on
 * each update, one line per hop whose line changed since it was last printed,
 *
 *   TTL NAME LOSS RCV SNT BEST AVG WORST
 *
 * with the loss in thousandths of a percent and the times in whole
 * milliseconds (mtr's integer fields), `TTL ???` for a hop with no responder
 * (never printed before it had one, as mtr starts every line at `???`), and
 * `-N` when the path got shorter and line N went away. With `-b` the name is
 * followed by the address. The hops listed are the report's (up to the
 * destination, or one silent hop past the last answer).
 */
import type { HopStatsUpdate, SessionEventBatch } from '../session';
import type { TraceDocument } from '../traceFile';
import { reportHops, summarizeHop } from './common';
import { printableText } from '../textSafety';

export interface SplitOptions {
  showIps: boolean;
}

export class MtrSplitStream {
  private readonly hops = new Map<number, HopStatsUpdate>();
  private targetAddress: string | null = null;
  /** What each TTL's line was when last printed; an absent line reads `???`. */
  private readonly printed = new Map<number, string>();
  private lineCount = 0;

  constructor(private readonly opts: SplitOptions) {}

  /** The lines that changed with this batch (empty when none did). */
  write(batch: SessionEventBatch): string {
    for (const event of batch.events) {
      if (event.type === 'state') this.targetAddress = event.summary.targetAddress;
      if (event.type !== 'hops') continue;
      for (const ttl of event.dropped ?? []) this.hops.delete(ttl);
      for (const hop of event.hops) this.hops.set(hop.ttl, hop);
    }
    return this.redraw();
  }

  private redraw(): string {
    const doc: Pick<TraceDocument, 'hops' | 'target'> = {
      hops: [...this.hops.values()].map((h) => ({ ...h, samples: [] })),
      target: { input: '', address: this.targetAddress, ipVersion: null },
    };
    const listed = this.hops.size > 0 ? reportHops(doc) : [];
    const out: string[] = [];
    const last = listed[listed.length - 1]?.ttl ?? 0;
    for (let n = this.lineCount; n > last; n--) {
      out.push(`-${n}`);
      this.printed.delete(n);
    }
    this.lineCount = Math.min(this.lineCount, last);
    for (const hop of listed) {
      const line = this.lineOf(hop);
      if ((this.printed.get(hop.ttl) ?? '???') === line) continue;
      out.push(`${hop.ttl} ${line}`);
      this.printed.set(hop.ttl, line);
      this.lineCount = Math.max(this.lineCount, hop.ttl);
    }
    return out.length > 0 ? `${out.join('\n')}\n` : '';
  }

  private lineOf(hop: TraceDocument['hops'][number]): string {
    const host = hop.hosts[0];
    if (!host) return '???';
    const name = printableText(host.hostname || host.address);
    const s = summarizeHop(hop);
    // mtr's integers: loss * 1000 and microseconds / 1000, both truncated.
    const ms = (v: number | null) => Math.trunc(v ?? 0);
    const figures = [Math.trunc(s.lossPct * 1000 + 1e-6), s.received, s.sent, ms(s.bestMs), ms(s.avgMs), ms(s.worstMs)];
    return `${this.opts.showIps ? `${name} ${host.address}` : name} ${figures.join(' ')}`;
  }
}
