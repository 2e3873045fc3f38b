/**
 * mtr's interactive keys (man mtr, INTERACTIVE CONTROL) for the CLI's live
 * view, as a pure key + state → state and command function: what each key
 * does is testable without a terminal, and liveControl only carries it out.
 */
import type { Protocol } from '@shared/protocols';
import { traceOptionsSchema, type TraceOptions } from '@shared/traceOptions';
import type { OwnerColumn } from '@shared/formats/ownerColumns';
import { firstSchemaProblem } from '@shared/schemaProblem';
import { editPrompt, type LivePrompt, type PromptKey } from './livePrompt';
import { SETTING_KEYS, fieldOrderChange, settingChange } from './liveSettings';

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
  /** mtr's `o`: the columns (`-o` letters); absent, mtr's default order. */
  fields?: string;
  /** mtr's `y`/`z`: the owner columns shown before each name (offline AS and country data). */
  owners: readonly OwnerColumn[];
  /** A key's value being typed at the bottom of the view. */
  prompt?: LivePrompt;
}

/** What the session is asked to do. */
export type LiveCommand =
  | { kind: 'quit' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'reset' }
  /** Options that passed the schema; `what` names the change, for the view to say once the session took it. */
  | { kind: 'options'; options: TraceOptions; what: string };

export interface KeyOutcome {
  view: LiveView;
  command?: LiveCommand;
  /** What the key could not do, or did without a command: one line under the status line. */
  notice?: string;
}

/** What the session is doing, as far as a key depends on it. */
export interface LiveSessionState {
  paused: boolean;
  options: TraceOptions;
}

/** Raw mode delivers Ctrl-C as a character instead of SIGINT. */
const CTRL_C = '\x03';

/** The keys, as the help overlay lists them. */
export const LIVE_KEY_HELP: readonly (readonly [key: string, what: string])[] = [
  ['? h', 'this help (any key closes it)'],
  ['p SPACE', 'pause, and resume; SPACE only resumes'],
  ['n', 'toggle host names and addresses'],
  ['r', 'reset statistics (counting starts again)'],
  ['j', 'toggle latency (-o fields) and jitter (DR AGJMXI) columns'],
  ['e', 'toggle MPLS labels'],
  ['d', 'table, or a strip: one character per round (. reply, ? none)'],
  ['o str', 'set the columns (-o letters, e.g. LSD NBAW)'],
  ['c <n>', 'report cycles: n more rounds, then the report; 0: until q'],
  ['i <n>', 'seconds between rounds'],
  ['f m <n>', 'first TTL, max TTL'],
  ['s <n>', 'packet size in bytes'],
  ['b <c>', 'bit pattern of the payload, 0-255'],
  ['Q <t>', 'TOS byte, 0-255 (upper-case Q; q quits)'],
  ['u t', 'switch to UDP / TCP, and back to ICMP'],
  ['y', 'switch IP info: AS number, country, both (offline data)'],
  ['z', 'toggle AS info on/off'],
  ['q', 'quit (Ctrl-C too)'],
];

export function initialLiveView(opts: {
  dns: boolean;
  fields?: string | undefined;
  owners?: readonly OwnerColumn[] | undefined;
}): LiveView {
  // MPLS labels stay on by default, as the live view always showed them.
  return {
    help: false,
    names: opts.dns,
    jitter: false,
    mpls: true,
    mode: 'table',
    ...(opts.fields !== undefined ? { fields: opts.fields } : {}),
    owners: opts.owners ?? [],
  };
}

/** mtr's `u`/`t`: switch to that protocol, or back to ICMP when it is already in use. */
const toggled = (current: Protocol, wanted: Protocol): Protocol => (current === wanted ? 'icmp' : wanted);

/** The options with another protocol; ports belong to UDP, TCP and SCTP, so back to ICMP they are dropped. */
function protocolChange(options: TraceOptions, protocol: Protocol, view: LiveView): KeyOutcome {
  const next: Partial<TraceOptions> = { ...options, protocol };
  if (protocol === 'icmp') {
    delete next.port;
    delete next.localPort;
  }
  const parsed = traceOptionsSchema.safeParse(next, { jitless: true });
  const name = protocol.toUpperCase();
  if (!parsed.success) return { view, notice: `cannot switch to ${name}: ${firstSchemaProblem(parsed.error).message}` };
  return { view, command: { kind: 'options', options: parsed.data, what: name } };
}

/**
 * mtr's `y`: through the IP info the offline data has (mtr's other items, the
 * prefix, registry and allocation date, are not in it), then both together.
 */
const IP_INFO_CYCLE: readonly (readonly OwnerColumn[])[] = [['as'], ['country'], ['as', 'country']];

function nextIpInfo(owners: readonly OwnerColumn[]): readonly OwnerColumn[] {
  const at = IP_INFO_CYCLE.findIndex((c) => c.length === owners.length && c.every((o) => owners.includes(o)));
  return IP_INFO_CYCLE[(at + 1) % IP_INFO_CYCLE.length]!;
}

/** A key while a prompt is open: it edits the line, and Enter hands the value to its setting. */
function promptKey(key: string, view: LiveView, prompt: LivePrompt, options: TraceOptions): KeyOutcome {
  const edit = editPrompt(prompt, key);
  if ('prompt' in edit) return { view: { ...view, prompt: edit.prompt } };
  const { prompt: _closed, ...closed } = view;
  // Nothing typed is nothing asked, as at mtr's prompts.
  if ('cancelled' in edit || edit.accepted.trim() === '') return { view: closed };
  if (prompt.key === 'o') {
    const order = fieldOrderChange(edit.accepted);
    return order.ok
      ? { view: { ...closed, fields: order.fields, jitter: false } }
      : { view: closed, notice: order.message };
  }
  const change = settingChange(prompt.key, edit.accepted, options);
  if (!change.ok) return { view: closed, notice: change.message };
  return { view: closed, command: { kind: 'options', options: change.options, what: change.what } };
}

const PROMPT_KEYS: ReadonlySet<string> = new Set<PromptKey>(['o', ...SETTING_KEYS]);

export function pressKey(key: string, view: LiveView, session: LiveSessionState): KeyOutcome {
  if (key === CTRL_C) return { view, command: { kind: 'quit' } };
  if (view.prompt) return promptKey(key, view, view.prompt, session.options);
  // As in mtr, any key closes the help, and does nothing else.
  if (view.help) return { view: { ...view, help: false } };
  if (PROMPT_KEYS.has(key)) return { view: { ...view, prompt: { key: key as PromptKey, text: '' } } };
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
      return protocolChange(session.options, toggled(session.options.protocol, 'udp'), view);
    case 't':
      return protocolChange(session.options, toggled(session.options.protocol, 'tcp'), view);
    case 'y':
      return { view: { ...view, owners: nextIpInfo(view.owners) } };
    case 'z':
      return { view: { ...view, owners: view.owners.length > 0 ? [] : ['as'] } };
    default:
      return { view };
  }
}

/**
 * `-p/--split` mode paints no view (its stdout is mtr's split lines, for a
 * program to read), so as in mtr's split mode only keys that need no screen
 * act: q and Ctrl-C quit, r resets; p and SPACE pause and resume too. Each
 * key is answered by a note for stderr, so the split lines stay clean.
 */
export const SPLIT_KEYS_NOTE =
  'split mode (-p) takes q quit, r reset, p pause, SPACE resume; the other keys need the live view (no -p)';

export function pressSplitKey(key: string, session: Pick<LiveSessionState, 'paused'>): SplitKeyOutcome {
  switch (key) {
    case CTRL_C:
    case 'q':
      return { command: { kind: 'quit' } };
    case 'r':
      return { command: { kind: 'reset' }, note: 'statistics reset: counting starts again' };
    case 'p':
      return session.paused
        ? { command: { kind: 'resume' }, note: 'resumed' }
        : { command: { kind: 'pause' }, note: 'paused (p or SPACE resumes)' };
    case ' ':
      return session.paused ? { command: { kind: 'resume' }, note: 'resumed' } : { note: 'not paused' };
    default:
      return { note: SPLIT_KEYS_NOTE };
  }
}

export interface SplitKeyOutcome {
  command?: LiveCommand;
  /** One line for stderr. */
  note?: string;
}
