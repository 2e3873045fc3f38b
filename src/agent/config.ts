/**
 * The agent's configuration file: YAML or JSON (YAML 1.2 reads JSON), a list
 * of named targets whose options are checked by the one trace options schema.
 * Every problem is reported with the file, the line and column, and the field.
 */
import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { traceOptionsSchema, type TraceOptions } from '@shared/traceOptions';
import { formatPath, schemaProblem } from '@shared/schemaProblem';

/** A config larger than this is refused unread: a real one lists hundreds of targets at most. */
export const MAX_AGENT_CONFIG_BYTES = 1024 * 1024;
/** Targets in one config; each costs a probe per hop per interval. */
export const MAX_AGENT_TARGETS = 1000;
/**
 * Raw samples kept per hop when a target does not set `sampleBufferSize`. The
 * metrics come from running statistics and the event stream, not from these,
 * so the agent keeps a minute's worth instead of the app's ten: its memory
 * stops growing after the first minute.
 */
export const AGENT_SAMPLES_PER_HOP = 60;
/** YAML aliases a config may expand (guards against alias "billion laughs" bombs). */
const MAX_ALIAS_COUNT = 100;

/**
 * A target's name becomes the `target` label of every series, so it is kept
 * to characters that need no escaping anywhere (labels, logs, file names).
 */
export const targetNameSchema = z
  .string({ error: 'name must be a string' })
  .min(1, { error: 'name is empty' })
  .max(64, { error: 'name must be at most 64 characters' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, {
    error: 'name must start with a letter or digit and use only letters, digits, "_", ".", ":" and "-"',
  });

export interface AgentTarget {
  name: string;
  options: TraceOptions;
}

export interface AgentConfig {
  targets: AgentTarget[];
}

/** One problem in a config file, located as precisely as the parser allows. */
export class AgentConfigError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly column: number | null,
    readonly field: string,
    readonly problem: string,
  ) {
    const where = line === null ? file : `${file}:${line}:${column ?? 1}`;
    super(`${where}: ${field ? `${field}: ` : ''}${problem}`);
    this.name = 'AgentConfigError';
  }
}

const rootSchema = z
  .object({
    targets: z
      .array(z.unknown(), { error: 'targets must be a list' })
      .min(1, { error: 'targets must list at least one target' })
      .max(MAX_AGENT_TARGETS, { error: `targets must list at most ${MAX_AGENT_TARGETS} targets` }),
  })
  .strict();

type Path = readonly PropertyKey[];

/** Line and column (1-based) of the node at `path`, or of its nearest ancestor the document has. */
function locate(doc: Document, lines: LineCounter, path: Path): { line: number; column: number } | null {
  let node: unknown = doc.contents;
  let found: Node | null = doc.contents ?? null;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      // An unknown key is best pointed at by the key itself.
      found = isScalar(pair.key) ? pair.key : found;
      node = pair.value;
      if (node && (node as Node).range) found = node as Node;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      if (!node) break;
      if ((node as Node).range) found = node as Node;
    } else break;
  }
  const offset = found?.range?.[0];
  if (offset === undefined) return null;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function problemAt(file: string, doc: Document, lines: LineCounter, path: Path, message: string): AgentConfigError {
  const at = locate(doc, lines, path);
  return new AgentConfigError(file, at?.line ?? null, at?.column ?? null, formatPath(path), message);
}

/** The path zod reports, extended by the offending key for an unrecognised one (as schemaProblem names it). */
function issuePath(issue: z.core.$ZodIssue, prefix: Path): Path {
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  return [...prefix, ...issue.path, ...(keys[0] ? [keys[0]] : [])];
}

function validateTarget(
  file: string,
  doc: Document,
  lines: LineCounter,
  raw: unknown,
  index: number,
): AgentTarget | AgentConfigError {
  const at: Path = ['targets', index];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return problemAt(file, doc, lines, at, 'each target must be a mapping with a name and a target');
  }
  const { name, ...rest } = raw as Record<string, unknown>;
  const named = targetNameSchema.safeParse(name);
  if (!named.success) {
    const message = name === undefined ? 'missing (every target needs a name)' : named.error.issues[0]!.message;
    return problemAt(file, doc, lines, [...at, 'name'], message);
  }
  if (rest.count !== undefined && rest.count !== null) {
    return problemAt(file, doc, lines, [...at, 'count'], 'the agent traces continuously; remove count');
  }
  const parsed = traceOptionsSchema.safeParse({ sampleBufferSize: AGENT_SAMPLES_PER_HOP, ...rest });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const absent =
      issue.code === 'invalid_type' && issue.path.length === 1 && rest[issue.path[0] as string] === undefined;
    const message = absent ? 'missing' : schemaProblem(issue).message;
    return problemAt(file, doc, lines, issuePath(issue, at), message);
  }
  return { name: named.data, options: parsed.data };
}

/** Parse and validate config text. Throws AgentConfigError for the first problem found. */
export function parseAgentConfig(text: string, file: string): AgentConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: true });
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = syntax.linePos?.[0];
    const message = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new AgentConfigError(file, pos?.line ?? null, pos?.col ?? null, '', message);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    throw new AgentConfigError(file, null, null, '', err instanceof Error ? err.message : String(err));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw problemAt(file, doc, lines, [], 'the config must be a mapping with a "targets" list');
  }
  const root = rootSchema.safeParse(value);
  if (!root.success) {
    const issue = root.error.issues[0]!;
    throw problemAt(file, doc, lines, issuePath(issue, []), schemaProblem(issue).message);
  }
  const targets: AgentTarget[] = [];
  const seen = new Map<string, number>();
  for (const [index, raw] of root.data.targets.entries()) {
    const target = validateTarget(file, doc, lines, raw, index);
    if (target instanceof AgentConfigError) throw target;
    const earlier = seen.get(target.name);
    if (earlier !== undefined) {
      throw problemAt(
        file,
        doc,
        lines,
        ['targets', index, 'name'],
        `"${target.name}" is already the name of targets[${earlier}]; names must be unique`,
      );
    }
    seen.set(target.name, index);
    targets.push(target);
  }
  return { targets };
}

/** Read and validate a config file. Throws AgentConfigError (file problems included). */
export async function loadAgentConfig(file: string): Promise<AgentConfig> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > MAX_AGENT_CONFIG_BYTES) throw new Error('larger than 1 MB');
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new AgentConfigError(file, null, null, '', `cannot read the config: ${why}`);
  }
  return parseAgentConfig(text, file);
}
