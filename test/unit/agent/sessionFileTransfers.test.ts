/**
 * The agent's session files for one viewer: written by the export it is
 * given into a temporary folder, read back by token in bounded chunks, and
 * removed when read to the end, on a quiet while, and when the viewer goes.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_SESSION_FILES_PER_VIEWER } from '@shared/agentSessionFile';
import { SessionFileTransfers } from '../../../src/agent/viewServer/sessionFileTransfers';
import { StoredSessionError } from '../../../src/main/service/sessionHistory';

const CONTENT = Buffer.from('0123456789'.repeat(30));
const writeFile = (id: number, target: string) => {
  if (id !== 1) return Promise.reject(new StoredSessionError('not-found', `no stored session ${id}`));
  writeFileSync(target, CONTENT);
  return Promise.resolve({ samples: 5 });
};

afterEach(() => vi.useRealTimers());

async function prepared(files: SessionFileTransfers): Promise<string> {
  const answer = await files.answer('prepareSessionFile', { id: 1 });
  if (!answer.ok) throw new Error(answer.error.message);
  return (answer.value as { token: string }).token;
}

describe('SessionFileTransfers', () => {
  it('reads the file in chunks and removes it after the last', async () => {
    const files = new SessionFileTransfers(() => writeFile);
    const token = await prepared(files);
    const parts: Buffer[] = [];
    for (let offset = 0, done = false; !done;) {
      const answer = await files.answer('readSessionFile', { token, offset, length: 128 });
      const value = answer.ok ? (answer.value as { bytes: string; done: boolean }) : null;
      parts.push(Buffer.from(value!.bytes, 'base64'));
      offset += parts.at(-1)!.length;
      done = value!.done;
    }
    expect(Buffer.concat(parts).equals(CONTENT)).toBe(true);
    expect(parts.map((p) => p.length)).toEqual([128, 128, 44]);
    expect(files.pending).toBe(0);
    expect(readdirSync(files.folder!)).toEqual([]);
    const again = await files.answer('readSessionFile', { token, offset: 0, length: 128 });
    expect(again.ok === false && again.error.code).toBe('not-found');
    files.close();
    expect(existsSync(files.folder ?? '/nonexistent')).toBe(false);
  });

  it('refuses without a history, an unknown session, bad requests and too many files at once', async () => {
    const none = await new SessionFileTransfers(() => null).answer('prepareSessionFile', { id: 1 });
    expect(none.ok === false && none.error).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/no history/),
    });
    const files = new SessionFileTransfers(() => writeFile);
    const unknown = await files.answer('prepareSessionFile', { id: 2 });
    expect(unknown.ok === false && unknown.error).toEqual({ code: 'not-found', message: 'no stored session 2' });
    const bad = await files.answer('readSessionFile', { token: '../../etc/passwd', offset: 0, length: 1 });
    expect(bad.ok === false && bad.error.code).toBe('invalid-request');
    const tokens = [];
    for (let i = 0; i < MAX_SESSION_FILES_PER_VIEWER; i++) tokens.push(await prepared(files));
    const more = await files.answer('prepareSessionFile', { id: 1 });
    expect(more.ok === false && more.error.message).toMatch(/being read already/);
    const past = await files.answer('readSessionFile', { token: tokens[0], offset: 301, length: 1 });
    expect(past.ok === false && past.error.message).toMatch(/past the file's end/);
    // The viewer goes: every file and the folder with it.
    const folder = files.folder!;
    expect(readdirSync(folder)).toHaveLength(MAX_SESSION_FILES_PER_VIEWER);
    files.close();
    expect(existsSync(folder)).toBe(false);
  });

  it('removes a file nobody reads for a while', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const files = new SessionFileTransfers(() => writeFile, 1_000);
    await prepared(files);
    expect(readdirSync(files.folder!)).toHaveLength(1);
    vi.advanceTimersByTime(1_001);
    expect(files.pending).toBe(0);
    expect(readdirSync(files.folder!)).toEqual([]);
    files.close();
  });
});
