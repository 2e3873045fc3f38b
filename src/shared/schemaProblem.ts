/**
 * The one way a schema error becomes words: "field: message" for the first
 * issue. Every boundary (IPC, CLI flags, files, preferences, probe options)
 * reports through this, so the same mistake reads the same everywhere.
 */

/** The parts of a zod issue this needs (zod's own type satisfies it). */
export interface IssueLike {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  expected?: unknown;
  keys?: readonly string[];
}

export interface SchemaProblem {
  /** Dotted path of the offending field (`hops[2].avgMs`), or '' for the whole value. */
  field: string;
  message: string;
}

/** Renders an issue path as `hops[2].hosts[0].avgMs` (odd keys as `["Loss%"]`); '' for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** The field and message of one issue; an unrecognised key names that key. */
export function schemaProblem(issue: IssueLike, prefix: readonly PropertyKey[] = []): SchemaProblem {
  let message = issue.message.replace(/^Invalid input: /, '');
  if (issue.code === 'invalid_type' && /received undefined$/.test(message)) {
    message = `missing (expected ${typeof issue.expected === 'string' ? issue.expected : 'a value'})`;
  }
  const path = issue.code === 'unrecognized_keys' && issue.keys?.[0] ? [...issue.path, issue.keys[0]] : issue.path;
  return { field: formatPath([...prefix, ...path]), message };
}

/** The first issue of a failed parse, or `fallback` when there is none. */
export function firstSchemaProblem(error: { issues: readonly IssueLike[] }, fallback = 'invalid value'): SchemaProblem {
  const first = error.issues[0];
  return first ? schemaProblem(first) : { field: '', message: fallback };
}

/** "field: message", or just the message for a problem with the whole value. */
export function describeSchemaProblem(problem: SchemaProblem): string {
  return problem.field ? `${problem.field}: ${problem.message}` : problem.message;
}
