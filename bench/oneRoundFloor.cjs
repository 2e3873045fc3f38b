// The least a one-round trace run by Node can cost, for bench/cliStartup.ts to set beside
// `hopscope TARGET -c 1` (issue #13): no Hopscope code, no validation, no report. It spawns
// mtr-packet, writes one ICMP probe per TTL as Hopscope's first round does (one line each), and
// ends the round by Hopscope's own silent-hop rule, whose figures the benchmark passes in: a probe
// still pending below a hop that answered is given max(MIN, NEAR × that RTT) from when the
// answering probe left. Then it prints the replies as JSON and stops mtr-packet as Hopscope's
// client does with probes outstanding (end of input, SIGTERM), and Node exits once it is gone.
//   node bench/oneRoundFloor.cjs TARGET MAX_TTL MIN_SILENT_WAIT_MS NEAR_FACTOR
'use strict';
// Builtins as bench/cliTimelineMarks.cjs takes them (the lint rules are for modules, not this script).
const { spawn } = process.getBuiltinModule('node:child_process');
const { clearTimeout } = process.getBuiltinModule('node:timers');
const { performance } = process.getBuiltinModule('node:perf_hooks');

const [target, maxTtl, minWaitMs, nearFactor] = [process.argv[2], ...process.argv.slice(3, 6).map(Number)];
const child = spawn(process.env.MTR_PACKET || 'mtr-packet', [], { stdio: ['pipe', 'pipe', 'inherit'] });
const sentAt = new Map();
const answers = new Map();
const silentTimers = new Map();
let unread = '';
let finished = false;

function finish() {
  if (finished) return;
  finished = true;
  for (const timer of silentTimers.values()) clearTimeout(timer);
  process.stdout.write(`${JSON.stringify(Object.fromEntries(answers))}\n`);
  child.stdin.end();
  child.kill('SIGTERM');
}

/** Pending probes below the deepest answer, or none left: the round is over once each is answered or waited out. */
function roundOver() {
  const destination = Math.min(...[...answers].filter(([, a]) => a.kind === 'reply').map(([ttl]) => ttl));
  if (!Number.isFinite(destination)) return false;
  for (let ttl = 1; ttl < destination; ttl++) if (!answers.has(ttl) && !answers.has(-ttl)) return false;
  return true;
}

function onLine(line) {
  const [token, kind, , address, , rttUs] = line.split(' ');
  const ttl = Number(token);
  const rttMs = Number(rttUs) / 1000 || 0;
  answers.set(ttl, { kind, address });
  const leftAt = performance.now() - rttMs;
  for (const [pendingTtl, at] of sentAt) {
    if (pendingTtl >= ttl || answers.has(pendingTtl)) continue;
    clearTimeout(silentTimers.get(pendingTtl));
    const deadline = Math.max(at, leftAt) + Math.max(minWaitMs, nearFactor * rttMs);
    const presumeLost = () => {
      answers.set(-pendingTtl, { kind: 'presumed-lost' });
      if (roundOver()) finish();
    };
    silentTimers.set(pendingTtl, setTimeout(presumeLost, Math.max(0, deadline - performance.now())));
  }
  if (roundOver()) finish();
}

child.stdout.setEncoding('utf8');
child.stdout.on('data', (text) => {
  unread += text;
  for (let end = unread.indexOf('\n'); end >= 0; end = unread.indexOf('\n')) {
    onLine(unread.slice(0, end));
    unread = unread.slice(end + 1);
  }
});
for (let ttl = 1; ttl <= maxTtl; ttl++) {
  sentAt.set(ttl, performance.now());
  child.stdin.write(`${ttl} send-probe ip-4 ${target} protocol icmp ttl ${ttl} timeout 10\n`);
}
