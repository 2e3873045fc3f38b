import { MtrPacketClient, type MtrPacketClientOptions } from '../main/mtr/client';
import type { ProbeTransport } from '../main/trace/probeTransport';
import type { ProbeOptions, ProbeResult } from '@shared/probe';

/**
 * The one mtr-packet every target of the agent probes through. A client
 * cannot be reopened once its process died, so the next probe after a death
 * starts a fresh one; the sessions that lost probes fail and are retried by
 * their runners with backoff, which also paces these restarts.
 */
export class SharedMtrPacket implements ProbeTransport {
  private client: MtrPacketClient | null = null;
  private opening: Promise<MtrPacketClient> | null = null;
  private closed = false;
  private starts = 0;

  constructor(
    private readonly options: MtrPacketClientOptions = {},
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** Probes awaiting a reply from mtr-packet right now. */
  get inFlight(): number {
    return this.client?.inFlight ?? 0;
  }

  /** mtr-packet's version once a client has opened. */
  get version(): string | null {
    return this.client?.version ?? null;
  }

  /** How many times mtr-packet has been started (more than 1 means it was restarted). */
  get startCount(): number {
    return this.starts;
  }

  async probe(address: string, options?: ProbeOptions): Promise<ProbeResult> {
    const client = await this.current();
    return client.probe(address, options);
  }

  /** The open client, starting one when there is none or the last one died. */
  current(): Promise<MtrPacketClient> {
    if (this.closed) return Promise.reject(new Error('the agent is shutting down'));
    if (this.client?.isOpen) return Promise.resolve(this.client);
    this.opening ??= this.open().finally(() => (this.opening = null));
    return this.opening;
  }

  private async open(): Promise<MtrPacketClient> {
    const previous = this.client;
    this.client = null;
    if (previous) await previous.close().catch(() => undefined);
    const client = new MtrPacketClient(this.options);
    await client.open();
    this.starts++;
    this.log(`mtr-packet ${client.version ?? '?'} started (${client.executablePath ?? '?'}, pid ${client.pid ?? '?'})`);
    if (this.closed) {
      await client.close();
      throw new Error('the agent is shutting down');
    }
    this.client = client;
    return client;
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.close();
  }
}
