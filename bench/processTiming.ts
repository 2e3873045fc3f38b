/** Whole-process timing shared by the benchmarks that compare us with other commands. */
import { spawn } from 'node:child_process';

export interface TimedRun {
  ms: number;
  /** CPU time (user + system) of the command and its children: what machine load does not inflate. */
  cpuMs: number;
  code: number | null;
  stdout: string;
}

/**
 * Node cannot read a child's resource usage, so a small Python parent
 * (os.wait4) runs the command and reports on fd 3 its wall time from fork to
 * exit and its CPU time, children included, in microseconds. The wrapper's
 * own start-up happens before its clock starts.
 */
const RUSAGE_WRAPPER = `
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.close(3)
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
os.write(3, f"{wall * 1e3} {(usage.ru_utime + usage.ru_stime) * 1e3}".encode())
sys.exit(os.waitstatus_to_exitcode(status))
`;

/** Wall and CPU time of argv, from fork to exit (stderr passes through). */
export function timeCommand(argv: string[]): Promise<TimedRun> {
  return new Promise((done, fail) => {
    const child = spawn('python3', ['-c', RUSAGE_WRAPPER, ...argv], { stdio: ['ignore', 'pipe', 'inherit', 'pipe'] });
    let stdout = '';
    let report = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stdio[3]!.on('data', (d: Buffer) => (report += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const [ms, cpuMs] = report.split(' ').map(Number);
      if (!Number.isFinite(ms) || !Number.isFinite(cpuMs)) fail(new Error(`no timing for ${argv.join(' ')}`));
      else done({ ms: ms!, cpuMs: cpuMs!, code, stdout });
    });
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
