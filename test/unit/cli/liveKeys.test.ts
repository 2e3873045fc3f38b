import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LIVE_KEY_HELP, LIVE_MODES, initialLiveView, pressKey, type LiveView } from '../../../src/cli/liveKeys';
import { PROTOCOLS } from '@shared/protocols';

const views = fc.record<LiveView>({
  help: fc.boolean(),
  names: fc.boolean(),
  jitter: fc.boolean(),
  mpls: fc.boolean(),
  mode: fc.constantFrom(...LIVE_MODES),
});
const sessions = fc.record({ paused: fc.boolean(), protocol: fc.constantFrom(...PROTOCOLS) });
const closed = views.map((v) => ({ ...v, help: false }));
const MAPPED = new Set(['q', '?', 'h', 'p', ' ', 'n', 'r', 'j', 'e', 'd', 'u', 't', '\x03']);

describe("the live view's keys (mtr's INTERACTIVE CONTROL)", () => {
  it('quits on q and Ctrl-C; Ctrl-C quits even from the help', () => {
    fc.assert(
      fc.property(views, sessions, (view, session) => {
        expect(pressKey('\x03', view, session).command).toEqual({ kind: 'quit' });
        if (!view.help) expect(pressKey('q', view, session).command).toEqual({ kind: 'quit' });
      }),
    );
  });

  it('opens the help on ? and h; any other key then only closes it', () => {
    fc.assert(
      fc.property(
        closed,
        sessions,
        fc.constantFrom('?', 'h'),
        fc.string({ minLength: 1, maxLength: 1 }),
        (v, s, open, k) => {
          const shown = pressKey(open, v, s);
          expect(shown).toEqual({ view: { ...v, help: true } });
          if (k !== '\x03') expect(pressKey(k, shown.view, s)).toEqual({ view: v });
        },
      ),
    );
  });

  it('p pauses and resumes; SPACE only resumes', () => {
    fc.assert(
      fc.property(closed, fc.constantFrom(...PROTOCOLS), (view, protocol) => {
        expect(pressKey('p', view, { paused: false, protocol })).toEqual({ view, command: { kind: 'pause' } });
        expect(pressKey('p', view, { paused: true, protocol })).toEqual({ view, command: { kind: 'resume' } });
        expect(pressKey(' ', view, { paused: true, protocol })).toEqual({ view, command: { kind: 'resume' } });
        expect(pressKey(' ', view, { paused: false, protocol })).toEqual({ view });
      }),
    );
  });

  it('n, j and e each flip one part of the view, and back on the second press', () => {
    const flips = { n: 'names', j: 'jitter', e: 'mpls' } as const;
    fc.assert(
      fc.property(closed, sessions, fc.constantFrom('n', 'j', 'e'), (view, session, key) => {
        const once = pressKey(key, view, session);
        expect(once.command).toBeUndefined();
        expect(once.view).toEqual({ ...view, [flips[key]]: !view[flips[key]] });
        expect(pressKey(key, once.view, session)).toEqual({ view });
      }),
    );
  });

  it('d goes through every display mode and back to the first', () => {
    let view = initialLiveView({ dns: true });
    const seen = [];
    for (let i = 0; i < LIVE_MODES.length; i++) {
      seen.push(view.mode);
      view = pressKey('d', view, { paused: false, protocol: 'icmp' }).view;
    }
    expect(seen).toEqual([...LIVE_MODES]);
    expect(view).toEqual(initialLiveView({ dns: true }));
  });

  it('r asks for a statistics reset, leaving the view as it is', () => {
    fc.assert(
      fc.property(closed, sessions, (v, s) => {
        expect(pressKey('r', v, s)).toEqual({ view: v, command: { kind: 'reset' } });
      }),
    );
  });

  it('u and t switch to UDP and TCP, and back to ICMP when already there', () => {
    fc.assert(
      fc.property(closed, sessions, (view, session) => {
        const udp = pressKey('u', view, session).command;
        const tcp = pressKey('t', view, session).command;
        expect(udp).toEqual({ kind: 'protocol', protocol: session.protocol === 'udp' ? 'icmp' : 'udp' });
        expect(tcp).toEqual({ kind: 'protocol', protocol: session.protocol === 'tcp' ? 'icmp' : 'tcp' });
      }),
    );
  });

  it('ignores every other key', () => {
    const others = fc.string({ minLength: 1, maxLength: 1 }).filter((k) => !MAPPED.has(k));
    fc.assert(
      fc.property(closed, sessions, others, (v, s, k) => {
        expect(pressKey(k, v, s)).toEqual({ view: v });
      }),
    );
  });

  it('lists every key it handles in the help', () => {
    const listed = new Set(LIVE_KEY_HELP.flatMap(([keys]) => keys.split(' ')).map((k) => (k === 'SPACE' ? ' ' : k)));
    for (const key of MAPPED) if (key !== '\x03') expect(listed).toContain(key);
  });

  it('starts with names as -n left them, MPLS labels shown, the statistics table', () => {
    expect(initialLiveView({ dns: false })).toEqual({
      help: false,
      names: false,
      jitter: false,
      mpls: true,
      mode: 'table',
    });
  });
});
