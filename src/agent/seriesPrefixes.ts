/**
 * Line starts (`name{labels} `) kept from one scrape to the next. A scrape
 * writes thousands of lines whose names and labels rarely change; only the
 * values do. Building each `name{target="…",ttl="…",le="…"} ` once per series,
 * rather than once per scrape, halves the rendering work and its garbage.
 * Entries a render did not use are dropped by the next one, so the cache never
 * holds more than the series of one exposition.
 */
import { formatLabelPairs, type Labels } from './exposition';

/** `name{pairs} ` (or `name ` without labels): everything of a sample line but its value. */
export function seriesPrefix(name: string, pairs: string): string {
  return pairs ? `${name}{${pairs}} ` : `${name} `;
}

/** The prefixes of one label set (a target, or a target's hop), by series name and extra labels. */
export class SeriesGroup {
  private readonly prefixes = new Map<string, string>();

  constructor(readonly pairs: string) {}

  /** The line start of `name` with this group's labels. */
  prefix(name: string): string {
    let prefix = this.prefixes.get(name);
    if (prefix === undefined) {
      prefix = seriesPrefix(name, this.pairs);
      this.prefixes.set(name, prefix);
    }
    return prefix;
  }

  /**
   * The line start of `name` with this group's labels and `extra` ones after
   * them, remembered under `key` (the caller's cheap identity of `extra`).
   */
  prefixWith(name: string, key: string, extra: () => Labels | string): string {
    const id = `${name}\n${key}`;
    let prefix = this.prefixes.get(id);
    if (prefix === undefined) {
      const labels = extra();
      const more = typeof labels === 'string' ? labels : formatLabelPairs(labels);
      prefix = seriesPrefix(name, this.pairs ? `${this.pairs},${more}` : more);
      this.prefixes.set(id, prefix);
    }
    return prefix;
  }
}

/** Groups by key, kept for one more render after their last use. */
export class SeriesPrefixCache {
  private current = new Map<string, SeriesGroup>();
  private previous = new Map<string, SeriesGroup>();

  /** Starts a render: groups the last render did not use are let go. */
  begin(): void {
    this.previous = this.current;
    this.current = new Map();
  }

  /** The group for `key`, whose labels are `labels()` (asked only when it is new). */
  group(key: string, labels: () => Labels): SeriesGroup {
    let group = this.current.get(key);
    if (group === undefined) {
      group = this.previous.get(key) ?? new SeriesGroup(formatLabelPairs(labels()));
      this.current.set(key, group);
    }
    return group;
  }

  /** Groups the current render uses (for tests: the cache stays bounded). */
  get size(): number {
    return this.current.size;
  }
}
