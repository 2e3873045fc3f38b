/**
 * Preferences kept in `<userData>/preferences.json`: window bounds, the
 * last trace options and an explicit mtr-packet path. The file is
 * validated on load; a file that does not validate is renamed aside
 * (`preferences.corrupt-<time>.json`) so the app starts with defaults
 * instead of crashing, and the user's data is kept for inspection.
 * No electron import: the directory is passed in.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { traceOptionsSchema, type TraceOptions } from '@shared/traceOptions';
import { MAX_PREFERENCES_BYTES } from '@shared/limits';
import { describeSchemaProblem, firstSchemaProblem } from '@shared/schemaProblem';
import { enrichmentSettingsSchema } from '@shared/enrichmentSettings';

export const PREFERENCES_FILE = 'preferences.json';

const coordinate = z.number().int().min(-100_000).max(100_000);
const extent = z.number().int().min(100).max(100_000);

export const windowStateSchema = z
  .object({
    x: coordinate.optional(),
    y: coordinate.optional(),
    width: extent,
    height: extent,
    maximized: z.boolean().default(false),
  })
  .strict();
export type WindowState = z.infer<typeof windowStateSchema>;

function absolutePath(what: string) {
  return z
    .string()
    .min(1)
    .max(4096)
    .refine((p) => isAbsolute(p) && !p.includes('\0'), { error: `${what} must be absolute` })
    .nullable()
    .default(null);
}

export const preferencesSchema = z
  .object({
    version: z.literal(1),
    window: windowStateSchema.nullable().default(null),
    lastTraceOptions: z.nullable(traceOptionsSchema).default(null),
    /** An explicit mtr-packet; null means MTR_PACKET, then PATH. */
    mtrPacketPath: absolutePath('mtr-packet path'),
    /** Your AS ranges (the `--asn-db` CSV layout), asked before the shipped data; null: shipped data only. */
    asnDbPath: enrichmentSettingsSchema.shape.asnDbPath.default(null),
    /** Your country mmdb (`--geo-db`), asked before the shipped data; null: shipped data only. */
    geoDbPath: enrichmentSettingsSchema.shape.geoDbPath.default(null),
  })
  .strict();
export type Preferences = z.infer<typeof preferencesSchema>;

export function defaultPreferences(): Preferences {
  return { version: 1, window: null, lastTraceOptions: null, mtrPacketPath: null, asnDbPath: null, geoDbPath: null };
}

export interface LoadResult {
  preferences: Preferences;
  /** Why defaults were used, when the file existed but could not be used. */
  problem?: string;
  /** Where a corrupt file was moved. */
  setAsidePath?: string;
}

function corruptName(now: Date): string {
  // No colons: the name must be valid on Windows too.
  return `preferences.corrupt-${now.toISOString().replace(/[:.]/g, '-')}.json`;
}

/** Check a parsed JSON value; the error names the first bad field. */
export function validatePreferences(value: unknown): { ok: true; value: Preferences } | { ok: false; error: string } {
  const parsed = preferencesSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: describeSchemaProblem(firstSchemaProblem(parsed.error)) };
}

export async function loadPreferences(dir: string, now: () => Date = () => new Date()): Promise<LoadResult> {
  const file = join(dir, PREFERENCES_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { preferences: defaultPreferences() };
    // Unreadable (permissions, a directory in the way): leave it alone, use defaults.
    return { preferences: defaultPreferences(), problem: `cannot read ${file}: ${code ?? String(err)}` };
  }
  let problem: string;
  if (Buffer.byteLength(text) > MAX_PREFERENCES_BYTES) {
    problem = 'file is too large';
  } else {
    let json: unknown;
    try {
      json = JSON.parse(text);
      const valid = validatePreferences(json);
      if (valid.ok) return { preferences: valid.value };
      problem = valid.error;
    } catch (err) {
      problem = `not JSON (${(err as Error).message})`;
    }
  }
  const aside = join(dir, corruptName(now()));
  try {
    await rename(file, aside);
    return { preferences: defaultPreferences(), problem, setAsidePath: aside };
  } catch (err) {
    return { preferences: defaultPreferences(), problem: `${problem}; could not move it aside: ${String(err)}` };
  }
}

/** Write atomically (temp file, then rename) so a crash never leaves half a file. */
export async function savePreferences(dir: string, preferences: Preferences): Promise<void> {
  const valid = validatePreferences(preferences);
  if (!valid.ok) throw new Error(`refusing to save invalid preferences: ${valid.error}`);
  await mkdir(dir, { recursive: true });
  const file = join(dir, PREFERENCES_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(valid.value, null, 2) + '\n', { mode: 0o600 });
  await rename(temp, file);
}

/**
 * The loaded preferences plus serialized saving: updates apply at once in
 * memory, and writes happen one after another in update order.
 */
export class PreferencesStore {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private current: Preferences,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  get(): Preferences {
    return this.current;
  }

  update(patch: Partial<Omit<Preferences, 'version'>>): Promise<void> {
    this.current = { ...this.current, ...patch };
    const snapshot = this.current;
    this.writing = this.writing.then(() => savePreferences(this.dir, snapshot)).catch(this.onError);
    return this.writing;
  }

  setWindow(window: WindowState): Promise<void> {
    return this.update({ window });
  }

  setLastTraceOptions(options: TraceOptions): Promise<void> {
    return this.update({ lastTraceOptions: options });
  }

  /** Wait for pending writes. */
  flush(): Promise<void> {
    return this.writing;
  }
}
