/** What runs on the target: a TCP listener, and the check that the target answers mtr-packet before tests start. */
import { spawn, type ChildProcess } from 'node:child_process';
import { MTR_PACKET } from './availability';
import { runProcess } from './hostCommands';

/**
 * The target's TCP listener: accepts and closes every connection on [::]:port (dual
 * stack, so IPv4 too). It prints "ready" once listening and exits when its stdin
 * closes, so it cannot outlive the test process even if destroy() never runs.
 */
const LISTENER_SCRIPT = `
const net = require('node:net');
const server = net.createServer((s) => { s.on('error', () => {}); s.destroy(); });
server.listen({ port: Number(process.argv[1]), host: '::', ipv6Only: false }, () => process.stdout.write('ready\\n'));
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
`;

export function startListener(ip: string, ns: string, port: number): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(ip, ['netns', 'exec', ns, process.execPath, '-e', LISTENER_SCRIPT, String(port)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      reject(new Error(`TCP listener in ${ns} did not start within 10 s: ${stderr.trim()}`));
    }, 10_000);
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      if (c.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`TCP listener in ${ns} exited (${code ?? signal}) before listening: ${stderr.trim()}`));
    });
  });
  return { child, ready };
}

/**
 * Probe the target over v4 and v6 with the real mtr-packet until both answer, so
 * the first probe of a test never meets an unresolved neighbour or a link still
 * coming up. Normally the first round succeeds.
 */
export async function waitUntilReachable(ip: string, clientNs: string, v4: string, v6: string): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt < 20; attempt++) {
    const res = await runProcess(ip, ['netns', 'exec', clientNs, MTR_PACKET], {
      input: `1 send-probe ip-4 ${v4} timeout 1\n2 send-probe ip-6 ${v6} timeout 1\n`,
      timeoutMs: 5_000,
    });
    const replies = res.stdout.split('\n').filter((l) => / reply /.test(` ${l} `));
    if (replies.some((l) => l.startsWith('1 ')) && replies.some((l) => l.startsWith('2 '))) return;
    last = `${res.stdout}${res.stderr}`.trim();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`target never answered mtr-packet from ${clientNs}; last output: ${last}`);
}
