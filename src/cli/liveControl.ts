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
import type { TraceOptions } from '@shared/traceOptions';
import type { TraceDocument } from '@shared/traceFile';
import { OWNER_COLUMNS } from '@shared/formats/ownerColumns';
import { formatLiveFrame, withViewNames } from './liveFrame';
import { initialLiveView, pressKey, pressSplitKey, type LiveCommand, type LiveView } from './liveKeys';
import { promptLine, terminalKeys } from './livePrompt';
import { CliOwnerLookup } from './ownerLookup';
import type { CliTraceRequest } from './options';
import type { CliIo } from './cliOutput';

const LIVE_REFRESH_MS = 250;

export class LiveControl {
  private view: LiveView;
  private paintTimer: NodeJS.Timeout | undefined;
  private notice: string | undefined;
  /** AS/country data the view loads itself, when `y` or `z` shows owners in a run started without -z/-y. */
  private viewOwners: CliOwnerLookup | undefined;
  private viewOwnersAsked = false;
  /** The final report follows: no frame may be painted after it. */
  private closed = false;

  constructor(
    private readonly session: TraceSession,
    private readonly request: CliTraceRequest,
    private readonly io: CliIo,
    private readonly owners: CliOwnerLookup,
    private readonly reverseDns: ReverseDnsCache,
  ) {
    this.view = initialLiveView({ dns: request.options.dns, fields: request.fields, owners: request.owners });
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
    this.closed = true;
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
      for (const key of terminalKeys(data.toString())) this.onKey(key);
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
    const paused = summary.state === 'paused';
    if (this.request.output !== 'live') {
      const { command, note } = pressSplitKey(key, { paused });
      if (note) this.io.stderr.write(`hopscope: ${note}\n`);
      if (command) this.carryOut(command);
      return;
    }
    const outcome = pressKey(key, this.view, { paused, options: summary.options });
    this.view = outcome.view;
    this.notice = outcome.notice;
    if (this.view.owners.length > 0) this.loadViewOwners();
    if (outcome.command) this.carryOut(outcome.command);
    if (outcome.command?.kind !== 'quit') this.paint();
  }

  private carryOut(command: LiveCommand): void {
    switch (command.kind) {
      case 'quit':
        return this.session.stop();
      case 'pause':
        return this.session.pause();
      case 'resume':
        return this.session.resume();
      case 'reset':
        return this.session.resetStatistics();
      case 'options':
        return this.changeOptions(command.options, command.what);
    }
  }

  /**
   * A key's new options (u, t, c, i, f, m, s, b, Q), as the app changes a running session's: the current
   * segment closes with its statistics and the next counts afresh.
   */
  private changeOptions(options: TraceOptions, what: string): void {
    this.session.updateOptions(options).then(
      () => this.acknowledge(`${what}: statistics start again`),
      (err: unknown) =>
        this.acknowledge(`could not apply ${what}: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  private acknowledge(notice: string): void {
    this.notice = notice;
    this.paint();
  }

  /**
   * Owners shown by `y`/`z` come from the run's own lookup when -z/-y loaded one; otherwise the view loads
   * the data the first time (never before: a run that shows no owners loads none), and repaints once it has.
   */
  private loadViewOwners(): void {
    if (this.request.owners?.length || this.viewOwnersAsked) return;
    this.viewOwnersAsked = true;
    const { ownerData } = this.request;
    void CliOwnerLookup.start({ owners: [...OWNER_COLUMNS], ...(ownerData ? { ownerData } : {}) }).then(
      async (lookup) => {
        this.viewOwners = lookup;
        // final() waits for the data to load: the owners are all known from then on.
        await lookup.final(this.document());
        this.paint();
      },
      (err: unknown) =>
        this.acknowledge(`AS/country data not loaded: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  private document(): TraceDocument {
    const lookup = this.viewOwners ?? this.owners;
    return lookup.annotate(buildTraceDocument(this.session.summary(), this.session.snapshotHops()));
  }

  private paint(): void {
    if (this.request.output !== 'live' || this.closed) return;
    const summary = this.session.summary();
    const doc = this.document();
    // Names turned on in a run started with -n come from the same cache, asked as the view needs them.
    const lookup = summary.options.dns ? undefined : (address: string) => this.reverseDns.get(address) ?? null;
    const { request } = this;
    this.io.stdout.write(
      formatLiveFrame(summary, withViewNames(doc, this.view.names, lookup), {
        wide: request.wide,
        showIps: request.showIps,
        localHost: hostname(),
        owners: this.view.owners,
        ...(this.view.fields !== undefined ? { fields: this.view.fields } : {}),
        view: this.view,
        ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
        ...(this.notice ? { notice: this.notice } : {}),
        ...(this.view.prompt ? { prompt: promptLine(this.view.prompt, summary.options, this.view.fields) } : {}),
      }),
    );
  }
}
