import { describe, expect, it } from 'vitest';
import { formatLiveFrame, withViewNames, type LiveFrameOptions } from '../../../src/cli/liveFrame';
import { CLEAR_SCREEN } from '../../../src/cli/clearScreen';
import { LIVE_KEY_HELP, initialLiveView, type LiveView } from '../../../src/cli/liveKeys';
import type { Segment, TraceDocument } from '@shared/traceFile';
import { traceOptionsSchema } from '@shared/traceOptions';
import type { SessionSummary } from '@shared/session';
import { handMade } from '../formats/fixtures';

const summary = (over: Partial<SessionSummary> = {}): SessionSummary => ({
  id: 'cli',
  options: traceOptionsSchema.parse({ target: 'example.net', count: 5 }),
  state: 'running',
  targetAddress: '198.51.100.10',
  ipVersion: 4,
  destinationTtl: 3,
  rounds: 2,
  startedAt: 1_772_362_800_000,
  mtrPacketVersion: '0.95',
  restarts: [],
  ...over,
});

const frame = (s: SessionSummary) =>
  formatLiveFrame(s, handMade, { wide: false, showIps: false, localHost: 'probe-box' });

describe('the CLI live view', () => {
  it('says how many probes are held back, on its own line under the status line', () => {
    const lines = frame(summary({ heldBackProbes: 37 }))
      .slice(CLEAR_SCREEN.length)
      .split('\n');
    expect(lines[0]).toContain('round 2/5');
    expect(lines[1]).toBe(
      'probes held back: 37 — waiting for a free mtr-packet probe slot (slots are shared with other traces)',
    );
    // The report follows after one blank line, as without held-back probes.
    expect(lines[2]).toBe('');
  });

  it('says nothing about held-back probes when none wait', () => {
    const without = frame(summary());
    expect(without).not.toMatch(/held back/);
    expect(frame(summary({ heldBackProbes: 0 }))).toBe(without);
    // With probes held back, the frame is the same plus exactly that one line.
    const withHeld = frame(summary({ heldBackProbes: 2 })).split('\n');
    expect(withHeld.filter((l) => !l.startsWith('probes held back: 2 ')).join('\n')).toBe(without);
  });
});

describe("the CLI live view's display choices", () => {
  const view = (over: Partial<LiveView> = {}): LiveView => ({ ...initialLiveView({ dns: true }), ...over });
  const shown = (v: LiveView, opts: Partial<LiveFrameOptions> = {}, doc: TraceDocument = handMade) =>
    formatLiveFrame(summary(), doc, { wide: false, showIps: false, localHost: 'probe-box', view: v, ...opts });
  const header = (frame: string) => frame.split('\n').find((l) => l.startsWith('HOST: '))!;

  it('shows every key in the help instead of the table', () => {
    const help = shown(view({ help: true }));
    expect(help).not.toContain('HOST: ');
    for (const [key, what] of LIVE_KEY_HELP) expect(help).toContain(`  ${key.padEnd(8)}${what}`);
    expect(help).toContain('Any key returns.');
    // As mtr's: it fits a 24-row, 80-column terminal under the status line and the blank line.
    const lines = help.slice(CLEAR_SCREEN.length).split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(Math.max(...lines.slice(2).map((l) => l.length))).toBeLessThanOrEqual(80);
  });

  it('is the default frame with the default view', () => {
    expect(shown(view())).toBe(frame(summary()));
  });

  it('shows addresses instead of names when names are off', () => {
    expect(shown(view())).toContain('router.lan');
    const addresses = shown(view(), {}, withViewNames(handMade, false));
    expect(addresses).not.toContain('router.lan');
    expect(addresses).not.toContain('example.net  ');
    expect(addresses).toMatch(/ 1\.\|-- 192\.168\.1\.1 /);
  });

  it('takes names from a lookup when names are turned on in a run without them', () => {
    const bare = withViewNames(handMade, false);
    const named = withViewNames(bare, true, (a) => (a === '192.168.1.1' ? 'gw.lan' : null));
    expect(shown(view(), {}, named)).toMatch(/ 1\.\|-- gw\.lan /);
    expect(withViewNames(handMade, true)).toBe(handMade);
  });

  it("switches to mtr's jitter columns and back to the -o order", () => {
    expect(header(shown(view()))).toMatch(/Loss%\s+Snt\s+Last\s+Avg\s+Best\s+Wrst\s+StDev$/);
    expect(header(shown(view({ jitter: true }), { fields: 'LSN' }))).toMatch(
      /Drop\s+Rcv\s+Avg\s+Gmean\s+Jttr\s+Javg\s+Jmax\s+Jint$/,
    );
    expect(header(shown(view(), { fields: 'LSN' }))).toMatch(/Loss%\s+Snt\s+Last$/);
  });

  it('shows MPLS label lines only while they are on', () => {
    expect(shown(view())).toContain('[MPLS: Lbl 24001');
    expect(shown(view({ mpls: false }))).not.toContain('[MPLS:');
  });

  it('shows one character per round of the newest samples per hop in the strip mode', () => {
    const doc = {
      ...handMade,
      hops: handMade.hops.map((h) =>
        h.ttl === 4
          ? {
              ...h,
              samples: [0, 1, 2, 3].map((round) => ({
                round,
                at: 1_772_362_800_000 + round * 1000,
                result: round === 2 ? ('no-reply' as const) : ('reply' as const),
                address: round === 2 ? null : '198.51.100.10',
                rttMs: round === 2 ? null : 30,
              })),
            }
          : h,
      ),
    };
    const lines = shown(view({ mode: 'strip' }), { columns: 80 }, doc).split('\n');
    expect(lines.find((l) => l.startsWith('HOST: probe-box'))).toMatch(/newest rounds last$/);
    expect(lines.find((l) => l.startsWith('  3.|-- '))).toMatch(/^ {2}3\.\|-- 203\.0\.113\.5 +\.\.$/);
    expect(lines.find((l) => l.startsWith('  4.|-- '))).toMatch(/^ {2}4\.\|-- example\.net +\.\.\?\.$/);
    // A narrow terminal still shows the newest ten rounds, and never more than the row holds.
    const narrow = shown(view({ mode: 'strip' }), { columns: 36 }, doc).split('\n');
    expect(narrow.find((l) => l.startsWith('  4.|-- '))!.slice(34)).toBe('..?.');
    expect(shown(view({ mode: 'strip' }))).not.toContain('Loss%');
  });

  it('says since which round it counts after a statistics reset, and shows a notice line', () => {
    const segment: Segment = {
      index: 1,
      target: { input: 'example.net', address: '198.51.100.10', ipVersion: 4 },
      options: {},
      startedAt: 1_772_362_807_000,
      firstRound: 7,
      rounds: 2,
      destinationTtl: 3,
    };
    const reset = summary({
      rounds: 9,
      markers: [{ kind: 'statistics-reset', at: 1_772_362_807_000, round: 7 }],
      segments: [segment],
    });
    const lines = formatLiveFrame(reset, handMade, {
      wide: false,
      showIps: false,
      localHost: 'probe-box',
      notice: 'cannot switch to UDP: no',
    })
      .slice(CLEAR_SCREEN.length)
      .split('\n');
    // The figures and -c count from the reset: the header counts the segment's rounds.
    expect(lines[0]).toContain('round 2/5 every 1 s  [reset at round 7]');
    expect(lines[1]).toBe('cannot switch to UDP: no');
    expect(frame(summary())).not.toContain('[reset');
  });

  it('says how often rounds go out, from the running options', () => {
    const every = (intervalSec: number) =>
      frame(summary({ options: traceOptionsSchema.parse({ target: 'example.net', intervalSec }) }))
        .slice(CLEAR_SCREEN.length)
        .split('\n')[0];
    expect(every(0.25)).toMatch(/ {2}round 2 every 0\.25 s {2}— /);
    expect(every(3600)).toContain('round 2 every 3600 s');
  });

  it("ends with a key's prompt line, made printable, where the cursor stays", () => {
    const line = 'Max TTL (1-255; now 30) [Enter applies, Esc cancels]: 1\x1b[2J';
    const withPrompt = shown(view(), { prompt: line });
    expect(withPrompt.startsWith(shown(view()))).toBe(true);
    expect(withPrompt.slice(shown(view()).length)).toBe(
      '\nMax TTL (1-255; now 30) [Enter applies, Esc cancels]: 1\ufffd[2J',
    );
  });
});
