/**
 * Child process for the crash-recovery test: writes rounds of 30 samples into
 * a history file as fast as it can, relying only on the store's own
 * background flush, and prints how many samples each flush made durable. The
 * test kills it with SIGKILL mid-write.
 */
import { HistoryStore } from '../../src/main/history';

const HOPS = 30;
const path = process.argv[2];
if (!path) throw new Error('usage: historyCrashWriter FILE');

let durable = 0;
const store = await HistoryStore.open(path, {
  flushIntervalMs: 200,
  onFlushed: (samples) => {
    durable += samples;
    process.stdout.write(`durable ${durable}\n`);
  },
});
const session = store.beginSession({
  uid: 'crash',
  startedAt: Date.now(),
  target: 'crash.test',
  options: { target: 'crash.test' },
  mtrPacketVersion: null,
});
let round = 0;
// A whole round is appended between awaits, so the durable count is always a whole number of rounds.
for (;;) {
  const at = Date.now();
  for (let ttl = 1; ttl <= HOPS; ttl++) {
    store.addSample({
      session,
      segment: 0,
      ttl,
      round,
      at,
      result: ttl === HOPS ? 'reply' : 'ttl-expired',
      address: `198.51.100.${ttl}`,
      rttMs: ttl + (round % 10) / 10,
      mpls: null,
    });
  }
  round++;
  await new Promise((resolve) => setTimeout(resolve, 2));
}
