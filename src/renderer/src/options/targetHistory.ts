/** Targets a person traced recently, newest first, remembered across launches. */
import { targetSchema } from '@shared/probe';

const TARGET_HISTORY_KEY = 'hopscope.targetHistory';
const TARGET_HISTORY_LIMIT = 10;

function defaultStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Access itself throws when storage is disabled.
    return null;
  }
}

export function readTargetHistory(storage: Storage | null = defaultStorage()): string[] {
  try {
    const raw = storage?.getItem(TARGET_HISTORY_KEY);
    if (raw == null) return [];
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return [];
    // Whatever is stored, only valid targets come back out.
    return parsed.filter((t): t is string => targetSchema.safeParse(t).success).slice(0, TARGET_HISTORY_LIMIT);
  } catch {
    return [];
  }
}

/** Puts `target` first (once) and returns the new list. */
export function rememberTarget(target: string, storage: Storage | null = defaultStorage()): string[] {
  const next = [target, ...readTargetHistory(storage).filter((t) => t !== target)].slice(0, TARGET_HISTORY_LIMIT);
  try {
    storage?.setItem(TARGET_HISTORY_KEY, JSON.stringify(next));
  } catch {
    // Full or disabled storage: the history just isn't kept.
  }
  return next;
}
