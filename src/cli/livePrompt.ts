/**
 * The prompt line of the live view's keys that take a value (mtr's `o str`,
 * `c <n>`, `i <n>`, …): one line at the bottom of the view, edited key by
 * key. Pure: Enter accepts, Escape cancels, Backspace edits, and the
 * terminal's bytes are split into keys here.
 */
import type { TraceOptions } from '@shared/traceOptions';
import { MTR_FIELDS } from '@shared/formats/mtrFields';
import { SETTINGS, fieldOrderNow, type SettingKey } from './liveSettings';

export type PromptKey = SettingKey | 'o';

export interface LivePrompt {
  key: PromptKey;
  text: string;
}

/** mtr reads at most MAXFLD (20) characters at its prompts. */
export const MAX_PROMPT_CHARS = 20;

const ESCAPE = '\x1b';
const BACKSPACES = new Set(['\x7f', '\b']);
/** Ctrl-U, as in a shell: the whole line goes. */
const KILL_LINE = '\x15';

export type PromptEdit = { prompt: LivePrompt } | { cancelled: true } | { accepted: string };

/** One key typed at the prompt. Keys that are neither printable nor editing ones change nothing. */
export function editPrompt(prompt: LivePrompt, key: string): PromptEdit {
  if (key === '\r' || key === '\n') return { accepted: prompt.text };
  if (key === ESCAPE) return { cancelled: true };
  if (BACKSPACES.has(key)) return { prompt: { ...prompt, text: [...prompt.text].slice(0, -1).join('') } };
  if (key === KILL_LINE) return { prompt: { ...prompt, text: '' } };
  const printable = [...key].length === 1 && !/\p{C}/u.test(key);
  if (!printable || [...prompt.text].length >= MAX_PROMPT_CHARS) return { prompt };
  return { prompt: { ...prompt, text: prompt.text + key } };
}

const FIELD_LETTERS = [...MTR_FIELDS.keys()].filter((k) => k !== ' ').join('');

/** The line as the view shows it: what is asked, the value now, and what was typed so far. */
export function promptLine(prompt: LivePrompt, options: TraceOptions, fields: string | undefined): string {
  const asked =
    prompt.key === 'o'
      ? `Fields (letters ${FIELD_LETTERS}, space for a gap; now "${fieldOrderNow(fields)}")`
      : `${capitalised(SETTINGS[prompt.key].name)} (${SETTINGS[prompt.key].hint}; now ${SETTINGS[prompt.key].now(options)})`;
  return `${asked} [Enter applies, Esc cancels]: ${prompt.text}`;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A terminal's bytes as keys: each character, except that an escape
 * sequence (an arrow, a function key) is one key, so its letters are not
 * taken for mtr's keys. A lone Escape stays a key of its own.
 */
export function terminalKeys(data: string): string[] {
  // eslint-disable-next-line no-control-regex -- an escape sequence begins with ESC
  return data.match(/\x1b\[[0-9;?]*[\x40-\x7e]|\x1bO[\x40-\x7e]|[\s\S]/gu) ?? [];
}
