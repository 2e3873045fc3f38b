import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_PROMPT_CHARS,
  editPrompt,
  promptLine,
  terminalKeys,
  type LivePrompt,
  type PromptKey,
} from '../../../src/cli/livePrompt';
import { traceOptionsSchema } from '@shared/traceOptions';

const KEYS: PromptKey[] = ['o', 'c', 'i', 'f', 'm', 's', 'b', 'Q'];
const printable = fc
  .string({ minLength: 1, maxLength: 1, unit: 'grapheme-ascii' })
  .filter((k) => k >= ' ' && k < '\x7f');
const prompts = fc.record<LivePrompt>({
  key: fc.constantFrom(...KEYS),
  text: fc.string({ maxLength: MAX_PROMPT_CHARS }),
});

/** Every key typed in turn; the prompt as it stands, or how it closed. */
function typed(prompt: LivePrompt, keys: string[]) {
  let edit = editPrompt(prompt, '');
  for (const key of keys) {
    if (!('prompt' in edit)) break;
    edit = editPrompt(edit.prompt, key);
  }
  return edit;
}

describe('the prompt line of the keys that take a value', () => {
  it('collects printable keys up to its limit, and Enter hands over exactly that', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KEYS), fc.array(printable, { maxLength: 30 }), (key, keys) => {
        const text = keys.join('').slice(0, MAX_PROMPT_CHARS);
        expect(typed({ key, text: '' }, keys)).toEqual({ prompt: { key, text } });
        expect(typed({ key, text: '' }, [...keys, '\r'])).toEqual({ accepted: text });
        expect(typed({ key, text: '' }, [...keys, '\n'])).toEqual({ accepted: text });
      }),
    );
  });

  it('Backspace (DEL or ^H) takes the last character back, ^U the whole line; Escape cancels', () => {
    fc.assert(
      fc.property(prompts, fc.constantFrom('\x7f', '\b'), (prompt, backspace) => {
        expect(editPrompt(prompt, backspace)).toEqual({
          prompt: { ...prompt, text: [...prompt.text].slice(0, -1).join('') },
        });
        expect(editPrompt(prompt, '\x15')).toEqual({ prompt: { ...prompt, text: '' } });
        expect(editPrompt(prompt, '\x1b')).toEqual({ cancelled: true });
      }),
    );
  });

  it('ignores other control characters and whole escape sequences (arrows, function keys)', () => {
    const controls = fc
      .integer({ min: 0, max: 31 })
      .map((c) => String.fromCharCode(c))
      .filter((k) => !['\r', '\n', '\b', '\x15', '\x1b'].includes(k));
    fc.assert(
      fc.property(
        prompts,
        fc.oneof(controls, fc.constantFrom('\x1b[A', '\x1b[3~', '\x1bOP', '\x85')),
        (prompt, key) => {
          expect(editPrompt(prompt, key)).toEqual({ prompt });
        },
      ),
    );
  });

  it("shows what is asked, the value now, and what was typed, at the line's end", () => {
    const options = traceOptionsSchema.parse({ target: '192.0.2.1', intervalSec: 0.5 });
    expect(promptLine({ key: 'i', text: '2' }, options, undefined)).toBe(
      'Interval (seconds between rounds; now 0.5 s) [Enter applies, Esc cancels]: 2',
    );
    expect(promptLine({ key: 'Q', text: '' }, options, undefined)).toMatch(/^TOS \(0-255 or 0x\.\.; now default\) /);
    expect(promptLine({ key: 'o', text: 'LS' }, options, 'LSD')).toMatch(
      /^Fields \(letters LDRSNBAWVGJMXI, .*now "LSD"\).*: LS$/,
    );
    expect(promptLine({ key: 'c', text: '' }, options, undefined)).toMatch(/now until q\)/);
  });
});

describe("the terminal's bytes as keys", () => {
  it('keeps every byte, one key per character, an escape sequence as one key', () => {
    const pieces = fc.array(fc.oneof(printable, fc.constantFrom('\x1b[A', '\x1b[1;5D', '\x1bOQ', '\x1b', '\r', 'é')), {
      maxLength: 20,
    });
    fc.assert(
      fc.property(pieces, (keys) => {
        const data = keys.join('');
        const split = terminalKeys(data);
        expect(split.join('')).toBe(data);
        for (const key of split) if ([...key].length > 1) expect(key.startsWith('\x1b')).toBe(true);
      }),
    );
    expect(terminalKeys('i0.5\r\x1b[Aq')).toEqual(['i', '0', '.', '5', '\r', '\x1b[A', 'q']);
  });
});
