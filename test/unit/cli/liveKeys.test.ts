import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LIVE_KEY_HELP,
  LIVE_MODES,
  SPLIT_KEYS_NOTE,
  initialLiveView,
  pressKey,
  pressSplitKey,
  type LiveView,
} from '../../../src/cli/liveKeys';
import { PROTOCOLS } from '@shared/protocols';
import { OWNER_COLUMNS } from '@shared/formats/ownerColumns';
import { traceOptionsSchema } from '@shared/traceOptions';

const options = fc
  .record({
    protocol: fc.constantFrom(...PROTOCOLS),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    intervalSec: fc.constantFrom(0.1, 1, 2.5),
    count: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
  })
  .map(({ port, ...o }) =>
    traceOptionsSchema.parse({ target: '192.0.2.1', ...o, ...(o.protocol !== 'icmp' && port ? { port } : {}) }),
  );
const views = fc.record<LiveView>(
  {
    help: fc.boolean(),
    names: fc.boolean(),
    jitter: fc.boolean(),
    mpls: fc.boolean(),
    mode: fc.constantFrom(...LIVE_MODES),
    fields: fc.constantFrom('LS NABWV', 'LSD', 'DR AGJMXI'),
    owners: fc.subarray([...OWNER_COLUMNS]),
  },
  { requiredKeys: ['help', 'names', 'jitter', 'mpls', 'mode', 'owners'] },
);
const sessions = fc.record({ paused: fc.boolean(), options });
const closed = views.map((v) => ({ ...v, help: false }));
const PROMPTS = ['o', 'c', 'i', 'f', 'm', 's', 'b', 'Q'];
const MAPPED = new Set(['q', '?', 'h', 'p', ' ', 'n', 'r', 'j', 'e', 'd', 'u', 't', 'y', 'z', '\x03', ...PROMPTS]);

/** The keys typed one by one, from `view`, each outcome's view carried to the next. */
function typeKeys(keys: string[], view: LiveView, session: Parameters<typeof pressKey>[2]) {
  let outcome = { view } as ReturnType<typeof pressKey>;
  for (const key of keys) outcome = pressKey(key, outcome.view, session);
  return outcome;
}

describe("the live view's keys (mtr's INTERACTIVE CONTROL)", () => {
  it('quits on q and Ctrl-C; Ctrl-C quits even from the help or a prompt', () => {
    fc.assert(
      fc.property(views, sessions, fc.constantFrom(undefined, ...PROMPTS), (view, session, prompt) => {
        const v = prompt ? { ...view, prompt: { key: prompt as 'o', text: 'x' } } : view;
        expect(pressKey('\x03', v, session).command).toEqual({ kind: 'quit' });
        if (!view.help && !prompt) expect(pressKey('q', view, session).command).toEqual({ kind: 'quit' });
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
      fc.property(closed, options, (view, o) => {
        expect(pressKey('p', view, { paused: false, options: o })).toEqual({ view, command: { kind: 'pause' } });
        expect(pressKey('p', view, { paused: true, options: o })).toEqual({ view, command: { kind: 'resume' } });
        expect(pressKey(' ', view, { paused: true, options: o })).toEqual({ view, command: { kind: 'resume' } });
        expect(pressKey(' ', view, { paused: false, options: o })).toEqual({ view });
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
    const session = { paused: false, options: traceOptionsSchema.parse({ target: '192.0.2.1' }) };
    let view = initialLiveView({ dns: true });
    const seen = [];
    for (let i = 0; i < LIVE_MODES.length; i++) {
      seen.push(view.mode);
      view = pressKey('d', view, session).view;
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

  it('u and t switch to UDP and TCP, and back to ICMP (without ports) when already there', () => {
    fc.assert(
      fc.property(closed, sessions, fc.constantFrom(['u', 'udp'], ['t', 'tcp']), (view, session, [key, wanted]) => {
        const back = session.options.protocol === wanted;
        const outcome = pressKey(key, view, session);
        expect(outcome.view).toEqual(view);
        const next = back ? 'icmp' : wanted;
        const expected = { ...session.options, protocol: next };
        if (back) delete expected.port;
        expect(outcome.command).toEqual({ kind: 'options', options: expected, what: next.toUpperCase() });
      }),
    );
  });

  it('y goes through the IP info the offline data has (AS, country, both), never off; z turns AS info on and off', () => {
    const afterY: Record<string, string[]> = {
      '': ['as'],
      as: ['country'],
      country: ['as', 'country'],
      'as+country': ['as'],
    };
    fc.assert(
      fc.property(closed, sessions, (view, session) => {
        const y = pressKey('y', view, session);
        expect(y).toEqual({ view: { ...view, owners: afterY[view.owners.join('+')] } });
        const z = pressKey('z', view, session);
        expect(z).toEqual({ view: { ...view, owners: view.owners.length > 0 ? [] : ['as'] } });
      }),
    );
  });

  it('opens a prompt for each key that takes a value, and Q never quits', () => {
    fc.assert(
      fc.property(closed, sessions, fc.constantFrom(...PROMPTS), (view, session, key) => {
        expect(pressKey(key, view, session)).toEqual({ view: { ...view, prompt: { key, text: '' } } });
      }),
    );
  });

  it('at a prompt every key is typed (q too), and Escape leaves the view as it was', () => {
    const typed = fc.array(
      fc.string({ minLength: 1, maxLength: 1 }).filter((k) => k >= ' ' && k !== '\x7f'),
      { maxLength: 25 },
    );
    fc.assert(
      fc.property(closed, sessions, fc.constantFrom(...PROMPTS), typed, (view, session, key, text) => {
        const open = typeKeys([key, ...text], view, session);
        expect(open.command).toBeUndefined();
        expect(open.view.prompt).toEqual({ key, text: text.join('').slice(0, 20) });
        expect(pressKey('\x1b', open.view, session)).toEqual({ view });
      }),
    );
  });

  it('o sets the columns in the order typed, ending the jitter columns; an unknown letter leaves them, saying so', () => {
    fc.assert(
      fc.property(closed, sessions, (view, session) => {
        expect(typeKeys(['o', 'L', 'S', 'D', '\r'], view, session)).toEqual({
          view: { ...view, fields: 'LSD', jitter: false },
        });
        const refused = typeKeys(['o', 'L', 'Z', '\r'], view, session);
        expect(refused.view).toEqual(view);
        expect(refused.notice).toMatch(/^fields "LZ" refused: unknown field letter "Z"/);
        // Nothing typed is nothing asked.
        expect(typeKeys(['o', '\r'], view, session)).toEqual({ view });
      }),
    );
  });

  it('a setting typed at its prompt becomes options for the session, or a notice and nothing else', () => {
    fc.assert(
      fc.property(closed, sessions, (view, session) => {
        const interval = typeKeys(['i', '0', '.', '5', '\r'], view, {
          ...session,
          options: { ...session.options, intervalSec: 1 },
        });
        expect(interval.view).toEqual(view);
        expect(interval.command).toEqual({
          kind: 'options',
          options: { ...session.options, intervalSec: 0.5 },
          what: 'interval 0.5 s',
        });
        const tos = typeKeys(['Q', '2', '5', '6', '\r'], view, session);
        expect(tos).toEqual({ view, notice: 'TOS 256 refused: TOS must be between 0 and 255' });
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

  it('starts with names as -n left them, MPLS labels shown, the statistics table, -o and -z/-y as given', () => {
    expect(initialLiveView({ dns: false })).toEqual({
      help: false,
      names: false,
      jitter: false,
      mpls: true,
      mode: 'table',
      owners: [],
    });
    expect(initialLiveView({ dns: true, fields: 'LSD', owners: ['country'] })).toMatchObject({
      fields: 'LSD',
      owners: ['country'],
    });
  });
});

describe('keys in split mode (-p), as in mtr: no screen to show a prompt or a view on', () => {
  it('quits on q and Ctrl-C, resets on r, pauses and resumes on p and SPACE, and says why any other key does nothing', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.string({ minLength: 1, maxLength: 1 }), (paused, key) => {
        const outcome = pressSplitKey(key, { paused });
        const expected =
          key === 'q' || key === '\x03'
            ? { command: { kind: 'quit' } }
            : key === 'r'
              ? { command: { kind: 'reset' } }
              : key === 'p' || (key === ' ' && paused)
                ? { command: { kind: paused ? 'resume' : 'pause' } }
                : key === ' '
                  ? {}
                  : // Q (mtr's split mode lower-cases it into a quit) is the TOS key here: it never quits.
                    { note: SPLIT_KEYS_NOTE };
        expect(outcome).toMatchObject(expected);
        if (!('command' in expected)) expect(outcome.command).toBeUndefined();
      }),
    );
    expect(pressSplitKey('Q', { paused: false }).command).toBeUndefined();
  });
});
