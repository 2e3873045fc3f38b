/** Running `ip`, `nft`, `sysctl` and friends by argv (never a shell), with their output collected. */
import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface ExecOptions {
  input?: string;
  timeoutMs?: number;
  /** Merged over process.env (so PATH survives). */
  env?: NodeJS.ProcessEnv;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit code, or null when the process was killed (for example by the timeout). */
  code: number | null;
}

export function findExecutable(name: string): string | null {
  // `ip`, `nft` and `sysctl` live in sbin, which a non-login PATH may lack.
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return null;
}

export function runProcess(file: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    // A command that never reads stdin closes it early; that is not an error here.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}

/** Like runProcess, but a non-zero exit is an error that names the command and its stderr. */
export async function mustRun(file: string, args: string[], input?: string): Promise<string> {
  const res = await runProcess(file, args, { input, timeoutMs: 15_000 });
  if (res.code !== 0) {
    const shown = [file, ...args].join(' ');
    const stdin = input ? `\n--- stdin ---\n${input}` : '';
    throw new Error(`command failed (exit ${res.code}): ${shown}\n${res.stderr.trim()}${stdin}`);
  }
  return res.stdout;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// ---------------------------------------------------------------------------
// Availability
