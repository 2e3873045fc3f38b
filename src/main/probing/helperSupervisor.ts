/**
 * Owns the mtr-packet client and gives sessions a transport that stays valid across helper restarts.
 * When mtr-packet dies unexpectedly, probes in flight resolve as `helper-restarted` (not an error),
 * a new process is started after a back-off, and probes asked for meanwhile wait for it. After
 * several rapid failures it gives up with a clear error. Fatal problems at the first open (missing
 * binary, permissions) surface from open() exactly as the client reports them.
 */
import type { ProbeOptions, ProbeResult } from '@shared/probe';
import { MtrPacketClient, type MtrPacketClientOptions } from '../mtr/client';
import { ProcessError, StateError } from '../mtr/errors';
import type { ValidProbeOptions } from '../mtr/probeOptions';
import type { ProbeTransport } from '../trace/probeTransport';

export interface HelperRestart {
  /** Epoch ms when the death was noticed. */
  at: number;
  /** What happened, in words (the client's error message). */
  reason: string;
  error: ProcessError;
  /** Distinct target addresses of the probes that were in flight (a target that keeps crashing it shows here). */
  inFlightAddresses: string[];
}

export interface HelperSupervisorOptions {
  client?: MtrPacketClientOptions;
  /**
   * Waits before each restart attempt; the last repeats (default 100, 500, 1000, 2000, 5000 ms). Deaths and
   * failed starts within `rapidWindowMs` move along the list, so a helper dying again and again backs off.
   */
  restartDelaysMs?: readonly number[];
  /** Give up after this many deaths or failed restarts within `rapidWindowMs` (default 5). */
  maxRapidFailures?: number;
  rapidWindowMs?: number;
  log?: (msg: string) => void;
}

const DEFAULT_DELAYS_MS = [100, 500, 1000, 2000, 5000];
const DEFAULT_MAX_RAPID_FAILURES = 5;
const DEFAULT_RAPID_WINDOW_MS = 60_000;

type State = 'new' | 'running' | 'restarting' | 'failed' | 'closed';

const helperRestarted = (): ProbeResult => ({
  success: false,
  result: 'helper-restarted',
  timeMs: null,
  responder: null,
  mpls: [],
});

export class HelperSupervisor implements ProbeTransport {
  private state: State = 'new';
  private current: MtrPacketClient | null = null;
  /** Settles when the running client is available again (during a restart). */
  private restarting: Promise<MtrPacketClient> | null = null;
  private failure: Error | null = null;
  private readonly failures: number[] = [];
  private readonly listeners = new Set<(restart: HelperRestart) => void>();
  private readonly inFlight = new Map<number, { client: MtrPacketClient; address: string }>();
  private nextId = 0;
  private restarts = 0;
  private readonly log: (msg: string) => void;

  constructor(private readonly options: HelperSupervisorOptions = {}) {
    this.log = options.log ?? options.client?.log ?? (() => {});
  }

  /** Start the first mtr-packet. Its errors (not found, no permission, not mtr-packet) are thrown as they are. */
  async open(): Promise<void> {
    if (this.state !== 'new') throw new StateError('the mtr-packet supervisor is already open');
    const client = this.createClient();
    try {
      await client.open();
    } catch (err) {
      this.state = 'failed';
      this.failure = err as Error;
      throw err;
    }
    if (this.state !== 'new') {
      await client.close();
      throw new StateError('the mtr-packet supervisor was closed');
    }
    this.current = client;
    this.state = 'running';
  }

  /** The running client (for version and check-support), or null while restarting or closed. */
  get client(): MtrPacketClient | null {
    return this.state === 'running' ? this.current : null;
  }

  /** Why it gave up restarting mtr-packet (or could not start it); every probe now rejects with it. Null until then. */
  get gaveUpWith(): Error | null {
    return this.state === 'failed' ? this.failure : null;
  }

  /** How many times mtr-packet has been restarted. */
  get restartCount(): number {
    return this.restarts;
  }

  /** Be told about each unexpected death (before the restart). Returns an unsubscribe function. */
  onRestart(listener: (restart: HelperRestart) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async probe(address: string, options?: ProbeOptions | ValidProbeOptions): Promise<ProbeResult> {
    for (;;) {
      const client = await this.usableClient();
      // Died between the restart and now: its exit handler has already started the next restart.
      if (!client.isOpen && this.state === 'restarting') continue;
      const id = ++this.nextId;
      this.inFlight.set(id, { client, address });
      try {
        return await client.probe(address, options);
      } catch (err) {
        // The helper died under this probe: not the network's doing and not the session's.
        if (err instanceof ProcessError && err.phase === 'probing' && this.state !== 'closed') {
          this.onDeath(client, err);
          return helperRestarted();
        }
        throw err;
      } finally {
        this.inFlight.delete(id);
      }
    }
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    const client = this.current;
    this.current = null;
    await client?.close();
  }

  private createClient(): MtrPacketClient {
    let client: MtrPacketClient | null = null;
    const created = new MtrPacketClient({
      ...this.options.client,
      onUnexpectedExit: (err) => {
        this.options.client?.onUnexpectedExit?.(err);
        if (client) this.onDeath(client, err);
      },
    });
    client = created;
    return created;
  }

  private async usableClient(): Promise<MtrPacketClient> {
    switch (this.state) {
      case 'running':
        return this.current as MtrPacketClient;
      case 'restarting':
        return this.restarting as Promise<MtrPacketClient>;
      case 'failed':
        throw this.failure ?? new StateError('mtr-packet could not be restarted');
      case 'new':
        throw new StateError('the mtr-packet supervisor is not open; call open() first');
      default:
        throw new StateError('the mtr-packet supervisor is closed');
    }
  }

  private onDeath(client: MtrPacketClient, error: ProcessError): void {
    if (this.state !== 'running' || client !== this.current) return;
    const at = Date.now();
    const addresses = new Set<string>();
    for (const entry of this.inFlight.values()) if (entry.client === client) addresses.add(entry.address);
    this.state = 'restarting';
    this.current = null;
    this.noteFailure(at);
    this.log(`mtr-packet died (${error.message}); restarting it`);
    this.restarting = this.respawn(error);
    // Waiters see the rejection; nobody else needs to.
    this.restarting.catch(() => undefined);
    const restart: HelperRestart = { at, reason: error.message, error, inFlightAddresses: [...addresses] };
    for (const listener of this.listeners) {
      try {
        listener(restart);
      } catch (err) {
        this.log(`a restart listener failed: ${(err as Error).message}`);
      }
    }
  }

  private async respawn(cause: ProcessError): Promise<MtrPacketClient> {
    const delays = this.options.restartDelaysMs?.length ? this.options.restartDelaysMs : DEFAULT_DELAYS_MS;
    let last: unknown = cause;
    // A helper that keeps dying right after a successful restart must back off too, not restart at the
    // first delay every time: start further along the delays by the failures already in the window.
    const firstStep = Math.max(0, this.recentFailures() - 1);
    for (let attempt = firstStep; ; attempt++) {
      if (this.recentFailures() >= (this.options.maxRapidFailures ?? DEFAULT_MAX_RAPID_FAILURES)) {
        return this.giveUp(last);
      }
      await new Promise((r) => setTimeout(r, delays[Math.min(attempt, delays.length - 1)]));
      if (this.state !== 'restarting') throw new StateError('the mtr-packet supervisor was closed');
      const client = this.createClient();
      try {
        await client.open();
      } catch (err) {
        last = err;
        this.noteFailure(Date.now());
        this.log(`restarting mtr-packet failed: ${(err as Error).message}`);
        continue;
      }
      if (this.state !== 'restarting') {
        await client.close();
        throw new StateError('the mtr-packet supervisor was closed');
      }
      this.current = client;
      this.state = 'running';
      this.restarts++;
      this.log(`mtr-packet restarted (pid ${client.pid ?? '?'})`);
      return client;
    }
  }

  private giveUp(last: unknown): never {
    const windowSec = Math.round((this.options.rapidWindowMs ?? DEFAULT_RAPID_WINDOW_MS) / 1000);
    const detail = last instanceof Error ? last.message : String(last);
    const error = new ProcessError(
      `mtr-packet failed ${this.recentFailures()} times within ${windowSec} s; not restarting it again (last: ${detail})`,
      { kind: 'exited', cause: last, ...(last instanceof ProcessError ? { executable: last.executable } : {}) },
    );
    this.state = 'failed';
    this.failure = error;
    this.log(error.message);
    throw error;
  }

  private noteFailure(at: number): void {
    this.failures.push(at);
  }

  private recentFailures(): number {
    const since = Date.now() - (this.options.rapidWindowMs ?? DEFAULT_RAPID_WINDOW_MS);
    while (this.failures.length > 0 && (this.failures[0] as number) < since) this.failures.shift();
    return this.failures.length;
  }
}
