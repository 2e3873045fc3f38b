/** Which hop-table columns a person chose to see, remembered across launches. */
import { HOP_COLUMNS, PERCENTILE_COLUMNS, type HopColumnId } from './sortHops';

export const COLUMNS_STORAGE_KEY = 'hopscope.columns';
/**
 * Set once a choice was saved by a build that knew the percentile columns:
 * a choice saved before them did not hide them, so they are shown.
 */
export const PERCENTILES_KNOWN_KEY = 'hopscope.columns.percentiles';

/** Without these the table says nothing; they cannot be hidden. */
export const REQUIRED_COLUMNS: readonly HopColumnId[] = ['ttl', 'host'];

export const DEFAULT_VISIBLE_COLUMNS: readonly HopColumnId[] = HOP_COLUMNS;

function isColumnId(value: unknown): value is HopColumnId {
  return typeof value === 'string' && (HOP_COLUMNS as readonly string[]).includes(value);
}

/** Keeps known ids, adds required ones, and returns them in table order. */
export function normalizeColumns(columns: readonly unknown[]): HopColumnId[] {
  const wanted = new Set<HopColumnId>([...REQUIRED_COLUMNS, ...columns.filter(isColumnId)]);
  return HOP_COLUMNS.filter((c) => wanted.has(c));
}

function defaultStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Access itself throws when storage is disabled.
    return null;
  }
}

export function readColumnPreference(storage: Storage | null = defaultStorage()): HopColumnId[] | null {
  try {
    const raw = storage?.getItem(COLUMNS_STORAGE_KEY);
    if (raw == null) return null;
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return null;
    const saved: unknown[] = parsed;
    const known = storage?.getItem(PERCENTILES_KNOWN_KEY) != null;
    return normalizeColumns(known ? saved : [...saved, ...PERCENTILE_COLUMNS]);
  } catch {
    return null;
  }
}

export function writeColumnPreference(
  columns: readonly HopColumnId[],
  storage: Storage | null = defaultStorage(),
): void {
  try {
    storage?.setItem(COLUMNS_STORAGE_KEY, JSON.stringify(normalizeColumns(columns)));
    storage?.setItem(PERCENTILES_KNOWN_KEY, '1');
  } catch {
    // Full or disabled storage: the choice just isn't remembered.
  }
}
