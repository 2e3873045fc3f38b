/** Whole-process timing shared by the benchmarks that compare us with other commands. */
import { spawn } from 'node:child_process';

export interface TimedRun {
  ms: number;
  code: number | null;
  stdout: string;
}

/** Wall time from spawn to exit of argv (stderr passes through). */
export function timeCommand(argv: string[]): Promise<TimedRun> {
  return new Promise((done, fail) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ ms: Number(process.hrtime.bigint() - start) / 1e6, code, stdout }));
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Routers answer a burst of about 6 ICMP errors, then about 1 per second
 * (net.ipv4.icmp_ratelimit): runs that make routers answer start this far apart.
 */
export const ICMP_RATE_LIMIT_GAP_MS = 1500;
