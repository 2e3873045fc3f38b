/**
 * The live terminal view of `hopscope TARGET`: reads mtr's keys from the
 * terminal in raw mode, carries out what liveKeys decides, and paints
 * frames (at most every LIVE_REFRESH_MS as results arrive, at once after a
 * key changed the view).
 */
import { hostname } from 'node:os';
import type { TraceSession } from '../main/trace/traceSession';
import type { ReverseDnsCache } from '../main/net/reverseDns';
import { buildTraceDocument } from '@shared/traceDocument';
import { traceOptionsSchema, type TraceOptions } from '@shared/traceOptions';
import type { Protocol } from '@shared/protocols';
import { formatLiveFrame, withViewNames } from './liveFrame';
import { initialLiveView, pressKey, type LiveCommand, type LiveView } from './liveKeys';
import type { CliOwnerLookup } from './ownerLookup';
import type { CliTraceRequest } from './options';
import type { CliIo } from './cliOutput';

const LIVE_REFRESH_MS = 250;

export class LiveControl {
  private view: LiveView;
  private paintTimer: NodeJS.Timeout | undefined;
  private notice: string | undefined;

  constructor(
    private readonly session: TraceSession,
    private readonly request: CliTraceRequest,
    private readonly io: CliIo,
    private readonly owners: CliOwnerLookup,
    private readonly reverseDns: ReverseDnsCache,
  ) {
    this.view = initialLiveView({ dns: request.options.dns });
  }

  /** Results arrived: repaint soon, always including the latest change. */
  onBatch(): void {
    if (this.request.output !== 'live' || this.paintTimer) return;
    this.paintTimer = setTimeout(() => {
      this.paintTimer = undefined;
      this.paint();
    }, LIVE_REFRESH_MS);
  }

  /** No more frames (the final report follows). */
  close(): void {
    clearTimeout(this.paintTimer);
    this.paintTimer = undefined;
  }

  /** Reads keys while stdin is a terminal. Returns a function that restores the terminal. */
  listen(): (() => void) | undefined {
    const stdin = process.stdin;
    if (!stdin.isTTY) return undefined;
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (data: Buffer) => {
      for (const key of data.toString()) this.onKey(key);
    };
    stdin.on('data', onData);
    return () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
    };
  }

  private onKey(key: string): void {
    const summary = this.session.summary();
    const outcome = pressKey(key, this.view, {
      paused: summary.state === 'paused',
      protocol: summary.options.protocol,
    });
    this.view = outcome.view;
    this.notice = undefined;
    if (outcome.command) this.carryOut(outcome.command, summary.options);
    if (outcome.command?.kind !== 'quit' && this.request.output === 'live') this.paint();
  }

  private carryOut(command: LiveCommand, options: TraceOptions): void {
    switch (command.kind) {
      case 'quit':
        return this.session.stop();
      case 'pause':
        return this.session.pause();
      case 'resume':
        return this.session.resume();
      case 'reset':
        return this.session.resetStatistics();
      case 'protocol':
        return this.switchProtocol(options, command.protocol);
    }
  }

  /** mtr's `u`/`t`, through the session's options change: statistics restart in a new segment. */
  private switchProtocol(options: TraceOptions, protocol: Protocol): void {
    // Ports belong to UDP, TCP and SCTP: back to ICMP they are dropped, as mtr has none there.
    const next = { ...options, protocol };
    if (protocol === 'icmp') {
      delete next.port;
      delete next.localPort;
    }
    const parsed = traceOptionsSchema.safeParse(next);
    if (!parsed.success) {
      this.notice = `cannot switch to ${protocol.toUpperCase()}: ${parsed.error.issues[0]?.message ?? 'invalid options'}`;
      return;
    }
    this.session.updateOptions(parsed.data).catch((err: unknown) => {
      this.notice = `cannot switch to ${protocol.toUpperCase()}: ${err instanceof Error ? err.message : String(err)}`;
      this.paint();
    });
  }

  private paint(): void {
    if (this.request.output !== 'live') return;
    const summary = this.session.summary();
    const doc = this.owners.annotate(buildTraceDocument(summary, this.session.snapshotHops()));
    // Names turned on in a run started with -n come from the same cache, asked as the view needs them.
    const lookup = summary.options.dns ? undefined : (address: string) => this.reverseDns.get(address) ?? null;
    const { request } = this;
    this.io.stdout.write(
      formatLiveFrame(summary, withViewNames(doc, this.view.names, lookup), {
        wide: request.wide,
        showIps: request.showIps,
        localHost: hostname(),
        owners: request.owners,
        fields: request.fields,
        view: this.view,
        ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
        ...(this.notice ? { notice: this.notice } : {}),
      }),
    );
  }
}
