/**
 * The app reading an agent's session file in chunks, against an agent that
 * misbehaves in ways a real one does not (hence a scripted link): answers
 * that skip or repeat bytes, overrun what was asked or announced, stop
 * short, or are no DuckDB file. Each ends the export with the reason and
 * leaves neither the target nor a partial file behind; a well-behaved one
 * lands at the target in the chunk size asked for.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { ReadSessionFileAnswer } from '@shared/agentSessionFile';
import { downloadSessionFile } from '../../../src/main/remote/agentSessionFileDownload';

const dir = mkdtempSync(join(tmpdir(), 'hopscope-download-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A DuckDB-looking file: "DUCK" at byte 8. */
const FILE = Buffer.concat([Buffer.alloc(8), Buffer.from('DUCK'), Buffer.from('x'.repeat(1000))]);
const TOKEN = 'cd'.repeat(16);

/** What a well-behaved agent answers. */
function honest(offset: number, length: number, file: Buffer = FILE): ReadSessionFileAnswer {
  const bytes = file.subarray(offset, offset + length);
  return { bytes: bytes.toString('base64'), offset, total: file.length, done: offset + bytes.length === file.length };
}

type Reader = (offset: number, length: number) => ReadSessionFileAnswer;

function agent(file: Buffer, reader?: Reader, asked: number[] = []) {
  return {
    call: <T>(name: string, payload: unknown, schema: z.ZodType<T>): Promise<T> => {
      if (name === 'prepareSessionFile')
        return Promise.resolve(schema.parse({ token: TOKEN, total: file.length, samples: 7 }));
      const { offset, length } = payload as { offset: number; length: number };
      asked.push(offset);
      return Promise.resolve(schema.parse((reader ?? ((o: number, l: number) => honest(o, l, file)))(offset, length)));
    },
  };
}

describe('downloadSessionFile', () => {
  it('writes the chunks in order to the target', async () => {
    const asked: number[] = [];
    const target = join(dir, 'ok.duckdb');
    await expect(downloadSessionFile(agent(FILE, undefined, asked), 3, target, 100)).resolves.toEqual({ samples: 7 });
    expect(readFileSync(target).equals(FILE)).toBe(true);
    expect(asked).toEqual(Array.from({ length: 11 }, (_, i) => i * 100));
  });

  const cases: [string, Buffer, Reader, RegExp][] = [
    ['skips bytes', FILE, (o, l) => honest(o === 100 ? 200 : o, l), /bytes 200 of 1012 when 100 of 1012/],
    ['changes its size', FILE, (o, l) => ({ ...honest(o, l), total: 2000 }), /when 0 of 1012/],
    ['sends more than asked', FILE, (o, l) => honest(o, l + 10), /more bytes than asked/],
    ['stops short', FILE, (o, l) => ({ ...honest(o, l), done: true }), /ended at 100 bytes, not at the 1012/],
    ['never says done', FILE, (o, l) => ({ ...honest(o, l), done: false }), /went on past the 1012 bytes it announced/],
    ['sends an empty chunk', FILE, (o) => ({ bytes: '', offset: o, total: FILE.length, done: false }), /empty chunk/],
    ['is no DuckDB file', Buffer.alloc(300, 1), (o, l) => honest(o, l, Buffer.alloc(300, 1)), /not a DuckDB database/],
  ];
  for (const [what, file, reader, reason] of cases) {
    it(`stops when the agent ${what}, leaving nothing behind`, async () => {
      const target = join(dir, `bad-${what.replace(/ /g, '-')}.duckdb`);
      await expect(downloadSessionFile(agent(file, reader), 3, target, 100)).rejects.toThrow(reason);
      expect(readdirSync(dir).filter((name) => name.includes('bad-'))).toEqual([]);
    });
  }

  it('refuses a chunk size beyond what one answer may carry', async () => {
    await expect(downloadSessionFile(agent(FILE), 3, join(dir, 'x'), 64 * 1024 * 1024)).rejects.toThrow(/a chunk is/);
  });
});
