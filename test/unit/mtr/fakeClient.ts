/**
 * Shared set-up for the client tests against the scripted fake mtr-packet
 * (test/fixtures/fake-mtr-packet.mjs). Call cleanUpFakeClients() after each test.
 */
import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MtrPacketClient, type MtrPacketClientOptions } from '../../../src/main/mtr';
import type { ProbeResult } from '@shared/probe';

export const FAKE = fileURLToPath(new URL('../../fixtures/fake-mtr-packet.mjs', import.meta.url));

const tempDirs: string[] = [];
const clients: MtrPacketClient[] = [];

export async function cleanUpFakeClients(): Promise<void> {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'hopscope-mtr-test-'));
  tempDirs.push(d);
  return d;
}

/** Closed by cleanUpFakeClients(). */
export function trackClient(client: MtrPacketClient): MtrPacketClient {
  clients.push(client);
  return client;
}

export interface Fake {
  client: MtrPacketClient;
  logs: string[];
  /** Lines the fake received, in order. */
  received: () => string[];
}

export function fake(scenario: string, options: MtrPacketClientOptions = {}, env: NodeJS.ProcessEnv = {}): Fake {
  const logFile = join(tempDir(), 'received.log');
  const logs: string[] = [];
  const client = trackClient(
    new MtrPacketClient({
      path: FAKE,
      log: (m) => logs.push(m),
      ...options,
      env: { ...process.env, FAKE_MTR_SCENARIO: scenario, FAKE_MTR_LOG: logFile, ...env },
    }),
  );
  const received = () =>
    existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as string)
      : [];
  return { client, logs, received };
}

export async function opened(scenario: string, options: MtrPacketClientOptions = {}, env: NodeJS.ProcessEnv = {}) {
  const f = fake(scenario, options, env);
  await f.client.open();
  return f;
}

export const sendProbeLines = (lines: string[]) => lines.filter((l) => l.includes(' send-probe '));

/** What the fake's default topology answers at `ttl` for an IPv4 destination. */
export function expectedV4(ttl: number | undefined, dest: string): Pick<ProbeResult, 'result' | 'responder'> {
  if (ttl === 1) return { result: 'ttl-expired', responder: '192.0.2.1' };
  if (ttl === 2) return { result: 'no-reply', responder: null };
  if (ttl === 3) return { result: 'ttl-expired', responder: '192.0.2.3' };
  return { result: 'reply', responder: dest };
}
