/**
 * mtr's interactive keys (man mtr, INTERACTIVE CONTROL) for the CLI's live
 * view, as a pure key + state → state and command function: what each key
 * does is testable without a terminal, and runTrace only carries it out.
 */
import type { Protocol } from '@shared/protocols';

/** The statistics table, and one character per round of the newest samples per hop (mtr's `d`). */
export const LIVE_MODES = ['table', 'strip'] as const;
export type LiveMode = (typeof LIVE_MODES)[number];

/** What the view shows; the session's measurement is not part of it. */
export interface LiveView {
  help: boolean;
  /** Host names (when known) instead of addresses. */
  names: boolean;
  /** mtr's jitter fields `DR AGJMXI` instead of the latency ones. */
  jitter: boolean;
  mpls: boolean;
  mode: LiveMode;
}

/** What the session is asked to do. */
export type LiveCommand =
  | { kind: 'quit' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'reset' }
  | { kind: 'protocol'; protocol: Protocol };

export interface KeyOutcome {
  view: LiveView;
  command?: LiveCommand;
}

/** What the session is doing, as far as a key depends on it. */
export interface LiveSessionState {
  paused: boolean;
  protocol: Protocol;
}

/** Raw mode delivers Ctrl-C as a character instead of SIGINT. */
const CTRL_C = '\x03';

/** The keys, as the help overlay lists them. */
export const LIVE_KEY_HELP: readonly (readonly [key: string, what: string])[] = [
  ['? h', 'this help (any key closes it)'],
  ['p', 'pause, and resume'],
  ['SPACE', 'resume'],
  ['n', 'toggle host names and addresses'],
  ['r', 'reset statistics (counting starts again)'],
  ['j', 'toggle latency (-o fields) and jitter (DR AGJMXI) columns'],
  ['e', 'toggle MPLS labels'],
  ['d', 'switch display: statistics table, or one character per round (. reply, ? none)'],
  ['u', 'switch between ICMP and UDP (statistics restart)'],
  ['t', 'switch between ICMP and TCP (statistics restart)'],
  ['q', 'quit (Ctrl-C too)'],
];

export function initialLiveView(opts: { dns: boolean }): LiveView {
  // MPLS labels stay on by default, as the live view always showed them.
  return { help: false, names: opts.dns, jitter: false, mpls: true, mode: 'table' };
}

/** mtr's `u`/`t`: switch to that protocol, or back to ICMP when it is already in use. */
const toggled = (current: Protocol, wanted: Protocol): Protocol => (current === wanted ? 'icmp' : wanted);

export function pressKey(key: string, view: LiveView, session: LiveSessionState): KeyOutcome {
  if (key === CTRL_C) return { view, command: { kind: 'quit' } };
  // As in mtr, any key closes the help, and does nothing else.
  if (view.help) return { view: { ...view, help: false } };
  switch (key) {
    case 'q':
      return { view, command: { kind: 'quit' } };
    case '?':
    case 'h':
      return { view: { ...view, help: true } };
    case 'p':
      return { view, command: { kind: session.paused ? 'resume' : 'pause' } };
    case ' ':
      return session.paused ? { view, command: { kind: 'resume' } } : { view };
    case 'n':
      return { view: { ...view, names: !view.names } };
    case 'r':
      return { view, command: { kind: 'reset' } };
    case 'j':
      return { view: { ...view, jitter: !view.jitter } };
    case 'e':
      return { view: { ...view, mpls: !view.mpls } };
    case 'd':
      return { view: { ...view, mode: LIVE_MODES[(LIVE_MODES.indexOf(view.mode) + 1) % LIVE_MODES.length]! } };
    case 'u':
      return { view, command: { kind: 'protocol', protocol: toggled(session.protocol, 'udp') } };
    case 't':
      return { view, command: { kind: 'protocol', protocol: toggled(session.protocol, 'tcp') } };
    default:
      return { view };
  }
}
